import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { GazetteError } from '../../../src/domain/errors.js';
import { openSource, type SourceOptions } from '../../../src/migrate/source/index.js';

const OPTIONS: SourceOptions = {
  rate: 2,
  concurrency: 4,
  userAgent: 'GazetteMigrate/1',
  retries: 3,
  maxPageBytes: 1000,
  timeoutMs: 5000,
};

/** A temporary folder holding `files` (relative path → content), removed after the test. */
async function folder(t: TestContext, files: Readonly<Record<string, string>>): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gazette-mirror-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), content);
  }
  return dir;
}

const HOST = '127.0.0.1:8080';
const ORIGIN = 'http://127.0.0.1:8080';

/** What `wget -r http://127.0.0.1:8080/` leaves, plus a secret beside the host folder. */
const WGET: Readonly<Record<string, string>> = {
  [`${HOST}/index.html`]: '<h1>首页</h1>',
  [`${HOST}/xwzx/bqdt/index.html`]: '<ul>本区动态</ul>',
  [`${HOST}/xwzx/bqdt/202105/t20210520_123.html`]: '<div class="TRS_Editor">正文</div>',
  [`${HOST}/xwzx/bqdt/202105/P020210520_1.doc`]: 'DOC',
  [`${HOST}/NewsView.aspx?NewsID=123`]: '<p>默认文件名</p>',
  [`${HOST}/list.jsp@page=2`]: '<p>windows 文件名</p>',
  [`${HOST}/about`]: '<!DOCTYPE html><p>关于</p>',
  [`${HOST}/sitemap.xml`]: '<urlset/>',
  [`${HOST}/big.html`]: 'x'.repeat(1001),
  'secret.txt': 'outside the mirror',
};

const page = (url: string, contentType: string, text: string, finalUrl = url) => ({
  url,
  finalUrl,
  status: 200,
  contentType,
  bytes: Buffer.from(text),
});

const missing = (url: string) => ({ url, finalUrl: url, status: 404, contentType: null, bytes: Buffer.alloc(0) });

test('a wget mirror with its host folder: the folder is the root, its name the origin', async (t) => {
  const source = await openSource(await folder(t, WGET), OPTIONS);
  t.after(() => source.close());
  assert.deepStrictEqual(
    [source.kind, source.origin, source.sitemaps, source.notes, source.allowed(`${ORIGIN}/private/`)],
    ['directory', ORIGIN, [], [], true],
  );
  assert.deepStrictEqual(await source.get(`${ORIGIN}/`), page(`${ORIGIN}/`, 'text/html', '<h1>首页</h1>'));
  assert.deepStrictEqual(
    await source.get(`${ORIGIN}/xwzx/bqdt/202105/t20210520_123.html`),
    page(`${ORIGIN}/xwzx/bqdt/202105/t20210520_123.html`, 'text/html', '<div class="TRS_Editor">正文</div>'),
  );
  assert.deepStrictEqual(
    await source.get(`${ORIGIN}/xwzx/bqdt`),
    page(`${ORIGIN}/xwzx/bqdt`, 'text/html', '<ul>本区动态</ul>', `${ORIGIN}/xwzx/bqdt/`),
  );
  assert.deepStrictEqual(
    await source.get(`${ORIGIN}/sitemap.xml`),
    page(`${ORIGIN}/sitemap.xml`, 'application/xml', '<urlset/>'),
  );
  assert.deepStrictEqual(
    await source.get(`${ORIGIN}/about`),
    page(`${ORIGIN}/about`, 'text/html', '<!DOCTYPE html><p>关于</p>'),
  );
});

