import { GazetteError, dateBarText } from '../../domain/index.js';
import { fillIncludes, loadSiteView, renderSource, resolvePublicPath } from '../../publish/index.js';
import { themeOverrides } from '../../store/index.js';
import { draftTheme, validateTemplate } from '../../theme/index.js';
import type { Actor } from '../actor.js';
import type { ServiceContext } from '../context.js';
import { THEME, editableSite, knownTemplate } from './theme-site.js';

/** A page of the site rendered with a draft template. */
export interface PreviewPage {
  readonly path: string;
  readonly html: string;
}

/** Pages one preview may ask for: a few real pages to look at, not a build. */
export const MAX_PREVIEW_PAGES = 5;

/**
 * The site's real pages at `paths` (its home, a column, an article…) as they would be with the
 * draft, among the site's other templates; nothing is saved or published. The draft is checked
 * as a save checks it (the pages themselves are its trial): a problem is THEME_TEMPLATE_ERROR
 * with its line; a path that is not a page made from a template, THEME_PREVIEW_PATH.
 */
export async function previewTemplate(
  ctx: ServiceContext,
  actor: Actor,
  name: string,
  source: string,
  paths: readonly string[],
): Promise<PreviewPage[]> {
  const { site } = await editableSite(ctx, actor);
  knownTemplate(name);
  const db = ctx.store.db;
  const [view, others] = await Promise.all([loadSiteView(db, site.id), themeOverrides.overrideSources(db, site.id)]);
  if (!view) throw new GazetteError('SITE_NOT_FOUND', { site: String(site.id) });
  validateTemplate(name, source, THEME, { others, pages: [] });
  const draft = draftTheme(THEME.dir, { ...others, [name]: source });
  const today = dateBarText(ctx.clock.now(), view.site.timeZone);
  const pages: PreviewPage[] = [];
  for (const path of paths.slice(0, MAX_PREVIEW_PAGES)) {
    const resolved = path.startsWith('/') ? await resolvePublicPath(db, view, path) : null;
    if (resolved?.kind !== 'page' || 'document' in resolved.source)
      throw new GazetteError('THEME_PREVIEW_PATH', { path });
    pages.push({ path, html: fillIncludes(renderSource(draft, view, resolved.source), { today }) });
  }
  return pages;
}
