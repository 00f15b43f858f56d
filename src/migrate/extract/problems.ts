// Pages that are not content: anti-bot challenges, login walls and error pages. They are reported,
// never stored as articles (a challenge page stored as an article would replace a real one).
import { isTag, type Document, type Element } from 'domhandler';
import type { PageProblem } from '../types.js';
import { flatText, textExcept, titleOf } from './dom.js';
import { pageIndex } from './page.js';

/** Jiasule (加速乐) and similar shields answer 521 and set their cookie from script. */
const CHALLENGE_STATUS = 521;
const CLEARANCE_COOKIE = /__jsl_clearance|__jsluid/;
const SETS_COOKIE = /document\.cookie\s*=/;
const RELOADS = /location\s*\.\s*(?:href\s*=|reload\s*\(|replace\s*\(|assign\s*\()|location\s*=/;
/** A challenge page shows (next to) nothing while its script runs. */
const CHALLENGE_TEXT_MAX = 80;

const LOGIN_TITLE = /登录|登陆|login|sign\s*in|统一身份认证|用户认证/i;
const LOGIN_URL = /\/(?:login|signin|sso|cas)(?:[/._?]|$)/i;
/** A login box holds a few labels and buttons; a form holding more wraps the page (ASP.NET does). */
const LOGIN_BOX_MAX = 100;
/** A page whose only content is the login box: little text once the box is left out. */
const LOGIN_TEXT_MAX = 150;
/** A page that says it is a login page may add a footer and instructions. */
const LOGIN_PAGE_TEXT_MAX = 300;

/** A title that is an HTTP error (404, 404 Not Found, 错误404), or the words CMSs put on their error pages. */
const ERROR_TITLE =
  /^\s*(?:40[34]|50[023])(?![\d号])|(?:错误|error)\s*40[34]|40[34]\s*(?:not\s*found|forbidden|错误)|页面不存在|页面未找到|访问出错|系统繁忙|找不到(?:页面|网页|该页)|not\s+found|出错了|错误页面/i;
/** An error page says little; an article whose title happens to match says a lot. */
const ERROR_TEXT_MAX = 600;

function challenge(doc: Document, status: number, text: string): PageProblem | null {
  const scripts = pageIndex(doc).scripts;
  if (status === CHALLENGE_STATUS) return { kind: 'challenge', reason: `HTTP ${status}: anti-bot challenge` };
  if (CLEARANCE_COOKIE.test(scripts)) return { kind: 'challenge', reason: 'anti-bot challenge (__jsl_clearance)' };
  if (SETS_COOKIE.test(scripts) && RELOADS.test(scripts) && text.length <= CHALLENGE_TEXT_MAX) {
    return { kind: 'challenge', reason: 'anti-bot challenge (script sets a cookie and reloads, no text)' };
  }
  return null;
}

/** The largest block around a password field that is no more than a login box. */
function loginBox(input: Element): Element {
  let box = input;
  for (let at = input.parent; at && isTag(at); at = at.parent) {
    if (flatText([at]).length > LOGIN_BOX_MAX) break;
    box = at;
  }
  return box;
}

/** A password field as the page's main content (a login box beside an article is not). */
function loginWall(doc: Document, url: string, title: string): PageProblem | null {
  const input = pageIndex(doc).elements.find(
    (el) => el.name === 'input' && el.attribs.type?.toLowerCase() === 'password',
  );
  if (!input) return null;
  const box = loginBox(input);
  const outside = textExcept(doc.children, (el) => el === box).length;
  if (outside <= LOGIN_PAGE_TEXT_MAX && LOGIN_TITLE.test(title))
    return { kind: 'login', reason: `login page: ${title}` };
  if (outside <= LOGIN_PAGE_TEXT_MAX && LOGIN_URL.test(url)) {
    return { kind: 'login', reason: 'login page (password form at a login address)' };
  }
  return outside <= LOGIN_TEXT_MAX ? { kind: 'login', reason: 'login wall (a password form is the page)' } : null;
}

export function pageProblem(doc: Document, status: number, url: string): PageProblem | null {
  const text = pageIndex(doc).text().replace(/\s+/g, ' ');
  const found = challenge(doc, status, text);
  if (found) return found;
  if (status >= 400) return { kind: 'error', reason: `HTTP ${status}` };
  const title = titleOf(doc);
  const login = loginWall(doc, url, title);
  if (login) return login;
  if (ERROR_TITLE.test(title) && text.length <= ERROR_TEXT_MAX)
    return { kind: 'error', reason: `error page: ${title}` };
  return null;
}
