import { after, before, describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { toLocal } from '../../src/domain/index.js';
import { nginxConfigOf } from '../../src/cli/front-nginx.js';
import { FrontState } from '../../src/front/agent/state.js';
import { frontLayout, servedFiles, todayFile, viewsFile, type FrontLayout } from '../../src/front/layout.js';
import { BROTLI_STATIC_MODULE, nginxConfig } from '../../src/front/nginx.js';
import { DEFAULT_THEME_DIR, publicContentSecurityPolicy } from '../../src/theme/index.js';
import { SECURITY_HEADERS } from '../../src/web/static-pages.js';
import { eventually, freePort } from '../helpers/http.js';

/*
 * The front's nginx configuration, run by Debian's real nginx on loopback: a front folder made
 * by hand as the agent leaves it, a stand-in for the CMS side's public endpoint, and nginx in a
 * time zone of its own (Asia/Kathmandu, +05:45), which the s-maxage maps must see through.
 */

const CSP = publicContentSecurityPolicy({ dir: DEFAULT_THEME_DIR });
const BROTLI = fs.existsSync(BROTLI_STATIC_MODULE);
const ARTICLE = '/bqdt/202405/t20240501_42.html';
const UNCOUNTED = '/bqdt/202405/t20240502_43.html';

const articleHtml = (title: string) =>
  `<!doctype html><html><body><div class="date"><!--gz:today--></div><h1>${title}</h1><p>浏览次数：<!--gz:views--></p></body></html>`;
const filledArticle = (title: string, today: string, views: string) =>
  `<!doctype html><html><body><div class="date">${today}</div><h1>${title}</h1><p>浏览次数：${views}</p></body></html>`;
const RSS = `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>示例</title>${'<item><title>条目</title></item>'.repeat(20)}</channel></rss>`;

/** Seconds to midnight at the minute's last second, at most 3600, at least 1: Gazette's s-maxage, by the minute. */
function expectedSharedMaxAge(localHour: number, localMinute: number): number {
  return Math.min(3600, Math.max(1, 86_400 - (localHour * 3600 + localMinute * 60 + 59)));
}

/** A fixed-offset zone whose clock says 23:xx now (Etc/GMT-5 is UTC+5). */
function zoneAtItsLastHour(now: Date): { zone: string; utcHour: number } {
  const utcHour = now.getUTCHours();
  let offset = 23 - utcHour;
  if (offset > 14) offset -= 24;
  return { zone: offset === 0 ? 'Etc/GMT' : offset > 0 ? `Etc/GMT-${offset}` : `Etc/GMT+${-offset}`, utcHour };
}

interface Answer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
}

function request(port: number, method: string, urlPath: string, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    http
      .request({ host: '127.0.0.1', port, method, path: urlPath, headers, agent: false }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }),
        );
      })
      .on('error', reject)
      .end();
  });
}

/** Writes a page as the agent serves it (servedFiles: the same function the agent uses). */
function putPage(layout: FrontLayout, key: string, body: string): void {
  for (const file of servedFiles(key, Buffer.from(body))) {
    const target = path.join(layout.www, file.file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, file.bytes);
  }
}

