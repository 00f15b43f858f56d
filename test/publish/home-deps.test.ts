import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ChannelTree, articlePath, type Article, type SiteLook } from '../../src/domain/index.js';
import { loadSiteView, pagesForArticle, pagesForLetter, type SiteView } from '../../src/publish/index.js';
import { pagesForChannelChange } from '../../src/publish/channel-deps.js';
import { homeShowsMarked } from '../../src/publish/home-deps.js';
import {
  createArticle,
  createChannel,
  setArticleMarks,
  stepArticle,
  stepLetter,
  updateChannel,
  type ServiceContext,
} from '../../src/services/index.js';
import { articles, letters } from '../../src/store/index.js';
import { BACKENDS, contextFor, pinnedClock, type TestStore } from '../helpers/store.js';
import { columnId, homeFixture, OFFICE, publishAt, publishLetter, type HomeFixture } from '../helpers/home.js';
import { system } from '../helpers/items.js';

const sorted = (set: ReadonlySet<string>) => [...set].sort();

for (const backend of BACKENDS) {
  describe(`the home page in the dependency map on ${backend.name}: '/' exactly when a block shows the change`, () => {
    let store: TestStore;
    let ctx: ServiceContext;
    let fixture: HomeFixture;
    let view: SiteView;
    /** Picture news of the whole site (two), and one tab: 通知公告. */
    let picturesOnly: SiteView;

    const reload = async () => {
      view = (await loadSiteView(store.db))!;
      const tzgg = await columnId(ctx, 'tzgg');
      const look: SiteLook = {
        mainColour: '#b5121b',
        accentColour: '#8a0e15',
        logo: null,
        banner: null,
        favicon: null,
        blocks: [
          { kind: 'pictures', id: 'pictures', title: '图片新闻', channelIds: [], count: 2, moreUrl: '' },
          {
            kind: 'tabs',
            id: 'news',
            title: '通知',
            tabs: [{ channelId: tzgg, title: '' }],
            count: 8,
            showDates: true,
            pictures: false,
          },
        ],
      };
      picturesOnly = { ...view, look };
    };
    const load = async (id: number): Promise<Article> => (await articles.findArticle(store.db, id))!;
    const path = (a: Article) => articlePath(view.tree.path(a.channelId), a, view.site.timeZone);

    /** A new article of 本区动态 with a cover, marked 图片新闻 while a draft, then published now. */
    async function publishPicture(title: string): Promise<Article> {
      const bqdt = await columnId(ctx, 'bqdt');
      const draft = await createArticle(ctx, system, {
        channelId: bqdt,
        title,
        bodyHtml: `<p>${title}</p>`,
        coverImage: '/media/2025/12/new.jpg',
      });
      await setArticleMarks(ctx, system, draft.id, { headline: false, picture: true });
      for (const step of ['submit', 'approve', 'publish'] as const) await stepArticle(ctx, system, draft.id, step);
      return load(draft.id);
    }

    before(async () => {
      store = await backend.open();
      ctx = contextFor(store, pinnedClock());
      fixture = await homeFixture(ctx);
      await reload();
    });
    after(() => store.dispose());

    test('a new picture-news item renders / and its own pages; an article no block shows renders no /', async () => {
      const picture = await publishPicture('示范区冬季长跑比赛开跑');
      const news2 = await load(fixture.ids.news2 ?? 0);
      const own = [
        '/atom.xml',
        '/bqdt/',
        '/bqdt/atom.xml',
        '/bqdt/index_1.html',
        '/bqdt/rss.xml',
        path(picture),
        path(news2),
        '/rss.xml',
        '/sitemap.xml',
      ];
      const shown = await pagesForArticle(store.db, picturesOnly, picture, 'added');
      assert.deepEqual(sorted(shown.render), ['/', ...own].sort());
      assert.deepEqual(sorted(shown.remove), []);

      // The same column without a mark: the look shows 本区动态 in no block.
      const plain = await load(
        await publishAt(ctx, ['本区动态'], '区领导调研冬季安全生产', '2025-12-01T10:00:00+08:00'),
      );
      const unshown = await pagesForArticle(store.db, picturesOnly, plain, 'added');
      assert.ok(!unshown.render.has('/'), 'not in a block of the look');
      assert.ok(unshown.render.has(path(plain)) && unshown.render.has('/bqdt/'), 'its own pages all the same');
      // The default look has 本区动态 as a tab: there it is on the home page.
      assert.ok((await pagesForArticle(store.db, view, plain, 'added')).render.has('/'));
    });

    test('the default look: a column below none of its blocks renders no /; an old article outside the windows neither', async () => {
      await createChannel(ctx, system, { name: '媒体聚焦', slug: 'mtjj' });
      await reload();
      const far = await load(await publishAt(ctx, ['媒体聚焦'], '媒体聚焦示范区', '2025-12-01T08:00:00+08:00'));
      const changes = await pagesForArticle(store.db, view, far, 'added');
      assert.deepEqual(
        sorted(changes.render),
        [
          '/atom.xml',
          '/mtjj/',
          '/mtjj/atom.xml',
          '/mtjj/index_1.html',
          '/mtjj/rss.xml',
          path(far),
          '/rss.xml',
          '/sitemap.xml',
        ].sort(),
      );
      // Back-dated into 通知公告: older than what its tab shows? No: the tab shows 8 and holds 2.
      const old = await load(await publishAt(ctx, ['通知公告'], '2019年通知', '2019-01-01T08:00:00+08:00'));
      assert.ok((await pagesForArticle(store.db, view, old, 'added')).render.has('/'));
      // Nine more notices: the back-dated one is out of the tab's eight.
      for (let day = 1; day <= 9; day++)
        await publishAt(ctx, ['通知公告'], `通知${day}`, `2025-10-0${day}T08:00:00+08:00`);
      assert.ok(!(await pagesForArticle(store.db, view, old, 'edited')).render.has('/'));
    });

    test('picture news beyond its count: an older marked article with a cover is not shown', async () => {
      // Marked with covers: the new picture (2025-12-01) and news2 (11-25) fill the count of two; dept (11-24) is out.
      const dept = await load(fixture.ids.dept ?? 0);
      assert.ok(!(await pagesForArticle(store.db, picturesOnly, dept, 'edited')).render.has('/'));
      const news2 = await load(fixture.ids.news2 ?? 0);
      assert.ok((await pagesForArticle(store.db, picturesOnly, news2, 'edited')).render.has('/'));
    });

    test('article.marked: / when the article is published on the site and inside the block of its mark', async () => {
      const dept = await load(fixture.ids.dept ?? 0);
      assert.equal(await homeShowsMarked(store.db, view, dept), true, 'the default look shows five pictures');
      assert.equal(await homeShowsMarked(store.db, picturesOnly, dept), false, 'two newer pictures');
      // news1 has no cover: it shows in no picture block, and is not the newest 头条.
      assert.equal(await homeShowsMarked(store.db, view, await load(fixture.ids.news1 ?? 0)), false);
      const bqdt = await columnId(ctx, 'bqdt');
      const draft = await createArticle(ctx, system, { channelId: bqdt, title: '草稿', bodyHtml: '<p>x</p>' });
      assert.equal(await homeShowsMarked(store.db, view, await load(draft.id)), false, 'not published');
    });

    test('a letter: / while the 互动交流 block lists it, and when an unpublished one was listed', async () => {
      const newest = await publishLetter(ctx, '关于增设公交站的建议', '2025-11-30T09:00:00+08:00');
      const letter = (await letters.findLetter(store.db, newest))!;
      assert.ok((await pagesForLetter(store.db, view, letter, 'added')).render.has('/'));
      const oneLetter: SiteView = {
        ...view,
        look: { ...picturesOnly.look!, blocks: [{ kind: 'interaction', id: 'talk', title: '互动', count: 1 }] },
      };
      const older = (await letters.findLetter(store.db, fixture.ids.letter1 ?? 0))!;
      assert.ok(!(await pagesForLetter(store.db, oneLetter, older, 'edited')).render.has('/'), 'not the newest');
      await stepLetter(ctx, OFFICE, newest, 'unpublish', {});
      const gone = (await letters.findLetter(store.db, newest))!;
      assert.equal(gone.publishedAt, null);
      assert.ok((await pagesForLetter(store.db, oneLetter, gone, 'removed')).render.has('/'), 'it was the newest');
      await stepLetter(ctx, OFFICE, fixture.ids.letter1 ?? 0, 'unpublish', {});
      const notShown = (await letters.findLetter(store.db, fixture.ids.letter1 ?? 0))!;
      assert.ok(!(await pagesForLetter(store.db, oneLetter, notShown, 'removed')).render.has('/'), 'a newer one was');
    });

    test("a column change: / when a block shows what changed (a section, the default look's tabs), not otherwise", async () => {
      const knownPaths = () => Promise.resolve([]);
      const change = async (slug: string, patch: { name?: string; sortOrder?: number }) => {
        const before = view.tree;
        await updateChannel(ctx, system, await columnId(ctx, slug), patch);
        await reload();
        return pagesForChannelChange(store.db, view.site, new ChannelTree(before.all()), view.tree, knownPaths);
      };
      assert.ok((await change('zcwj', { name: '政策文件（新）' })).render.has('/'), 'a 政务公开 section');
      assert.ok(!(await change('rsxx', { name: '人事任免' })).render.has('/'), 'an empty sub-column shows nowhere');
      assert.ok(!(await change('mtjj', { name: '媒体看示范区' })).render.has('/'), 'the navigation, not a block');
      // Moved first, it becomes one of the default look's three tabs.
      assert.ok((await change('mtjj', { sortOrder: 1 })).render.has('/'), 'a tab now');
    });
  });
}
