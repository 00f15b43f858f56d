// Hanweb (大汉) lists: the first page holds its records in a `<script type="text/xml"><datastore>`
// block, and the browser asks a data proxy for the rest. Both answer in the same XML shape:
// `<recordset><record><![CDATA[<li><a href=…>…</a></li>]]></record>…</recordset>`.
import { parseDocument } from 'htmlparser2';
import { isTag, type Document, type Element } from 'domhandler';
import { findAll, getOuterHTML, textContent } from 'domutils';
import type { DiscoveredLink, LinkRole } from '../types.js';
import { scriptTexts } from './anchors.js';
import { roleOfUrl } from './shapes.js';
import { collapse, visibleText } from './text.js';
import { isPageUrl, originOf, resolveLink } from './urls.js';

const HTML_OPTIONS = { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true };
const XML_OPTIONS = { xmlMode: true, lowerCaseTags: true, lowerCaseAttributeNames: true };

/** Where Hanweb's data proxy answers when the page does not name it. */
const DEFAULT_PROXY_PATH = '/module/web/jpage/dataproxy.jsp';

/** A record's markup: CDATA and escaped text as written, elements as serialised. */
function recordMarkup(record: Element): string {
  return record.children
    .map((child) => (isTag(child) ? getOuterHTML(child, { xmlMode: true }) : textContent(child)))
    .join('');
}

/** A record is an article unless its URL says otherwise; a record linking an image is no page. */
function recordRole(url: URL): LinkRole | null {
  const role = roleOfUrl(url, 'hanweb');
  if (role !== null && role !== 'article') return role;
  return isPageUrl(url) ? 'article' : null;
}

/** The links in a data proxy's XML answer, or in a page's `<datastore>` block: articles, and files or
 * columns where the URL says so; off-origin records are left out. */
export function datastoreLinks(xml: string, baseUrl: string, origin: string): DiscoveredLink[] {
  const site = originOf(origin);
  const seen = new Set<string>();
  const links: DiscoveredLink[] = [];
  const records = findAll((el) => el.name === 'record', parseDocument(xml, XML_OPTIONS).children);
  for (const record of records) {
    const markup = parseDocument(recordMarkup(record), HTML_OPTIONS);
    for (const anchor of findAll((el) => el.name === 'a' && el.attribs.href !== undefined, markup.children)) {
      const url = resolveLink(anchor.attribs.href ?? '', baseUrl);
      if (url === null || url.origin !== site || seen.has(url.href)) continue;
      const role = recordRole(url);
      if (role === null) continue;
      seen.add(url.href);
      const text = collapse(anchor.attribs.title ?? '') || collapse(visibleText(anchor.children));
      links.push({ url: url.href, role, text });
    }
  }
  return links;
}

// ---- the data proxy ----

/** The first number a script gives any of these shapes, or null. */
function numberIn(script: string, shapes: readonly RegExp[]): number | null {
  for (const shape of shapes) {
    const value = shape.exec(script)?.[1];
    if (value !== undefined) return Number(value);
  }
  return null;
}

/** `name:123`, `name = 123`, `"name":"123"`, `name=123&` in a script, or `<name>123</name>` in its XML. */
function numberSetting(script: string, name: string): number | null {
  return numberIn(script, [
    new RegExp(`\\b${name}["']?\\s*[:=]\\s*["']?(\\d+)`, 'i'),
    new RegExp(`<${name}>\\s*(\\d+)\\s*</${name}>`, 'i'),
  ]);
}

/** `webname:'某某区'`, `webname="某某区"`, `webname=某某区&…`. */
function textSetting(script: string, name: string): string | null {
  const match = new RegExp(`\\b${name}["']?\\s*[:=]\\s*(?:"([^"]*)"|'([^']*)'|([^\\s&,;'"}]+))`, 'i').exec(script);
  if (!match) return null;
  const quoted = match[1] ?? match[2];
  return quoted ?? fromQuery(match[3] ?? '');
}

/** An unquoted value is a query string's (`webname=%E6%9F%90%E5%8C%BA&`): percent-decoded when it decodes. */
function fromQuery(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}

/** The data proxy the page's script names, on the page's own origin. */
function proxyUrl(script: string, page: URL): URL | null {
  if (!/dataproxy\.jsp/i.test(script)) return null;
  const named = /["']([^"'\s]*dataproxy\.jsp)/i.exec(script)?.[1];
  const resolved = named === undefined ? null : resolveLink(named, page.href);
  return new URL(resolved?.origin === page.origin ? resolved.pathname : DEFAULT_PROXY_PATH, page.origin);
}

/** The POST form Hanweb's list script sends with every page it asks for. */
function proxyForm(script: string, columnId: number): Record<string, string> {
  const form: Record<string, string> = {
    col: '1',
    appid: '1',
    webid: String(numberSetting(script, 'webid') ?? 1),
    path: '/',
    columnid: String(columnId),
    sourceContentType: '1',
  };
  const unitId = numberSetting(script, 'unitid');
  if (unitId !== null) form.unitid = String(unitId);
  const webName = textSetting(script, 'webname');
  if (webName !== null) form.webname = webName;
  form.permissiontype = '0';
  return form;
}

/**
 * Hanweb: the data-proxy POSTs that give a list's later pages, one per page of `perpage`
 * records after the first (which the page's datastore already holds). Empty when the page
 * names no data proxy, record count, page size or column.
 */
export function dataProxyRequests(doc: Document, pageUrl: string): { url: string; form: Record<string, string> }[] {
  const page = new URL(pageUrl);
  const script = scriptTexts(doc).join('\n');
  const proxy = proxyUrl(script, page);
  const total = numberSetting(script, 'totalrecord');
  const perPage = numberSetting(script, 'perpage');
  const columnId = numberSetting(script, 'columnid') ?? numberIn(page.pathname, [/\/col\/col(\d+)\//]);
  if (proxy === null || total === null || perPage === null || perPage <= 0 || columnId === null) return [];
  const form = proxyForm(script, columnId);
  const requests: { url: string; form: Record<string, string> }[] = [];
  for (let start = 1 + perPage; start <= total; start += perPage) {
    const end = Math.min(total, start + perPage - 1);
    const url = new URL(proxy);
    url.search = `?startrecord=${start}&endrecord=${end}&perpage=${perPage}`;
    requests.push({ url: url.href, form: { ...form } });
  }
  return requests;
}
