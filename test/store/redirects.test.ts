import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { redirects, sites, type RedirectRow } from '../../src/store/index.js';
import type { Site } from '../../src/domain/index.js';
import { BACKENDS, type TestStore } from '../helpers/store.js';

const NOW = new Date('2025-12-01T01:00:00.000Z');
const LATER = new Date('2025-12-02T03:04:05.678Z');

const siteFields = (domain: string) => ({
  name: domain,
  domain,
  hostOrganization: '测试区人民政府办公室',
  siteCode: '1234567890',
  icpRecord: '',
  policeRecord: '',
  address: '',
  contact: '',
  timeZone: 'Asia/Shanghai',
  description: '',
  keywords: '',
});

const ARTICLE = '/bqdt/202105/t20210520_7.html';

test('an old path as a browser sends it, and as nginx compares it', () => {
  const forms = [
    '/中文/a b.html?q=中',
    '//x/../y',
    '/a?',
    '/a#frag',
    '/A/./b/../C.aspx?ID=1&x=Y',
    '/%CD%A8%D6%AA.html',
    '/a%2fb',
  ].map((path) => [redirects.requestFormOf(path), redirects.requestKeyOf(path)]);
  assert.deepEqual(forms, [
    ['/%E4%B8%AD%E6%96%87/a%20b.html?q=%E4%B8%AD', '/%e4%b8%ad%e6%96%87/a%20b.html?q=%e4%b8%ad'],
    ['//y', '//y'],
    ['/a?', '/a?'],
    ['/a', '/a'],
    ['/A/C.aspx?ID=1&x=Y', '/a/c.aspx?id=1&x=y'],
    ['/%CD%A8%D6%AA.html', '/%cd%a8%d6%aa.html'],
    ['/a%2fb', '/a%2fb'],
  ]);
});

