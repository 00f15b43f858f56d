import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractArticle, fileFromLink, isFileUrl, parsePage } from '../../../src/migrate/extract/index.js';

test('file URLs: by extension (any case), or through a download gateway', () => {
  const files = [
    'http://h/a/P020210520.doc',
    'http://h/a/P020210520.DOCX',
    'http://h/a/x.wps',
    'http://h/a/x.pdf',
    'http://h/a/x.xls',
    'http://h/a/x.xlsx',
    'http://h/a/x.ofd',
    'http://h/a/x.zip',
    'http://h/a/x.rar',
    'http://h/a/x.txt',
    'http://h/module/download/downfile.jsp?classid=0&filename=abc.pdf',
    'http://h/download.jsp?id=12',
    'http://h/Upload/DownLoad.aspx?FileID=9',
    'http://h/servlet/get?filename=%E9%80%9A%E7%9F%A5.docx',
  ];
  for (const url of files) assert.equal(isFileUrl(url), true, url);
  for (const url of ['http://h/a/t20210520_1.html', 'http://h/a/x.jpg', 'http://h/get?filename=a.html', 'not a url']) {
    assert.equal(isFileUrl(url), false, url);
  }
});

test('attachment names: the link text, with the extension added when it lacks it, else the file name', () => {
  assert.deepStrictEqual(fileFromLink('http://h/a/P02.doc', ' 关于…的通知.doc '), {
    url: 'http://h/a/P02.doc',
    name: '关于…的通知.doc',
  });
  assert.deepStrictEqual(fileFromLink('http://h/a/P02.PDF', '办法全文'), {
    url: 'http://h/a/P02.PDF',
    name: '办法全文.pdf',
  });
  assert.deepStrictEqual(fileFromLink('http://h/a/P02.ofd', ''), { url: 'http://h/a/P02.ofd', name: 'P02.ofd' });
  assert.deepStrictEqual(fileFromLink('http://h/a/%E9%99%84%E4%BB%B6.xls', ''), {
    url: 'http://h/a/%E9%99%84%E4%BB%B6.xls',
    name: '附件.xls',
  });
  assert.deepStrictEqual(fileFromLink('http://h/module/download/downfile.jsp?filename=2105.xlsx', '主要指标'), {
    url: 'http://h/module/download/downfile.jsp?filename=2105.xlsx',
    name: '主要指标.xlsx',
  });
  assert.deepStrictEqual(fileFromLink('http://h/module/download/downfile.jsp?filename=2105.xlsx', ''), {
    url: 'http://h/module/download/downfile.jsp?filename=2105.xlsx',
    name: '2105.xlsx',
  });
  assert.deepStrictEqual(fileFromLink('http://h/download.jsp?id=12', '申请表'), {
    url: 'http://h/download.jsp?id=12',
    name: '申请表',
  });
});

test('attachments in the body and in the 附件 block after it, each once; images with their alt', () => {
  const html = `<html><body>
  <div class="TRS_Editor"><p>请各单位填写<a href="./P0201_1.docx">附件1</a>并报送。</p>
  <p><a href="./P0201_1.docx">附件1</a> <a href="../../images/pic.png"><img src="./W0201.png" alt=" 流程图 "></a><img src="data:image/gif;base64,R0lGOD"></p></div>
  <div class="other">相关链接：<a href="/zwgk/">政务公开</a></div>
  <div class="xgfj">附件：<ul><li><a href="./P0201_2.pdf">附件2：评分标准</a></li><li><a href="/module/download/downfile.jsp?filename=P0201_3.XLS">名单</a></li></ul></div>
  </body></html>`;
  const article = extractArticle(parsePage(html), 'http://www.example.gov.cn/zwgk/tzgg/202105/t20210520_5.html', 'trs');
  assert.ok('attachments' in article);
  const dir = 'http://www.example.gov.cn/zwgk/tzgg/202105/';
  assert.deepStrictEqual(article.attachments, [
    { url: `${dir}P0201_1.docx`, name: '附件1.docx' },
    { url: `${dir}P0201_2.pdf`, name: '附件2：评分标准.pdf' },
    { url: 'http://www.example.gov.cn/module/download/downfile.jsp?filename=P0201_3.XLS', name: '名单.xls' },
  ]);
  assert.deepStrictEqual(article.images, [{ url: `${dir}W0201.png`, alt: '流程图' }]);
});
