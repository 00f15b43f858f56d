import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { detectFamily, parsePage } from '../../../src/migrate/extract/index.js';
import type { CmsFamily } from '../../../src/migrate/types.js';

const HOST = 'http://www.example.gov.cn';

function family(html: string, path = '/a/b.html'): CmsFamily {
  return detectFamily(parsePage(html), `${HOST}${path}`);
}

function fixture(name: string): string {
  return fs.readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
}

test('the fixture pages are told apart', () => {
  assert.equal(family(fixture('trs-article.html')), 'trs');
  assert.equal(family(fixture('hanweb-article.html')), 'hanweb');
  assert.equal(family(fixture('ucap-article.html')), 'ucap');
  assert.equal(family(fixture('plain-article.html')), 'generic');
});

test('a generator meta tag names the family', () => {
  const page = (generator: string) =>
    `<html><head><meta name="generator" content="${generator}"></head><body><p>x</p></body></html>`;
  assert.equal(family(page('TRS WCM 6.5')), 'trs');
  assert.equal(family(page('Hanweb JCMS')), 'hanweb');
  assert.equal(family(page('大汉网络')), 'hanweb');
  assert.equal(family(page('开普云政务云平台')), 'ucap');
  assert.equal(family(page('WordPress 6.2')), 'generic');
});

test('body containers name the family; Hanweb markers around an old TRS_Editor make it Hanweb', () => {
  assert.equal(family('<div class="TRS_Editor"><p>x</p></div>'), 'trs');
  assert.equal(family('<a class="CurrChnlCls" href="../">本区动态</a>'), 'trs');
  assert.equal(family('<!--ZJEG_RSS.content.begin--><p>x</p><!--ZJEG_RSS.content.end-->'), 'hanweb');
  assert.equal(
    family(
      '<div id="zoom"><!--ZJEG_RSS.content.begin--><div class="TRS_Editor"><p>x</p></div><!--ZJEG_RSS.content.end--></div>',
    ),
    'hanweb',
  );
  assert.equal(family('<UCAPCONTENT><p>x</p></UCAPCONTENT>'), 'ucap');
  assert.equal(family('<div id="UCAP-CONTENT"><p>x</p></div>'), 'ucap');
});

test('URL shapes and paging scripts name the family of pages without containers (list pages)', () => {
  const bare = '<html><body><ul><li><a href="x.html">x</a></li></ul></body></html>';
  assert.equal(family(bare, '/xwzx/bqdt/202105/t20210520_123.html'), 'trs');
  assert.equal(family(bare, '/xwzx/bqdt/202105/t20210520_123_1.html'), 'trs');
  assert.equal(family(bare, '/art/2021/5/20/art_123_456.html'), 'hanweb');
  assert.equal(family(bare, '/col/col123/index.html'), 'hanweb');
  assert.equal(family('<script>createPageHTML(12, 0, "index", "html");</script>', '/xwzx/index.html'), 'trs');
  assert.equal(
    family('<script type="text/xml"><datastore><recordset></recordset></datastore></script>', '/list/index.html'),
    'hanweb',
  );
  assert.equal(family('<script src="/module/jslib/jquery/jquery.js"></script>', '/'), 'hanweb');
});

test('a page with no marker of any family is generic', () => {
  assert.equal(
    family('<html><head><title>首页</title></head><body><div class="content"><p>正文</p></div></body></html>'),
    'generic',
  );
  assert.equal(family('', '/'), 'generic');
  assert.equal(detectFamily(parsePage('<p>x</p>'), 'not a url'), 'generic');
});
