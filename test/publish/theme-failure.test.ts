import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { buildSite, OutputStore, Publisher, siteOutputDir, type PageOutcome } from '../../src/publish/index.js';
import { manifest, themeOverrides } from '../../src/store/index.js';
import { loadTheme } from '../../src/theme/index.js';
import { demoApp } from '../helpers/app.js';
import { snapshot } from '../helpers/output.js';
import { pinnedClock, testStore, type TestStore } from '../helpers/store.js';

const ARTICLE = /\/t\d{8}_\d+\.html$/;
/** A template that passed validation on its trial pages but runs out of time on the site's real ones. */
const SLOW =
  "{% layout 'layout' %}{% block main %}\n<p>\n{% for i in (1..100000) %}{% for j in (1..100000) %}{% endfor %}{% endfor %}\n{% endblock %}";
/** The failure as the log has it (the error's message, in English). */
const TIME = 'article.liquid line 3: the render took longer than its limit of 300 ms (a loop too long?)';

describe("a template of the site's own that fails while publishing does not take the site down", () => {
  let store: TestStore;
  let app: FastifyInstance;
  let output: OutputStore;
  let publisher: Publisher;
  let articles: string[];
  const reported: [string, string][] = [];

  before(async () => {
    store = await testStore();
    app = await demoApp(store);
    await buildSite(app.gazette.publisher.for(1));
    output = new OutputStore(siteOutputDir(app.gazette.context.outputDir, 1));
    publisher = new Publisher(store, loadTheme(), output, pinnedClock(), {
      siteId: 1,
      onTemplateError: (path, message) => void reported.push([path, message]),
    });
    articles = (await manifest.sitePagesAfter(store.db, '', '', 10_000))
      .map((row) => row.path)
      .filter((path) => ARTICLE.test(path));
    // Saved behind validation's back, as a template that only real content makes slow would be.
    await themeOverrides.putOverride(store.db, {
      siteId: 1,
      name: 'article',
      source: SLOW,
      at: '2025-12-01T01:00:00.000Z',
      by: null,
    });
  });
  after(async () => {
    await app?.close();
    await store?.dispose();
  });

  test('the run keeps every article page as it was, reports each with the template and line, and gives the set up after three', async () => {
    const before = snapshot(output.dir);
    const changes = await publisher.changesFor({ type: 'theme.changed', siteId: 1, templates: ['article'] });
    assert.notEqual(changes, 'site');
    if (changes === 'site') return;
    assert.deepEqual([...changes.render].sort(), articles);
    const started = performance.now();
    const outcomes = await publisher.apply(changes);
    assert.ok(performance.now() - started < 3 * 300 + 1500, 'a bound reached three times stops the tries');
    assert.deepEqual(new Set(outcomes.values()), new Set<PageOutcome>(['unchanged']));
    assert.deepEqual(snapshot(output.dir), before, 'no byte of the output changed');
    assert.deepEqual(reported.map(([path]) => path).sort(), articles);
    assert.deepEqual([...new Set(reported.map(([, message]) => message))], [TIME]);
  });

  test('a page with nothing stored to keep is written with the default theme', async () => {
    const path = articles[0] ?? '';
    await publisher.removePath(path);
    assert.equal(await output.read(path), null);
    assert.equal(await publisher.publishPath(path), 'written');
    const html = (await output.read(path))?.toString('utf8') ?? '';
    assert.ok(html.includes('<article'), 'the default article page');
  });

  test('pages made on request fall back to the default theme: a broken layout leaves search and 404 pages working', async () => {
    await themeOverrides.putOverride(store.db, {
      siteId: 1,
      name: 'layout',
      source: '{{ x | nope }}',
      at: '2025-12-01T01:00:00.000Z',
      by: null,
    });
    const search = await app.inject('/search?q=%E5%8C%BA');
    assert.equal(search.statusCode, 200);
    assert.ok(search.body.includes('<main id="main"'));
    const missing = await app.inject('/no/such/page.html');
    assert.equal(missing.statusCode, 404);
    assert.ok(missing.body.includes('<main id="main"'));
  });
});
