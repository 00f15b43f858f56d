import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  buildSite,
  keepsForms,
  loadSiteView,
  OutputStore,
  Publisher,
  renderPublicPath,
  sha256,
  TEMP_FOLDER,
} from '../../src/publish/index.js';
import {
  currentSite,
  generateSyntheticArticles,
  setDisclosure,
  systemActor,
  type ServiceContext,
} from '../../src/services/index.js';
import { manifest } from '../../src/store/index.js';
import { DEFAULT_THEME_DIR, loadTheme } from '../../src/theme/index.js';
import { contextFor, pinnedClock, testStore, type TestStore } from '../helpers/store.js';
import { demoSite } from '../helpers/factories.js';

/** Every file under a folder by relative path (pages and their .gz/.br forms). */
function snapshot(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const name of fs.readdirSync(dir, { recursive: true }) as string[]) {
    const file = path.join(dir, name);
    if (fs.statSync(file).isFile()) files.set(name, fs.readFileSync(file));
  }
  return files;
}

function assertSameFiles(actual: Map<string, Buffer>, expected: Map<string, Buffer>, label: string): void {
  assert.deepEqual([...actual.keys()].sort(), [...expected.keys()].sort(), `${label}: the same files`);
  for (const [name, bytes] of expected)
    assert.ok(actual.get(name)?.equals(bytes), `${label}: ${name} has the same bytes`);
}

const tempDir = (label: string) => fs.mkdtempSync(path.join(os.tmpdir(), `gazette-${label}-`));

