import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { generateSyntheticArticles, importAnsweredLetter } from '../../src/services/index.js';
import { DEFAULT_THEME_DIR, loadTheme, themeEngine, type TemplateName, type Theme } from '../../src/theme/index.js';
import { demoApp } from '../helpers/app.js';
import { contextFor, pinnedClock, testStore, type TestStore } from '../helpers/store.js';

/** The default theme compiled, each page checked against LiquidJS rendering the same model. */
function checkedTheme(): { theme: Theme; rendered: Map<TemplateName, number>; differing: string[] } {
  const compiled = loadTheme(DEFAULT_THEME_DIR);
  const liquid = themeEngine(DEFAULT_THEME_DIR);
  const rendered = new Map<TemplateName, number>();
  const differing: string[] = [];
  const theme: Theme = {
    dir: compiled.dir,
    assetsDir: compiled.assetsDir,
    render(template, model) {
      const html = compiled.render(template, model);
      if (html !== liquid.renderFileSync(template, model)) differing.push(template);
      rendered.set(template, (rendered.get(template) ?? 0) + 1);
      return html;
    },
  };
  return { theme, rendered, differing };
}

let store: TestStore;
let app: FastifyInstance;
const checked = checkedTheme();

before(async () => {
  store = await testStore();
  app = await demoApp(store, { theme: checked.theme });
  // Lists long enough for pages 2, 3… and their pagers, beside the demo pages.
  await generateSyntheticArticles(contextFor(store, pinnedClock()), { articles: 120, seed: 3, bodyChars: 300 });
  // A published letter, for the letter desk's pages (the list links it).
  await importAnsweredLetter(
    contextFor(store, pinnedClock()),
    { userId: null, userName: 'test', grants: [{ role: 'office', channelId: null }], ip: null },
    {
      type: 'consult',
      title: '关于区图书馆开放时间的咨询',
      body: '请问区图书馆周末几点开门？',
      writer: { name: '林一', phone: '13800001111', email: '', address: '' },
      showName: false,
      receivedAt: new Date('2025-11-20T09:00:00+08:00'),
      answeredAt: new Date('2025-11-21T09:00:00+08:00'),
      unitName: '区文体旅局',
      replyHtml: '<p>周末9:00开馆。</p>',
      publish: true,
    },
  );
});
after(async () => {
  await app?.close();
  await store.dispose();
});

/** Every page reachable from the home page by its links (up to `limit`), with the statuses met. */
async function crawl(limit: number): Promise<Map<string, number>> {
  const seen = new Map<string, number>();
  const queue = ['/'];
  while (queue.length > 0 && seen.size < limit) {
    const url = queue.shift() as string;
    if (seen.has(url)) continue;
    const page = await app.inject(url);
    seen.set(url, page.statusCode);
    for (const [, href] of page.body.matchAll(/href="(\/[^"#?]*)"/g)) {
      if (href && !href.startsWith('/assets/') && !href.endsWith('.css') && !seen.has(href)) queue.push(href);
    }
  }
  return seen;
}

test('every page of the demo site renders compiled exactly as LiquidJS renders it', async () => {
  const pages = await crawl(400);
  const others = ['/search?q=%E5%8C%BA', '/search?q=', '/xxgk.html', '/xxgk.html?year=2025', '/no/such/page.html'];
  const statuses = [];
  for (const url of others) statuses.push((await app.inject(url)).statusCode);
  assert.deepEqual(statuses, [200, 200, 200, 200, 404]);
  assert.ok(pages.size >= 140, `${pages.size} pages reached`);
  assert.ok(
    [...pages.values()].every((status) => status === 200 || status === 301 || status === 302),
    'no broken link on the way',
  );
  assert.deepEqual(checked.differing, []);
  const kinds = [...checked.rendered.keys()].sort();
  assert.deepEqual(kinds, [
    'article',
    'channel',
    'consultations',
    'disclosure-catalogue',
    'error',
    'home',
    'info-request-follow',
    'info-request-form',
    'letter',
    'letter-follow',
    'letter-form',
    'letter-stats',
    'letters',
    'page',
    'search',
    'site-map',
    'surveys',
  ]);
  assert.ok((checked.rendered.get('article') ?? 0) >= 100, `${checked.rendered.get('article')} article pages`);
  assert.ok((checked.rendered.get('channel') ?? 0) >= 10, `${checked.rendered.get('channel')} column pages`);
});
