// How wget lays a site out on disk: which folder is the site's root, and which file names a URL
// may have been saved under. Names only, no I/O.
import path from 'node:path';

const HOST_FOLDER = /^[a-z0-9-]+(?:\.[a-z0-9-]+)*(?:[:+]\d+)?$/i;

/**
 * The host a wget folder is named after (`www.x.gov.cn`, `127.0.0.1:8080`), or null. With
 * --restrict-file-names=windows the port's colon is written `+`.
 */
export function hostOfFolder(name: string): string | null {
  if (!HOST_FOLDER.test(name) || !/[.:+]/.test(name)) return null;
  return name.replace('+', ':');
}

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html',
  '.htm': 'text/html',
  '.shtml': 'text/html',
  '.jsp': 'text/html',
  '.aspx': 'text/html',
  '.asp': 'text/html',
  '.php': 'text/html',
  '.xml': 'application/xml',
  '.txt': 'text/plain',
};

export interface SavedName {
  /** Relative to the mirror's root, starting with `/`. */
  readonly name: string;
  /** What the URL's extension says the file holds; null when it has none (the bytes decide). */
  readonly contentType: string | null;
}

/**
 * The relative file names, best first, that a URL's path and query may have been saved under:
 * `path?query` (wget's default), `path@query` (--restrict-file-names=windows), either with the
 * `.html` that --adjust-extension adds; a path ending in `/` is its folder's index.html.
 */
export function savedNames(url: URL): SavedName[] {
  const decoded = decodePath(url.pathname);
  const query = url.search.slice(1);
  const names: SavedName[] = [];
  for (const base of decoded === url.pathname ? [decoded] : [decoded, url.pathname]) {
    const file = base.endsWith('/') ? `${base}index.html` : base;
    const contentType = typeByExtension(file);
    const plain = query === '' ? [file] : [`${file}?${query}`, `${file}@${query}`];
    for (const name of plain) names.push({ name, contentType });
    // --adjust-extension added .html to pages whose name did not end in it.
    if (query !== '' || contentType !== 'text/html') {
      for (const name of plain) names.push({ name: `${name}.html`, contentType: 'text/html' });
    }
  }
  return names;
}

function typeByExtension(file: string): string | null {
  const extension = path.posix.extname(file).toLowerCase();
  if (extension === '') return null;
  return TYPES[extension] ?? 'application/octet-stream';
}

/** A file without an extension (`/about` saved as `about`) is a page when its bytes start like one. */
export function sniffedType(head: Buffer): string {
  const start = head.subarray(0, 512).toString('latin1');
  return /^(?:\xEF\xBB\xBF)?\s*<(?:!doctype html|html|head)\b/i.test(start) ? 'text/html' : 'application/octet-stream';
}

function decodePath(pathname: string): string {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return pathname;
  }
}