test('query strings: wget’s path?query name and the Windows-safe path@query name', async (t) => {
  const source = await openSource(await folder(t, WGET), OPTIONS);
  t.after(() => source.close());
  assert.deepStrictEqual(
    await source.get(`${ORIGIN}/NewsView.aspx?NewsID=123`),
    page(`${ORIGIN}/NewsView.aspx?NewsID=123`, 'text/html', '<p>默认文件名</p>'),
  );
  assert.deepStrictEqual(
    await source.get(`${ORIGIN}/list.jsp?page=2`),
    page(`${ORIGIN}/list.jsp?page=2`, 'text/html', '<p>windows 文件名</p>'),
  );
  assert.deepStrictEqual(await source.get(`${ORIGIN}/list.jsp?page=3`), missing(`${ORIGIN}/list.jsp?page=3`));
});

test('missing files and paths that climb out of the mirror answer 404', async (t) => {
  const source = await openSource(await folder(t, WGET), OPTIONS);
  t.after(() => source.close());
  for (const url of [`${ORIGIN}/nothing.html`, `${ORIGIN}/..%2fsecret.txt`, `${ORIGIN}/xwzx/..%2F..%2Fsecret.txt`]) {
    assert.deepStrictEqual(await source.get(url), missing(url));
  }
  assert.deepStrictEqual(
    await source.postForm(`${ORIGIN}/module/web/jpage/dataproxy.jsp`, { col: '1' }),
    missing(`${ORIGIN}/module/web/jpage/dataproxy.jsp`),
  );
  await assert.rejects(source.get('http://www.example.gov.cn/'), { name: 'SourceError', failure: 'off-host' });
});

test('files: within the limit, over it (by the file’s size), and a page over maxPageBytes', async (t) => {
  const source = await openSource(await folder(t, WGET), OPTIONS);
  t.after(() => source.close());
  const doc = `${ORIGIN}/xwzx/bqdt/202105/P020210520_1.doc`;
  assert.deepStrictEqual(await source.getFile(doc, 3), {
    tooLarge: false,
    ...page(doc, 'application/octet-stream', 'DOC'),
  });
  assert.deepStrictEqual(await source.getFile(doc, 2), { tooLarge: true, size: 3 });
  await assert.rejects(source.get(`${ORIGIN}/big.html`), {
    name: 'SourceError',
    failure: 'too-large',
    message: `${ORIGIN}/big.html: larger than 1000 bytes`,
  });
});

test('a plain folder with index.html is the root; the origin is the one given, or mirror.invalid', async (t) => {
  const dir = await folder(t, { 'index.html': '<h1>首页</h1>', 'zwgk/index.html': '<p>政务公开</p>' });
  const given = await openSource(dir, { ...OPTIONS, origin: 'http://www.wuzhong.gov.cn/' });
  t.after(() => given.close());
  assert.deepStrictEqual(
    await given.get('http://www.wuzhong.gov.cn/zwgk/'),
    page('http://www.wuzhong.gov.cn/zwgk/', 'text/html', '<p>政务公开</p>'),
  );
  assert.equal(given.isOwn('http://wuzhong.gov.cn/zwgk/'), false);
  const unnamed = await openSource(dir, OPTIONS);
  t.after(() => unnamed.close());
  assert.equal(unnamed.origin, 'http://mirror.invalid');
});

test('a folder that is not a saved site, a file and a path that does not exist: MIGRATE_SOURCE_INVALID', async (t) => {
  const dir = await folder(t, { 'notes.txt': 'no site here', 'css/a.css': '' });
  const cases: [string, string][] = [
    [dir, 'it holds no index.html, so it is not a saved site'],
    [path.join(dir, 'notes.txt'), 'a file, not a directory'],
    [
      path.join(dir, 'www.nowhere.gov.cn'),
      'neither an http(s) URL nor an existing directory (write a site as http://…)',
    ],
  ];
  for (const [spec, reason] of cases) {
    await assert.rejects(openSource(spec, OPTIONS), (error: unknown) => {
      assert.ok(error instanceof GazetteError);
      assert.deepStrictEqual(
        [error.code, error.message],
        ['MIGRATE_SOURCE_INVALID', `The migration source ${spec} cannot be used: ${reason}`],
      );
      return true;
    });
  }
});
