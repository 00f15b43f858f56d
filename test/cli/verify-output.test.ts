import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileOf, keepsForms } from '../../src/publish/index.js';
import { openStore, type Store } from '../../src/store/index.js';
import { newTestSite, runCli, type TestSite } from '../helpers/cli.js';
import { siteWith } from '../helpers/sites.js';
import { PINNED_NOW } from '../helpers/store.js';

/** The quarantine folder of a run at PINNED_NOW (09:00 in Shanghai). */
const QUARANTINE = '2025-12-01T01-00-00.000Z';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** A built demo site with three articles, and its store open for the test to look into. */
async function builtSite(t: TestContext): Promise<{ site: TestSite; env: Record<string, string>; store: Store }> {
  const site = await siteWith(3, 'gazette-verify-');
  t.after(() => site.dispose());
  const env = { ...site.env, GAZETTE_NOW: PINNED_NOW };
  const built = await runCli(['build', '--workers', '0'], env);
  assert.equal(built.code, 0, built.stderr);
  const store = await openStore(site.location);
  t.after(() => store.close());
  return { site, env, store };
}

/** The pages the manifest records, by key, with their hashes. */
async function pages(store: Store): Promise<Map<string, string>> {
  const rows = await store.db.selectFrom('pageManifest').select(['path', 'hash']).where('hash', '!=', '').execute();
  return new Map(rows.map((row) => [row.path, row.hash]));
}

/**
 * Every page of the manifest whose file does not hold its bytes, or whose .gz or .br form does
 * not (a page sent as stored has both; one with serve-time includes has none).
 */
async function wrongPages(store: Store, publicDir: string): Promise<string[]> {
  const wrong: string[] = [];
  for (const [key, hash] of await pages(store)) {
    const file = path.join(publicDir, fileOf(key));
    const page = fs.existsSync(file) ? fs.readFileSync(file) : null;
    const forms = [
      [`${file}.gz`, zlib.gunzipSync],
      [`${file}.br`, zlib.brotliDecompressSync],
    ] as const;
    const formsRight = keepsForms(page ?? Buffer.alloc(0))
      ? forms.every(([name, decode]) => fs.existsSync(name) && sha256(decode(fs.readFileSync(name))) === hash)
      : forms.every(([name]) => !fs.existsSync(name));
    if (!page || sha256(page) !== hash || !formsRight) wrong.push(key);
  }
  return wrong;
}

test('verify-output finds every file of a fresh build as the manifest says', async (t) => {
  const { env, store } = await builtSite(t);
  const count = (await pages(store)).size;
  const result = await runCli(['verify-output'], env);
  assert.deepEqual(result, {
    code: 0,
    stdout: `checked ${count} pages: every file matches the manifest\n`,
    stderr: '',
  });
});

test('verify-output lists missing, changed and unknown files; --repair writes the pages again and moves the rest aside', async (t) => {
  const { site, env, store } = await builtSite(t);
  const publicDir = path.join(site.dataDir, 'public');
  const count = (await pages(store)).size;
  const home = path.join(publicDir, 'index.html');
  const original = fs.readFileSync(home);
  const defaced = Buffer.concat([original, Buffer.from('<p>defaced</p>\n')]);
  fs.writeFileSync(home, defaced);
  fs.rmSync(path.join(publicDir, 'rss.xml.gz'));
  fs.writeFileSync(path.join(publicDir, 'bqdt', 'evil.html'), 'evil');
  fs.symlinkSync('/etc/passwd', path.join(publicDir, 'zwgk', 'passwd.html'));
  // A writer's temporary file is nobody's page, and not foreign either.
  fs.mkdirSync(path.join(publicDir, '.tmp'), { recursive: true });
  fs.writeFileSync(path.join(publicDir, '.tmp', 'leftover'), 'half a page');

  const findings = ['missing /rss.xml', 'different /', 'unknown /bqdt/evil.html', 'unknown /zwgk/passwd.html'];
  const found = await runCli(['verify-output'], env);
  assert.deepEqual(found, {
    code: 1,
    stdout: [
      ...findings,
      `checked ${count} pages: 1 missing, 1 different, 2 unknown; run with --repair to repair`,
      '',
    ].join('\n'),
    stderr: '',
  });
  assert.deepEqual(fs.readFileSync(home), defaced, 'checking changes nothing');

  const quarantine = path.join(site.dataDir, 'quarantine', QUARANTINE);
  const repaired = await runCli(['verify-output', '--repair'], env);
  assert.deepEqual(repaired, {
    code: 0,
    stdout: [
      ...findings,
      'repaired /',
      'repaired /bqdt/evil.html',
      'repaired /rss.xml',
      'repaired /zwgk/passwd.html',
      `checked ${count} pages: 1 missing, 1 different, 2 unknown; 4 repaired (changed and unknown files moved to ${quarantine})`,
      '',
    ].join('\n'),
    stderr: '',
  });
  // Rendering is deterministic: the pages written again hold the manifest's bytes, the home page its old ones.
  assert.deepEqual(await wrongPages(store, publicDir), []);
  assert.deepEqual(fs.readFileSync(home), original);
  assert.equal((await pages(store)).size, count);
  assert.equal(fs.existsSync(path.join(publicDir, 'bqdt', 'evil.html')), false);
  assert.equal(fs.lstatSync(path.join(publicDir, 'zwgk', 'passwd.html'), { throwIfNoEntry: false }), undefined);
  // What was taken out is kept for evidence, at its place under the run's folder.
  assert.deepEqual(fs.readFileSync(path.join(quarantine, 'index.html')), defaced);
  assert.equal(fs.readFileSync(path.join(quarantine, 'bqdt', 'evil.html'), 'utf8'), 'evil');
  assert.equal(fs.readlinkSync(path.join(quarantine, 'zwgk', 'passwd.html')), '/etc/passwd');
  assert.equal(fs.readFileSync(path.join(publicDir, '.tmp', 'leftover'), 'utf8'), 'half a page');

  const again = await runCli(['verify-output', '--json'], env);
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(JSON.parse(again.stdout), {
    checked: count,
    missing: [],
    different: [],
    unknown: [],
    repaired: [],
    quarantine: null,
  });
});