describe('gazette build', () => {
  let store: TestStore;
  let ctx: ServiceContext;
  const dirs: string[] = [];
  const publisherInto = (dir: string, themeDir = DEFAULT_THEME_DIR) =>
    new Publisher(store, loadTheme(themeDir), new OutputStore(dir), ctx.clock);
  const newDir = (label: string) => {
    const dir = tempDir(label);
    dirs.push(dir);
    return dir;
  };

  before(async () => {
    store = await testStore();
    ctx = contextFor(store, pinnedClock());
    await demoSite(ctx);
    // Columns with sub-columns, lists of many chunks, neighbours across batches of the walk.
    await generateSyntheticArticles(ctx, { articles: 700, seed: 7, bodyChars: 200 });
    const { tree } = await currentSite(store.db);
    const row = await store.db
      .selectFrom('article')
      .select('id')
      .where('channelId', '=', tree.all().find((c) => c.slug === 'zcwj')?.id ?? 0)
      .orderBy('id')
      .executeTakeFirstOrThrow();
    await setDisclosure(ctx, systemActor('test'), row.id, {
      topic: '卫生、体育',
      organization: '示范区卫生健康委员会',
      organizationCode: '113205090141600114',
      disclosureForm: '主动公开',
    });
  });
  after(async () => {
    await store.dispose();
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('worker threads build the same bytes as this thread, and every page is what a request would render', async () => {
    const onWorkers = newDir('build-workers');
    const inline = newDir('build-inline');
    const summary = await buildSite(publisherInto(onWorkers), { workers: 2 });
    await buildSite(publisherInto(inline), { workers: 0 });
    const files = snapshot(onWorkers);
    assertSameFiles(files, snapshot(inline), 'workers against this thread');
    // 700 + 7 demo articles, the columns' chunks and front pages, feeds, home, robots, sitemap.
    assert.ok(summary.pages > 750, `${summary.pages} pages`);
    // Compressed forms only beside what is sent as stored (feeds, sitemaps, robots.txt, the site's
    // colours): every HTML page carries the date bar, filled and compressed per answer.
    const pageFiles = [...files.keys()].filter((name) => !/\.(gz|br)$/.test(name));
    assert.equal(pageFiles.length, summary.pages);
    const sentAsStored = pageFiles.filter((name) => !name.endsWith('.html')).sort();
    assert.deepEqual(
      [...files.keys()].filter((name) => /\.(gz|br)$/.test(name)).sort(),
      sentAsStored.flatMap((name) => [`${name}.br`, `${name}.gz`]),
    );
    assert.deepEqual(pageFiles.filter((name) => keepsForms(files.get(name) ?? Buffer.alloc(0))).sort(), sentAsStored);

    // The build reads each column once, in order; a request reads one page's neighbours: same bytes.
    const view = await loadSiteView(store.db);
    assert.ok(view);
    const theme = loadTheme();
    let pages = 0;
    for (let after = ''; ;) {
      const rows = await manifest.pagesAfter(store.db, after, 500);
      for (const row of rows) {
        const rendered = await renderPublicPath(store.db, theme, view, row.path);
        const body = rendered.kind === 'page' ? rendered.html : rendered.kind === 'document' ? rendered.body : null;
        assert.ok(body !== null, `${row.path} renders (${rendered.kind})`);
        const file = row.path.endsWith('/') ? `${row.path}index.html` : row.path;
        assert.equal(fs.readFileSync(path.join(onWorkers, file), 'utf8'), body, `${row.path} as a request renders it`);
        assert.equal(row.hash, sha256(Buffer.from(body)), `${row.path} is in the manifest with its hash`);
        pages++;
      }
      if (rows.length < 500) break;
      after = rows[rows.length - 1]?.path ?? after;
    }
    assert.equal(pages, summary.pages);
  });

  // Regression: a failing build terminated its render threads mid-write, leaving temporary files
  // in the output (seen in CI as a resumed build with more files than a full one).
  test('a build stopped after two batches leaves no temporary file, and carries on from the page after the last batch it saved', async () => {
    const full = newDir('build-full');
    await buildSite(publisherInto(full));
    const dir = newDir('build-resumed');
    let batches = 0;
    await assert.rejects(
      buildSite(publisherInto(dir), {
        workers: 1,
        onProgress: () => {
          if (++batches === 2) throw new RangeError('stopped on purpose');
        },
      }),
      /stopped on purpose/,
    );
    assert.deepEqual(fs.readdirSync(path.join(dir, TEMP_FOLDER)), [], 'no temporary file is left when the build stops');
    const run = await manifest.unfinishedBuild(store.db, 1);
    assert.ok(run, 'the stopped build is left unfinished');
    const resumed = await buildSite(publisherInto(dir), { workers: 1 });
    assert.equal(resumed.resumed, true);
    assert.ok(
      resumed.pages > 0 && resumed.pages < (await buildSite(publisherInto(newDir('build-again')))).pages,
      `carried on: ${resumed.pages} pages`,
    );
    assertSameFiles(snapshot(dir), snapshot(full), 'resumed against full');
    assert.equal(await manifest.unfinishedBuild(store.db, 1), undefined);
  });

  test('a changed theme: the rebuild renders every page and writes only those whose template changed', async () => {
    const dir = newDir('build-theme');
    await buildSite(publisherInto(dir));
    const before = snapshot(dir);
    const edited = newDir('theme-edited');
    fs.cpSync(DEFAULT_THEME_DIR, edited, { recursive: true });
    const template = path.join(edited, 'templates', 'channel.liquid');
    const source = fs.readFileSync(template, 'utf8');
    assert.ok(source.includes('<section class="channel-list"'));
    fs.writeFileSync(
      template,
      source.replace('<section class="channel-list"', '<section class="channel-list list-v2"'),
    );
    const summary = await buildSite(publisherInto(dir, edited), { workers: 2 });
    const after = snapshot(dir);
    const pages = [...after.keys()].filter((name) => !/\.(gz|br)$/.test(name));
    const changed = pages.filter((name) => !after.get(name)?.equals(before.get(name) ?? Buffer.alloc(0))).sort();
    // The list pages of columns (front pages and chunks): not the home page, the single-page column
    // 走进本区, nor the published letters' list (信箱, its own template).
    const lists = pages.filter((name) => /\/index(_\d+)?\.html$/.test(name) && !/^(zjbq|xinxiang)\//.test(name)).sort();
    assert.ok(lists.length > 30, `${lists.length} list pages`);
    assert.deepEqual(changed, lists);
    assert.deepEqual([summary.written, summary.unchanged], [lists.length, summary.pages - lists.length]);
    // And back: the same pages again, and the files as they were (the manifest too, for the tests after this one).
    const back = await buildSite(publisherInto(dir));
    assert.equal(back.written, lists.length);
    assertSameFiles(snapshot(dir), before, 'the theme changed back');
  });

  test('a template that fails stops the build with its error, and every page the manifest lists is whole', async () => {
    const broken = newDir('theme-broken');
    fs.cpSync(DEFAULT_THEME_DIR, broken, { recursive: true });
    fs.writeFileSync(
      path.join(broken, 'templates', 'article.liquid'),
      "{% layout 'layout' page_kind: 'article' %}{% block main %}{{ article.title | no_such_filter }}{% endblock %}",
    );
    const dir = newDir('build-broken');
    await assert.rejects(buildSite(publisherInto(dir, broken), { workers: 2 }), (error: unknown) => {
      assert.match(String(error), /render worker: .*no_such_filter/s);
      return true;
    });
    // What was written before the failure is whole: each page has the bytes the manifest records for its path.
    const written = [...snapshot(dir)].filter(([name]) => !/\.(gz|br)$/.test(name));
    assert.ok(written.length > 0, 'pages before the first article page were written');
    for (const [name, bytes] of written) {
      const urlPath = `/${name}`.replace(/\/index\.html$/, '/');
      const known = await manifest.findPage(store.db, urlPath);
      assert.equal(known?.hash, sha256(bytes), urlPath);
    }
    // The next build (the template fixed) finishes the job.
    const fixed = await buildSite(publisherInto(dir));
    assert.equal(fixed.resumed, true);
    assert.equal(await manifest.unfinishedBuild(store.db, 1), undefined);
  });
});
