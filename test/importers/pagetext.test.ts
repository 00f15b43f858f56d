import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  bodyToHtml,
  decodeTextFile,
  parseBreadcrumb,
  parseMetaLine,
  parsePageText,
} from '../../src/importers/index.js';
import { GazetteError } from '../../src/domain/index.js';
import { SEED_PAGE, VARIANT_PAGES } from '../helpers/factories.js';

const SH = 'Asia/Shanghai';
const page = (lines: string[]) => lines.join('\n');
const HEAD = [
  '今天是2025年12月01日 星期一',
  '首页 > 本区动态 > 正文',
  '标题',
  '来源: 本站       发布时间:2021-05-20 22:19',
  '',
];

function rejects(text: string, code: string, line: number) {
  assert.throws(
    () => parsePageText(text, SH),
    (error: unknown) => error instanceof GazetteError && error.code === code && error.location?.line === line,
    `${code} at line ${line}`,
  );
}

test('the seed page: columns, title, own source, time in the site zone, paragraphs and headings', () => {
  const parsed = parsePageText(decodeTextFile(fs.readFileSync(SEED_PAGE)), SH);
  assert.deepEqual(parsed.columns, ['本区动态']);
  assert.equal(parsed.title, '百年逐“一”梦 使命“同”担当丨吴江以“融入式党建”新成效向党“表白”');
  assert.equal(parsed.source, null);
  assert.equal(parsed.publishedAt.toISOString(), '2021-05-20T14:19:00.000Z');
  assert.equal((parsed.bodyHtml.match(/<p class="indent">/g) ?? []).length, 15);
  assert.deepEqual(
    [...parsed.bodyHtml.matchAll(/<h2>(.*?)<\/h2>/g)].map((m) => m[1]),
    ['《融•国家战略》', '《绘•诗意江南》', '《秀•最美先锋》', '《铸•时代华章》'],
  );
  assert.ok(parsed.bodyHtml.startsWith('<p class="indent">习近平总书记在党史学习教育动员大会上强调'));
  assert.ok(!/<(p|p class="indent"|h2)>[\s\u00a0\u3000]/.test(parsed.bodyHtml), 'indentation is a class, not spaces');
});

test('the date bar is optional and ignored', () => {
  const parsed = parsePageText(page([...HEAD.slice(1), '正文']), SH);
  assert.equal(parsed.title, '标题');
});

test('breadcrumbs nest columns as written; 当前位置 and other separators are understood', () => {
  assert.deepEqual(parseBreadcrumb('首页 > 政务公开 > 部门动态 > 正文'), ['政务公开', '部门动态']);
  assert.deepEqual(parseBreadcrumb('当前位置：首页 ＞ 互动交流 › 新闻发布会'), ['互动交流', '新闻发布会']);
  assert.deepEqual(parseBreadcrumb('网站首页>通知公告>详情'), ['通知公告']);
  assert.deepEqual(parseBreadcrumb('首页 > 正文'), []);
  assert.equal(parseBreadcrumb('政务公开 > 部门动态'), null);
  assert.equal(parseBreadcrumb('标题'), null);
});

test('the meta line: 本站 is the site itself; other sources, authors and editors are kept', () => {
  assert.deepEqual(parseMetaLine('来源: 本站       发布时间:2021-05-20 22:19'), {
    source: null,
    author: '',
    responsibleEditor: '',
    publishedAtText: '2021-05-20 22:19',
  });
  assert.deepEqual(parseMetaLine('来源：区统计局   作者：李华   发布时间：2025年10月20日 10:30  责任编辑：赵六'), {
    source: '区统计局',
    author: '李华',
    responsibleEditor: '赵六',
    publishedAtText: '2025年10月20日 10:30',
  });
  assert.equal(parseMetaLine('一段普通的正文'), null);
});

test('body: blank lines split paragraphs, leading spaces/NBSP/U+3000 mark indentation, lines keep their breaks', () => {
  assert.equal(
    bodyToHtml([
      '     甲段第一行',
      '甲段第二行',
      '',
      '乙段不缩进',
      '\u00a0\u00a0丙段',
      '',
      '\u3000\u3000丁段',
      '   ',
      '',
    ]),
    '<p class="indent">甲段第一行<br>甲段第二行</p>\n<p>乙段不缩进<br>丙段</p>\n<p class="indent">丁段</p>',
  );
});

test('body: a line that is only a bracketed title is a section heading; a title inside a sentence is not', () => {
  assert.equal(
    bodyToHtml(['《融•国家战略》', '     正文', '【一、提升效能】', '引用《宪法》条文。', '  《不是标题》和文字']),
    '<h2>《融•国家战略》</h2>\n<p class="indent">正文</p>\n<h2>【一、提升效能】</h2>\n<p>引用《宪法》条文。<br>《不是标题》和文字</p>',
  );
});