test('a page with the date bar has no compressed forms; one planted beside it is checked, and moved aside by --repair', async (t) => {
  const { site, env, store } = await builtSite(t);
  const publicDir = path.join(site.dataDir, 'public');
  const count = (await pages(store)).size;
  const page = path.join(publicDir, 'bqdt', 'index.html');
  assert.deepEqual(
    fs.readdirSync(path.join(publicDir, 'bqdt')).filter((name) => name.startsWith('index.html')),
    ['index.html'],
  );
  // A form holding the page's own bytes is the page: nothing to report.
  fs.writeFileSync(`${page}.gz`, zlib.gzipSync(fs.readFileSync(page)));
  assert.deepEqual(await runCli(['verify-output'], env), {
    code: 0,
    stdout: `checked ${count} pages: every file matches the manifest\n`,
    stderr: '',
  });

  fs.writeFileSync(`${page}.br`, zlib.brotliCompressSync(Buffer.from('<p>defaced</p>')));
  const repaired = await runCli(['verify-output', '--repair', '--json'], env);
  assert.equal(repaired.code, 0, repaired.stderr);
  const quarantine = path.join(site.dataDir, 'quarantine', QUARANTINE);
  assert.deepEqual(JSON.parse(repaired.stdout), {
    checked: count,
    missing: [],
    different: ['/bqdt/'],
    unknown: [],
    repaired: ['/bqdt/'],
    quarantine,
  });
  assert.equal(
    zlib.brotliDecompressSync(fs.readFileSync(path.join(quarantine, 'bqdt', 'index.html.br'))).toString(),
    '<p>defaced</p>',
  );
  // Written again, the page takes away the forms beside it: the right one too.
  assert.deepEqual(
    fs.readdirSync(path.join(publicDir, 'bqdt')).filter((name) => name.startsWith('index.html')),
    ['index.html'],
  );
  assert.deepEqual(await wrongPages(store, publicDir), []);
});

test('verify-output --json prints the findings; a second repair at the same instant takes a folder of its own', async (t) => {
  const { site, env, store } = await builtSite(t);
  const publicDir = path.join(site.dataDir, 'public');
  const count = (await pages(store)).size;
  fs.writeFileSync(path.join(publicDir, 'robots.txt.br'), 'not brotli');
  fs.writeFileSync(path.join(publicDir, 'planted.txt'), 'x');
  const found = await runCli(['verify-output', '--json'], env);
  assert.equal(found.code, 1, found.stderr);
  assert.deepEqual(JSON.parse(found.stdout), {
    checked: count,
    missing: [],
    different: ['/robots.txt'],
    unknown: ['/planted.txt'],
    repaired: [],
    quarantine: null,
  });

  const first = await runCli(['verify-output', '--repair', '--json'], env);
  assert.equal(first.code, 0, first.stderr);
  assert.deepEqual(JSON.parse(first.stdout), {
    checked: count,
    missing: [],
    different: ['/robots.txt'],
    unknown: ['/planted.txt'],
    repaired: ['/planted.txt', '/robots.txt'],
    quarantine: path.join(site.dataDir, 'quarantine', QUARANTINE),
  });
  assert.equal(
    fs.readFileSync(path.join(site.dataDir, 'quarantine', QUARANTINE, 'robots.txt.br'), 'utf8'),
    'not brotli',
  );

  fs.writeFileSync(path.join(publicDir, 'planted.txt'), 'y');
  const second = await runCli(['verify-output', '--repair', '--json'], env);
  assert.equal(second.code, 0, second.stderr);
  const secondFolder = path.join(site.dataDir, 'quarantine', `${QUARANTINE}-2`);
  assert.deepEqual(JSON.parse(second.stdout), {
    checked: count,
    missing: [],
    different: [],
    unknown: ['/planted.txt'],
    repaired: ['/planted.txt'],
    quarantine: secondFolder,
  });
  assert.equal(fs.readFileSync(path.join(secondFolder, 'planted.txt'), 'utf8'), 'y');
  assert.equal(fs.readFileSync(path.join(site.dataDir, 'quarantine', QUARANTINE, 'planted.txt'), 'utf8'), 'x');
  assert.deepEqual(await wrongPages(store, publicDir), []);
});

