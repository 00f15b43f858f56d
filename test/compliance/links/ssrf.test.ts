import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import dns from 'node:dns';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { externalProber, probeExternal, type LinkFindingView, type Resolver } from '../../../src/compliance/index.js';
import { openStore } from '../../../src/store/index.js';
import { importPage } from '../../../src/services/index.js';
import { runCli, useTestSite } from '../../helpers/cli.js';
import { demoSite, makePage } from '../../helpers/factories.js';
import { PINNED_NOW, pinnedClock } from '../../helpers/store.js';

// ASVS 5.2.6 / 12.6.1: `gazette check --external` fetches addresses written in articles, so it must
// not become a way to reach the server's own loopback services, the intranet or cloud metadata.

/** A test server that answers every request and remembers it (method and path). */
interface Counted {
  readonly server: http.Server;
  readonly hits: string[];
  readonly port: number;
}

/** /ok 200, /missing 404, /to?next=URL a 302 to URL, /chain/N a redirect chain of N hops to a 200. */
function answer(request: http.IncomingMessage, response: http.ServerResponse): void {
  const url = new URL(request.url ?? '/', 'http://test');
  const chain = /^\/chain\/(\d+)$/.exec(url.pathname);
  if (url.pathname === '/to')
    return void response.writeHead(302, { location: url.searchParams.get('next') ?? '/' }).end();
  if (chain?.[1] && chain[1] !== '0')
    return void response.writeHead(302, { location: `/chain/${+chain[1] - 1}` }).end();
  response.writeHead(url.pathname === '/missing' ? 404 : 200).end();
}

