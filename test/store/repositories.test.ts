import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { articles, channels, sites } from '../../src/store/index.js';
import type { ArticleFields, Channel, Site } from '../../src/domain/index.js';
import { BACKENDS, type TestStore } from '../helpers/store.js';

const NOW = new Date('2025-12-01T01:00:00Z');

const SITE = {
  name: '测试区人民政府',
  domain: 'www.test.gov.cn',
  hostOrganization: '测试区人民政府办公室',
  siteCode: '1234567890',
  icpRecord: '京ICP备12345678号',
  policeRecord: '京公网安备 11010502000001号',
  address: '测试路1号',
  contact: '010-00000000',
  timeZone: 'Asia/Shanghai',
  description: '测试',
  keywords: '测试',
};

function channelFields(siteId: number, parentId: number | null, name: string, slug: string, sortOrder = 10) {
  return {
    siteId,
    parentId,
    name,
    slug,
    type: 'list' as const,
    sortOrder,
    description: '',
    keywords: '',
    linkUrl: null,
    bodyHtml: null,
  };
}

function articleFields(
  site: Site,
  channel: Channel,
  title: string,
  publishedAt: string | null,
  status: ArticleFields['status'] = 'published',
): ArticleFields {
  return {
    siteId: site.id,
    channelId: channel.id,
    title,
    subtitle: '',
    source: null,
    author: '',
    responsibleEditor: '',
    publishedAt,
    bodyHtml: '<p>正文</p>',
    summary: '正文',
    keywords: '',
    coverImage: null,
    attachments: [],
    status,
    importKey: null,
    createdBy: null,
  };
}