test('a changed page that is no page any more (withdrawn behind the publisher) is removed by --repair', async (t) => {
  const { site, env, store } = await builtSite(t);
  const publicDir = path.join(site.dataDir, 'public');
  const count = (await pages(store)).size;
  const key = [...(await pages(store)).keys()].filter((k) => /^\/bqdt\/\d{6}\/t\d{8}_\d+\.html$/.test(k)).sort()[0];
  assert.ok(key, 'an article page was built');
  const id = Number(/_(\d+)\.html$/.exec(key)?.[1]);
  await store.db.updateTable('article').set({ status: 'withdrawn' }).where('id', '=', id).execute();
  const file = path.join(publicDir, fileOf(key));
  fs.writeFileSync(file, 'changed');

  const repaired = await runCli(['verify-output', '--repair'], env);
  const quarantine = path.join(site.dataDir, 'quarantine', QUARANTINE);
  assert.deepEqual(repaired, {
    code: 0,
    stdout: [
      `different ${key}`,
      `repaired ${key}`,
      `checked ${count} pages: 0 missing, 1 different, 0 unknown; 1 repaired (changed and unknown files moved to ${quarantine})`,
      '',
    ].join('\n'),
    stderr: '',
  });
  for (const name of [file, `${file}.gz`, `${file}.br`]) assert.equal(fs.existsSync(name), false, name);
  assert.equal((await pages(store)).has(key), false, 'the manifest records the removal');
  assert.equal(fs.readFileSync(path.join(quarantine, fileOf(key)), 'utf8'), 'changed');
  const after = await runCli(['verify-output'], env);
  assert.deepEqual(after, {
    code: 0,
    stdout: `checked ${count - 1} pages: every file matches the manifest\n`,
    stderr: '',
  });
});

test("verify-output --site checks that site's folder only; without it, every site's pages by manifest key", async (t) => {
  const { site, env, store } = await builtSite(t);
  const publicDir = path.join(site.dataDir, 'public');
  const added = await runCli(['site', 'add', 'swj.example.gov.cn', '--name', '示范区水务局'], env);
  assert.equal(added.code, 0, added.stderr);
  const built = await runCli(['build', '--workers', '0', '--site', 'swj.example.gov.cn'], env);
  assert.equal(built.code, 0, built.stderr);
  const keys = [...(await pages(store)).keys()];
  const second = keys.filter((k) => k.startsWith('/site_2/')).length;
  assert.ok(second > 0, 'the second site has pages');
  fs.appendFileSync(path.join(publicDir, 'site_2', 'index.html'), 'x');
  fs.writeFileSync(path.join(publicDir, 'site_2', 'extra.html'), 'x');

  const first = await runCli(['verify-output', '--site', 'www.example.gov.cn'], env);
  assert.deepEqual(first, {
    code: 0,
    stdout: `checked ${keys.length - second} pages: every file matches the manifest\n`,
    stderr: '',
  });
  const findings = ['different /site_2/', 'unknown /site_2/extra.html'];
  const summary = '0 missing, 1 different, 1 unknown; run with --repair to repair';
  assert.deepEqual(await runCli(['verify-output', '--site', 'swj.example.gov.cn'], env), {
    code: 1,
    stdout: [...findings, `checked ${second} pages: ${summary}`, ''].join('\n'),
    stderr: '',
  });
  assert.deepEqual(await runCli(['verify-output'], env), {
    code: 1,
    stdout: [...findings, `checked ${keys.length} pages: ${summary}`, ''].join('\n'),
    stderr: '',
  });
  const repaired = await runCli(['verify-output', '--repair', '--site', 'swj.example.gov.cn', '--json'], env);
  assert.equal(repaired.code, 0, repaired.stderr);
  assert.deepEqual((JSON.parse(repaired.stdout) as { repaired: string[] }).repaired, [
    '/site_2/',
    '/site_2/extra.html',
  ]);
  assert.deepEqual(await wrongPages(store, publicDir), []);
});

test('verify-output takes --repair and --json only; anything else is a usage error that opens nothing', async (t) => {
  const site = await newTestSite('gazette-verify-usage-');
  t.after(() => site.dispose());
  const result = await runCli(['verify-output', '--fix'], site.env);
  assert.equal(result.code, 2);
  assert.equal(result.stdout, '');
  assert.match(
    result.stderr,
    /^gazette: Usage: Unknown option '--fix'.*\ngazette verify-output \[--repair\] \[--json\]/s,
  );
  assert.equal(fs.existsSync(path.join(site.dataDir, 'gazette.db')), false, 'no store was opened');
});
