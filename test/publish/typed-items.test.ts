import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildSite, OutputStore, Publisher, type PublishRun } from '../../src/publish/index.js';
import { updateArticle, type ArticleView, type ServiceContext } from '../../src/services/index.js';
import { loadTheme } from '../../src/theme/index.js';
import { demoApp } from '../helpers/app.js';
import { BACKENDS, type TestStore } from '../helpers/store.js';
import { changedPages, snapshot } from '../helpers/output.js';
import { mainLines } from '../helpers/pages.js';
import { system as TYPED_ACTOR, policyValues, publishItem, typedColumns } from '../helpers/items.js';

for (const backend of BACKENDS) {
  describe(`a policy and its 解读 on ${backend.name}: each on the other's page, and exactly the pages a change of 有效性 touches`, () => {
    let store: TestStore;
    let app: FastifyInstance;
    let ctx: ServiceContext;
    let outputDir: string;
    const runs: PublishRun[] = [];
    let columns: Awaited<ReturnType<typeof typedColumns>>;
    let policy: ArticleView;
    let repealing: ArticleView;
    let reading: ArticleView;

    // Time moves on between changes, as it does for editors.
    let now = new Date('2025-03-01T01:00:00Z');
    beforeEach(() => {
      now = new Date(now.getTime() + 3_600_000);
    });

    before(async () => {
      store = await backend.open();
      app = await demoApp(store, {
        pages: false,
        clock: { now: () => now },
        app: { onPublished: (run) => void runs.push(run) },
      });
      ctx = app.gazette.context;
      outputDir = app.gazette.context.outputDir;
      columns = await typedColumns(ctx);
      policy = await publishItem(ctx, columns.policy, '示范区优化营商环境若干规定', policyValues());
      repealing = await publishItem(
        ctx,
        columns.policy,
        '示范区优化营商环境条例实施办法',
        policyValues({ documentNo: '示政发〔2025〕9号', writtenOn: '2025-02-20' }),
      );
      reading = await publishItem(ctx, columns.interpretation, '《示范区优化营商环境若干规定》政策解读', {
        policies: [policy.id],
        form: '文字',
        interpreter: '示范区发展改革委',
      });
      await app.gazette.publisher.idle();
      await buildSite(app.gazette.publisher.for(1));
    });
    after(async () => {
      await app?.close();
      await store.dispose();
    });

    const page = async (url: string | null) => {
      assert.ok(url, 'the item is published');
      const answer = await app.inject({ url });
      assert.equal(answer.statusCode, 200, url);
      return mainLines(answer.body);
    };

    test('the policy lists its 解读, and the 解读 names its policy', async () => {
      const policyPage = await page(policy.url);
      const at = policyPage.indexOf('相关解读');
      assert.ok(at > 0, policyPage.join('\n'));
      assert.deepEqual(policyPage.slice(at, at + 2), ['相关解读', '《示范区优化营商环境若干规定》政策解读 2025-03-01']);
      const table = policyPage.slice(policyPage.indexOf('文件信息'), policyPage.indexOf('文件信息') + 7);
      assert.deepEqual(table, [
        '文件信息',
        '文号 示政发〔2025〕1号',
        '发布机构 示范区人民政府',
        '成文日期 2025年1月10日',
        '施行日期 2025年2月1日',
        '主题分类 综合政务',
        '有效性 有效',
      ]);
      const readingPage = await page(reading.url);
      assert.deepEqual(
        readingPage.filter((line) => line.startsWith('解读的政策文件') || line.startsWith('解读形式')),
        ['解读的政策文件 示范区优化营商环境若干规定', '解读形式 文字'],
      );
    });

    test('marking the policy 已废止 renders again exactly its page, the 解读, the repealing policy, the lists and library pages showing it (the home page among them), and the sitemap and Atom feeds (its modified time)', async () => {
      const before = snapshot(outputDir);
      const seen = runs.length;
      await updateArticle(ctx, TYPED_ACTOR, policy.id, {
        version: policy.version,
        fields: { validity: '已废止', validityDate: '2025-03-01', changedBy: repealing.id },
      });
      await app.gazette.publisher.idle();
      const after = snapshot(outputDir);
      const written = runs
        .slice(seen)
        .flatMap((run) => [...run.pages].filter(([, o]) => o === 'written' || o === 'removed').map(([p]) => p));
      const rendered = runs
        .slice(seen)
        .flatMap((run) => [...run.pages].filter(([, o]) => o !== 'absent').map(([p]) => p));
      const expected = [
        policy.url,
        reading.url,
        repealing.url,
        // The home page's 政务公开 block lists the policy with its 已废止.
        '/',
        '/atom.xml',
        '/sitemap.xml',
        '/zcwjk/',
        '/zcwjk/index_1.html',
        '/zwgk/',
        '/zwgk/atom.xml',
        '/zwgk/gfxwj/',
        '/zwgk/gfxwj/atom.xml',
        '/zwgk/gfxwj/index_1.html',
        '/zwgk/index_1.html',
      ].sort();
      assert.deepEqual(changedPages(before, after), expected, 'the files that changed');
      assert.deepEqual([...new Set(written)].sort(), expected, 'the pages the runs wrote');
      assert.deepEqual([...new Set(rendered)].sort(), expected, 'nothing else was rendered');
      const policyPage = await page(policy.url);
      assert.equal(policyPage[1], '本文件已于2025年3月1日废止，详见示范区优化营商环境条例实施办法');
      const readingPage = await page(reading.url);
      assert.ok(readingPage.includes('解读的政策文件 示范区优化营商环境若干规定（已废止）'), readingPage.join('\n'));
      const library = await page('/zcwjk/');
      assert.deepEqual(library.slice(library.indexOf('政策文件列表')), [
        '政策文件列表',
        '文件名称 文号 发布机构 成文日期 发布日期 有效性',
        '示范区优化营商环境条例实施办法 示政发〔2025〕9号 示范区人民政府 2025年2月20日 2025-03-01 有效',
        '示范区优化营商环境若干规定 示政发〔2025〕1号 示范区人民政府 2025年1月10日 2025-03-01 已废止',
      ]);
      // A full build from scratch gives the same files.
      const fresh = fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-full-'));
      try {
        await buildSite(new Publisher(store, loadTheme(), new OutputStore(fresh), ctx.clock));
        assert.deepEqual(changedPages(snapshot(fresh), after), [], 'incremental output equals a full build');
      } finally {
        fs.rmSync(fresh, { recursive: true, force: true });
      }
    });
  });
}
