import { test } from 'node:test';
import assert from 'node:assert/strict';
import { roleByShape } from '../../../src/migrate/discover/index.js';
import type { CmsFamily, LinkRole } from '../../../src/migrate/types.js';

const H = 'http://www.example.gov.cn';

function roles(family: CmsFamily, urls: readonly string[]): Record<string, LinkRole | null> {
  return Object.fromEntries(urls.map((url) => [url.replace(H, ''), roleByShape(url, family)]));
}

test('files: by extension, whatever the case, and through download gateways', () => {
  const urls = [
    `${H}/a/P0202105.DOC`,
    `${H}/a/b.wps`,
    `${H}/a/b.ofd`,
    `${H}/a/b.rar`,
    `${H}/a/%E9%99%84%E4%BB%B6.pdf`,
    `${H}/download.jsp?id=5`,
    `${H}/module/download/downfile.jsp?classid=0&filename=abc.xlsx`,
    `${H}/DownLoad.aspx?fid=9`,
    `${H}/servlet/get?filename=通知.docx`,
    `${H}/download.jsp`,
  ];
  assert.deepStrictEqual(roles('generic', urls), {
    '/a/P0202105.DOC': 'file',
    '/a/b.wps': 'file',
    '/a/b.ofd': 'file',
    '/a/b.rar': 'file',
    '/a/%E9%99%84%E4%BB%B6.pdf': 'file',
    '/download.jsp?id=5': 'file',
    '/module/download/downfile.jsp?classid=0&filename=abc.xlsx': 'file',
    '/DownLoad.aspx?fid=9': 'file',
    '/servlet/get?filename=通知.docx': 'file',
    '/download.jsp': null,
  });
});

test('TRS shapes: t-pages and their continuations are articles, column directories and index_N lists', () => {
  const urls = [
    `${H}/`,
    `${H}/index.html`,
    `${H}/xwzx/`,
    `${H}/xwzx/bqdt/index.html`,
    `${H}/xwzx/bqdt/index_11.html`,
    `${H}/xwzx/bqdt/202105/t20210520_123.html`,
    `${H}/xwzx/bqdt/202105/t20210520_123_1.html`,
    `${H}/xwzx/bqdt/202105/t20210520_123.shtml`,
    `${H}/bottom/gywm.html`,
    `${H}/wzdt/`,
    `${H}/images/logo.png`,
  ];
  assert.deepStrictEqual(roles('trs', urls), {
    '/': 'page',
    '/index.html': 'page',
    '/xwzx/': 'list',
    '/xwzx/bqdt/index.html': 'list',
    '/xwzx/bqdt/index_11.html': 'list',
    '/xwzx/bqdt/202105/t20210520_123.html': 'article',
    '/xwzx/bqdt/202105/t20210520_123_1.html': 'article',
    '/xwzx/bqdt/202105/t20210520_123.shtml': 'article',
    '/bottom/gywm.html': null,
    '/wzdt/': 'list',
    '/images/logo.png': null,
  });
});

test('Hanweb shapes: /art/Y/M/D/art_col_id.html articles, /col/colN/ lists', () => {
  const urls = [
    `${H}/art/2021/5/20/art_123_456.html`,
    `${H}/col/col123/index.html`,
    `${H}/col/col123/index_3.html`,
    `${H}/col/col123/`,
    `${H}/module/xxgk/search.jsp?infotypeId=1`,
  ];
  assert.deepStrictEqual(roles('hanweb', urls), {
    '/art/2021/5/20/art_123_456.html': 'article',
    '/col/col123/index.html': 'list',
    '/col/col123/index_3.html': 'list',
    '/col/col123/': 'list',
    '/module/xxgk/search.jsp?infotypeId=1': null,
  });
});

test('shapes every family shares: detail pages and list pages of the lesser CMSs', () => {
  const urls = [
    `${H}/content/2021-05/20/content_5607812.htm`,
    `${H}/content/`,
    `${H}/news/detail.jsp?id=5`,
    `${H}/news/shownews.asp?id=77`,
    `${H}/NewsView.aspx?NewsID=123`,
    `${H}/NewsView.aspx`,
    `${H}/xxgk/202105/8a2f1234.html`,
    `${H}/news/20210520123.html`,
    `${H}/news/2021/0520/1234.html`,
    `${H}/news/list.html`,
    `${H}/news/list_3.html`,
    `${H}/news/index.html`,
    `${H}/NewsList.aspx?cid=3`,
    `${H}/news.aspx?cid=3&page=2`,
    `${H}/sitemap.xml`,
    `${H}/feed.xml`,
    `${H}/about`,
  ];
  assert.deepStrictEqual(roles('ucap', urls), {
    '/content/2021-05/20/content_5607812.htm': 'article',
    '/content/': null,
    '/news/detail.jsp?id=5': 'article',
    '/news/shownews.asp?id=77': 'article',
    '/NewsView.aspx?NewsID=123': 'article',
    '/NewsView.aspx': null,
    '/xxgk/202105/8a2f1234.html': 'article',
    '/news/20210520123.html': 'article',
    '/news/2021/0520/1234.html': null,
    '/news/list.html': 'list',
    '/news/list_3.html': 'list',
    '/news/index.html': 'list',
    '/NewsList.aspx?cid=3': 'list',
    '/news.aspx?cid=3&page=2': 'list',
    '/sitemap.xml': 'page',
    '/feed.xml': null,
    '/about': null,
  });
  assert.equal(roleByShape('not a url', 'generic'), null);
});
