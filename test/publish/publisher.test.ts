import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildSite, OutputStore, Publisher, type PublishRun } from '../../src/publish/index.js';
import {
  createChannel,
  currentSite,
  deleteChannel,
  importPage,
  setMourning,
  stepArticle,
  systemActor,
  updateArticle,
  updateChannel,
  type ServiceContext,
} from '../../src/services/index.js';
import { loadTheme } from '../../src/theme/index.js';
import { manifest } from '../../src/store/index.js';
import { demoApp } from '../helpers/app.js';
import { testStore, type TestStore } from '../helpers/store.js';
import { makePage } from '../helpers/factories.js';
import { changedPages, snapshot } from '../helpers/output.js';

describe('the publisher keeps the output store equal to a full build, touching only what changed', () => {
  let store: TestStore;
  let app: FastifyInstance;
  let ctx: ServiceContext;
  let outputDir: string;
  const runs: PublishRun[] = [];
  const purged: string[][] = [];

  // Time moves on between changes, as it does for editors (a pinned clock would hide lastmod changes).
  let now = new Date('2025-12-01T01:00:00Z');
  beforeEach(() => {
    now = new Date(now.getTime() + 3_600_000);
  });

  before(async () => {
    store = await testStore();
    app = await demoApp(store, {
      pages: false,
      clock: { now: () => now },
      app: { onPagesChanged: (paths) => void purged.push([...paths]), onPublished: (run) => void runs.push(run) },
    });
    ctx = app.gazette.context;
    outputDir = app.gazette.context.outputDir;
    for (let i = 1; i <= 30; i++) {
      await importPage(
        ctx,
        makePage({ columns: ['本区动态'], title: `动态${i}`, publishedAt: new Date(Date.UTC(2025, 0, i)) }),
      );
      await importPage(
        ctx,
        makePage({ columns: ['政务公开', '部门动态'], title: `部门${i}`, publishedAt: new Date(Date.UTC(2025, 1, i)) }),
      );
    }
    await app.gazette.publisher.idle();
    await buildSite(app.gazette.publisher.for(1));
  });
  after(async () => {
    await app?.close();
    await store.dispose();
  });

  /** Runs a change, then checks: the files that changed are exactly the pages the run wrote or removed, and equal a full build. */
  async function check(change: () => Promise<unknown>): Promise<PublishRun> {
    const before = snapshot(outputDir);
    const seen = runs.length;
    await change();
    await app.gazette.publisher.idle();
    const run = runs[seen];
    assert.ok(run, 'the change was published');
    const after = snapshot(outputDir);
    const touched = [...run.pages]
      .filter(([, o]) => o === 'written' || o === 'removed')
      .map(([p]) => p)
      .sort();
    assert.deepEqual(changedPages(before, after), touched, 'files changed = pages the run wrote or removed');
    const rendered = [...run.pages].filter(([, o]) => o !== 'absent');
    const wasted = rendered.filter(([, o]) => o === 'unchanged').map(([p]) => p);
    assert.deepEqual(wasted, [], 'nothing re-rendered that did not change');
    // A full build from scratch gives the same files.
    const fresh = fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-full-'));
    try {
      const full = new Publisher(store, loadTheme(), new OutputStore(fresh), ctx.clock);
      await buildSite(full);
      assert.deepEqual(changedPages(snapshot(fresh), after), [], 'incremental output equals a full build');
    } finally {
      fs.rmSync(fresh, { recursive: true, force: true });
    }
    return run;
  }

  test('publishing a new article', async () => {
    purged.length = 0;
    const seqBefore = await manifest.latestChange(store.db);
    let recorded: string[] = [];
    const run = await check(async () => {
      await importPage(
        ctx,
        makePage({ columns: ['本区动态'], title: '动态新稿', publishedAt: new Date(Date.UTC(2025, 5, 1)) }),
      );
      // What the run recorded, in order (read before check's full build records its own).
      await app.gazette.publisher.idle();
      recorded = (await manifest.changesSince(store.db, seqBefore, 100)).map((row) => row.path);
    });
    // Its page and the one before it, the column's front page and newest chunk, the column's and
    // the site's feeds, the home page and the sitemap: 10 pages, whatever the size of the site.
    assert.deepEqual([...run.pages.keys()].filter((p) => !/\/t\d{8}_\d+\.html$/.test(p)).sort(), [
      '/',
      '/atom.xml',
      '/bqdt/',
      '/bqdt/atom.xml',
      '/bqdt/index_2.html',
      '/bqdt/rss.xml',
      '/rss.xml',
      '/sitemap.xml',
    ]);
    assert.equal(run.pages.size, 10);
    assert.deepEqual(
      purged.flat().sort(),
      [...run.pages.keys()].sort(),
      'the CDN is told exactly the pages that changed',
    );
    // The page readers wait for is written first, before the lists and feeds are worked out.
    const added = await store.db
      .selectFrom('article')
      .select('id')
      .where('title', '=', '动态新稿')
      .executeTakeFirstOrThrow();
    assert.match([...run.pages.keys()][0] ?? '', new RegExp(`^/bqdt/202506/t20250601_${added.id}\\.html$`));
    // Then, each recorded before the next is made (another instance serves a page once it is
    // recorded): the front pages readers look at, the neighbour, the list's newest chunk, the
    // feeds and site maps.
    const kind = (p: string) =>
      p.includes(`_${added.id}.html`)
        ? 'its page'
        : p.endsWith('/')
          ? 'front'
          : /\/t\d{8}_\d+\.html$/.test(p)
            ? 'neighbour'
            : p.endsWith('.html')
              ? 'list'
              : 'feed or map';
    assert.deepEqual(
      recorded.map(kind),
      [
        'its page',
        'front',
        'front',
        'neighbour',
        'list',
        'feed or map',
        'feed or map',
        'feed or map',
        'feed or map',
        'feed or map',
      ],
      recorded.join(' '),
    );
  });

  test('a back-dated article', async () => {
    await check(() =>
      importPage(
        ctx,
        makePage({ columns: ['本区动态'], title: '动态补录', publishedAt: new Date(Date.UTC(2024, 5, 1)) }),
      ),
    );
  });

  test('withdrawing an article', async () => {
    const row = await store.db
      .selectFrom('article')
      .select('id')
      .where('title', '=', '动态10')
      .executeTakeFirstOrThrow();
    const run = await check(() => stepArticle(ctx, systemActor('test'), row.id, 'withdraw', { reason: '测试' }));
    assert.ok([...run.pages.values()].includes('removed'));
  });

  test('a reader asking for a page the store lacks never removes one (regression: a lookup that lost the race to a run deleted the page the run had just written)', async () => {
    const removed: string[] = [];
    const output = new OutputStore(outputDir);
    const watched = Object.assign(Object.create(output) as OutputStore, {
      remove: (urlPath: string) => {
        removed.push(urlPath);
        return Promise.resolve();
      },
    });
    const reader = new Publisher(store, loadTheme(), watched, ctx.clock, { siteId: 1 });
    const withdrawn = await store.db
      .selectFrom('article')
      .select('id')
      .where('title', '=', '动态10')
      .executeTakeFirstOrThrow();
    const withdrawnPath = `/bqdt/202501/t20250110_${withdrawn.id}.html`;
    const gone = await reader.renderMissing(withdrawnPath);
    assert.deepEqual([gone.stored, gone.instead, gone.view?.site.id], [null, { kind: 'gone' }, 1]);
    assert.deepEqual(
      [(await reader.renderMissing('/bqdt/202501/t20250110_999999.html')).instead, removed],
      [{ kind: 'not-found' }, []],
    );
    // publishPath, under a run's lock, does take a page that went away out of the store.
    assert.equal(await reader.publishPath(withdrawnPath), 'absent');
    assert.deepEqual(removed, [withdrawnPath]);
    // A page that is one, missing from the store, is made and recorded.
    const kept = await store.db
      .selectFrom('article')
      .select('id')
      .where('title', '=', '动态9')
      .executeTakeFirstOrThrow();
    const keptPath = `/bqdt/202501/t20250109_${kept.id}.html`;
    await output.remove(keptPath);
    const made = await reader.renderMissing(keptPath);
    assert.deepEqual(
      [made.instead, made.stored?.outcome, (await output.read(keptPath)) !== null],
      [null, 'written', true],
    );
  });

  test('editing a title in place', async () => {
    const row = await store.db
      .selectFrom('article')
      .select(['id', 'version'])
      .where('title', '=', '部门15')
      .executeTakeFirstOrThrow();
    await check(() =>
      updateArticle(ctx, systemActor('test'), row.id, { version: row.version, title: '部门15（更正）' }),
    );
  });

  test('moving an article to another column', async () => {
    const { tree } = await currentSite(store.db);
    const zcwj = tree.all().find((c) => c.slug === 'zcwj')!.id;
    const row = await store.db
      .selectFrom('article')
      .select(['id', 'version'])
      .where('title', '=', '动态20')
      .executeTakeFirstOrThrow();
    await check(() => updateArticle(ctx, systemActor('test'), row.id, { version: row.version, channelId: zcwj }));
  });

  // Column changes. 政务公开 (zwgk) holds 部门动态 (bmdt, 30 articles) and 政策文件 (zcwj, the one moved above): 31, two chunks.
  const ARTICLE = /\/t\d{8}_\d+\.html$/;
  const channelId = async (slug: string) => (await currentSite(store.db)).tree.all().find((c) => c.slug === slug)!.id;
  const listPages = (run: PublishRun) => [...run.pages.keys()].filter((p) => !ARTICLE.test(p)).sort();
  const articlePages = (run: PublishRun) => [...run.pages.keys()].filter((p) => ARTICLE.test(p)).sort();
  const admin = systemActor('test');

  test("renaming a sub-column: its pages, feeds and articles (breadcrumb), the parent column's sub-column list, 网站地图 and the home page's 政务公开 block that names it; no other page", async () => {
    const run = await check(async () => updateChannel(ctx, admin, await channelId('bmdt'), { name: '部门工作动态' }));
    assert.deepEqual(listPages(run), [
      '/',
      '/sitemap.html',
      '/zwgk/',
      '/zwgk/bmdt/',
      '/zwgk/bmdt/atom.xml',
      '/zwgk/bmdt/index_1.html',
      '/zwgk/bmdt/index_2.html',
      '/zwgk/bmdt/rss.xml',
      '/zwgk/index_1.html',
      '/zwgk/index_2.html',
    ]);
    assert.equal(articlePages(run).length, 30);
    assert.ok(articlePages(run).every((p) => p.startsWith('/zwgk/bmdt/')));
  });

  test("reordering sub-columns: only the parent column's pages and the sitemaps (XML and 网站地图), which list them in order", async () => {
    const run = await check(async () => updateChannel(ctx, admin, await channelId('rsxx'), { sortOrder: 1 }));
    assert.deepEqual(listPages(run), [
      '/sitemap.html',
      '/sitemap.xml',
      '/zwgk/',
      '/zwgk/index_1.html',
      '/zwgk/index_2.html',
    ]);
    assert.deepEqual(articlePages(run), []);
  });

  test("a sub-column's new address: its pages move, and the lists, feeds, home block and sitemap part that link to them follow", async () => {
    const run = await check(async () => updateChannel(ctx, admin, await channelId('bmdt'), { slug: 'bmgz' }));
    const removed = [...run.pages].filter(([, o]) => o === 'removed').map(([p]) => p);
    assert.equal(removed.length, 35, 'its 30 articles, front page, 2 chunks and 2 feeds at the old address');
    assert.ok(removed.every((p) => p.startsWith('/zwgk/bmdt/')));
    assert.deepEqual(
      listPages(run).filter((p) => !p.startsWith('/zwgk/bmdt/')),
      [
        '/',
        '/atom.xml',
        '/rss.xml',
        '/sitemap.html',
        '/sitemap.xml',
        '/zwgk/',
        '/zwgk/atom.xml',
        '/zwgk/bmgz/',
        '/zwgk/bmgz/atom.xml',
        '/zwgk/bmgz/index_1.html',
        '/zwgk/bmgz/index_2.html',
        '/zwgk/bmgz/rss.xml',
        '/zwgk/index_1.html',
        '/zwgk/index_2.html',
        '/zwgk/rss.xml',
      ],
    );
    assert.equal(articlePages(run).filter((p) => p.startsWith('/zwgk/bmgz/')).length, 30);
  });

  test("a new sub-column, then deleting it: its own pages, the parent's sub-column list and the sitemaps (XML and 网站地图)", async () => {
    const zwgk = await channelId('zwgk');
    let created = 0;
    const made = await check(
      async () => (created = (await createChannel(ctx, admin, { name: '专项工作', slug: 'zxgz', parentId: zwgk })).id),
    );
    const pages = [
      '/sitemap.html',
      '/sitemap.xml',
      '/zwgk/',
      '/zwgk/index_1.html',
      '/zwgk/index_2.html',
      '/zwgk/zxgz/',
      '/zwgk/zxgz/atom.xml',
      '/zwgk/zxgz/rss.xml',
    ];
    assert.deepEqual([...made.pages.keys()].sort(), pages);
    const gone = await check(() => deleteChannel(ctx, admin, created));
    assert.deepEqual([...gone.pages.keys()].sort(), pages);
    assert.deepEqual(
      pages.filter((p) => gone.pages.get(p) === 'removed'),
      ['/zwgk/zxgz/', '/zwgk/zxgz/atom.xml', '/zwgk/zxgz/rss.xml'],
    );
  });

  test('renaming a top-level column: every HTML page (the navigation) and its own feeds; no other feed, no sitemap', async () => {
    const stored = await store.db.selectFrom('pageManifest').select('path').where('hash', '!=', '').execute();
    const html = stored
      .map((r) => r.path)
      .filter((p) => !/\.(xml|txt|css)$/.test(p))
      .sort();
    const run = await check(async () => updateChannel(ctx, admin, await channelId('tzgg'), { name: '通知公示' }));
    const written = [...run.pages]
      .filter(([, o]) => o === 'written')
      .map(([p]) => p)
      .sort();
    assert.deepEqual(
      written.filter((p) => !p.endsWith('.xml')),
      html,
    );
    assert.deepEqual(
      written.filter((p) => p.endsWith('.xml')),
      ['/tzgg/atom.xml', '/tzgg/rss.xml'],
    );
  });

  test('site settings: grey mode (哀悼日置灰) re-renders nothing (pages link /site-mode.css)', async () => {
    const seen = runs.length;
    await setMourning(ctx, admin, true);
    await app.gazette.publisher.idle();
    assert.equal(runs.length, seen);
    const css = await app.inject({ method: 'GET', url: '/site-mode.css' });
    assert.match(css.body, /grayscale\(1\)|grayscale\(100%\)/);
    await setMourning(ctx, admin, false);
  });
});
