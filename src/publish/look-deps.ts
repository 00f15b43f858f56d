import { LOOK_STYLESHEET, type LookPart } from '../domain/index.js';
import type { PageChanges } from './deps.js';

/** The stylesheet that carries a site's colours (published like a page, linked by every page; see routeOf). */
export { LOOK_STYLESHEET };

/** Whether a path of the manifest is an HTML page (not a feed, sitemap, stylesheet or robots.txt). */
export function isHtmlPage(path: string): boolean {
  return path.endsWith('/') || path.endsWith('.html');
}

/**
 * The pages a change of look reaches: the colours are in `/look.css` alone, the home page's
 * blocks in `/` alone, and the logo, banner and favicon in every HTML page's head or masthead.
 */
export async function pagesForLook(
  parts: readonly LookPart[],
  knownPaths: () => Promise<readonly string[]>,
): Promise<PageChanges> {
  const render = new Set<string>();
  if (parts.includes('stylesheet')) render.add(LOOK_STYLESHEET);
  if (parts.includes('home')) render.add('/');
  if (parts.includes('pages')) {
    render.add('/');
    for (const path of await knownPaths()) if (isHtmlPage(path)) render.add(path);
  }
  return { render, remove: new Set() };
}
