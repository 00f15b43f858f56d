// The live preview of 站点外观: the site's real home page rendered with a draft look, saved
// nowhere. The back office shows it in a sandboxed frame while the administrator edits.
import { GazetteError, LOOK_STYLESHEET, dateBarText, validateLook } from '../../domain/index.js';
import { fillIncludes, loadSiteView, renderPublicPath } from '../../publish/index.js';
import type { Theme } from '../../theme/index.js';
import { requireAnywhere, type Actor } from '../actor.js';
import type { ServiceContext } from '../context.js';
import { currentSite } from '../site.js';

/**
 * The page links `/look.css`, which holds the saved colours: the draft's are put after it, inline,
 * so that they win. (`<` never occurs in the stylesheet of two `#rrggbb` colours; escaped anyway.)
 */
function withDraftColours(html: string, stylesheet: string): string {
  if (!stylesheet) return html;
  const style = `<style>${stylesheet.replace(/</g, '\\3c ')}</style>`;
  const end = html.indexOf('</head>');
  return end < 0 ? style + html : html.slice(0, end) + style + html.slice(end);
}

/**
 * The home page as it would be with the draft look (checked like a save, so a draft that cannot
 * be saved is refused the same way; contrast is not checked, so that a poor colour can be seen),
 * from the site's real content and templates. Needs site.manage; stores nothing, publishes nothing.
 */
export async function previewLook(ctx: ServiceContext, actor: Actor, theme: Theme, input: unknown): Promise<string> {
  const { site, tree } = await currentSite(ctx.store.db, ctx.siteId);
  requireAnywhere(actor, 'site.manage', tree);
  const draft = validateLook(input, tree);
  const view = await loadSiteView(ctx.store.db, site.id);
  if (!view) throw new GazetteError('SITE_NOT_FOUND', { site: String(site.id) });
  const drafted = { ...view, look: draft };
  const [home, stylesheet] = await Promise.all([
    renderPublicPath(ctx.store.db, theme, drafted, '/'),
    renderPublicPath(ctx.store.db, theme, drafted, LOOK_STYLESHEET),
  ]);
  if (home.kind !== 'page') throw new GazetteError('NOT_FOUND');
  // The back office's frame runs no script (it is sandboxed): the page goes without them.
  const html = fillIncludes(home.html, { today: dateBarText(ctx.clock.now(), view.site.timeZone) }).replace(
    /<script\b[^>]*>[\s\S]*?<\/script>/gi,
    '',
  );
  return withDraftColours(html, stylesheet.kind === 'document' ? stylesheet.body : '');
}
