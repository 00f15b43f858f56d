import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { migrationUrls, sites, type MigrationUrlRow } from '../../src/store/index.js';
import type { Site } from '../../src/domain/index.js';
import { BACKENDS, type TestStore } from '../helpers/store.js';

const NOW = new Date('2025-12-01T01:00:00.000Z');
const LATER = new Date('2025-12-02T03:04:05.678Z');
const ORIGIN = 'http://old.example.gov.cn';

const siteFields = (domain: string) => ({
  name: domain,
  domain,
  hostOrganization: '测试区人民政府办公室',
  siteCode: '1234567890',
  icpRecord: '',
  policeRecord: '',
  address: '',
  contact: '',
  timeZone: 'Asia/Shanghai',
  description: '',
  keywords: '',
});

/** A queued row as enqueueUrls makes it, with the seq the store gave it. */
function queued(
  site: Site,
  seq: number,
  url: string,
  role: MigrationUrlRow['role'],
  text = '',
  depth = 0,
  form: Record<string, string> | null = null,
): MigrationUrlRow {
  return {
    siteId: site.id,
    url,
    state: 'queued',
    role,
    text,
    depth,
    form,
    articleId: null,
    mediaUrl: null,
    contentHash: null,
    columns: null,
    reason: '',
    seq,
    updatedAt: NOW.toISOString(),
  };
}

const urlsOf = (rows: readonly { readonly url: string }[]) => rows.map((row) => row.url);

