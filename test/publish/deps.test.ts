import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { articlePath, type Article } from '../../src/domain/index.js';
import { loadSiteView, pagesForArticle, pagesForPlacement, type SiteView } from '../../src/publish/index.js';
import { articles, placements } from '../../src/store/index.js';
import { BACKENDS, contextFor, type TestStore } from '../helpers/store.js';
import { demoSite } from '../helpers/factories.js';

const sorted = (set: ReadonlySet<string>) => [...set].sort();

for (const backend of BACKENDS) {
  describe(`dependency map on ${backend.name}: the exact pages a change touches`, () => {
    let store: TestStore;
    let view: SiteView;
    const made: Article[] = [];
    let bqdt: number;
    let bmdt: number;

    /** A published article in a channel at a day of 2024 (day 1 = Jan 1). */
    async function publish(channelId: number, day: number, title = `第${day}天`): Promise<Article> {
      const at = new Date(Date.UTC(2024, 0, day, 2)).toISOString();
      const article = await articles.insertArticle(
        store.db,
        {
          siteId: view.site.id,
          channelId,
          title,
          subtitle: '',
          source: null,
          author: '',
          responsibleEditor: '',
          publishedAt: at,
          bodyHtml: '<p>x</p>',
          summary: 'x',
          keywords: '',
          coverImage: null,
          attachments: [],
          status: 'published',
          importKey: null,
          createdBy: null,
        },
        new Date('2025-01-01T00:00:00Z'),
      );
      made.push(article);
      return article;
    }
    const path = (a: Article) => articlePath(view.tree.path(a.channelId), a, view.site.timeZone);
    const byDay = (day: number) => {
      const found = made.find((a) => a.title === `第${day}天`);
      if (!found) throw new Error(`no article of day ${day}`);
      return found;
    };

    before(async () => {
      store = await backend.open();
      await demoSite(contextFor(store));
      view = (await loadSiteView(store.db))!;
      bqdt = view.tree.all().find((c) => c.slug === 'bqdt')!.id;
      bmdt = view.tree.all().find((c) => c.slug === 'bmdt')!.id;
      for (let day = 1; day <= 45; day++) await publish(bqdt, day * 2);
    });
    after(() => store.dispose());

    test('a new newest article: its page, the one before it, the front page, the newest chunk, feeds, home, sitemap', async () => {
      const newest = await publish(bqdt, 100);
      const changes = await pagesForArticle(store.db, view, newest, 'added');
      assert.deepEqual(
        sorted(changes.render),
        [
          '/',
          '/atom.xml',
          '/bqdt/',
          '/bqdt/atom.xml',
          '/bqdt/index_3.html',
          '/bqdt/rss.xml',
          path(newest),
          path(byDay(90)),
          '/rss.xml',
          '/sitemap.xml',
        ].sort(),
      );
      assert.deepEqual(sorted(changes.remove), []);
    });

    test('starting a new chunk also touches the chunk before it (its "newer" link moves)', async () => {
      // 46 now; add 14 to fill chunk 3 (60), then one more starts chunk 4.
      for (let day = 101; day <= 114; day++) await publish(bqdt, day);
      const first = await publish(bqdt, 115);
      const changes = await pagesForArticle(store.db, view, first, 'added');
      assert.deepEqual(
        sorted(changes.render).filter((p) => p.includes('index')),
        ['/bqdt/index_3.html', '/bqdt/index_4.html'],
      );
    });

    test('a back-dated article shifts every chunk from its place on, and is in no feed or home block', async () => {
      const old = await publish(bqdt, 1);
      const changes = await pagesForArticle(store.db, view, old, 'added');
      const after = [2, 4, 6, 8, 10].map((d) => path(byDay(d)));
      assert.deepEqual(
        sorted(changes.render),
        [
          '/bqdt/',
          '/bqdt/index_1.html',
          '/bqdt/index_2.html',
          '/bqdt/index_3.html',
          '/bqdt/index_4.html',
          path(old),
          ...after,
          '/sitemap.xml',
        ].sort(),
      );
    });

    test('a withdrawal removes the page and closes up the lists behind it', async () => {
      const gone = byDay(20); // position 11 of 62
      await articles.updateArticle(store.db, gone.id, { status: 'withdrawn' }, new Date());
      const changes = await pagesForArticle(store.db, view, gone, 'removed');
      assert.deepEqual(sorted(changes.remove), [path(gone)]);
      const neighbours = [18, 22, 24, 26, 28, 30].map((d) => path(byDay(d)));
      assert.deepEqual(
        sorted(changes.render),
        [
          '/bqdt/',
          '/bqdt/index_1.html',
          '/bqdt/index_2.html',
          '/bqdt/index_3.html',
          '/bqdt/index_4.html',
          ...neighbours,
          '/sitemap.xml',
        ].sort(),
      );
    });

    test('an edit in place touches its chunk, not the lists around it', async () => {
      const edited = byDay(40); // position 20 of 61: chunk 1, not on the front page
      const changes = await pagesForArticle(store.db, view, edited, 'edited');
      const neighbours = [38, 42, 44, 46, 48, 50].map((d) => path(byDay(d)));
      assert.deepEqual(
        sorted(changes.render),
        ['/bqdt/index_1.html', path(edited), ...neighbours, '/sitemap.xml'].sort(),
      );
    });

    test("in a sub-column: both its lists and the parent column's, the parent's home block", async () => {
      const nested = await publish(bmdt, 200, '部门动态稿');
      const changes = await pagesForArticle(store.db, view, nested, 'added');
      assert.deepEqual(
        sorted(changes.render),
        [
          '/',
          '/atom.xml',
          '/rss.xml',
          '/sitemap.xml',
          path(nested),
          '/zwgk/',
          '/zwgk/index_1.html',
          '/zwgk/rss.xml',
          '/zwgk/atom.xml',
          '/zwgk/bmdt/',
          '/zwgk/bmdt/index_1.html',
          '/zwgk/bmdt/rss.xml',
          '/zwgk/bmdt/atom.xml',
        ].sort(),
      );
    });

    test('a placement (引用) touches the lists, feeds and home block that show it: no article page, neighbour or sitemap', async () => {
      const listsBefore = await articles.countPublished(store.db, [bmdt]);
      const shown = byDay(60);
      const placed = await placements.insertPlacement(
        store.db,
        {
          articleId: shown.id,
          siteId: view.site.id,
          channelId: bmdt,
          status: 'published',
          reviewLevel: 0,
          createdBy: null,
        },
        new Date(),
      );
      const at = new Date(Date.UTC(2024, 11, 1)).toISOString();
      await placements.updatePlacement(
        store.db,
        placed.id,
        { status: 'published', reviewLevel: 0, live: true, publishedAt: at },
        new Date(),
      );
      assert.equal(
        await articles.countPublished(store.db, [bmdt]),
        listsBefore + 1,
        'the trigger counts the live placement in its column',
      );
      const entry = { id: shown.id, channelId: bmdt, publishedAt: at, createdAt: at };
      const changes = await pagesForPlacement(store.db, view, entry, 'added');
      assert.deepEqual(
        sorted(changes.render),
        [
          '/',
          '/atom.xml',
          '/rss.xml',
          '/zwgk/',
          '/zwgk/index_1.html',
          '/zwgk/rss.xml',
          '/zwgk/atom.xml',
          '/zwgk/bmdt/',
          '/zwgk/bmdt/index_1.html',
          '/zwgk/bmdt/rss.xml',
          '/zwgk/bmdt/atom.xml',
        ].sort(),
      );
      // Its list shows it at the placement's place, naming where its one page is.
      const [newest] = await articles.listPublished(store.db, [bmdt], { limit: 1, offset: 0 });
      assert.deepEqual(newest?.home, { siteId: view.site.id, channelId: bqdt, publishedAt: shown.publishedAt });
      // Withdrawing the article takes the placement off the list (the trigger keeps `live`).
      await articles.updateArticle(store.db, shown.id, { status: 'withdrawn' }, new Date());
      assert.equal(await articles.countPublished(store.db, [bmdt]), listsBefore);
      assert.equal((await placements.findPlacement(store.db, placed.id))?.live, false);
      await articles.updateArticle(store.db, shown.id, { status: 'published' }, new Date());
      assert.equal(await articles.countPublished(store.db, [bmdt]), listsBefore + 1);
    });
  });
}
