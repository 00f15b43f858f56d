import path from 'node:path';

/**
 * Where each site's pages live in the output store, and under which keys the manifest records
 * them. The platform's first site (id 1: the site of every store made before there were several)
 * keeps the root, so such a store's files and manifest stay valid as they are; every other site
 * has a folder of its own, `site_<id>`, which no page of the first site can be (column slugs take
 * no underscore). Two sites may both have a `/bqdt/`: `/bqdt/` and `/site_2/bqdt/` in the manifest.
 */
export const ROOT_SITE_ID = 1;

const SITE_FOLDER = /^\/site_(\d+)(\/.*)$/;

/** The manifest key prefix of a site's pages ('' for the root site). */
export function siteKeyPrefix(siteId: number): string {
  return siteId === ROOT_SITE_ID ? '' : `/site_${siteId}`;
}

/** The manifest key of a site's page. */
export function siteKey(siteId: number, urlPath: string): string {
  return siteKeyPrefix(siteId) + urlPath;
}

/** The site and public path a manifest key names. */
export function splitSiteKey(key: string): { readonly siteId: number; readonly path: string } {
  const match = SITE_FOLDER.exec(key);
  return match?.[1] && match[2] ? { siteId: Number(match[1]), path: match[2] } : { siteId: ROOT_SITE_ID, path: key };
}

/** The folder of the output store holding a site's pages. */
export function siteOutputDir(publicDir: string, siteId: number): string {
  return siteId === ROOT_SITE_ID ? publicDir : path.join(publicDir, `site_${siteId}`);
}
