import { before, describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { addSite, platformConsole } from '../../src/services/index.js';
import { openStore, redirects, type NewRedirect } from '../../src/store/index.js';
import { runCli, useTestSite } from '../helpers/cli.js';
import { demoSite } from '../helpers/factories.js';
import { eventually, freePort } from '../helpers/http.js';
import { contextFor, PINNED_NOW } from '../helpers/store.js';

const NGINX = '/usr/sbin/nginx';
const PORTAL = 'www.example.gov.cn';
const WATER = 'swj.example.gov.cn';
const EMPTY = 'jyj.example.gov.cn';
const USAGE = 'gazette redirects export --format nginx|csv [--site HOST] [--out FILE]   (stdout without --out)';

const PORTAL_REDIRECTS: readonly NewRedirect[] = [
  { oldPath: '/xwzx/通知公告/index.html', target: '/tzgg/', kind: 'list' },
  { oldPath: '/NewsView.aspx?NewsID=123', target: '/bqdt/202105/t20210520_1.html', kind: 'article' },
  { oldPath: '/UploadFiles/通知,"最终".doc', target: '/media/file/3f/price$1.doc', kind: 'file' },
];

/** Two old paths that differ only in letter case, which nginx's map would take for one. */
const WATER_REDIRECTS: readonly NewRedirect[] = [
  { oldPath: '/News.aspx?id=1', target: '/a.html', kind: 'article' },
  { oldPath: '/news.aspx?id=1', target: '/b.html', kind: 'article' },
  { oldPath: '/Only.html', target: '/c.html', kind: 'page' },
  { oldPath: '/xwzx/通知公告/index.html', target: '/tzgg/', kind: 'list' },
];

const ENDING =
  "# Include this file in nginx's http block; in the server block of %HOST%, ahead of its locations: if ($gazette_redirect) { return 301 $gazette_redirect; }\n";

const SIZES = "# It needs, in nginx's http block: map_hash_bucket_size 512; map_hash_max_size 2048; (or more)\n";

/**
 * nginx around an exported map: a server on loopback that answers each old URL from it, with
 * the hash sizes the map's own comment asks for.
 */
function nginxConfig(prefix: string, mapFile: string, port: number): string {
  const temp = path.join(prefix, 'temp');
  const sizes = /map_hash_bucket_size \d+; map_hash_max_size \d+;/.exec(fs.readFileSync(mapFile, 'utf8'))?.[0];
  assert.ok(sizes);
  return [
    'daemon off;',
    'master_process off;',
    `pid ${path.join(prefix, 'nginx.pid')};`,
    `error_log ${path.join(prefix, 'error.log')};`,
    'events {}',
    'http {',
    '  access_log off;',
    `  ${sizes}`,
    ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind) => `  ${kind}_temp_path ${temp};`),
    `  include ${mapFile};`,
    '  server {',
    `    listen 127.0.0.1:${port};`,
    '    if ($gazette_redirect) { return 301 $gazette_redirect; }',
    '    location / { return 404; }',
    '  }',
    '}',
    '',
  ].join('\n');
}

/** Status and Location of a GET sent exactly as written (no client-side normalising). */
function get(port: number, uri: string): Promise<[number, string | null]> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: uri, agent: false }, (response) => {
        response.resume();
        resolve([response.statusCode ?? 0, response.headers.location ?? null]);
      })
      .on('error', reject);
  });
}