async function listen(host: string): Promise<Counted> {
  const hits: string[] = [];
  const server = http.createServer((request, response) => {
    hits.push(`${request.method} ${request.url}`);
    answer(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return { server, hits, port: (server.address() as AddressInfo).port };
}

/** A resolver for made-up names (the machine has no DNS), counting its calls. */
function fakeResolver(table: Readonly<Record<string, readonly string[]>>): { resolve: Resolver; calls: string[] } {
  const calls: string[] = [];
  const resolve: Resolver = (hostname) => {
    calls.push(hostname);
    const addresses = table[hostname] ?? [];
    return Promise.resolve(addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));
  };
  return { resolve, calls };
}

const refused = (reason: string) => ({ ok: false, status: null, reason: `refused: ${reason}` });

describe('external link check: outbound requests are limited (SSRF)', () => {
  // A: 127.0.0.1, the one the tests vouch for when they need a first hop; B: 127.0.0.2; C: ::1.
  let a: Counted;
  let b: Counted;
  let c: Counted;
  before(async () => {
    [a, b, c] = await Promise.all([listen('127.0.0.1'), listen('127.0.0.2'), listen('::1')]);
  });
  after(async () => {
    await Promise.all([a, b, c].map(({ server }) => new Promise((resolve) => server.close(resolve))));
  });
  const clearHits = () => [a, b, c].forEach((s) => (s.hits.length = 0));

  test('loopback, link-local (cloud metadata), private, CGNAT, unique-local, multicast, reserved and unspecified addresses are refused without a request', async () => {
    clearHits();
    const cases: readonly (readonly [string, string])[] = [
      [`http://127.0.0.1:${a.port}/ok`, '127.0.0.1 is a loopback address'],
      [`https://127.0.0.1:${a.port}/ok`, '127.0.0.1 is a loopback address'],
      [`http://2130706433:${a.port}/ok`, '127.0.0.1 is a loopback address'],
      [`http://[::ffff:127.0.0.1]:${a.port}/ok`, '127.0.0.1 is a loopback address'],
      [`http://127.0.0.2:${b.port}/ok`, '127.0.0.2 is a loopback address'],
      [`http://[::1]:${c.port}/ok`, '::1 is a loopback address'],
      [`http://0.0.0.0:${a.port}/ok`, '0.0.0.0 is an unspecified address'],
      [`http://[::]:${c.port}/ok`, ':: is an unspecified address'],
      ['http://169.254.169.254/latest/meta-data/', '169.254.169.254 is a link-local address'],
      ['http://[64:ff9b::a9fe:a9fe]/latest/meta-data/', '64:ff9b::a9fe:a9fe is a link-local address'],
      ['http://[fe80::1]/', 'fe80::1 is a link-local address'],
      ['http://10.1.2.3/', '10.1.2.3 is a private address'],
      ['http://172.16.5.4/', '172.16.5.4 is a private address'],
      ['http://192.168.1.1/', '192.168.1.1 is a private address'],
      ['http://100.64.0.1/', '100.64.0.1 is a carrier-grade NAT address'],
      ['http://[fd12:3456::1]/', 'fd12:3456::1 is a unique-local address'],
      ['http://224.0.0.1/', '224.0.0.1 is a multicast address'],
      ['http://255.255.255.255/', '255.255.255.255 is a broadcast address'],
      ['http://240.0.0.1/', '240.0.0.1 is a reserved address'],
      ['http://192.0.2.1/', '192.0.2.1 is a reserved address'],
    ];
    const verdicts = await Promise.all(cases.map(([url]) => probeExternal(url, { timeoutMs: 2_000 })));
    assert.deepEqual(
      verdicts,
      cases.map(([, reason]) => refused(reason)),
    );
    assert.deepEqual([a.hits, b.hits, c.hits], [[], [], []]);
  });

  test('a host name is checked on the addresses it resolves to, when the socket connects: localhost, and names pointed at loopback', async () => {
    clearHits();
    const [first] = await dns.promises.lookup('localhost', { all: true });
    assert.ok(first);
    assert.deepEqual(
      await probeExternal(`http://localhost:${first.family === 6 ? c.port : a.port}/ok`, { timeoutMs: 2_000 }),
      refused(`localhost resolves to ${first.address}, a loopback address`),
    );
    // The one resolution is both the one checked and the one connected to: nothing to rebind.
    const { resolve, calls } = fakeResolver({
      'rebind.example': ['127.0.0.1'],
      'mixed.example': ['93.184.215.14', '127.0.0.1'],
      'metadata.example': ['169.254.169.254'],
    });
    const probe = externalProber({ timeoutMs: 2_000, resolve });
    assert.deepEqual(
      await Promise.all(
        ['rebind.example', 'mixed.example', 'metadata.example'].map((host) => probe(`http://${host}:${a.port}/ok`)),
      ),
      [
        refused('rebind.example resolves to 127.0.0.1, a loopback address'),
        refused('mixed.example resolves to 127.0.0.1, a loopback address'),
        refused('metadata.example resolves to 169.254.169.254, a link-local address'),
      ],
    );
    assert.deepEqual(calls, ['rebind.example', 'mixed.example', 'metadata.example']);
    assert.deepEqual([a.hits, b.hits, c.hits], [[], [], []]);
  });

  test('every redirect hop is checked: a public-looking start that redirects to loopback or the metadata address is refused at that hop', async () => {
    clearHits();
    // www.example.gov.cn stands for a public site: the resolver puts it on A, and the allowance lets it through.
    const { resolve } = fakeResolver({ 'www.example.gov.cn': ['127.0.0.1'], 'metadata.example': ['169.254.169.254'] });
    const probe = externalProber({ timeoutMs: 2_000, resolve, allowPrivate: ['www.example.gov.cn'] });
    const start = (next: string) => `http://www.example.gov.cn:${a.port}/to?next=${encodeURIComponent(next)}`;
    const cases: readonly (readonly [string, string])[] = [
      [
        `http://127.0.0.2:${b.port}/ok`,
        `127.0.0.2 is a loopback address (redirected to http://127.0.0.2:${b.port}/ok)`,
      ],
      [`http://[::1]:${c.port}/ok`, `::1 is a loopback address (redirected to http://[::1]:${c.port}/ok)`],
      [
        'http://169.254.169.254/latest/meta-data/',
        '169.254.169.254 is a link-local address (redirected to http://169.254.169.254/latest/meta-data/)',
      ],
      [
        'http://metadata.example/latest/meta-data/',
        'metadata.example resolves to 169.254.169.254, a link-local address (redirected to http://metadata.example/latest/meta-data/)',
      ],
      ['file:///etc/passwd', 'not an http(s) address (redirected to file:///etc/passwd)'],
    ];
    const verdicts = [];
    for (const [next] of cases) verdicts.push(await probe(start(next)));
    assert.deepEqual(
      verdicts,
      cases.map(([, reason]) => refused(reason)),
    );
    // One HEAD to the first hop each, never a GET after a refusal, and nothing reaches B or C.
    assert.deepEqual(
      a.hits,
      cases.map(([next]) => `HEAD /to?next=${encodeURIComponent(next)}`),
    );
    assert.deepEqual([b.hits, c.hits], [[], []]);
  });

  test('redirects are followed to at most 5 hops', async () => {
    clearHits();
    const probe = externalProber({ timeoutMs: 2_000, allowPrivate: ['127.0.0.1'] });
    assert.deepEqual(await probe(`http://127.0.0.1:${a.port}/chain/5`), { ok: true });
    assert.deepEqual(await probe(`http://127.0.0.1:${a.port}/chain/6`), {
      ok: false,
      status: null,
      reason: 'more than 5 redirects',
    });
    assert.deepEqual(a.hits, [
      ...[5, 4, 3, 2, 1, 0].map((n) => `HEAD /chain/${n}`),
      ...[6, 5, 4, 3, 2, 1].map((n) => `HEAD /chain/${n}`),
    ]);
  });

  test('an allowed private range, address or host name is probed normally', async () => {
    clearHits();
    const range = externalProber({ timeoutMs: 2_000, allowPrivate: ['127.0.0.0/8'] });
    const { resolve } = fakeResolver({ 'oa.example.gov.cn': ['127.0.0.1'] });
    const named = externalProber({ timeoutMs: 2_000, resolve, allowPrivate: ['OA.example.gov.cn.'] });
    const v6 = externalProber({ timeoutMs: 2_000, allowPrivate: ['::1'] });
    assert.deepEqual(
      [
        await range(`http://127.0.0.1:${a.port}/ok`),
        await range(`http://127.0.0.1:${a.port}/missing`),
        await range(`http://127.0.0.1:${a.port}/to?next=${encodeURIComponent(`http://127.0.0.2:${b.port}/ok`)}`),
        await named(`http://oa.example.gov.cn:${a.port}/ok`),
        await v6(`http://[::1]:${c.port}/ok`),
      ],
      [{ ok: true }, { ok: false, status: 404, reason: 'HTTP 404' }, { ok: true }, { ok: true }, { ok: true }],
    );
    assert.deepEqual(
      [a.hits, b.hits, c.hits],
      [
        [
          'HEAD /ok',
          'HEAD /missing',
          'GET /missing',
          `HEAD /to?next=${encodeURIComponent(`http://127.0.0.2:${b.port}/ok`)}`,
          'HEAD /ok',
        ],
        ['HEAD /ok'],
        ['HEAD /ok'],
      ],
    );
  });

  test('an allowance that is not a CIDR range, an address or a host name is refused (LINK_ALLOW_INVALID)', () => {
    for (const entry of [
      '10.0.0.0/33',
      '10.0.0/8',
      '10.0.0.0/8/8',
      '300.1.1.1',
      'http://intranet',
      'a b',
      '-x.com',
      '',
    ])
      assert.throws(() => externalProber({ allowPrivate: [entry] }), { code: 'LINK_ALLOW_INVALID', params: { entry } });
  });
});

describe('gazette check links --external --allow-private', () => {
  const site = useTestSite('gazette-ssrf-');
  const env = () => ({ ...site().env, GAZETTE_NOW: PINNED_NOW, GAZETTE_LANG: 'en' });
  let server: Counted;
  let links: { ok: string; missing: string };
  before(async () => {
    server = await listen('127.0.0.1');
    links = { ok: `http://127.0.0.1:${server.port}/ok`, missing: `http://127.0.0.1:${server.port}/missing` };
    const store = await openStore(site().location);
    try {
      const ctx = { store, clock: pinnedClock(), mediaDir: path.join(site().dataDir, 'media') };
      await demoSite(ctx);
      await importPage(
        ctx,
        makePage({
          columns: ['通知公告'],
          title: '有内网链接的通知',
          bodyHtml: `<p><a href="${links.ok}">内网</a> <a href="${links.missing}">内网坏链</a></p>`,
          publishedAt: new Date('2025-11-30T10:00:00+08:00'),
        }),
      );
    } finally {
      await store.close();
    }
    const build = await runCli(['build'], env());
    assert.equal(build.code, 0, build.stderr);
  });
  after(() => new Promise((resolve) => server.server.close(resolve)));

  const external = async (args: readonly string[]) => {
    const result = await runCli(['check', 'links', '--json', '--external', ...args], env());
    const findings = (JSON.parse(result.stdout) as { findings: LinkFindingView[] }).findings;
    // Only the links to this test's server: every page's footer also links the national
    // registries (ICP, 公安备案, 政府网站找错), which this machine cannot reach.
    const local = `http://127.0.0.1:${server.port}/`;
    return {
      code: result.code,
      findings: findings
        .filter((f) => f.kind === 'external' && f.url.startsWith(local))
        .map((f) => [f.url, f.status, f.reason]),
    };
  };

  test('without an allowance the loopback links are refused and never requested; with one they are checked', async () => {
    assert.deepEqual(await external([]), {
      code: 1,
      findings: [
        [links.missing, null, 'refused: 127.0.0.1 is a loopback address'],
        [links.ok, null, 'refused: 127.0.0.1 is a loopback address'],
      ],
    });
    assert.deepEqual(server.hits, []);
    assert.deepEqual(await external(['--allow-private', '10.20.0.0/16,127.0.0.1']), {
      code: 1,
      findings: [[links.missing, 404, 'HTTP 404']],
    });
    assert.deepEqual([...server.hits].sort(), ['GET /missing', 'HEAD /missing', 'HEAD /ok']);
  });

  test('a mistyped allowance, or one without --external, stops the command (exit 2)', async () => {
    const bad = await runCli(['check', 'links', '--external', '--allow-private', '10.0.0.0/33'], env());
    assert.deepEqual([bad.code, bad.stdout], [2, '']);
    assert.equal(
      bad.stderr,
      'gazette: Invalid private-address allowance "10.0.0.0/33": expected a CIDR range (such as 10.20.0.0/16), an IP address or a host name\n',
    );
    const alone = await runCli(['check', 'links', '--allow-private', '127.0.0.1'], env());
    assert.equal(alone.code, 2);
    assert.match(alone.stderr, /^gazette: Usage: --allow-private goes with --external\n/);
  });
});
