import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { importPage } from '../../src/services/index.js';
import { loadSiteView, sitemap, sitemapLayout } from '../../src/publish/index.js';
import { inProcessDemo, type InProcessDemo } from '../helpers/app.js';
import { contextFor, type TestStore } from '../helpers/store.js';
import { makePage } from '../helpers/factories.js';

const all = (text: string, pattern: RegExp) => [...text.matchAll(pattern)].map((m) => m[1]);

describe('feeds, sitemap, robots.txt and JSON-LD', () => {
  let store: TestStore;
  let app: FastifyInstance;
  let hostile: string;

  let demo: InProcessDemo | undefined;

  before(async () => {
    demo = await inProcessDemo();
    ({ store, app } = demo);
    const result = await importPage(
      contextFor(store),
      makePage({
        columns: ['本区动态'],
        title: '标题 </script><script>alert(1)</script> & “引号”',
        publishedAt: new Date('2025-11-30T02:00:00Z'),
      }),
    );
    hostile = result.path;
  });
  after(() => demo?.close());

  test('RSS 2.0 of the whole site: newest first, absolute links, RFC 822 dates, escaped text', async () => {
    const response = await app.inject('/rss.xml');
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['content-type'], 'application/rss+xml; charset=utf-8');
    const body = response.body;
    assert.ok(
      body.startsWith(
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">',
      ),
    );
    assert.deepEqual(all(body, /<item>\s*<title>([^<]*)<\/title>/g).slice(0, 3), [
      '标题 &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; “引号”',
      '关于2026年元旦假期有关工作安排的通知',
      '区市场监管局开展“守护消费”食品安全专项检查',
    ]);
    assert.equal(all(body, /<item>/g).length, 7);
    assert.ok(body.includes(`<link>https://www.example.gov.cn${hostile}</link>`));
    assert.ok(body.includes('<pubDate>Sun, 30 Nov 2025 02:00:00 +0000</pubDate>'));
    assert.ok(
      body.includes('<atom:link href="https://www.example.gov.cn/rss.xml" rel="self" type="application/rss+xml"/>'),
    );
  });

  test('Atom per column, sub-columns included, times with the site offset', async () => {
    const bqdt = (await app.inject('/bqdt/atom.xml')).body;
    assert.deepEqual(all(bqdt, /<entry>\s*<title>([^<]*)<\/title>/g).length, 3);
    assert.ok(bqdt.includes('<published>2021-05-20T22:19:00+08:00</published>'));
    assert.ok(bqdt.includes('<link rel="self" href="https://www.example.gov.cn/bqdt/atom.xml"/>'));
    const zwgk = (await app.inject('/zwgk/rss.xml')).body;
    assert.deepEqual(all(zwgk, /<item>\s*<title>([^<]*)<\/title>/g), [
      '区市场监管局开展“守护消费”食品安全专项检查',
      '示范区关于进一步优化营商环境的若干措施',
      '2025年区属事业单位公开招聘工作人员拟聘用人员公示',
    ]);
    assert.equal((await app.inject('/nope/rss.xml')).statusCode, 404);
  });

  test('pages advertise their feeds', async () => {
    const html = (await app.inject('/bqdt/')).body;
    assert.ok(
      html.includes('<link rel="alternate" type="application/rss+xml" title="示范区人民政府" href="/rss.xml">'),
    );
    assert.ok(
      html.includes(
        '<link rel="alternate" type="application/rss+xml" title="本区动态 - 示范区人民政府" href="/bqdt/rss.xml">',
      ),
    );
  });

  test('sitemap.xml lists home, columns and every article with lastmod', async () => {
    const response = await app.inject('/sitemap.xml');
    assert.equal(response.headers['content-type'], 'application/xml; charset=utf-8');
    const locs = all(response.body, /<loc>([^<]*)<\/loc>/g);
    assert.equal(locs[0], 'https://www.example.gov.cn/');
    assert.ok(locs.includes('https://www.example.gov.cn/zwgk/bmdt/'));
    assert.ok(locs.includes(`https://www.example.gov.cn${hostile}`));
    assert.equal(locs.length, 1 + 7 + 7);
    assert.equal((await app.inject('/sitemap-1.xml')).statusCode, 404, 'no parts while one file holds it all');
  });

  test('past the per-file limit the sitemap becomes an index of parts that hold every URL once', async () => {
    const view = (await loadSiteView(store.db))!;
    // 7 articles, 4 ids a part: part 1 the fixed pages, part 2 ids 1–4, part 3 ids 5–7.
    const index = await sitemap(store.db, view, null, 4);
    assert.deepEqual(
      all(index ?? '', /<loc>([^<]*)<\/loc>/g),
      [1, 2, 3].map((n) => `https://www.example.gov.cn/sitemap-${n}.xml`),
    );
    const parts: string[] = [];
    for (let part = 1; part <= 3; part++)
      parts.push(
        ...all((await sitemap(store.db, view, part, 4)) ?? '', /<loc>([^<]*)<\/loc>/g).filter(
          (x): x is string => x !== undefined,
        ),
      );
    const whole = all((await sitemap(store.db, view, null)) ?? '', /<loc>([^<]*)<\/loc>/g);
    assert.deepEqual(parts, whole);
    assert.equal(
      all((await sitemap(store.db, view, 1, 4)) ?? '', /<loc>([^<]*)<\/loc>/g).length,
      1 + 7,
      'home and columns',
    );
    assert.equal(await sitemap(store.db, view, 4, 4), null);
  });

  test("a small site keeps one sitemap file however high the platform's article ids run", () => {
    // 7 articles and 8 fixed pages fit in 20 whatever the store's highest id (another site's).
    assert.deepEqual(sitemapLayout(7, 1_000_000, 8, 20), { single: true, parts: 0 });
    assert.deepEqual(sitemapLayout(13, 1_000_000, 8, 20), { single: false, parts: 50_001 });
  });

  test('robots.txt keeps crawlers out of the back office, API and search, and names the sitemap', async () => {
    const response = await app.inject('/robots.txt');
    assert.equal(response.headers['content-type'], 'text/plain; charset=utf-8');
    assert.equal(
      response.body,
      'User-agent: *\nDisallow: /admin/\nDisallow: /api/\nDisallow: /search\nSitemap: https://www.example.gov.cn/sitemap.xml\n',
    );
  });

  test('article pages carry NewsArticle JSON-LD that no title can break out of', async () => {
    const html = (await app.inject(hostile)).body;
    const script = /<script type="application\/ld\+json">(.*?)<\/script>/.exec(html)?.[1] ?? '';
    assert.ok(!script.includes('<'));
    const data = JSON.parse(script) as {
      '@type': string;
      headline: string;
      datePublished: string;
      mainEntityOfPage: string;
      publisher: { name: string };
    };
    assert.equal(data['@type'], 'NewsArticle');
    assert.equal(data.headline, '标题 </script><script>alert(1)</script> & “引号”');
    assert.equal(data.datePublished, '2025-11-30T10:00:00+08:00');
    assert.equal(data.mainEntityOfPage, `https://www.example.gov.cn${hostile}`);
    assert.equal(data.publisher.name, '示范区人民政府办公室');
  });
});