/** Runs nginx in the foreground on the config until the test ends. */
async function startNginx(t: TestContext, config: string, port: number): Promise<void> {
  const child = spawn(NGINX, ['-c', config, '-e', 'stderr'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  t.after(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  });
  await eventually(
    'nginx listens',
    () =>
      new Promise<boolean>((resolve) => {
        if (child.exitCode !== null) assert.fail(`nginx exited: ${stderr}`);
        const socket = net.connect(port, '127.0.0.1');
        socket.once('connect', () => (socket.destroy(), resolve(true)));
        socket.once('error', () => resolve(false));
      }),
    10_000,
  );
}

describe('gazette redirects export', () => {
  const site = useTestSite('gazette-redirects-cli-');
  const env = () => ({ ...site().env, GAZETTE_LANG: 'en', GAZETTE_NOW: PINNED_NOW });
  const cli = async (args: readonly string[]) => {
    const result = await runCli(['redirects', ...args], env());
    return [result.code, result.stdout, result.stderr];
  };

  // Made in process: each command run costs a second of start-up.
  before(async () => {
    const store = await openStore(site().location);
    try {
      const ctx = { ...contextFor(store), mediaDir: path.join(site().dataDir, 'media') };
      const portal = await demoSite(ctx);
      const water = await addSite(ctx, platformConsole('test'), { host: WATER, name: '区水务局' });
      await addSite(ctx, platformConsole('test'), { host: EMPTY, name: '区教育局' });
      await redirects.putRedirects(store.db, portal.id, PORTAL_REDIRECTS, new Date(PINNED_NOW));
      await redirects.putRedirects(store.db, water.id, WATER_REDIRECTS, new Date(PINNED_NOW));
    } finally {
      await store.close();
    }
  });

  test('csv: a header, then every old path in code point order, quoted where RFC 4180 says', async () => {
    assert.deepEqual(await cli(['export', '--format', 'csv', '--site', PORTAL]), [
      0,
      'old_path,target,kind\r\n' +
        '/NewsView.aspx?NewsID=123,/bqdt/202105/t20210520_1.html,article\r\n' +
        '"/UploadFiles/通知,""最终"".doc",/media/file/3f/price$1.doc,file\r\n' +
        '/xwzx/通知公告/index.html,/tzgg/,list\r\n',
      '',
    ]);
  });

  test('nginx: a map keyed by the URI a browser sends, a literal $ as a variable, and where to use it', async (t) => {
    const expected =
      '# Gazette redirects for www.example.gov.cn: 3 old URLs (gazette redirects export --format nginx)\n' +
      SIZES +
      'geo $gazette_dollar { default "$"; }\n' +
      'map $request_uri $gazette_redirect {\n' +
      '    default "";\n' +
      '    "/NewsView.aspx?NewsID=123" "/bqdt/202105/t20210520_1.html";\n' +
      '    "/UploadFiles/%E9%80%9A%E7%9F%A5,%22%E6%9C%80%E7%BB%88%22.doc" "/media/file/3f/price${gazette_dollar}1.doc";\n' +
      '    "/xwzx/%E9%80%9A%E7%9F%A5%E5%85%AC%E5%91%8A/index.html" "/tzgg/";\n' +
      '}\n' +
      ENDING.replace('%HOST%', PORTAL);
    assert.deepEqual(await cli(['export', '--format', 'nginx', '--site', PORTAL]), [0, expected, '']);
    const file = path.join(site().dataDir, 'portal-redirects.conf');
    assert.deepEqual(await cli(['export', '--format', 'nginx', '--site', PORTAL, '--out', file]), [
      0,
      `exported 3 redirects to ${file}\n`,
      '',
    ]);
    assert.equal(fs.readFileSync(file, 'utf8'), expected);
    if (!fs.existsSync(NGINX)) return t.skip('no nginx on this machine');
    const port = await freePort();
    const prefix = fs.mkdtempSync(path.join(site().dataDir, 'nginx-'));
    const config = path.join(prefix, 'nginx.conf');
    fs.writeFileSync(config, nginxConfig(prefix, file, port));
    const checked = spawnSync(NGINX, ['-t', '-c', config, '-e', 'stderr'], { encoding: 'utf8' });
    assert.equal(checked.status, 0, checked.stderr);
    assert.doesNotMatch(checked.stderr, /\[warn\]|\[emerg\]/);
    await startNginx(t, config, port);
    assert.deepEqual(
      [
        await get(port, '/NewsView.aspx?NewsID=123'),
        await get(port, '/UploadFiles/%E9%80%9A%E7%9F%A5,%22%E6%9C%80%E7%BB%88%22.doc'),
        await get(port, '/xwzx/%E9%80%9A%E7%9F%A5%E5%85%AC%E5%91%8A/index.html'),
        await get(port, '/NewsView.aspx?NewsID=1234'),
      ],
      [
        [301, `http://127.0.0.1:${port}/bqdt/202105/t20210520_1.html`],
        [301, `http://127.0.0.1:${port}/media/file/3f/price$1.doc`],
        [301, `http://127.0.0.1:${port}/tzgg/`],
        [404, null],
      ],
    );
  });

  test('old paths nginx would take for one (letter case) become exact regular expressions; nginx tells them apart', async (t) => {
    const file = path.join(site().dataDir, 'water-redirects.conf');
    assert.deepEqual(await cli(['export', '--site', WATER, '--out', file, '--format', 'nginx']), [
      0,
      `exported 4 redirects to ${file}\n`,
      '',
    ]);
    assert.equal(
      fs.readFileSync(file, 'utf8'),
      '# Gazette redirects for swj.example.gov.cn: 4 old URLs (gazette redirects export --format nginx)\n' +
        SIZES +
        'map $request_uri $gazette_redirect {\n' +
        '    default "";\n' +
        '    "~^/News\\\\.aspx\\\\?id=1$" "/a.html";\n' +
        '    "/Only.html" "/c.html";\n' +
        '    "~^/news\\\\.aspx\\\\?id=1$" "/b.html";\n' +
        '    "/xwzx/%E9%80%9A%E7%9F%A5%E5%85%AC%E5%91%8A/index.html" "/tzgg/";\n' +
        '}\n' +
        ENDING.replace('%HOST%', WATER),
    );
    if (!fs.existsSync(NGINX)) return t.skip('no nginx on this machine');
    const port = await freePort();
    const prefix = fs.mkdtempSync(path.join(site().dataDir, 'nginx-'));
    const config = path.join(prefix, 'nginx.conf');
    fs.writeFileSync(config, nginxConfig(prefix, file, port));
    const checked = spawnSync(NGINX, ['-t', '-c', config, '-e', 'stderr'], { encoding: 'utf8' });
    assert.equal(checked.status, 0, checked.stderr);
    await startNginx(t, config, port);
    const origin = `http://127.0.0.1:${port}`;
    assert.deepEqual(
      [
        await get(port, '/News.aspx?id=1'),
        await get(port, '/news.aspx?id=1'),
        await get(port, '/NEWS.aspx?id=1'),
        // A string key matches in any case, as the old Windows server did.
        await get(port, '/only.HTML'),
      ],
      [
        [301, `${origin}/a.html`],
        [301, `${origin}/b.html`],
        [404, null],
        [301, `${origin}/c.html`],
      ],
    );
  });

  test('an empty site exports a header only; refusals exit 2 and say why', async () => {
    const refusals = [
      [['export', '--format', 'xml', '--site', PORTAL], `Usage: --format is nginx or csv, not "xml"\n${USAGE}`],
      [['export', '--site', PORTAL], `Usage: --format is required: nginx or csv\n${USAGE}`],
      [['export', '--format', 'csv', '--site', 'nosuch.example.gov.cn'], 'Site nosuch.example.gov.cn does not exist'],
      [['import', '--format', 'csv'], `Usage: ${USAGE}`],
    ] as const;
    // Side by side: nothing here writes.
    const [empty, ambiguous, ...refused] = await Promise.all([
      cli(['export', '--format', 'csv', '--site', EMPTY]),
      cli(['export', '--format', 'csv']),
      ...refusals.map(([args]) => cli(args)),
    ]);
    assert.deepEqual(empty, [0, 'old_path,target,kind\r\n', '']);
    // Without --site on a platform of several sites, the existing error names them.
    assert.deepEqual(ambiguous?.slice(0, 2), [2, '']);
    assert.match(String(ambiguous?.[2]), /^gazette: .*www\.example\.gov\.cn.*\n$/);
    assert.deepEqual(
      refused,
      refusals.map(([, message]) => [2, '', `gazette: ${message}\n`]),
    );
  });
});