for (const backend of BACKENDS) {
  describe(`redirects on ${backend.name}`, () => {
    let store: TestStore;
    let site: Site;
    let other: Site;
    const row = (oldPath: string, target: string, kind: RedirectRow['kind'], at = NOW): RedirectRow => ({
      siteId: site.id,
      oldPath,
      target,
      kind,
      createdAt: at.toISOString(),
    });

    before(async () => {
      store = await backend.open();
      site = await sites.insertSite(store.db, siteFields('www.example.gov.cn'), NOW);
      other = await sites.insertSite(store.db, siteFields('swj.example.gov.cn'), NOW);
    });
    after(() => store.dispose());

    test('put, find, replace: a path recorded again takes the new target and kind, and keeps its date', async () => {
      await redirects.putRedirects(
        store.db,
        site.id,
        [
          { oldPath: '/NewsView.aspx?NewsID=123', target: '/old-guess.html', kind: 'page' },
          { oldPath: '/xwzx/通知公告/index.html', target: '/tzgg/', kind: 'list' },
          // Of repeats in one call the last wins.
          { oldPath: '/NewsView.aspx?NewsID=123', target: ARTICLE, kind: 'article' },
        ],
        NOW,
      );
      await redirects.putRedirects(
        store.db,
        other.id,
        [{ oldPath: '/NewsView.aspx?NewsID=123', target: '/swj.html', kind: 'page' }],
        NOW,
      );
      assert.deepEqual(
        await redirects.findRedirect(store.db, site.id, '/NewsView.aspx?NewsID=123'),
        row('/NewsView.aspx?NewsID=123', ARTICLE, 'article'),
      );
      await redirects.putRedirects(
        store.db,
        site.id,
        [{ oldPath: '/xwzx/通知公告/index.html', target: '/xxgk/tzgg/', kind: 'page' }],
        LATER,
      );
      assert.deepEqual(
        await redirects.findRedirect(store.db, site.id, '/xwzx/通知公告/index.html'),
        row('/xwzx/通知公告/index.html', '/xxgk/tzgg/', 'page'),
      );
      assert.deepEqual(await redirects.findRedirect(store.db, other.id, '/NewsView.aspx?NewsID=123'), {
        ...row('/NewsView.aspx?NewsID=123', '/swj.html', 'page'),
        siteId: other.id,
      });
      assert.equal(await redirects.findRedirect(store.db, site.id, '/NewsView.aspx?NewsID=124'), undefined);
      assert.equal(await redirects.countRedirects(store.db, site.id), 2);
      assert.equal(await redirects.countRedirects(store.db, other.id), 1);
    });

    test('a request finds its old path as sent, percent-decoded, or in another case when only one is alike', async () => {
      await redirects.putRedirects(
        store.db,
        site.id,
        [
          { oldPath: '/xxgk/%CD%A8%D6%AA.html', target: '/gbk/', kind: 'list' },
          { oldPath: '/News.aspx?id=1', target: '/upper.html', kind: 'article' },
          { oldPath: '/news.aspx?id=1', target: '/lower.html', kind: 'article' },
        ],
        NOW,
      );
      const lookup = async (url: string) =>
        (await redirects.findRedirectForRequest(store.db, site.id, url))?.target ?? null;
      assert.deepEqual(
        [
          await lookup('/NewsView.aspx?NewsID=123'),
          await lookup('/xwzx/%E9%80%9A%E7%9F%A5%E5%85%AC%E5%91%8A/index.html'),
          await lookup('/xxgk/%CD%A8%D6%AA.html'),
          await lookup('/newsview.aspx?newsid=123'),
          await lookup('/NEWSVIEW.ASPX?NEWSID=123'),
          await lookup('/News.aspx?id=1'),
          await lookup('/news.aspx?id=1'),
          // Two old paths are alike in another case: which one was meant cannot be told.
          await lookup('/NEWS.aspx?id=1'),
          await lookup('/NewsView.aspx?NewsID=1234'),
          await lookup('NewsView.aspx?NewsID=123'),
          await lookup(`/${'x'.repeat(3000)}`),
        ],
        [ARTICLE, '/xxgk/tzgg/', '/gbk/', ARTICLE, ARTICLE, '/upper.html', '/lower.html', null, null, null, null],
      );
      assert.equal(await redirects.findRedirectForRequest(store.db, other.id, '/xxgk/%CD%A8%D6%AA.html'), undefined);
    });

    test('listed in code point order, a page at a time', async () => {
      const all: string[] = [];
      for (let after: string | null = null; ;) {
        const page: RedirectRow[] = await redirects.listRedirects(store.db, site.id, after, 2);
        all.push(...page.map((r) => r.oldPath));
        const last = page[page.length - 1];
        if (!last) break;
        after = last.oldPath;
      }
      assert.deepEqual(all, [
        '/News.aspx?id=1',
        '/NewsView.aspx?NewsID=123',
        '/news.aspx?id=1',
        '/xwzx/通知公告/index.html',
        '/xxgk/%CD%A8%D6%AA.html',
      ]);
      assert.deepEqual(await redirects.listRedirects(store.db, site.id, '/xwzx/通知公告/index.html', 10), [
        row('/xxgk/%CD%A8%D6%AA.html', '/gbk/', 'list'),
      ]);
    });

    test('what an nginx map needs first: the count, the longest key, keys shared by several old paths, a $ in a target', async () => {
      assert.deepEqual(await redirects.mapFacts(store.db, site.id), {
        count: 5,
        // '/xwzx/%E9%80%9A%E7%9F%A5%E5%85%AC%E5%91%8A/index.html'
        longestKey: 53,
        sharedKeys: new Set(['/news.aspx?id=1']),
        dollar: false,
      });
      await redirects.putRedirects(
        store.db,
        other.id,
        [{ oldPath: '/P0202105.doc', target: '/media/file/ab/price$1.doc', kind: 'file' }],
        NOW,
      );
      assert.deepEqual(await redirects.mapFacts(store.db, other.id), {
        count: 2,
        longestKey: 25,
        sharedKeys: new Set(),
        dollar: true,
      });
      const empty = await sites.insertSite(store.db, siteFields('jyj.example.gov.cn'), NOW);
      assert.deepEqual(await redirects.mapFacts(store.db, empty.id), {
        count: 0,
        longestKey: 0,
        sharedKeys: new Set(),
        dollar: false,
      });
    });

    test('thousands of redirects at once go in chunks', async () => {
      const many = Array.from({ length: 2500 }, (_, i) => ({
        oldPath: `/art/2021/5/20/art_123_${String(i).padStart(4, '0')}.html`,
        target: `/bqdt/202105/t20210520_${i + 1}.html`,
        kind: 'article' as const,
      }));
      await redirects.putRedirects(store.db, other.id, many, NOW);
      await redirects.putRedirects(store.db, other.id, many, LATER);
      assert.equal(await redirects.countRedirects(store.db, other.id), 2502);
      const page = await redirects.listRedirects(store.db, other.id, null, 3000);
      // Upper case sorts first: the two older rows, then the 2,500. Compared as text: a failing
      // deep comparison of thousands of rows takes minutes to describe.
      const lines = (rows: readonly RedirectRow[]) => rows.map((r) => JSON.stringify(r)).join('\n');
      assert.deepEqual(
        page.slice(0, 2).map((r) => r.oldPath),
        ['/NewsView.aspx?NewsID=123', '/P0202105.doc'],
      );
      assert.equal(
        lines(page.slice(2)),
        lines(many.map((r) => ({ siteId: other.id, ...r, createdAt: NOW.toISOString() }))),
      );
    });

    test('a redirect goes from a path to a path, of at most 2,048 bytes as a browser sends it', async () => {
      const refused = [
        { oldPath: 'NewsView.aspx', target: ARTICLE, kind: 'article' as const },
        { oldPath: '/NewsView.aspx', target: 'http://elsewhere.example/', kind: 'article' as const },
        // 700 characters, 6,300 bytes once percent-encoded.
        { oldPath: `/${'长'.repeat(700)}.html`, target: ARTICLE, kind: 'article' as const },
      ];
      for (const bad of refused)
        await assert.rejects(redirects.putRedirects(store.db, site.id, [bad], NOW), RangeError);
      assert.equal(await redirects.countRedirects(store.db, site.id), 5);
    });
  });
}
