import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { openStore } from '../../src/store/index.js';
import {
  createChannel,
  importPage,
  solvePowChallenge,
  systemActor,
  type PowChallenge,
} from '../../src/services/index.js';
import type { HealthReport, LinkFindingView } from '../../src/compliance/index.js';
import { runCli, startServer, useTestSite } from '../helpers/cli.js';
import { letterInput } from '../helpers/letters.js';
import { DEMO_PAGES, makePage } from '../helpers/factories.js';
import { PINNED_NOW, pinnedClock } from '../helpers/store.js';
import { COMPLETE_GUIDE, publishItem, typedColumn } from '../helpers/items.js';

describe('gazette check', () => {
  const site = useTestSite('gazette-check-');
  const env = () => ({ ...site().env, GAZETTE_NOW: PINNED_NOW });
  let broken: { path: string; id: number } | null = null;
  let wordingArticles: { slip: number; outdated: number } | null = null;

  test('the demo site with fresh content on the pinned clock: no veto item fails and no link is broken (exit 0)', async () => {
    const files = fs.readdirSync(DEMO_PAGES).map((f) => path.join(DEMO_PAGES, f));
    const imported = await runCli(['import', ...files], env());
    assert.equal(imported.code, 0, imported.stderr);
    // A complete 办事指南, or 服务不实用 fails the site.
    const store = await openStore(site().location);
    try {
      const ctx = {
        store,
        clock: pinnedClock('2025-11-03T10:00:00+08:00'),
        mediaDir: path.join(site().dataDir, 'media'),
      };
      await publishItem(ctx, await typedColumn(ctx, '办事指南', 'bszn', 'guide'), '居民身份证申领', COMPLETE_GUIDE);
    } finally {
      await store.close();
    }
    const result = await runCli(['check', '--json'], env());
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout) as HealthReport;
    assert.equal(report.passed, true);
    assert.equal(report.at, new Date(PINNED_NOW).toISOString());
    assert.deepEqual(
      report.vetoes.filter((v) => v.state === 'fail'),
      [],
    );
    assert.deepEqual(report.links.findings, []);
    assert.ok((report.links.pages ?? 0) >= 10, `pages checked: ${report.links.pages}`);
    const links = await runCli(['check', 'links'], env());
    assert.equal(links.code, 0, links.stderr);
    assert.match(links.stdout, /^0 broken links on 0 of \d+ pages\n$/);
  });

  test('a stale dynamic column and five empty columns fail the check (exit 1), in JSON and in text', async () => {
    const store = await openStore(site().location);
    try {
      const ctx = { store, clock: pinnedClock(), mediaDir: path.join(site().dataDir, 'media') };
      for (const n of [1, 2, 3, 4, 5])
        await createChannel(ctx, systemActor('test'), { name: `空栏目${n}`, slug: `k${n}` });
      const stale = await createChannel(ctx, systemActor('test'), {
        name: '工作动态',
        slug: 'gzdt',
        updateRule: 'dynamic',
      });
      await importPage(
        ctx,
        makePage({ columns: [stale.name], title: '三周前的动态', publishedAt: new Date('2025-11-09T10:00:00+08:00') }),
      );
      const page = await importPage(
        ctx,
        makePage({
          columns: ['通知公告'],
          title: '带坏链的通知',
          bodyHtml: '<p><a href="/tzgg/202001/t20200101_4242.html">旧通知</a></p>',
          publishedAt: new Date('2025-11-30T10:00:00+08:00'),
        }),
      );
      broken = { path: page.path, id: page.article.id };
      // A leader's name written wrong in published content: the serious wording veto.
      const slip = await importPage(
        ctx,
        makePage({
          columns: ['通知公告'],
          title: '学习会议精神的通知',
          bodyHtml: '<p>认真学习习进平总书记重要讲话精神。</p>',
          publishedAt: new Date('2025-11-29T10:00:00+08:00'),
        }),
      );
      // An outdated institution name: a suspect finding, listed with the article but no veto.
      const outdated = await importPage(
        ctx,
        makePage({
          columns: ['通知公告'],
          title: '关于市场检查的通知',
          bodyHtml: '<p>根据国家工商总局的部署开展检查。</p>',
          publishedAt: new Date('2025-11-28T10:00:00+08:00'),
        }),
      );
      wordingArticles = { slip: slip.article.id, outdated: outdated.article.id };
    } finally {
      await store.close();
    }
    const build = await runCli(['build'], env());
    assert.equal(build.code, 0, build.stderr);
    const result = await runCli(['check', '--json'], env());
    assert.equal(result.code, 1, result.stderr);
    const report = JSON.parse(result.stdout) as HealthReport;
    assert.deepEqual(
      report.vetoes.filter((v) => v.state === 'fail').map((v) => [v.id, v.count, v.items]),
      [
        [
          'empty-columns',
          5,
          ['空栏目1 (/k1/)', '空栏目2 (/k2/)', '空栏目3 (/k3/)', '空栏目4 (/k4/)', '空栏目5 (/k5/)'],
        ],
        ['wording', 1, ['学习会议精神的通知: 习进平 → 习近平']],
      ],
    );
    assert.deepEqual(report.vetoes.find((v) => v.id === 'stale-columns')?.items, ['工作动态 (/gzdt/) 21 天未更新']);
    // Every wording finding, suspect ones too, with the article to fix.
    assert.deepEqual(report.wording, {
      checked: true,
      serious: 1,
      suspect: 1,
      custom: 0,
      findings: [
        {
          severity: 'serious',
          articleId: wordingArticles?.slip,
          where: '学习会议精神的通知',
          text: '习进平',
          suggestion: '习近平',
          editUrl: `/admin/articles/${wordingArticles?.slip}`,
        },
        {
          severity: 'suspect',
          articleId: wordingArticles?.outdated,
          where: '关于市场检查的通知',
          text: '国家工商总局',
          suggestion: '国家市场监督管理总局',
          editUrl: `/admin/articles/${wordingArticles?.outdated}`,
        },
      ],
    });
    const text = await runCli(['check'], env());
    assert.equal(text.code, 1);
    assert.match(text.stdout, /结果：不合格（2 项单项否决）/);
    assert.match(text.stdout, /\[否决\] 空白栏目（5个及以上） 5\/5/);
    assert.match(text.stdout, /\[否决\] 严重表述错误/);
  });

  test('gazette check links lists the broken link under its page with the article to fix (exit 1)', async () => {
    assert.ok(broken);
    const text = await runCli(['check', 'links'], env());
    assert.equal(text.code, 1, text.stderr);
    assert.equal(
      text.stdout.split('\n').slice(0, 2).join('\n'),
      `${broken.path}  《带坏链的通知》 修改: /admin/articles/${broken.id}\n    internal 404 /tzgg/202001/t20200101_4242.html — no such page`,
    );
    assert.match(text.stdout, /^1 broken link on 1 of \d+ pages$/m);
    const json = await runCli(['check', 'links', '--json'], env());
    const findings = (JSON.parse(json.stdout) as { findings: LinkFindingView[] }).findings;
    assert.deepEqual(findings, [
      {
        pagePath: broken.path,
        articleId: broken.id,
        articleTitle: '带坏链的通知',
        editUrl: `/admin/articles/${broken.id}`,
        url: '/tzgg/202001/t20200101_4242.html',
        kind: 'internal',
        status: 404,
        reason: 'no such page',
      },
    ]);
  });

  test('an unknown option is a usage error', async () => {
    const result = await runCli(['check', '--bogus'], env());
    assert.equal(result.code, 2);
    assert.match(result.stderr, /bogus/);
  });
});

