import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { pageProblem, parsePage } from '../../../src/migrate/extract/index.js';

const URL_ = 'http://www.example.gov.cn/xwzx/bqdt/202105/t20210520_123.html';

function problem(html: string, status = 200, url = URL_) {
  return pageProblem(parsePage(html), status, url);
}

/** What 加速乐 answers a client without its cookie (shortened). */
const JSL_CHALLENGE = `<html><body><script>document.cookie=('_')+('_')+('j')+('s')+('l')+('_')+('c')+('l')+('e')+('a')+('r')+('a')+('n')+('c')+('e')+('=')+('1621480')+';max-age=3600;path=/';
document.cookie='__jsl_clearance=1621480.123|0|abc;max-age=3600;path=/';location.href=location.pathname+location.search</script></body></html>`;

test('an anti-bot challenge: HTTP 521, or a 200 whose script sets __jsl_clearance', () => {
  assert.deepStrictEqual(problem(JSL_CHALLENGE, 521), { kind: 'challenge', reason: 'HTTP 521: anti-bot challenge' });
  assert.deepStrictEqual(problem('<html><body></body></html>', 521), {
    kind: 'challenge',
    reason: 'HTTP 521: anti-bot challenge',
  });
  assert.deepStrictEqual(problem(JSL_CHALLENGE, 200), {
    kind: 'challenge',
    reason: 'anti-bot challenge (__jsl_clearance)',
  });
});

test('a page whose only content is a script that sets a cookie and reloads is a challenge', () => {
  const html = `<html><head><script>var x="a1b2";document.cookie="wzws_cid="+x+"; path=/";window.location.reload();</script></head><body></body></html>`;
  assert.deepStrictEqual(problem(html), {
    kind: 'challenge',
    reason: 'anti-bot challenge (script sets a cookie and reloads, no text)',
  });
});

test('a login wall: a password form as the page, by title, address or lack of anything else', () => {
  const form = `<form action="/login.do" method="post"><label>用户名<input name="u"></label><label>密码<input type="PASSWORD" name="p"></label><button>登录</button></form>`;
  assert.deepStrictEqual(problem(`<html><head><title>统一身份认证平台</title></head><body>${form}</body></html>`), {
    kind: 'login',
    reason: 'login page: 统一身份认证平台',
  });
  assert.deepStrictEqual(
    problem(
      `<html><head><title>示范区</title></head><body>${form}</body></html>`,
      200,
      'http://www.example.gov.cn/sso/login?next=/zwgk/',
    ),
    { kind: 'login', reason: 'login page (password form at a login address)' },
  );
  assert.deepStrictEqual(
    problem(`<html><head><title>内部资料</title></head><body><p>请先登录。</p>${form}</body></html>`),
    {
      kind: 'login',
      reason: 'login wall (a password form is the page)',
    },
  );
});

test('an article with a small login box beside it is content', () => {
  const html = fs
    .readFileSync(new URL('./fixtures/trs-article.html', import.meta.url), 'utf8')
    .replace(
      '<div class="footer">',
      '<div class="mail"><form><input name="u"><input type="password" name="p"></form></div><div class="footer">',
    );
  assert.equal(problem(html), null);
});

test('an ASP.NET page wrapped in one form: an article with a login box is content, a bare login page is not', () => {
  const box =
    '<div class="login">用户名<input name="u">密码<input type="password" name="p"><input type="submit" value="登录"></div>';
  const article = `<p>${'区政府召开常务会议，研究部署下一阶段重点工作。'.repeat(20)}</p>`;
  assert.equal(
    problem(
      `<html><head><title>统一身份认证平台上线</title></head><body><form id="form1">${box}${article}</form></body></html>`,
    ),
    null,
  );
  assert.deepStrictEqual(
    problem(
      `<html><head><title>示范区</title></head><body><form id="form1">${box}<p>版权所有</p></form></body></html>`,
    ),
    {
      kind: 'login',
      reason: 'login wall (a password form is the page)',
    },
  );
});

test('error pages: HTTP 4xx/5xx, or a 200 titled 404/页面不存在/访问出错/系统繁忙 with little text', () => {
  assert.deepStrictEqual(problem('<html><body><p>Not Found</p></body></html>', 404), {
    kind: 'error',
    reason: 'HTTP 404',
  });
  assert.deepStrictEqual(problem('<html><body></body></html>', 503), { kind: 'error', reason: 'HTTP 503' });
  const titled = (title: string) =>
    `<html><head><title>${title}</title></head><body><h1>${title}</h1><p>您访问的页面不存在或已被删除，<a href="/">返回首页</a>。</p></body></html>`;
  for (const title of ['404', '404 Not Found', '页面不存在', '访问出错', '系统繁忙，请稍后再试']) {
    assert.deepStrictEqual(problem(titled(title)), { kind: 'error', reason: `error page: ${title}` }, title);
  }
});

test('an article whose title merely mentions 404 is content', () => {
  const long = '<p>根据《关于第404号建议的答复》，现将办理情况公开如下。</p>'.repeat(20);
  assert.equal(problem(`<html><head><title>对区人大第404号建议的答复</title></head><body>${long}</body></html>`), null);
  assert.equal(problem(`<html><head><title>2021年404国道改造通知</title></head><body>${long}</body></html>`), null);
});
