import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeHtml, htmlToText, sanitizeBodyHtml } from '../../src/domain/index.js';

test('escaping keeps text as text', () => {
  assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
});

test('the body sanitiser keeps structure and drops anything active', () => {
  const dirty =
    '<h1>标题</h1><p class="indent evil" style="color:red" onclick="x()">段落<script>alert(1)</script></p>' +
    '<a href="javascript:alert(1)">链接</a><img src="x.png" onerror="x()" alt="图"><iframe src="//evil"></iframe>' +
    '<svg><script>alert(1)</script></svg><table><tr><td colspan="2">格</td></tr></table>';
  assert.equal(
    sanitizeBodyHtml(dirty),
    '<h2>标题</h2><p class="indent">段落</p><a>链接</a><img src="x.png" alt="图" /><table><tr><td colspan="2">格</td></tr></table>',
  );
});

test('text of HTML: block elements end lines, scripts are not text, entities decoded', () => {
  assert.equal(htmlToText('<p>甲&amp;乙</p><p>丙<br>丁</p><script>x</script><h2>戊</h2>'), '甲&乙\n丙\n丁\n戊');
});
