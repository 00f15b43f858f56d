// A list's further pages, which a link-follower alone misses: TRS writes the page bar in script
// (`createPageHTML(12, 0, "index", "html")`, `var countPage = 12`), other CMSs link only the next
// and the last page (下一页, 尾页). Both are expanded into every page of the list.
import type { Document } from 'domhandler';
import type { CmsFamily, DiscoveredLink, LinkRole } from '../types.js';
import type { PageLink } from './anchors.js';
import { pageLinks, scriptTexts } from './anchors.js';
import { roleOfUrl } from './shapes.js';
import { PAGE_PARAMETER, fileName } from './urls.js';

/** Never more pages than this from one page bar: a typo or a trap must not flood the frontier. */
const MAX_PAGES = 5000;

/** Words of a page bar's links, Han characters only (`[下一页]`, `下一页>>` → 下一页). */
const PAGING_WORD = /^(?:上一页|上页|前页|下一页|下页|后页|尾页|末页|最后一页|最后页)$/;
const FORWARD_WORD = /^(?:下一页|下页|后页|尾页|末页|最后一页|最后页)$/;
const LAST_WORD = /^(?:尾页|末页|最后一页|最后页)$/;

/** File stems of a column's list pages whatever the page is. */
const LIST_STEMS = new Set(['index', 'list', 'default']);

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const CREATE_PAGE_HTML = /createPageHTML\s*\(([^()]*)\)/g;
const ASSIGNMENT = /([A-Za-z_$][\w$]*)\s*=\s*(\d+|"[^"\n]*"|'[^'\n]*')/g;

function barWord(text: string): string {
  return text.replace(/[^\p{Script=Han}]/gu, '');
}

/** Whether a link's text names a page of a page bar (上一页, 下一页, 尾页…). */
export function isPagingText(text: string): boolean {
  return PAGING_WORD.test(barWord(text));
}

/** The role a list's further pages have on this page: on an article they are its continuations. */
export function pagingRole(pageUrl: URL, family: CmsFamily): LinkRole {
  return roleOfUrl(pageUrl, family) === 'article' ? 'article' : 'list';
}

// ---- createPageHTML ----

interface PageBar {
  readonly count: number;
  readonly prefix: string;
  readonly suffix: string;
}

