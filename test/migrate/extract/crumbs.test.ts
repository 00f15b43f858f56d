import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePage, readBreadcrumb } from '../../../src/migrate/extract/index.js';
import type { CmsFamily, CrumbStep } from '../../../src/migrate/types.js';

const PAGE = 'http://www.example.gov.cn/zwgk/tzgg/202105/t20210520_5.html';

function crumbs(body: string, family: CmsFamily = 'generic', url = PAGE): CrumbStep[] {
  return readBreadcrumb(parsePage(`<html><body>${body}</body></html>`), url, family);
}

test('TRS breadcrumb: ../ links resolved against the page, 首页 left out', () => {
  assert.deepStrictEqual(
    crumbs(
      '<div class="position">当前位置：<a href="../../../" class="CurrChnlCls">首页</a>&nbsp;&gt;&nbsp;<a href="../../" class="CurrChnlCls">政务公开</a>&nbsp;&gt;&nbsp;<a href="../" class="CurrChnlCls">通知公告</a></div>',
      'trs',
    ),
    [
      { name: '政务公开', url: 'http://www.example.gov.cn/zwgk/' },
      { name: '通知公告', url: 'http://www.example.gov.cn/zwgk/tzgg/' },
    ],
  );
});

test('TRS CurrChnlCls links without a breadcrumb class or words', () => {
  assert.deepStrictEqual(
    crumbs(
      '<span><a href="../../../" class="CurrChnlCls">网站首页</a> / <a href="../" class="CurrChnlCls">通知公告</a></span>',
      'trs',
    ),
    [{ name: '通知公告', url: 'http://www.example.gov.cn/zwgk/tzgg/' }],
  );
});

test('a list-shaped breadcrumb, an unlinked step, 正文 at the end dropped, script links kept without URL', () => {
  assert.deepStrictEqual(
    crumbs(
      '<ol class="breadcrumb"><li><a href="/">Home</a></li><li><a href="javascript:void(0)">政务公开</a></li><li>部门动态</li><li>正文</li></ol>',
    ),
    [
      { name: '政务公开', url: null },
      { name: '部门动态', url: null },
    ],
  );
});

test('found by the words 您现在的位置 in a table cell, separators › and »', () => {
  assert.deepStrictEqual(
    crumbs(
      '<table><tr><td>您现在的位置：<a href="/">首页</a> › <a href="/col/col120/index.html">政务公开</a> » <a href="/col/col123/index.html">统计数据</a></td></tr></table>',
      'hanweb',
      'http://www.example.gov.cn/art/2021/5/20/art_123_456.html',
    ),
    [
      { name: '政务公开', url: 'http://www.example.gov.cn/col/col120/index.html' },
      { name: '统计数据', url: 'http://www.example.gov.cn/col/col123/index.html' },
    ],
  );
});

test('an unclosed breadcrumb ends at the first block after its steps', () => {
  assert.deepStrictEqual(
    crumbs(
      '<div class="location">当前位置：<a href="/">首页</a> &gt; <a href="/xw/">新闻</a><h1>标题</h1><p>正文第一段。</p>',
    ),
    [{ name: '新闻', url: 'http://www.example.gov.cn/xw/' }],
  );
});

test('no breadcrumb: an empty list (a class that merely says position is not one)', () => {
  assert.deepStrictEqual(crumbs('<div class="position-fixed">返回顶部</div><h1>标题</h1><p>正文</p>'), []);
  assert.deepStrictEqual(crumbs(''), []);
});
