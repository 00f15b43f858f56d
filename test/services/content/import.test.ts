import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { importFiles, pagesIn } from '../../../src/importers/index.js';
import { importPage } from '../../../src/services/index.js';
import { channels, type Store } from '../../../src/store/index.js';
import { BACKENDS, contextFor, type TestStore } from '../../helpers/store.js';
import { demoSite, DEMO_PAGES, FIXTURE_PAGES, makePage, SEED_PAGE } from '../../helpers/factories.js';

const SH = 'Asia/Shanghai';

async function snapshot(store: Store) {
  const [channelRows, articleRows] = await Promise.all([
    store.db.selectFrom('channel').selectAll().orderBy('id').execute(),
    store.db.selectFrom('article').selectAll().orderBy('id').execute(),
  ]);
  return { channelRows, articleRows };
}

function writeTemp(dir: string, name: string, content: string | Uint8Array): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

for (const backend of BACKENDS) {
  describe(`importing pages on ${backend.name}`, () => {
    let store: TestStore;
    let tmp: string;
    before(async () => {
      store = await backend.open();
      await demoSite(contextFor(store));
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-import-'));
    });
    after(async () => {
      await store.dispose();
      fs.rmSync(tmp, { recursive: true, force: true });
    });

    test('the seed becomes a published article in 本区动态 at a stable URL', async () => {
      const [outcome] = await importFiles(contextFor(store), [SEED_PAGE], SH);
      assert.ok(outcome?.ok);
      const { result } = outcome;
      assert.equal(result.created, true);
      assert.match(result.path, /^\/bqdt\/202105\/t20210520_\d+\.html$/);
      assert.equal(result.article.status, 'published');
      assert.equal(result.article.source, null);
      assert.equal(result.article.publishedAt, '2021-05-20T14:19:00.000Z');
      assert.ok(result.article.summary.startsWith('习近平总书记在党史学习教育动员大会上强调'));
    });

    test('importing the same page again updates the same article at the same URL', async () => {
      const [first] = await importFiles(contextFor(store), [SEED_PAGE], SH);
      const edited = fs.readFileSync(SEED_PAGE, 'utf8').replace('活动中,李铭为首批', '活动中,李铭同志为首批');
      const [second] = await importFiles(contextFor(store), [writeTemp(tmp, 'seed-edited.txt', edited)], SH);
      assert.ok(first?.ok && second?.ok);
      assert.equal(second.result.created, false);
      assert.equal(second.result.article.id, first.result.article.id);
      assert.equal(second.result.path, first.result.path);
      assert.ok(second.result.article.bodyHtml.includes('李铭同志'));
      assert.equal(second.result.article.version, first.result.article.version + 1);
      const count = await store.db
        .selectFrom('article')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('title', '=', first.result.article.title)
        .executeTakeFirstOrThrow();
      assert.equal(Number(count.n), 1);
    });

    test('missing columns are created, nested as the breadcrumb writes them, under existing ones', async () => {
      const [outcome] = await importFiles(
        contextFor(store),
        [path.join(FIXTURE_PAGES, 'deep-english-numbers.txt')],
        SH,
      );
      assert.ok(outcome?.ok);
      assert.match(outcome.result.path, /^\/zwgk\/zcjd\/twjd\/202508\/t20250815_\d+\.html$/);
      const list = await channels.listChannels(store.db, outcome.result.article.siteId);
      const zwgk = list.find((c) => c.name === '政务公开');
      const zcjd = list.find((c) => c.name === '政策解读');
      const twjd = list.find((c) => c.name === '图文解读');
      assert.equal(zcjd?.parentId, zwgk?.id);
      assert.equal(twjd?.parentId, zcjd?.id);
      assert.equal(list.filter((c) => c.name === '政务公开').length, 1);
    });

    test('an article cannot go into a single-page or link column', async () => {
      const before = await snapshot(store);
      const file = writeTemp(
        tmp,
        'into-page.txt',
        fs.readFileSync(SEED_PAGE, 'utf8').replace('首页 > 本区动态 > 正文', '首页 > 走进本区 > 正文'),
      );
      const [outcome] = await importFiles(contextFor(store), [file], SH);
      assert.ok(outcome && !outcome.ok);
      assert.equal(
        outcome.error.report('en'),
        `${file}:2: column "走进本区" is not a list column (it is a page column) and cannot hold articles`,
      );
      assert.deepEqual(await snapshot(store), before);
    });

    test('every demo page imports', async () => {
      const outcomes = await importFiles(contextFor(store), await pagesIn(DEMO_PAGES), SH);
      assert.deepEqual(
        outcomes.filter((o) => !o.ok),
        [],
      );
      assert.equal(outcomes.length, 6);
    });

    test('bad files are reported as file:line: reason and leave the store exactly as it was', async () => {
      const before = await snapshot(store);
      const good = fs.readFileSync(SEED_PAGE, 'utf8');
      const files = [
        writeTemp(tmp, 'empty.txt', ''),
        writeTemp(tmp, 'binary.txt', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00])),
        writeTemp(
          tmp,
          'gbk.txt',
          Buffer.concat([Buffer.from('首页 > 新栏目 > 正文\n'), Buffer.from([0xb1, 0xea, 0xcc, 0xe2])]),
        ),
        writeTemp(tmp, 'no-title.txt', '首页 > 新栏目 > 正文\n\n来源: 本站 发布时间:2021-05-20 22:19\n\n正文\n'),
        writeTemp(
          tmp,
          'bad-date.txt',
          good.replace('2021-05-20 22:19', '2021-13-45 22:19').replace('本区动态', '新栏目'),
        ),
        path.join(tmp, 'missing.txt'),
      ];
      const outcomes = await importFiles(contextFor(store), files, SH);
      assert.deepEqual(
        outcomes.map((o) => (o.ok ? 'ok' : o.error.report('en'))),
        [
          `${files[0]}:1: file is empty`,
          `${files[1]}:1: binary file (NUL byte), not a text page`,
          `${files[2]}:2: not valid UTF-8 (bad byte at column 1)`,
          `${files[3]}:3: no title`,
          `${files[4]}:4: unreadable publish time "2021-13-45 22:19" (expected YYYY-MM-DD HH:mm)`,
          `${files[5]}: file does not exist or cannot be read`,
        ],
      );
      assert.deepEqual(await snapshot(store), before);
    });

    test('a failure while storing rolls back the columns the import had created', async () => {
      const before = await snapshot(store);
      // The article insert fails after its new columns were written in the same transaction.
      const page = makePage({ columns: ['回滚测试', '子栏目'], title: 'x'.repeat(10) });
      const inserts: string[] = [];
      const failing = {
        ...contextFor(store),
        store: { ...store, db: store.db.withPlugin(failArticleInsert(inserts)) },
      };
      await assert.rejects(importPage(failing, page), /simulated storage failure/);
      assert.deepEqual(inserts, ['channel', 'channel', 'article'], 'both columns were written before the failure');
      assert.deepEqual(await snapshot(store), before);
    });
  });
}

/** A Kysely plugin that makes every INSERT INTO article fail, as a full disk or a lost connection would. */
function failArticleInsert(inserts: string[]) {
  return {
    transformQuery<T extends { kind: string }>(args: { node: T }): T {
      const node = args.node as unknown as { kind: string; into?: { table?: { identifier?: { name?: string } } } };
      if (node.kind === 'InsertQueryNode') {
        const table = node.into?.table?.identifier?.name ?? '?';
        inserts.push(table);
        if (table === 'article') throw new Error('simulated storage failure');
      }
      return args.node;
    },
    transformResult<R>(args: { result: R }): Promise<R> {
      return Promise.resolve(args.result);
    },
  };
}