function writeFile(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

/** Starts nginx in the foreground with this configuration; stopped when the test (or suite) ends. */
async function startNginx(config: string, prefix: string, port: number): Promise<ChildProcess> {
  fs.mkdirSync(prefix, { recursive: true });
  const file = path.join(prefix, 'nginx.conf');
  fs.writeFileSync(file, config);
  const child = spawn('nginx', ['-c', file, '-p', prefix], {
    env: { PATH: process.env.PATH ?? '', TZ: 'Asia/Kathmandu' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let exited = false;
  child.on('exit', () => (exited = true));
  await eventually(
    'nginx listens',
    () =>
      new Promise<boolean>((resolve) => {
        if (exited) assert.fail(`nginx exited: ${stderr}`);
        const socket = net.connect(port, '127.0.0.1');
        socket.once('connect', () => (socket.destroy(), resolve(true)));
        socket.once('error', () => resolve(false));
      }),
    10_000,
  );
  return child;
}

async function stopNginx(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
}

describe('the front’s nginx configuration, run by nginx', () => {
  const started = new Date();
  const late = zoneAtItsLastHour(started);
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-front-nginx-'));
  // nginx started as root reads the pages as `nobody`.
  fs.chmodSync(folder, 0o755);
  const root = path.join(folder, 'front');
  const layout = frontLayout(root);
  const seen: Seen[] = [];
  let upstream: http.Server;
  let nginx: ChildProcess;
  let port = 0;
  let upstreamPort = 0;
  let config = '';
  const hosts = (host: string, extra: Record<string, string> = {}) => ({ host, ...extra });
  const get = (host: string, urlPath: string, extra: Record<string, string> = {}) =>
    request(port, 'GET', urlPath, hosts(host, extra));

  before(async () => {
    const state = new FrontState(layout);
    state.setMeta(
      'sites',
      JSON.stringify([
        { id: 1, hosts: ['a.example'], timeZone: 'Asia/Shanghai' },
        { id: 2, hosts: ['b.example'], timeZone: late.zone },
      ]),
    );
    state.close();
    putPage(layout, '/', '<!doctype html><p><!--gz:today--></p><h1>站点一</h1>');
    putPage(layout, '/bqdt/', '<!doctype html><h1>本地动态</h1>');
    putPage(layout, ARTICLE, articleHtml('文章四十二'));
    putPage(layout, UNCOUNTED, articleHtml('文章四十三'));
    putPage(layout, '/rss.xml', RSS);
    putPage(layout, '/bqdt/atom.xml', RSS.replace('rss', 'feed'));
    putPage(layout, '/sitemap.xml', '<?xml version="1.0"?><urlset></urlset>');
    putPage(layout, '/robots.txt', 'User-agent: *\nAllow: /\n');
    putPage(layout, '/look.css', ':root{--main:#a8150f;--accent:#7d0f0b}\n');
    putPage(layout, '/site_2/', '<!doctype html><p><!--gz:today--></p><h1>站点二</h1>');
    // Site 3 has a host but is not in this configuration (pushed after it was printed).
    putPage(layout, '/site_3/', '<!doctype html><h1>站点三</h1>');
    writeFile(layout.hostsMap, 'a.example 1;\nb.example 2;\nc.example 3;\n');
    writeFile(todayFile(layout, 1), '2026年5月1日 星期五');
    writeFile(todayFile(layout, 2), '2026年5月2日 星期六');
    writeFile(todayFile(layout, 3), '2026年5月3日 星期日');
    writeFile(viewsFile(layout, 1, 42), '17');

    upstream = http.createServer((req, res) => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
      res.setHeader('content-type', 'text/plain; charset=utf-8');
      if (req.url?.startsWith('/assets/')) res.setHeader('cache-control', 'public, max-age=600');
      res.end(`upstream ${req.method} ${req.url}`);
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    upstreamPort = (upstream.address() as net.AddressInfo).port;
    port = await freePort();
    ({ config } = nginxConfigOf([
      '--root',
      root,
      '--listen',
      `127.0.0.1:${port}`,
      '--upstream',
      `http://127.0.0.1:${upstreamPort}`,
    ]));
    nginx = await startNginx(config, path.join(folder, 'prefix'), port);
  });

  after(async () => {
    if (nginx) await stopNginx(nginx);
    await new Promise((resolve) => upstream?.close(resolve));
    fs.rmSync(folder, { recursive: true, force: true });
  });

  // First: the access log holds only what the tests below do.
  test('page reads are logged for the agent, exactly in its format; proxied answers are not', async () => {
    assert.equal((await get('a.example', ARTICLE)).status, 200);
    assert.equal((await get('a.example', '/search?q=x')).status, 200);
    assert.equal((await get('b.example', '/')).status, 200);
    const expected = `1\t200\tGET\t${ARTICLE}\n2\t200\tGET\t/index.html\n`;
    await eventually(
      'both lines written',
      () => Promise.resolve(fs.readFileSync(layout.accessLog, 'utf8') === expected),
      5_000,
    );
    assert.equal(fs.readFileSync(layout.accessLog, 'utf8'), expected);
  });

  test('nginx -t accepts the configuration', () => {
    const file = path.join(folder, 'prefix', 'nginx.conf');
    const result = spawnSync('nginx', ['-t', '-c', file, '-p', path.join(folder, 'prefix')], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, /test is successful/);
    assert.doesNotMatch(result.stderr, /\[warn\]|\[emerg\]/);
  });

  test('an article: the date bar from today.html and 浏览次数 from its count file, with Gazette’s headers', async () => {
    const answer = await get('a.example', ARTICLE);
    assert.equal(answer.status, 200);
    assert.equal(answer.body.toString(), filledArticle('文章四十二', '2026年5月1日 星期五', '17'));
    const mtime = fs.statSync(path.join(layout.www, '1', ARTICLE)).mtime;
    const at = new Date(answer.headers.date ?? '');
    const local = toLocal(at, 'Asia/Shanghai');
    assert.deepEqual(
      {
        type: answer.headers['content-type'],
        cache: answer.headers['cache-control'],
        vary: answer.headers.vary,
        lastModified: answer.headers['last-modified'],
        encoding: answer.headers['content-encoding'],
        hsts: answer.headers['strict-transport-security'],
        ...Object.fromEntries(Object.keys(SECURITY_HEADERS).map((name) => [name, answer.headers[name]])),
        csp: answer.headers['content-security-policy'],
      },
      {
        type: 'text/html; charset=utf-8',
        cache: `public, max-age=0, must-revalidate, s-maxage=${expectedSharedMaxAge(local.hour, local.minute)}`,
        vary: 'Accept-Encoding',
        lastModified: mtime.toUTCString(),
        encoding: undefined,
        hsts: undefined,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'strict-origin-when-cross-origin',
        'x-frame-options': 'SAMEORIGIN',
        csp: CSP,
      },
    );
    // nginx's weak ETag of the stored file (its mtime and size: SSI keeps it, weak).
    const stat = fs.statSync(path.join(layout.www, '1', ARTICLE));
    assert.equal(answer.headers.etag, `W/"${Math.floor(stat.mtimeMs / 1000).toString(16)}-${stat.size.toString(16)}"`);
  });

  test('an article without a count file says 0', async () => {
    const answer = await get('a.example', UNCOUNTED);
    assert.equal(answer.body.toString(), filledArticle('文章四十三', '2026年5月1日 星期五', '0'));
  });

  test('the ETag follows the file’s mtime (the agent touches pages when the date changes); a match is a 304', async () => {
    const file = path.join(layout.www, '1', ARTICLE);
    const before = (await get('a.example', ARTICLE)).headers.etag ?? '';
    assert.equal((await get('a.example', ARTICLE, { 'if-none-match': before })).status, 304);
    const later = new Date(fs.statSync(file).mtimeMs + 60_000);
    fs.utimesSync(file, later, later);
    const after = await get('a.example', ARTICLE, { 'if-none-match': before });
    assert.equal(after.status, 200);
    assert.notEqual(after.headers.etag, before);
    assert.equal(after.headers['last-modified'], later.toUTCString());
  });

  test('HTML is compressed after the includes are filled: gzip that unpacks to the identity answer', async () => {
    const identity = await get('a.example', ARTICLE);
    const gzipped = await get('a.example', ARTICLE, { 'accept-encoding': 'gzip, br' });
    assert.equal(gzipped.headers['content-encoding'], 'gzip');
    assert.equal(gzipped.headers.vary, 'Accept-Encoding');
    assert.deepEqual(zlib.gunzipSync(gzipped.body), identity.body);
  });

  test('directory URLs are their index.html, and each host reaches its own site’s folder', async () => {
    const home = await get('a.example', '/');
    assert.equal(home.body.toString(), '<!doctype html><p>2026年5月1日 星期五</p><h1>站点一</h1>');
    assert.equal((await get('a.example', '/bqdt/')).body.toString(), '<!doctype html><h1>本地动态</h1>');
    assert.equal(
      (await get('b.example', '/')).body.toString(),
      '<!doctype html><p>2026年5月2日 星期六</p><h1>站点二</h1>',
    );
    const nobody = await get('d.example', '/');
    assert.deepEqual(
      [nobody.status, nobody.headers['content-type'], nobody.body.toString(), nobody.headers['x-frame-options']],
      [404, 'text/plain; charset=utf-8', 'Not Found\n', 'SAMEORIGIN'],
    );
  });

  test('s-maxage is the seconds to each site’s midnight, by the minute, whatever nginx’s own time zone', async () => {
    const late2 = await get('b.example', '/');
    const at = new Date(late2.headers.date ?? '');
    const local = toLocal(at, late.zone);
    const age = expectedSharedMaxAge(local.hour, local.minute);
    assert.equal(late2.headers['cache-control'], `public, max-age=0, must-revalidate, s-maxage=${age}`);
    if (at.getUTCHours() === late.utcHour) assert.ok(age < 3600, `${late.zone} is in its last hour`);
    // A site the configuration does not know: never past any zone's midnight.
    const unknown = await get('c.example', '/');
    const unknownAt = new Date(unknown.headers.date ?? '');
    const utcMinute = unknownAt.getUTCHours() * 60 + unknownAt.getUTCMinutes();
    let smallest = 3600;
    for (let offset = -720; offset <= 840; offset += 15) {
      const minute = (((utcMinute + offset) % 1440) + 1440) % 1440;
      smallest = Math.min(smallest, expectedSharedMaxAge(Math.floor(minute / 60), minute % 60));
    }
    assert.equal(unknown.headers['cache-control'], `public, max-age=0, must-revalidate, s-maxage=${smallest}`);
    assert.equal(unknown.body.toString(), '<!doctype html><h1>站点三</h1>');
  });

  test('feeds, sitemaps, robots.txt and /look.css: their types, five minutes of caching, and the stored .gz (and .br)', async () => {
    const rss = await get('a.example', '/rss.xml');
    assert.deepEqual(
      {
        status: rss.status,
        type: rss.headers['content-type'],
        cache: rss.headers['cache-control'],
        vary: rss.headers.vary,
        nosniff: rss.headers['x-content-type-options'],
        csp: rss.headers['content-security-policy'],
        body: rss.body.toString(),
      },
      {
        status: 200,
        type: 'application/rss+xml; charset=utf-8',
        cache: 'public, max-age=300',
        vary: 'Accept-Encoding',
        nosniff: 'nosniff',
        csp: CSP,
        body: RSS,
      },
    );
    assert.match(rss.headers.etag ?? '', /^"[0-9a-f]+-[0-9a-f]+"$/);
    const gz = await get('a.example', '/rss.xml', { 'accept-encoding': 'gzip' });
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.deepEqual(gz.body, fs.readFileSync(path.join(layout.www, '1', 'rss.xml.gz')));
    // With Debian's brotli_static module installed, the stored .br; without it, gzip only.
    const br = await get('a.example', '/rss.xml', { 'accept-encoding': 'br' });
    if (BROTLI) {
      assert.equal(br.headers['content-encoding'], 'br');
      assert.deepEqual(br.body, fs.readFileSync(path.join(layout.www, '1', 'rss.xml.br')));
    } else {
      assert.equal(br.headers['content-encoding'], undefined);
      assert.equal(br.body.toString(), RSS);
    }
    const types = await Promise.all(
      ['/bqdt/atom.xml', '/sitemap.xml', '/robots.txt', '/look.css'].map(
        async (p) => (await get('a.example', p)).headers['content-type'],
      ),
    );
    assert.deepEqual(types, [
      'application/atom+xml; charset=utf-8',
      'application/xml; charset=utf-8',
      'text/plain; charset=utf-8',
      'text/css; charset=utf-8',
    ]);
  });

  test('what is not a stored file goes to the CMS side, with the reader’s host and path, and no site cookie', async () => {
    seen.length = 0;
    const missing = await get('a.example', '/bqdt/202405/t20240501_99.html?from=list', {
      cookie: 'a=1; gz_site=b.example; c=2',
    });
    assert.deepEqual(
      [missing.status, missing.body.toString()],
      [200, 'upstream GET /bqdt/202405/t20240501_99.html?from=list'],
    );
    assert.deepEqual(
      seen.map((s) => [
        s.method,
        s.url,
        s.headers.host,
        s.headers['x-forwarded-for'],
        s.headers['x-forwarded-proto'],
        s.headers.cookie,
      ]),
      [['GET', '/bqdt/202405/t20240501_99.html?from=list', 'a.example', '127.0.0.1', 'http', 'a=1; c=2']],
    );
  });

  test('the back office, the agent, writes to the API, site switching and dotfiles are refused', async () => {
    seen.length = 0;
    for (const urlPath of [
      '/admin',
      '/admin/',
      '/admin/articles',
      '/_front/state',
      '/_site/b.example/',
      '/.env',
      '/bqdt/.git/config',
      '/rss.xml.gz',
    ]) {
      const answer = await get('a.example', urlPath);
      assert.deepEqual([urlPath, answer.status, answer.body.toString()], [urlPath, 404, 'Not Found\n']);
    }
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      const answer = await request(port, method, '/api/v1/x', { host: 'a.example', 'content-length': '0' });
      assert.deepEqual(
        [method, answer.status, answer.headers.allow, answer.body.toString(), answer.headers['x-frame-options']],
        [method, 405, 'GET, HEAD', 'Method Not Allowed\n', 'SAMEORIGIN'],
      );
    }
    // Refused on the front: the CMS side saw none of them.
    assert.equal(seen.length, 0);
    const read = await get('a.example', '/api/v1/x?page=2');
    assert.deepEqual([read.status, read.body.toString()], [200, 'upstream GET /api/v1/x?page=2']);
    assert.deepEqual(
      seen.map((s) => [s.url, s.headers.host]),
      [['/api/v1/x?page=2', 'a.example']],
    );
  });

  test('theme files and media come from the CMS side once, then from the front’s cache', async () => {
    seen.length = 0;
    const first = await get('a.example', '/assets/site.css');
    const second = await get('a.example', '/assets/site.css');
    assert.deepEqual(
      [first.body.toString(), second.body.toString()],
      ['upstream GET /assets/site.css', 'upstream GET /assets/site.css'],
    );
    // Another site's file of the same path is its own.
    await get('b.example', '/assets/site.css');
    assert.deepEqual(
      seen.map((s) => [s.url, s.headers.host]),
      [
        ['/assets/site.css', 'a.example'],
        ['/assets/site.css', 'b.example'],
      ],
    );
  });

  test('without --upstream, only stored pages are answered', async (t: TestContext) => {
    const alonePort = await freePort();
    const { config: alone } = nginxConfigOf(['--root', root, '--listen', `127.0.0.1:${alonePort}`]);
    const child = await startNginx(alone, path.join(folder, 'prefix-alone'), alonePort);
    t.after(() => stopNginx(child));
    const ask = (urlPath: string) => request(alonePort, 'GET', urlPath, { host: 'a.example' });
    assert.equal((await ask('/bqdt/')).body.toString(), '<!doctype html><h1>本地动态</h1>');
    for (const urlPath of ['/search?q=x', '/api/v1/x', '/assets/site.css', '/media/1.jpg']) {
      const answer = await ask(urlPath);
      assert.deepEqual([urlPath, answer.status, answer.body.toString()], [urlPath, 404, 'Not Found\n']);
    }
  });
});

/** A tiny reader of the generated `map` blocks: what nginx looks up, evaluated here for any clock. */
function mapsOf(config: string): (base: Record<string, string>, name: string) => string {
  const maps = new Map<
    string,
    { source: string; exact: Map<string, string>; regex: [RegExp, string][]; fallback: string }
  >();
  // nginx unescapes only \" and \\ (and \t, \r, \n) in a quoted string; `\d` stays for the regex.
  const unquote = (token: string) => (token.startsWith('"') ? token.slice(1, -1).replace(/\\(["\\])/g, '$1') : token);
  for (const [, source = '', name = '', body = ''] of config.matchAll(
    /^ {2}map ("[^"]*"|\S+) \$(\w+) \{\n([\s\S]*?)^ {2}\}/gm,
  )) {
    const entry = {
      source: unquote(source),
      exact: new Map<string, string>(),
      regex: [] as [RegExp, string][],
      fallback: '',
    };
    for (const [, key = '', value = ''] of body.matchAll(/^\s+("(?:[^"\\]|\\.)*"|\S+) ("(?:[^"\\]|\\.)*"|\S+);$/gm)) {
      const k = unquote(key);
      if (k === 'default') entry.fallback = unquote(value);
      else if (k.startsWith('~')) entry.regex.push([new RegExp(k.slice(1)), unquote(value)]);
      else entry.exact.set(k, unquote(value));
    }
    maps.set(name, entry);
  }
  const evaluate = (base: Record<string, string>, name: string): string => {
    if (name in base) return base[name] ?? '';
    const map = maps.get(name);
    assert.ok(map, `no map for $${name}`);
    const fill = (text: string, captures: Record<string, string> = {}) =>
      text.replace(/\$(\w+)/g, (_, v: string) => captures[v] ?? evaluate(base, v));
    const key = fill(map.source);
    const exact = map.exact.get(key);
    if (exact !== undefined) return fill(exact);
    for (const [pattern, value] of map.regex) {
      const match = pattern.exec(key);
      if (match) return fill(value, match.groups ?? {});
    }
    return fill(map.fallback);
  };
  return evaluate;
}

/** `$time_iso8601` of an instant on a clock at this offset (minutes). */
function isoAt(instant: Date, offset: number): string {
  const wall = new Date(instant.getTime() + offset * 60_000).toISOString().slice(0, 19);
  const abs = Math.abs(offset);
  return `${wall}${offset < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

describe('the s-maxage maps', () => {
  const now = new Date('2026-03-01T00:00:00Z');
  const sites = [
    { id: 1, hosts: ['a.example'], timeZone: 'Asia/Shanghai' },
    { id: 2, hosts: ['b.example'], timeZone: 'Asia/Kolkata' },
    { id: 3, hosts: ['c.example'], timeZone: 'America/New_York' },
  ];
  const config = nginxConfig({
    root: '/srv/front',
    listen: '80',
    sites,
    contentSecurityPolicy: CSP,
    brotli: false,
    now,
  });
  const evaluate = mapsOf(config);

  test('give Gazette’s value at every minute, for nginx in any time zone', () => {
    // nginx's own zone: UTC, China, Nepal (+05:45), the Marquesas (−09:30), New York in summer.
    const clocks = [0, 480, 345, -570, -240];
    const summer = { 'America/New_York': [-300, -240] } as Record<string, number[]>;
    let checked = 0;
    for (let minute = 0; minute < 2 * 1440; minute += 7) {
      const instant = new Date(now.getTime() + minute * 60_000 + 31_000);
      for (const clock of clocks)
        for (const site of sites) {
          const base = { time_iso8601: isoAt(instant, clock), gz_site: String(site.id) };
          // Summer time: the smaller of its two values (never past midnight in either).
          const offsets = summer[site.timeZone] ?? [site.timeZone === 'Asia/Kolkata' ? 330 : 480];
          const expected = Math.min(
            ...offsets.map((offset) => {
              const local = new Date(instant.getTime() + offset * 60_000);
              return expectedSharedMaxAge(local.getUTCHours(), local.getUTCMinutes());
            }),
          );
          assert.equal(evaluate(base, 'gz_shared_max_age'), String(expected), `${base.time_iso8601} site ${site.id}`);
          checked++;
        }
    }
    assert.ok(checked > 3000);
  });

  test('reach 1 in a site’s last minute and 3600 an hour before', () => {
    const at = (iso: string, site: number) =>
      evaluate({ time_iso8601: iso, gz_site: String(site) }, 'gz_shared_max_age');
    // 23:59:xx in Shanghai (+08:00), read by nginx in Nepal.
    assert.equal(at('2026-03-01T21:44:30+05:45', 1), '1');
    assert.equal(at('2026-03-01T15:00:00+00:00', 1), '3541');
    assert.equal(at('2026-03-01T14:59:59+00:00', 1), '3600');
    assert.equal(at('2026-03-01T18:29:00+00:00', 2), '1');
  });

  test('the brotli module is loaded and used only when installed', () => {
    const base = { root: '/srv/front', listen: '80', sites, contentSecurityPolicy: CSP, now };
    const withBrotli = nginxConfig({ ...base, brotli: true });
    assert.ok(withBrotli.includes(`load_module ${BROTLI_STATIC_MODULE};`));
    // One per stored type: RSS, Atom, other XML, text and CSS.
    assert.equal(withBrotli.match(/brotli_static on;/g)?.length, 5);
    assert.ok(!config.includes('brotli'));
  });

  test('the command reads the agent’s sites; a front without state gets a note, and nothing is created', (t) => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-front-empty-'));
    t.after(() => fs.rmSync(empty, { recursive: true, force: true }));
    const { config: printed, note } = nginxConfigOf(['--root', empty, '--listen', '8080']);
    assert.equal(
      note,
      `No site has been pushed to ${empty} yet: print this again after the first push (and reload nginx), so that pages get their own time zone’s s-maxage.`,
    );
    assert.deepEqual(fs.readdirSync(empty), []);
    assert.ok(printed.includes('  map $gz_site $gz_zone {\n    default any;\n  }\n'));
    for (const args of [
      ['--root', empty],
      ['--listen', '80'],
      ['--root', empty, '--listen', '80', '--port', '1'],
    ])
      assert.throws(() => nginxConfigOf(args), { code: 'USAGE' }, args.join(' '));
  });

  test('bad addresses and folders nginx would misread are refused', () => {
    const base = { root: '/srv/front', listen: '80', sites, contentSecurityPolicy: CSP, brotli: false, now };
    for (const bad of [
      { listen: 'eighty' },
      { listen: '127.0.0.1:99999' },
      { upstream: 'ftp://cms.example' },
      { upstream: 'http://cms.example/base/' },
      { upstream: 'http://user:pw@cms.example' },
      { root: '/srv/$front' },
      { root: '/srv/"front"' },
    ])
      assert.throws(() => nginxConfig({ ...base, ...bad }), { code: 'USAGE' }, JSON.stringify(bad));
    assert.doesNotThrow(() => nginxConfig({ ...base, listen: '[::]:8080', upstream: 'https://[fd00::5]:3443' }));
  });
});