test('text is text: <, & and quotes are escaped, never markup', () => {
  const parsed = parsePageText(page([...HEAD, `     <script>alert("x")</script> A&B 'q' <b>粗</b>`]), SH);
  assert.equal(
    parsed.bodyHtml,
    `<p class="indent">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; A&amp;B &#39;q&#39; &lt;b&gt;粗&lt;/b&gt;</p>`,
  );
  const titled = parsePageText(page(['首页 > 本区动态 > 正文', '<i>A&B</i> "标题"', HEAD[3] ?? '', '', '正文']), SH);
  assert.equal(titled.title, '<i>A&B</i> "标题"', 'the title is stored as text and escaped when rendered');
});

test('subtitles between the title and the meta line; full-width colons and Chinese dates', () => {
  const parsed = parsePageText(
    decodeTextFile(fs.readFileSync(path.join(VARIANT_PAGES, 'fullwidth-author-subtitle.txt'))),
    SH,
  );
  assert.deepEqual(parsed.columns, ['互动交流', '新闻发布会', '发布会实录']);
  assert.equal(parsed.subtitle, '——前三季度地区生产总值同比增长5.8%');
  assert.equal(parsed.source, '区统计局');
  assert.equal(parsed.author, '李华');
  assert.equal(parsed.publishedAt.toISOString(), '2025-10-20T02:30:00.000Z');
  assert.ok(parsed.bodyHtml.includes('<h2>《答记者问》</h2>'));
  assert.ok(
    parsed.bodyHtml.includes(
      '<p class="indent">10月20日上午，区政府新闻办召开新闻发布会，通报本区2025年前三季度经济运行情况。<br>区统计局局长出席发布会并回答记者提问。</p>',
    ),
  );
});

test('CRLF line endings and seconds in the time', () => {
  const parsed = parsePageText(HEAD.join('\r\n').replace('22:19', '22:19:45') + '\r\n正文\r\n', SH);
  assert.equal(parsed.publishedAt.toISOString(), '2021-05-20T14:19:45.000Z');
  assert.equal(parsed.bodyHtml, '<p>正文</p>');
});

test('bad input names the line: no breadcrumb, no column, no title, no time, bad date, no body', () => {
  rejects(
    page(['今天是2025年12月01日 星期一', '标题', '来源: 本站 发布时间:2021-05-20 22:19', '', '正文']),
    'IMPORT_NO_BREADCRUMB',
    2,
  );
  rejects(
    page(['首页 > 正文', '标题', '来源: 本站 发布时间:2021-05-20 22:19', '正文']),
    'IMPORT_BREADCRUMB_NO_COLUMN',
    1,
  );
  rejects(
    page(['今天是2025年12月01日 星期一', '首页 > 本区动态 > 正文', '来源: 本站 发布时间:2021-05-20 22:19', '正文']),
    'IMPORT_NO_TITLE',
    3,
  );
  rejects(page(['首页 > 本区动态 > 正文', '', '']), 'IMPORT_NO_TITLE', 3);
  rejects(
    page(['首页 > 本区动态 > 正文', '标题', '', '正文第一段', '正文第二段', '正文第三段']),
    'IMPORT_NO_PUBLISH_TIME',
    4,
  );
  rejects(page(['首页 > 本区动态 > 正文', '标题', '来源: 本站']), 'IMPORT_NO_PUBLISH_TIME', 3);
  rejects(
    page(['首页 > 本区动态 > 正文', '标题', '', '来源: 本站 发布时间:2021-02-30 10:00', '', '正文']),
    'IMPORT_BAD_DATE',
    4,
  );
  rejects(page(['首页 > 本区动态 > 正文', '标题', '来源: 本站 发布时间:上周三', '', '正文']), 'IMPORT_BAD_DATE', 3);
  rejects(
    page(['首页 > 本区动态 > 正文', '标题', '来源: 本站 发布时间:2021-05-20 22:19', '', '  ', '\u3000']),
    'IMPORT_NO_BODY',
    6,
  );
});

test('bad bytes: empty, white space only, binary and non-UTF-8 are refused with their line', () => {
  const decodeRejects = (bytes: Uint8Array, code: string, line: number) =>
    assert.throws(
      () => decodeTextFile(bytes),
      (error: unknown) => error instanceof GazetteError && error.code === code && error.location?.line === line,
      code,
    );
  decodeRejects(new Uint8Array(), 'IMPORT_EMPTY', 1);
  decodeRejects(Buffer.from(' \n\u3000\n', 'utf8'), 'IMPORT_EMPTY', 1);
  decodeRejects(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]), 'IMPORT_BINARY', 3);
  // 首页 in GBK on the second line.
  decodeRejects(Buffer.concat([Buffer.from('标题\n'), Buffer.from([0xca, 0xd7, 0xd2, 0xb3])]), 'IMPORT_ENCODING', 2);
  decodeRejects(Buffer.from([0x61, 0xe4, 0xbd]), 'IMPORT_ENCODING', 1);
  decodeRejects(Buffer.from([0xc0, 0xaf]), 'IMPORT_ENCODING', 1); // overlong '/'
  decodeRejects(Buffer.from([0xed, 0xa0, 0x80]), 'IMPORT_ENCODING', 1); // a UTF-16 surrogate
  assert.equal(decodeTextFile(Buffer.from('\uFEFF首页', 'utf8')), '首页');
});
