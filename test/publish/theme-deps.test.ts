import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { buildSite, loadSiteView, type Publisher, type SiteView } from '../../src/publish/index.js';
import { pagesForTemplates } from '../../src/publish/theme-deps.js';
import { manifest } from '../../src/store/index.js';
import { DEFAULT_THEME_DIR } from '../../src/theme/index.js';
import { demoApp } from '../helpers/app.js';
import { testStore, type TestStore } from '../helpers/store.js';

const ARTICLE = /\/t\d{8}_\d+\.html$/;
const HTML = (path: string) => path.endsWith('/') || path.endsWith('.html');

describe('theme.changed re-renders exactly the pages whose template uses the changed templates', () => {
  let store: TestStore;
  let app: FastifyInstance;
  let publisher: Publisher;
  let view: SiteView;
  let known: string[];

  before(async () => {
    store = await testStore();
    app = await demoApp(store);
    publisher = app.gazette.publisher.for(1);
    await buildSite(publisher);
    const loaded = await loadSiteView(store.db, 1);
    assert.ok(loaded);
    view = loaded;
    known = (await manifest.sitePagesAfter(store.db, '', '', 10_000)).map((row) => row.path).sort();
  });
  after(async () => {
    await app?.close();
    await store?.dispose();
  });

  /** The pages the publisher renders for a change of these templates, sorted. */
  async function pagesFor(templates: string[], sources?: Record<string, string>): Promise<string[]> {
    const site = sources ? { ...view, overrides: { key: 'test', sources } } : view;
    const changes = await pagesForTemplates(templates, () => Promise.resolve(known), site, DEFAULT_THEME_DIR);
    assert.equal(changes.remove.size, 0);
    return [...changes.render].sort();
  }

  test('the published site has every kind of page the map tells apart', () => {
    for (const path of [
      '/',
      '/bqdt/',
      '/zjbq/',
      '/xinxiang/',
      '/sitemap.html',
      '/look.css',
      '/rss.xml',
      '/sitemap.xml',
    ])
      assert.ok(known.includes(path), path);
    assert.ok(known.filter((p) => ARTICLE.test(p)).length >= 5);
  });

  test('article: every article page of the site and nothing else', async () => {
    assert.deepEqual(
      await pagesFor(['article']),
      known.filter((p) => ARTICLE.test(p)),
    );
    // disclosure is a partial only article pages render.
    assert.deepEqual(
      await pagesFor(['disclosure']),
      known.filter((p) => ARTICLE.test(p)),
    );
  });

  test('footer, layout, masthead: every HTML page', async () => {
    const html = known.filter(HTML);
    assert.ok(!html.includes('/look.css') && !html.includes('/rss.xml'));
    for (const template of ['footer', 'layout', 'masthead'])
      assert.deepEqual(await pagesFor([template]), html, template);
  });

  test('a block of the home page: only /', async () => {
    assert.deepEqual(await pagesFor(['blocks/headline']), ['/']);
    assert.deepEqual(await pagesFor(['home', 'blocks/tabs']), ['/']);
  });

  test('channel, page, letters: their own pages', async () => {
    assert.deepEqual(
      await pagesFor(['page']),
      known.filter((p) => p === '/zjbq/'),
    );
    const lists = await pagesFor(['channel']);
    assert.ok(lists.includes('/bqdt/') && !lists.includes('/zjbq/') && !lists.includes('/'), lists.join(' '));
    assert.ok(
      lists.every((p) => /\/(index_\d+\.html)?$/.test(p) && !p.startsWith('/xinxiang/')),
      lists.join(' '),
    );
    assert.deepEqual(
      await pagesFor(['letters']),
      known.filter((p) => /^\/xinxiang\/(index(_\d+)?\.html)?$/.test(p)),
    );
    assert.deepEqual(await pagesFor(['site-map']), ['/sitemap.html']);
  });

  test('the breadcrumb: every page that shows one (not the home page)', async () => {
    const pages = await pagesFor(['breadcrumb']);
    assert.ok(!pages.includes('/'));
    assert.ok(pages.includes('/bqdt/') && pages.includes('/zjbq/') && pages.includes('/sitemap.html'));
    assert.deepEqual(
      pages.filter((p) => ARTICLE.test(p)),
      known.filter((p) => ARTICLE.test(p)),
    );
  });

  test('pages made on request only (search, the forms, error pages), or nothing: no stored page', async () => {
    assert.deepEqual(await pagesFor(['search', 'error', 'letter-form']), []);
    assert.deepEqual(await pagesFor([]), []);
  });

  test("with the site's own templates: a partial its article brings in re-renders the article pages too", async () => {
    const sources = {
      article: "{% layout 'layout' %}{% block main %}{% render 'blocks/links', block: nil %}{% endblock %}",
    };
    assert.deepEqual(await pagesFor(['blocks/links'], sources), ['/', ...known.filter((p) => ARTICLE.test(p))].sort());
    // …and the article no longer renders the breadcrumb: a breadcrumb change leaves its pages alone.
    assert.deepEqual(
      (await pagesFor(['breadcrumb'], sources)).filter((p) => ARTICLE.test(p)),
      [],
    );
  });

  test('the publisher dispatches theme.changed through the map', async () => {
    const changes = await publisher.changesFor({ type: 'theme.changed', siteId: 1, templates: ['blocks/headline'] });
    assert.notEqual(changes, 'site');
    if (changes !== 'site') assert.deepEqual([...changes.render], ['/']);
  });
});
