// What a URL is by its spelling alone: whether it can be followed at all, whether it is a file to
// download, a page, the home page or a site map. No family knowledge here (see shapes.ts).

/** Attachments government sites publish (the WPS family's own formats included). */
const FILE_EXTENSIONS = new Set([
  'doc',
  'docx',
  'wps',
  'pdf',
  'xls',
  'xlsx',
  'ofd',
  'zip',
  'rar',
  'et',
  'dps',
  'ppt',
  'pptx',
]);

/** Pages a crawl may read; anything else (css, js, images, feeds) is not a page of the site. */
const PAGE_EXTENSIONS = new Set(['html', 'htm', 'shtml', 'jsp', 'aspx', 'asp', 'php', 'do', 'jhtml', 'xhtml']);

/** Download gateways: `download.jsp?…`, `/module/download/downfile.jsp?…`, `DownLoad.aspx?…`. */
const DOWNLOAD_GATEWAY = /\/[\w-]*down(?:load|file)\.(?:jsp|aspx?|php|do|ashx)$/i;

/** Query parameters that name the file a gateway hands out. */
const FILE_NAME_PARAMETER = /^(?:filename|file_name|file)$/i;

/** The home page: `/`, `/index.html`, `/default.aspx`… with no query. */
const HOME_FILE = /^\/(?:index|default)\.\w+$/i;

/** Query parameters that number a list's pages (`?page=3`, `&pageNo=3`). */
export const PAGE_PARAMETER = /^(?:page|pageno|pagenum|pagenumber|pageindex|curpage)$/i;

/** The URL an href on a page leads to: absolute, http(s) only, without the fragment; null for
 * fragments alone, `javascript:`, `mailto:`, `tel:` and anything that does not parse. */
export function resolveLink(href: string, base: string): URL | null {
  const value = href.trim();
  if (value === '' || value.startsWith('#')) return null;
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.hash !== '') url.hash = '';
  return url;
}

/** `http://host:80/anything` → `http://host`; the form URL.origin compares against. */
export function originOf(origin: string): string {
  try {
    return new URL(origin).origin;
  } catch {
    return origin;
  }
}

/** The last path segment: `t20210520_123.html` for `/xwzx/202105/t20210520_123.html`, '' for a directory. */
export function fileName(url: URL): string {
  return url.pathname.slice(url.pathname.lastIndexOf('/') + 1);
}

/** The extension of a file name, lower case, '' when it has none. */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? '' : name.slice(dot + 1).toLowerCase();
}

/** The file name as its author wrote it (`%E9%99%84%E4%BB%B6.pdf` → `附件.pdf`). */
function decodedFileName(url: URL): string {
  const name = fileName(url);
  if (!name.includes('%')) return name;
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

export function isFileUrl(url: URL): boolean {
  if (FILE_EXTENSIONS.has(extensionOf(decodedFileName(url)))) return true;
  if (url.search !== '' && DOWNLOAD_GATEWAY.test(url.pathname)) return true;
  for (const [name, value] of url.searchParams) {
    if (FILE_NAME_PARAMETER.test(name) && FILE_EXTENSIONS.has(extensionOf(value))) return true;
  }
  return false;
}

export function isHomeUrl(url: URL): boolean {
  return url.search === '' && (url.pathname === '/' || HOME_FILE.test(url.pathname));
}

/** `sitemap.xml`, `sitemap_1.xml`, `/sitemap/`, `/sitemap.html`: a site map, in XML or for readers. */
export function isSitemapUrl(url: URL): boolean {
  return /sitemap/i.test(url.pathname);
}

/** A page of the site by its extension: a directory, no extension, a server page, or `sitemap*.xml`. */
export function isPageUrl(url: URL): boolean {
  const name = decodedFileName(url);
  const extension = extensionOf(name);
  if (name === '' || extension === '') return true;
  if (extension === 'xml') return /^sitemap/i.test(name);
  return PAGE_EXTENSIONS.has(extension);
}