for (const backend of BACKENDS) {
  describe(`migration URLs on ${backend.name}`, () => {
    let store: TestStore;
    let site: Site;
    let other: Site;

    before(async () => {
      store = await backend.open();
      site = await sites.insertSite(store.db, siteFields('www.example.gov.cn'), NOW);
      other = await sites.insertSite(store.db, siteFields('swj.example.gov.cn'), NOW);
    });
    after(() => store.dispose());

    test('enqueue adds each URL once per site, in the order given, and says how many were new', async () => {
      const form = { col: '1', appid: '1', columnid: '123' };
      const first = await migrationUrls.enqueueUrls(
        store.db,
        site.id,
        [
          { url: `${ORIGIN}/`, role: 'page', text: '首页', depth: 0 },
          { url: `${ORIGIN}/xwzx/bqdt/index.html`, role: 'list', text: '本区动态', depth: 1 },
          { url: `${ORIGIN}/`, role: 'page', text: '重复', depth: 5 },
          { url: `${ORIGIN}/module/web/jpage/dataproxy.jsp?startrecord=1`, role: 'proxy', text: '', depth: 2, form },
        ],
        NOW,
      );
      assert.equal(first, 3);
      const again = await migrationUrls.enqueueUrls(
        store.db,
        site.id,
        [
          { url: `${ORIGIN}/xwzx/bqdt/index.html`, role: 'list', text: '本区动态', depth: 1 },
          { url: `${ORIGIN}/xwzx/bqdt/202105/t20210520_123.html`, role: 'article', text: '标题', depth: 2 },
        ],
        NOW,
      );
      assert.equal(again, 1);
      // The same URL is another site's own row.
      assert.equal(
        await migrationUrls.enqueueUrls(
          store.db,
          other.id,
          [{ url: `${ORIGIN}/`, role: 'page', text: '', depth: 0 }],
          NOW,
        ),
        1,
      );

      const taken = await migrationUrls.takeQueued(store.db, site.id, 10, 0);
      const seqs = taken.map((row) => row.seq);
      assert.deepEqual(
        seqs,
        [...seqs].sort((a, b) => a - b),
      );
      assert.deepEqual(taken, [
        queued(site, seqs[0] ?? 0, `${ORIGIN}/`, 'page', '首页', 0),
        queued(site, seqs[1] ?? 0, `${ORIGIN}/xwzx/bqdt/index.html`, 'list', '本区动态', 1),
        queued(site, seqs[2] ?? 0, `${ORIGIN}/module/web/jpage/dataproxy.jsp?startrecord=1`, 'proxy', '', 2, form),
        queued(site, seqs[3] ?? 0, `${ORIGIN}/xwzx/bqdt/202105/t20210520_123.html`, 'article', '标题', 2),
      ]);
      assert.deepEqual(urlsOf(await migrationUrls.takeQueued(store.db, site.id, 2, seqs[0] ?? 0)), [
        `${ORIGIN}/xwzx/bqdt/index.html`,
        `${ORIGIN}/module/web/jpage/dataproxy.jsp?startrecord=1`,
      ]);
    });

    test('finishing a URL records its outcome; what is not given is kept; counts and filters follow', async () => {
      const article = `${ORIGIN}/xwzx/bqdt/202105/t20210520_123.html`;
      const list = `${ORIGIN}/xwzx/bqdt/index.html`;
      await migrationUrls.finishUrl(
        store.db,
        site.id,
        article,
        { state: 'done', articleId: 42, contentHash: 'ab'.repeat(32) },
        LATER,
      );
      await migrationUrls.finishUrl(
        store.db,
        site.id,
        list,
        { state: 'done', columns: ['新闻中心', '本区动态'] },
        LATER,
      );
      await migrationUrls.finishUrl(store.db, site.id, `${ORIGIN}/`, { state: 'failed', reason: 'HTTP 521' }, LATER);
      const before = await migrationUrls.findUrl(store.db, site.id, article);
      assert.ok(before);
      assert.deepEqual(before, {
        ...queued(site, before.seq, article, 'article', '标题', 2),
        state: 'done',
        articleId: 42,
        contentHash: 'ab'.repeat(32),
        updatedAt: LATER.toISOString(),
      });
      // A later failure keeps the article it led to, and says why.
      await migrationUrls.finishUrl(store.db, site.id, article, { state: 'failed', reason: 'no body' }, LATER);
      assert.deepEqual(await migrationUrls.findUrl(store.db, site.id, article), {
        ...before,
        state: 'failed',
        reason: 'no body',
      });
      assert.equal(await migrationUrls.findUrl(store.db, other.id, article), undefined);

      assert.deepEqual(await migrationUrls.countByState(store.db, site.id), {
        queued: 1,
        done: 1,
        failed: 2,
        skipped: 0,
      });
      assert.deepEqual(await migrationUrls.countByState(store.db, other.id), {
        queued: 1,
        done: 0,
        failed: 0,
        skipped: 0,
      });
      assert.deepEqual(urlsOf(await migrationUrls.listUrls(store.db, site.id, { state: 'failed' }, 0, 10)), [
        `${ORIGIN}/`,
        article,
      ]);
      assert.deepEqual(
        urlsOf(await migrationUrls.listUrls(store.db, site.id, { state: 'failed', role: 'article' }, 0, 10)),
        [article],
      );
      assert.equal((await migrationUrls.listUrls(store.db, site.id, {}, 0, 10)).length, 4);
      const columnPages = await migrationUrls.listColumnPages(store.db, site.id, 0, 10);
      assert.deepEqual(
        columnPages.map((row) => [row.url, row.columns]),
        [[list, ['新闻中心', '本区动态']]],
      );
      const found = await migrationUrls.findUrls(store.db, site.id, [article, list, `${ORIGIN}/nowhere.html`, list]);
      assert.deepEqual([...found.keys()].sort(), [list, article].sort());
      assert.equal(found.get(article)?.articleId, 42);
    });

    test('a fresh run queues every URL again and keeps what each led to', async () => {
      const before = await migrationUrls.listUrls(store.db, site.id, {}, 0, 10);
      await migrationUrls.requeueAll(store.db, site.id, LATER);
      const after = await migrationUrls.listUrls(store.db, site.id, {}, 0, 10);
      assert.deepEqual(
        after,
        before.map((row) => ({ ...row, state: 'queued', reason: '', updatedAt: LATER.toISOString() })),
      );
      assert.equal(after.find((row) => row.articleId === 42)?.contentHash, 'ab'.repeat(32));
      assert.deepEqual((await migrationUrls.countByState(store.db, other.id)).queued, 1);
    });

    test('thousands of URLs at once go in chunks: all kept once, in order', async () => {
      const many = Array.from({ length: 2500 }, (_, i) => ({
        url: `${ORIGIN}/art/2021/5/20/art_123_${i}.html`,
        role: 'article' as const,
        text: `第${i}篇`,
        depth: 3,
      }));
      await migrationUrls.clearMigration(store.db, site.id);
      assert.deepEqual(await migrationUrls.countByState(store.db, site.id), {
        queued: 0,
        done: 0,
        failed: 0,
        skipped: 0,
      });
      assert.equal(await migrationUrls.enqueueUrls(store.db, site.id, many, NOW), 2500);
      assert.equal(await migrationUrls.enqueueUrls(store.db, site.id, many, NOW), 0);
      const taken = await migrationUrls.takeQueued(store.db, site.id, 3000, 0);
      assert.deepEqual(urlsOf(taken), urlsOf(many));
      const found = await migrationUrls.findUrls(
        store.db,
        site.id,
        many.map((row) => row.url),
      );
      assert.equal(found.size, 2500);
      // Another site's rows are not touched by clearing this one.
      assert.deepEqual((await migrationUrls.countByState(store.db, other.id)).queued, 1);
    });

    test('a URL longer than 2,048 bytes is left out', async () => {
      const long = `${ORIGIN}/search?q=${'长'.repeat(700)}`;
      const fits = `${ORIGIN}/search?q=${'x'.repeat(2048 - ORIGIN.length - '/search?q='.length)}`;
      assert.equal(migrationUrls.urlFits(long), false);
      assert.equal(migrationUrls.urlFits(fits), true);
      assert.equal(
        await migrationUrls.enqueueUrls(
          store.db,
          other.id,
          [
            { url: long, role: 'page', text: '', depth: 1 },
            { url: fits, role: 'page', text: '', depth: 1 },
          ],
          NOW,
        ),
        1,
      );
      assert.equal(await migrationUrls.findUrl(store.db, other.id, long), undefined);
      assert.equal((await migrationUrls.findUrl(store.db, other.id, fits))?.url, fits);
    });
  });
}