describe('gazette check: the 互动回应差 veto from a letter sent to the running server', () => {
  const site = useTestSite('gazette-check-letters-');

  test('a letter sent on 2025-08-01 and left unanswered: pass in September, warn on 2025-10-20, fail on 2025-12-01', async () => {
    const server = await startServer({ ...site().env, GAZETTE_NOW: '2025-08-01T10:00:00+08:00', GAZETTE_DEMO: 'off' });
    let queryCode: string;
    try {
      const challenge = (await (await fetch(`${server.url}/api/v1/public/challenge`)).json()) as PowChallenge;
      const sent = await fetch(`${server.url}/api/v1/public/letters`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          ...letterInput({ title: '关于七都镇渔业码头年久失修的求助', type: 'help' }),
          altcha: solvePowChallenge(challenge),
        }),
      });
      assert.equal(sent.status, 201, await sent.clone().text());
      queryCode = ((await sent.json()) as { queryCode: string }).queryCode;
    } finally {
      const stopped = once(server.child, 'exit');
      server.child.kill('SIGTERM');
      await stopped;
    }
    const messagesOn = async (now: string) => {
      const result = await runCli(['check', '--json'], { ...site().env, GAZETTE_NOW: now });
      const report = JSON.parse(result.stdout) as HealthReport;
      return { code: result.code, veto: report.vetoes.find((v) => v.id === 'messages') };
    };
    const september = await messagesOn('2025-09-15T09:00:00+08:00');
    assert.deepEqual([september.veto?.state, september.veto?.items], ['pass', []]);
    const october = await messagesOn('2025-10-20T09:00:00+08:00');
    assert.deepEqual(
      [october.veto?.state, october.veto?.items],
      [
        'warn',
        [`${queryCode} 关于七都镇渔业码头年久失修的求助（2025-08-01 收到，已 80 天未答复，2025-11-01 满3个月）`],
      ],
    );
    const december = await messagesOn('2025-12-01T09:00:00+08:00');
    assert.equal(december.code, 1);
    assert.deepEqual(
      [december.veto?.state, december.veto?.count, december.veto?.items],
      ['fail', 1, [`${queryCode} 关于七都镇渔业码头年久失修的求助（2025-08-01 收到，已 122 天未答复）`]],
    );
  });
});
