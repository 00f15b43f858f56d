// One page, read once: its family, kind, links, and the article or list column it holds.
import { detectFamily, extractArticle, pageProblem, parsePage, readBreadcrumb } from './extract/index.js';
import { dataProxyRequests, discoverLinks, pageKind } from './discover/index.js';
import type { CmsFamily, DiscoveredLink, ExtractedArticle, PageAnalysis, PageProblem } from './types.js';

export interface ProxyRequest {
  readonly url: string;
  readonly form: Readonly<Record<string, string>>;
}

export interface AnalyzedPage extends PageAnalysis {
  /** Hanweb lists: the data-proxy requests that give the list's later pages. */
  readonly proxies: readonly ProxyRequest[];
}

function isProblem(value: ExtractedArticle | PageProblem): value is PageProblem {
  return 'kind' in value && !('title' in value);
}

/**
 * Reads a page as its family writes it. A problem page (a challenge, a login wall, an error)
 * yields no links: following them would crawl the challenge, not the site.
 */
export function analyzePage(url: string, status: number, text: string, origin: string): AnalyzedPage {
  const doc = parsePage(text);
  const family: CmsFamily = detectFamily(doc, url);
  const problem = pageProblem(doc, status, url);
  if (problem) return { family, kind: 'other', links: [], article: null, problem, listColumn: null, proxies: [] };
  const links: DiscoveredLink[] = discoverLinks(doc, url, family, origin);
  const kind = pageKind(doc, url, family);
  if (kind === 'article') {
    const extracted = extractArticle(doc, url, family);
    return isProblem(extracted)
      ? { family, kind, links, article: null, problem: extracted, listColumn: null, proxies: [] }
      : { family, kind, links, article: extracted, problem: null, listColumn: null, proxies: [] };
  }
  const listColumn = kind === 'list' ? readBreadcrumb(doc, url, family) : null;
  const proxies = kind === 'list' ? dataProxyRequests(doc, url) : [];
  return { family, kind, links, article: null, problem: null, listColumn, proxies };
}

/** The frontier's key of a data-proxy request: the URL with its form, which the fragment never sends. */
export function proxyKey(request: ProxyRequest): string {
  const form = new URLSearchParams(Object.entries(request.form).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return `${request.url}#${form.toString()}`;
}
