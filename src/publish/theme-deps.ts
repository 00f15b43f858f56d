import { routeOf } from '../domain/index.js';
import { templateClosure, templatesUsing, themeFiles, type TemplateName } from '../theme/index.js';
import type { PageChanges } from './deps.js';
import { isHtmlPage } from './look-deps.js';
import type { SiteView } from './pages.js';

/**
 * The page template a published path is rendered from; null for what no template makes (feeds,
 * sitemaps, robots.txt, /look.css); undefined for a path of a kind this map does not know.
 */
export function pageTemplateOf(path: string, view: SiteView): TemplateName | null | undefined {
  const route = routeOf(path);
  switch (route?.kind) {
    case 'home':
      return 'home';
    case 'channel':
      return view.tree.findByPath(route.slugs)?.type === 'page' ? 'page' : 'channel';
    case 'article':
      return 'article';
    case 'letters':
    case 'letter':
    case 'library':
    case 'site-map':
      return route.kind;
    case 'feed':
    case 'sitemap':
    case 'robots':
    case 'look':
      return null;
    default:
      return undefined;
  }
}

/**
 * The pages that use any of the templates named: the published pages (the manifest's paths)
 * whose page template reaches one of them through layout, render and include tags, by the
 * theme's include graph with the site's own templates. Overriding `article` re-renders every
 * article page and nothing else; `layout`, `masthead` or `footer` every HTML page; a block of
 * the home page only `/`. The pages made on request (search, the forms, error pages) are not
 * stored: their next request has the change. A path of a kind the map does not know is
 * rendered again whenever a template changes (the safe side).
 */
export async function pagesForTemplates(
  templates: readonly string[],
  knownPaths: () => Promise<readonly string[]>,
  view: SiteView,
  themeDir: string,
): Promise<PageChanges> {
  const render = new Set<string>();
  if (templates.length === 0) return { render, remove: new Set() };
  const files = themeFiles(themeDir);
  const using = new Set(templatesUsing(templateClosure(files, view.overrides?.sources), templates, files.names));
  for (const path of await knownPaths()) {
    const template = pageTemplateOf(path, view);
    if (template === undefined ? isHtmlPage(path) : template !== null && using.has(template)) render.add(path);
  }
  return { render, remove: new Set() };
}
