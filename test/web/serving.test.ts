import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSite, OutputStore, Publisher, type PublishRun } from '../../src/publish/index.js';
import { importPage } from '../../src/services/index.js';
import { loadTheme } from '../../src/theme/index.js';
import { negotiate } from '../../src/web/page-cache.js';
import { demoApp, inProcessDemo, type InProcessDemo } from '../helpers/app.js';
import { pinnedClock, testStore } from '../helpers/store.js';
import { makePage } from '../helpers/factories.js';

describe('the CDN purge hook', () => {
  test('each publish POSTs exactly the pages that changed, as paths and full URLs', async (t) => {
    const received: { paths: string[]; urls: string[] }[] = [];
    const server = http.createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        received.push(JSON.parse(body) as { paths: string[]; urls: string[] });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    t.after(() => void server.close());
    const port = (server.address() as AddressInfo).port;
    const store = await testStore();
    t.after(() => store.dispose());
    const runs: PublishRun[] = [];
    const app = await demoApp(store, {
      app: { purgeUrl: `http://127.0.0.1:${port}/purge`, onPublished: (run) => void runs.push(run) },
    });
    try {
      await importPage(
        app.gazette.context,
        makePage({ columns: ['本区动态'], title: '需要刷新的新稿', publishedAt: new Date(Date.UTC(2025, 10, 30)) }),
      );
      await app.gazette.publisher.idle();
      const changed = [...(runs[0]?.pages ?? [])].filter(([, o]) => o === 'written' || o === 'removed').map(([p]) => p);
      assert.equal(received.length, 1);
      assert.deepEqual(received[0]?.paths, changed);
      assert.deepEqual(
        received[0]?.urls,
        changed.map((p) => `https://www.example.gov.cn${p}`),
      );
    } finally {
      await app.close();
    }
  });
});

