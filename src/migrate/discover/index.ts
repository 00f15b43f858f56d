// Discovery: which links a page leads to and what each is (article, list, file, other page),
// a list's further pages (script page bars, 下一页/尾页, Hanweb's data proxy), site maps, and what
// kind of page a page is. Pure functions over a parsed page or a fetched text; no I/O.
export { discoverLinks } from './links.js';
export { pageKind } from './kind.js';
export { roleByShape } from './shapes.js';
export { dataProxyRequests, datastoreLinks } from './datastore.js';
export { robotsSitemaps, sitemapLinks } from './sitemap.js';
