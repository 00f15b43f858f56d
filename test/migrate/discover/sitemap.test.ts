import { test } from 'node:test';
import assert from 'node:assert/strict';
import { robotsSitemaps, sitemapLinks } from '../../../src/migrate/discover/index.js';
import type { DiscoveredLink } from '../../../src/migrate/types.js';

const ORIGIN = 'http://www.wj.gov.cn';

const URLSET = `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>http://www.wj.gov.cn/</loc><changefreq>daily</changefreq></url>
  <url><loc>http://www.wj.gov.cn/xwzx/bqdt/</loc></url>
  <url><loc>http://www.wj.gov.cn/xwzx/bqdt/index_1.html</loc></url>
  <url>
    <loc>
      http://www.wj.gov.cn/xwzx/bqdt/202105/t20210520_123.html
    </loc>
    <lastmod>2021-05-20</lastmod>
  </url>
  <url><loc>http://www.wj.gov.cn/xwzx/bqdt/202105/P020210520123_1.doc</loc></url>
  <url><loc>http://www.wj.gov.cn/NewsView.aspx?NewsID=123&amp;type=1</loc></url>
  <url><loc>http://www.wj.gov.cn/images/banner.jpg</loc></url>
  <url><loc>http://www.suzhou.gov.cn/xwzx/t20210520_9.html</loc></url>
  <url><loc>http://www.wj.gov.cn/xwzx/bqdt/202105/t20210520_123.html#top</loc></url>
</urlset>`;

test('a sitemap urlset: every page on the origin with its role by shape', () => {
  const expected: DiscoveredLink[] = [
    { url: `${ORIGIN}/`, role: 'page', text: '' },
    { url: `${ORIGIN}/xwzx/bqdt/`, role: 'list', text: '' },
    { url: `${ORIGIN}/xwzx/bqdt/index_1.html`, role: 'list', text: '' },
    { url: `${ORIGIN}/xwzx/bqdt/202105/t20210520_123.html`, role: 'article', text: '' },
    { url: `${ORIGIN}/xwzx/bqdt/202105/P020210520123_1.doc`, role: 'file', text: '' },
    { url: `${ORIGIN}/NewsView.aspx?NewsID=123&type=1`, role: 'article', text: '' },
  ];
  assert.deepStrictEqual(sitemapLinks(URLSET, ORIGIN, 'trs'), expected);
  // Without the family, the shapes every family shares: a bare directory says nothing.
  assert.deepStrictEqual(
    sitemapLinks(URLSET, ORIGIN),
    expected.map((link) => (link.url === `${ORIGIN}/xwzx/bqdt/` ? { ...link, role: 'page' } : link)),
  );
});

test('a sitemap index: its child sitemaps as pages for the caller to fetch', () => {
  const index = `<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>http://www.wj.gov.cn/sitemap_1.xml</loc><lastmod>2021-05-20</lastmod></sitemap>
  <sitemap><loc>http://www.wj.gov.cn/xwzx/sitemap.xml</loc></sitemap>
  <sitemap><loc>https://cdn.example.com/sitemap_3.xml</loc></sitemap>
</sitemapindex>`;
  assert.deepStrictEqual(sitemapLinks(index, ORIGIN), [
    { url: `${ORIGIN}/sitemap_1.xml`, role: 'page', text: '' },
    { url: `${ORIGIN}/xwzx/sitemap.xml`, role: 'page', text: '' },
  ]);
  assert.deepStrictEqual(sitemapLinks('<html><body>404 页面不存在</body></html>', ORIGIN), []);
});

test('robots.txt: the Sitemap lines on the origin, once each', () => {
  const robots = [
    'User-agent: *',
    'Disallow: /admin/',
    'Sitemap: http://www.wj.gov.cn/sitemap.xml',
    'sitemap:/sitemap_news.xml   # relative, still ours',
    '# Sitemap: http://www.wj.gov.cn/old.xml',
    'Sitemap: http://www.suzhou.gov.cn/sitemap.xml',
    'SITEMAP: http://www.wj.gov.cn/sitemap.xml',
  ].join('\r\n');
  assert.deepStrictEqual(robotsSitemaps(robots, ORIGIN), [`${ORIGIN}/sitemap.xml`, `${ORIGIN}/sitemap_news.xml`]);
  assert.deepStrictEqual(robotsSitemaps('User-agent: *\nDisallow:\n', ORIGIN), []);
});