describe('serving published pages', () => {
  let demo: InProcessDemo;
  let articleUrl: string;

  before(async () => {
    demo = await inProcessDemo();
    const row = await demo.store.db
      .selectFrom('article')
      .select('id')
      .where('title', 'like', '%科技活动周%')
      .executeTakeFirstOrThrow();
    articleUrl = `/bqdt/202511/t20251118_${row.id}.html`;
  });
  after(() => demo.close());

  test('validators and cache headers; If-None-Match answers 304 with no body', async () => {
    const first = await demo.app.inject(articleUrl);
    assert.equal(first.statusCode, 200);
    assert.equal(first.headers['content-type'], 'text/html; charset=utf-8');
    assert.match(String(first.headers.etag), /^"[\w-]{27}"$/);
    assert.match(String(first.headers['last-modified']), /^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
    assert.equal(first.headers.vary, 'Accept-Encoding');
    // Browsers revalidate; pinned at 09:00 in Shanghai, a shared cache may keep it an hour, never past midnight.
    assert.equal(first.headers['cache-control'], 'public, max-age=0, must-revalidate, s-maxage=3600');
    const again = await demo.app.inject({ url: articleUrl, headers: { 'if-none-match': String(first.headers.etag) } });
    assert.equal(again.statusCode, 304);
    assert.equal(again.body, '');
    const other = await demo.app.inject({ url: articleUrl, headers: { 'if-none-match': '"something-else"' } });
    assert.equal(other.statusCode, 200);
  });

  test('brotli, gzip or plain bytes by Accept-Encoding, each with its own ETag, all the same page', async () => {
    const plain = await demo.app.inject({ url: '/bqdt/', headers: { 'accept-encoding': 'identity' } });
    const br = await demo.app.inject({ url: '/bqdt/', headers: { 'accept-encoding': 'gzip, deflate, br' } });
    const gz = await demo.app.inject({ url: '/bqdt/', headers: { 'accept-encoding': 'gzip;q=1.0, br;q=0' } });
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal(br.headers['content-encoding'], 'br');
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.equal(zlib.brotliDecompressSync(br.rawPayload).toString(), plain.body);
    assert.equal(zlib.gunzipSync(gz.rawPayload).toString(), plain.body);
    assert.equal(Number(br.headers['content-length']), br.rawPayload.length);
    const tags = new Set([plain.headers.etag, br.headers.etag, gz.headers.etag]);
    assert.equal(tags.size, 3);
    assert.equal(br.headers.etag, String(plain.headers.etag).replace(/"$/, '-br"'));
    assert.deepEqual(
      ['br', 'gzip, br', 'gzip', 'br;q=0, gzip;q=0.5', 'deflate', '', '*', 'identity, *;q=0', 'BR'].map((h) =>
        negotiate(h),
      ),
      ['br', 'br', 'gzip', 'gzip', 'identity', 'identity', 'br', 'identity', 'br'],
    );
  });

  test('HEAD answers the headers without a body; feeds and the sitemap get their own types', async () => {
    const head = await demo.app.inject({ method: 'HEAD', url: '/' });
    assert.equal(head.statusCode, 200);
    assert.equal(head.body, '');
    assert.equal(head.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal((await demo.app.inject('/rss.xml')).headers['content-type'], 'application/rss+xml; charset=utf-8');
    assert.equal(
      (await demo.app.inject('/bqdt/atom.xml')).headers['content-type'],
      'application/atom+xml; charset=utf-8',
    );
    const map = await demo.app.inject('/sitemap.xml');
    assert.deepEqual(
      [map.headers['content-type'], map.headers['cache-control']],
      ['application/xml; charset=utf-8', 'public, max-age=300'],
    );
    assert.equal((await demo.app.inject('/robots.txt')).headers['content-type'], 'text/plain; charset=utf-8');
  });

  test('over a real connection, pages in memory answer from the fast path with the same bytes and headers', async () => {
    const base = await demo.app.listen({ port: 0, host: '127.0.0.1' });
    const variants: Record<string, string>[] = [
      { 'accept-encoding': 'identity' },
      { 'accept-encoding': 'br' },
      { 'accept-encoding': 'gzip' },
    ];
    for (const url of [articleUrl, '/bqdt/', '/rss.xml']) {
      for (const headers of variants) {
        const viaFramework = await demo.app.inject({ url, headers });
        const first = await fetch(base + url, { headers });
        const viaNetwork = await fetch(base + url, { headers });
        assert.equal(viaNetwork.status, 200, url);
        for (const name of [
          'content-type',
          'etag',
          'last-modified',
          'vary',
          'cache-control',
          'x-content-type-options',
          'x-frame-options',
        ]) {
          assert.equal(
            viaNetwork.headers.get(name),
            viaFramework.headers[name] === undefined ? null : String(viaFramework.headers[name]),
            `${url} ${name}`,
          );
        }
        // fetch decompresses; compare with the framework's plain bytes (an article's view count moves).
        const plain = (await demo.app.inject({ url, headers: { 'accept-encoding': 'identity' } })).body;
        assert.equal(await viaNetwork.text(), url === articleUrl ? await first.text() : plain);
        const revalidated = await fetch(base + url, {
          headers: { ...headers, 'if-none-match': viaNetwork.headers.get('etag') ?? '' },
        });
        assert.equal(revalidated.status, 304);
      }
    }
    // Reads counted on the fast path reach the store like any other.
    const row = await demo.store.db
      .selectFrom('article')
      .select('id')
      .where('title', 'like', '%科技活动周%')
      .executeTakeFirstOrThrow();
    const before = demo.app.viewCounter.pendingFor(row.id);
    await fetch(base + articleUrl);
    assert.equal(demo.app.viewCounter.pendingFor(row.id), before + 1);
  });

  test('the same content builds to the same bytes, compressed forms included', async () => {
    const dirs = [0, 1].map(() => fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-twice-')));
    try {
      for (const dir of dirs) {
        const publisher = new Publisher(demo.store, loadTheme(), new OutputStore(dir), pinnedClock());
        await buildSite(publisher);
      }
      const list = (dir: string) =>
        (fs.readdirSync(dir, { recursive: true }) as string[])
          .filter((f) => fs.statSync(path.join(dir, f)).isFile())
          .sort();
      const [a, b] = dirs as [string, string];
      assert.deepEqual(list(a), list(b));
      assert.ok(list(a).length > 50, `${list(a).length} files`);
      for (const file of list(a))
        assert.ok(fs.readFileSync(path.join(a, file)).equals(fs.readFileSync(path.join(b, file))), file);
    } finally {
      for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