function literal(text: string): string | number | null {
  if (/^\d+$/.test(text)) return Number(text);
  const quoted = /^(["'])(.*)\1$/s.exec(text);
  return quoted ? (quoted[2] ?? '') : null;
}

/** `var countPage = 12`, `prefix = "index"`: the first value each name is given in the page's scripts. */
function scriptVariables(scripts: readonly string[]): Map<string, string | number> {
  const values = new Map<string, string | number>();
  for (const script of scripts) {
    for (const [, name = '', value = ''] of script.matchAll(ASSIGNMENT)) {
      const parsed = literal(value);
      if (!values.has(name) && parsed !== null) values.set(name, parsed);
    }
  }
  return values;
}

/** The page bars the scripts write: in `createPageHTML(…)`, the run count, current, prefix, suffix
 * (newer TRS templates put an element id before and a record count after). */
function pageBars(scripts: readonly string[]): PageBar[] {
  const variables = scriptVariables(scripts);
  const bars: PageBar[] = [];
  for (const script of scripts) {
    for (const [, argumentList = ''] of script.matchAll(CREATE_PAGE_HTML)) {
      const values = argumentList.split(',').map((argument) => {
        const text = argument.trim();
        return IDENTIFIER.test(text) ? (variables.get(text) ?? null) : literal(text);
      });
      for (let i = 0; i + 3 < values.length; i++) {
        const [count, current, prefix, suffix] = values.slice(i, i + 4);
        if (
          typeof count === 'number' &&
          typeof current === 'number' &&
          typeof prefix === 'string' &&
          typeof suffix === 'string'
        ) {
          if (prefix !== '' && suffix !== '') bars.push({ count: Math.min(count, MAX_PAGES), prefix, suffix });
          break;
        }
      }
    }
  }
  return bars;
}

/** Whether a page bar pages the list this page is part of, rather than an article's own pages. */
function isListBar(bar: PageBar, page: URL, family: CmsFamily): boolean {
  if (LIST_STEMS.has(bar.prefix.toLowerCase())) return true;
  const name = fileName(page);
  const ownBar =
    name === `${bar.prefix}.${bar.suffix}` ||
    new RegExp(`^${escape(bar.prefix)}_\\d+\\.${escape(bar.suffix)}$`).test(name);
  return ownBar && roleOfUrl(page, family) !== 'article';
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Every page of a page bar but the page itself, in the page's directory: page 0 is
 * `index.html`, page n `index_n.html`. */
function barPages(bar: PageBar, page: URL, role: LinkRole): DiscoveredLink[] {
  const links: DiscoveredLink[] = [];
  for (let n = 0; n < bar.count; n++) {
    if (n === 0 && page.pathname.endsWith('/')) continue; // the directory is page 0
    const url = new URL(n === 0 ? `${bar.prefix}.${bar.suffix}` : `${bar.prefix}_${n}.${bar.suffix}`, page);
    if (url.pathname !== page.pathname) links.push({ url: url.href, role, text: '' });
  }
  return links;
}

/** The pages the page's `createPageHTML` bars lead to: a list's pages as 'list', an article's own further pages as 'article'. */
export function scriptPaging(scripts: readonly string[], pageUrl: string, family: CmsFamily): DiscoveredLink[] {
  const page = new URL(pageUrl);
  return pageBars(scripts).flatMap((bar) =>
    barPages(bar, page, isListBar(bar, page, family) ? pagingRole(page, family) : 'article'),
  );
}

// ---- 下一页 / 尾页 links ----

interface PagingTemplate {
  /** The URL with its page number left out: links with the same key page the same list. */
  readonly key: string;
  readonly number: number;
  readonly build: (n: number) => URL;
}

/** How a link numbers its page: `?page=N` (and its kin), else `…_N.html`. */
function pagingTemplate(url: URL): PagingTemplate | null {
  for (const [name, value] of url.searchParams) {
    if (!PAGE_PARAMETER.test(name) || !/^\d+$/.test(value)) continue;
    const build = (n: number): URL => {
      const copy = new URL(url);
      copy.searchParams.set(name, String(n));
      return copy;
    };
    return { key: build(-1).href, number: Number(value), build };
  }
  const numbered = /^(.*_)(\d+)(\.\w+)$/.exec(url.pathname);
  if (!numbered) return null;
  const [, head = '', number = '', tail = ''] = numbered;
  const build = (n: number): URL => {
    const copy = new URL(url);
    copy.pathname = `${head}${n}${tail}`;
    return copy;
  };
  return { key: build(-1).href, number: Number(number), build };
}

interface PagedList {
  readonly template: PagingTemplate;
  readonly numbers: number[];
  last: number | null;
  forward: boolean;
}

/** The lists the page bar's links page, with the page numbers they show. */
function pagedLists(links: readonly PageLink[]): Map<string, PagedList> {
  const lists = new Map<string, PagedList>();
  for (const link of links) {
    const word = barWord(link.text);
    const template = PAGING_WORD.test(word) ? pagingTemplate(link.url) : null;
    if (!template) continue;
    const list = lists.get(template.key) ?? { template, numbers: [], last: null, forward: false };
    list.numbers.push(template.number);
    if (LAST_WORD.test(word)) list.last = Math.max(list.last ?? 0, template.number);
    if (FORWARD_WORD.test(word)) list.forward = true;
    lists.set(template.key, list);
  }
  // The numbered links of the same bar (1 2 3 …) show where the pages start.
  for (const link of links) {
    const template = /^\[?\d+\]?$/.test(link.text) ? pagingTemplate(link.url) : null;
    if (template) lists.get(template.key)?.numbers.push(template.number);
  }
  return lists;
}

/** Whether a link belongs to a page bar: a paging word, or a number on a list the bar pages. */
export function pagingLinkKeys(links: readonly PageLink[]): ReadonlySet<string> {
  return new Set(pagedLists(links).keys());
}

/** The key a link would have in a page bar, to match it against `pagingLinkKeys`. */
export function pagingKey(url: URL): string | null {
  return pagingTemplate(url)?.key ?? null;
}

/** Every page between the first the bar links and its last (尾页, else the highest it shows). */
export function linkPaging(links: readonly PageLink[], pageUrl: string, family: CmsFamily): DiscoveredLink[] {
  const role = pagingRole(new URL(pageUrl), family);
  const found: DiscoveredLink[] = [];
  for (const list of pagedLists(links).values()) {
    if (!list.forward) continue;
    const first = Math.min(...list.numbers);
    const last = Math.min(list.last ?? Math.max(...list.numbers), first + MAX_PAGES - 1);
    for (let n = first; n <= last; n++) {
      const url = list.template.build(n);
      found.push({ url: url.href, role: roleOfUrl(url, family) === 'article' ? 'article' : role, text: '' });
    }
  }
  return found;
}

/** Whether the page pages a list: a `createPageHTML` bar for its list, or 上一页/下一页 links. */
export function hasListPaging(doc: Document, pageUrl: string, family: CmsFamily): boolean {
  if (scriptPaging(scriptTexts(doc), pageUrl, family).some((link) => link.role === 'list')) return true;
  return (
    pagingRole(new URL(pageUrl), family) === 'list' && pageLinks(doc, pageUrl).some((link) => isPagingText(link.text))
  );
}