for (const backend of BACKENDS) {
  describe(`repositories on ${backend.name}`, () => {
    let store: TestStore;
    let site: Site;
    let news: Channel;
    let open: Channel;
    let dept: Channel;

    before(async () => {
      store = await backend.open();
      site = await sites.insertSite(store.db, SITE, NOW);
      news = await channels.insertChannel(store.db, channelFields(site.id, null, '本区动态', 'bqdt'), NOW);
      open = await channels.insertChannel(store.db, channelFields(site.id, null, '政务公开', 'zwgk', 20), NOW);
      dept = await channels.insertChannel(store.db, channelFields(site.id, open.id, '部门动态', 'bmdt'), NOW);
    });
    after(() => store.dispose());

    test('sites round-trip every footer field', async () => {
      assert.deepEqual(await sites.findFirstSite(store.db), { id: site.id, ...SITE, mourning: 0 });
      const updated = await sites.updateSite(store.db, site.id, { icpRecord: '京ICP备00000001号' }, NOW);
      assert.equal(updated?.icpRecord, '京ICP备00000001号');
      assert.equal((await sites.findSite(store.db, site.id))?.icpRecord, '京ICP备00000001号');
      assert.equal(await sites.findSite(store.db, 9999), undefined);
    });

    test('channels: a tree with unique sibling slugs, root slugs included', async () => {
      const list = await channels.listChannels(store.db, site.id);
      assert.deepEqual(
        list.map((c) => [c.name, c.parentId]),
        [
          ['本区动态', null],
          ['部门动态', open.id],
          ['政务公开', null],
        ],
      );
      await assert.rejects(channels.insertChannel(store.db, channelFields(site.id, null, '重复', 'bqdt'), NOW));
      await assert.rejects(channels.insertChannel(store.db, channelFields(site.id, open.id, '重复', 'bmdt'), NOW));
      // The same slug under another parent is a different URL, so it is allowed.
      const other = await channels.insertChannel(store.db, channelFields(site.id, news.id, '部门动态', 'bmdt'), NOW);
      assert.equal(other.slug, 'bmdt');
      const renamed = await channels.updateChannel(store.db, other.id, { name: '区镇动态', slug: 'qzdt' }, NOW);
      assert.equal(renamed?.name, '区镇动态');
      assert.equal(await channels.deleteChannel(store.db, other.id), true);
      assert.equal(await channels.findChannel(store.db, other.id), undefined);
    });

    test('a channel with children cannot be deleted', async () => {
      await assert.rejects(channels.deleteChannel(store.db, open.id));
      assert.equal((await channels.findChannel(store.db, open.id))?.name, '政务公开');
    });

    test('articles: insert, find, update bumps the version, attachments survive as a list', async () => {
      const inserted = await articles.insertArticle(
        store.db,
        {
          ...articleFields(site, news, '第一篇', '2025-01-01T00:00:00.000Z'),
          attachments: [{ name: '附件.pdf', url: '/a.pdf', size: 10 }],
          importKey: 'k1',
        },
        NOW,
      );
      assert.equal(inserted.version, 1);
      assert.equal(inserted.viewCount, 0);
      assert.equal(inserted.createdAt, NOW.toISOString());
      assert.deepEqual(inserted.attachments, [{ name: '附件.pdf', url: '/a.pdf', size: 10 }]);
      assert.deepEqual(await articles.findArticle(store.db, inserted.id), inserted);
      assert.equal((await articles.findArticleByImportKey(store.db, site.id, 'k1'))?.id, inserted.id);

      const later = new Date('2025-12-02T00:00:00Z');
      const updated = await articles.updateArticle(store.db, inserted.id, { title: '第一篇（修订）' }, later);
      assert.equal(updated?.title, '第一篇（修订）');
      assert.equal(updated?.version, 2);
      assert.equal(updated?.updatedAt, later.toISOString());
      assert.deepEqual(updated?.attachments, inserted.attachments);
      assert.equal(await articles.deleteArticle(store.db, inserted.id), true);
      assert.equal(await articles.findArticle(store.db, inserted.id), undefined);
    });

    test('listing: published only, newest first, ties by id, across a subtree, paged and counted', async () => {
      const t = (day: number) => `2025-03-${String(day).padStart(2, '0')}T02:00:00.000Z`;
      const a = await articles.insertArticle(store.db, articleFields(site, dept, 'A', t(1)), NOW);
      const b = await articles.insertArticle(store.db, articleFields(site, open, 'B', t(2)), NOW);
      const c = await articles.insertArticle(store.db, articleFields(site, dept, 'C', t(2)), NOW);
      await articles.insertArticle(store.db, articleFields(site, dept, '草稿', null, 'draft'), NOW);
      await articles.insertArticle(store.db, articleFields(site, dept, '撤稿', t(3), 'withdrawn'), NOW);
      const ids = [open.id, dept.id];
      const all = await articles.listPublished(store.db, ids, { limit: 10, offset: 0 });
      assert.deepEqual(
        all.map((l) => l.title),
        ['C', 'B', 'A'],
      );
      assert.deepEqual(all[0], {
        id: c.id,
        channelId: dept.id,
        title: 'C',
        summary: '正文',
        publishedAt: t(2),
        createdAt: NOW.toISOString(),
        updatedAt: NOW.toISOString(),
        listMark: '',
      });
      assert.deepEqual(
        (await articles.listPublished(store.db, ids, { limit: 1, offset: 1 })).map((l) => l.id),
        [b.id],
      );
      assert.equal(await articles.countPublished(store.db, ids), 3);
      assert.equal(await articles.countPublished(store.db, [dept.id]), 2);
      assert.deepEqual(await articles.listPublished(store.db, [], { limit: 10, offset: 0 }), []);
      assert.equal(await articles.countPublished(store.db, []), 0);

      // Neighbours stay inside the article's own channel; equal times are ordered by id.
      const around = await articles.findNeighbours(store.db, c);
      assert.equal(around.previous?.id, a.id);
      assert.equal(around.next, undefined);
      const first = await articles.findNeighbours(store.db, a);
      assert.equal(first.previous, undefined);
      assert.equal(first.next?.id, c.id);

      // 相关文章: the articles published just before, in the same channel.
      assert.deepEqual(
        (await articles.publishedBefore(store.db, c, 5)).map((l) => l.id),
        [a.id],
      );
      assert.deepEqual(
        (await articles.publishedBefore(store.db, a, 5)).map((l) => l.id),
        [],
      );
      assert.deepEqual(
        (await articles.publishedAfter(store.db, a, 5)).map((l) => l.id),
        [c.id],
      );
    });

    test('view counts add up', async () => {
      const article = await articles.insertArticle(
        store.db,
        articleFields(site, news, '计数', '2025-04-01T00:00:00.000Z'),
        NOW,
      );
      assert.equal(await articles.addViews(store.db, article.id, 1), 1);
      assert.equal(await articles.addViews(store.db, article.id, 41), 42);
      assert.equal(await articles.addViews(store.db, 999_999, 1), undefined);
    });

    test('the store refuses a status outside the workflow and an article in no channel', async () => {
      await assert.rejects(
        store.db
          .insertInto('article')
          .values({
            ...articleFields(site, news, 'x', null),
            attachments: '[]',
            fields: '{}',
            status: 'lost',
            viewCount: 0,
            version: 1,
            createdAt: '',
            updatedAt: '',
          })
          .execute(),
      );
      await assert.rejects(
        articles.insertArticle(store.db, { ...articleFields(site, news, 'x', null), channelId: 999_999 }, NOW),
      );
    });

    test('ping answers while the store is open', async () => {
      assert.equal(await store.ping(), true);
    });
  });
}
