import type { PageChanges } from './deps.js';
import { isHtmlPage } from './look-deps.js';

/**
 * The pages that use any of the templates named: for now every HTML page the site has
 * (refined to the pages whose template includes them, see the template overrides).
 */
export async function pagesForTemplates(
  templates: readonly string[],
  knownPaths: () => Promise<readonly string[]>,
): Promise<PageChanges> {
  const render = new Set<string>();
  if (templates.length > 0) for (const path of await knownPaths()) if (isHtmlPage(path)) render.add(path);
  return { render, remove: new Set() };
}
