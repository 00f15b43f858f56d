import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { buildSite, OutputStore, Publisher } from '../../src/publish/index.js';
import { loadTheme } from '../../src/theme/index.js';
import { negotiate } from '../../src/web/page-cache.js';
import { inProcessDemo, type InProcessDemo } from '../helpers/app.js';
import { pinnedClock } from '../helpers/store.js';

describe('serving published pages', () => {
  let demo: InProcessDemo;
  let articleUrl: string;

  before(async () => {
    demo = await inProcessDemo();
    const row = await demo.store.db.selectFrom('article').select('id').where('title', 'like', '%科技活动周%').executeTakeFirstOrThrow();
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
      ['br', 'gzip, br', 'gzip', 'br;q=0, gzip;q=0.5', 'deflate', '', '*', 'identity, *;q=0', 'BR'].map((h) => negotiate(h)),
      ['br', 'br', 'gzip', 'gzip', 'identity', 'identity', 'br', 'identity', 'br'],
    );
  });

  test('HEAD answers the headers without a body; feeds and the sitemap get their own types', async () => {
    const head = await demo.app.inject({ method: 'HEAD', url: '/' });
    assert.equal(head.statusCode, 200);
    assert.equal(head.body, '');
    assert.equal(head.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal((await demo.app.inject('/rss.xml')).headers['content-type'], 'application/rss+xml; charset=utf-8');
    assert.equal((await demo.app.inject('/bqdt/atom.xml')).headers['content-type'], 'application/atom+xml; charset=utf-8');
    const map = await demo.app.inject('/sitemap.xml');
    assert.deepEqual([map.headers['content-type'], map.headers['cache-control']], ['application/xml; charset=utf-8', 'public, max-age=300']);
    assert.equal((await demo.app.inject('/robots.txt')).headers['content-type'], 'text/plain; charset=utf-8');
  });

  test('the same content builds to the same bytes, compressed forms included', async () => {
    const dirs = [0, 1].map(() => fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-twice-')));
    try {
      for (const dir of dirs) {
        const publisher = new Publisher(demo.store.db, loadTheme(), new OutputStore(dir), pinnedClock());
        await buildSite(demo.store.db, publisher, pinnedClock());
      }
      const list = (dir: string) => (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(dir, f)).isFile()).sort();
      const [a, b] = dirs as [string, string];
      assert.deepEqual(list(a), list(b));
      assert.ok(list(a).length > 50, `${list(a).length} files`);
      for (const file of list(a)) assert.ok(fs.readFileSync(path.join(a, file)).equals(fs.readFileSync(path.join(b, file))), file);
    } finally {
      for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
