import type { Kysely } from 'kysely';
import { GazetteError } from '../../domain/index.js';
import { loadSiteView, pageModelOf, pageTemplateOf, resolvePublicPath, siteKeyPrefix } from '../../publish/index.js';
import { manifest, themeOverrides, type Database } from '../../store/index.js';
import {
  DEFAULT_THEME_DIR,
  themeFiles,
  trialPages,
  validateTemplate,
  type ThemeFiles,
  type TrialPage,
} from '../../theme/index.js';
import { requireAnywhere, type Actor } from '../actor.js';
import { appendAudit } from '../audit.js';
import type { ServiceContext } from '../context.js';
import { recordEvents, sendEvents } from '../events.js';
import { currentSite, type SiteScope } from '../site.js';

/** What the template operations share: the site, the checks, the one way a change is committed. */

/** The theme whose templates sites override (the platform has one). */
export const THEME = { dir: DEFAULT_THEME_DIR } as const;

/** The site a theme operation works on, once the actor may edit its templates. */
export async function editableSite(ctx: ServiceContext, actor: Actor): Promise<SiteScope> {
  const scope = await currentSite(ctx.store.db, ctx.siteId);
  requireAnywhere(actor, 'theme.edit', scope.tree);
  return scope;
}

/** The default theme's text of a template; THEME_TEMPLATE_UNKNOWN for a name it does not have. */
export function knownTemplate(name: string, files: ThemeFiles = themeFiles(THEME.dir)): string {
  const source = files.source(name);
  if (source === undefined) throw new GazetteError('THEME_TEMPLATE_UNKNOWN', { name });
  return source;
}

/** Manifest paths looked at for real pages to try a draft on: the first few thousand cover every kind of page. */
const SAMPLE_SCAN = 2000;

/**
 * Pages to try a draft on: for each page template that uses it, the site's first published page
 * of that kind, from its real content; a kind with no published page (search, the forms, error
 * pages) with an empty model.
 */
export async function trialPagesOf(
  db: Kysely<Database>,
  siteId: number,
  name: string,
  sources: Readonly<Record<string, string>>,
): Promise<TrialPage[]> {
  const wanted = new Set(trialPages(THEME, name, sources));
  const found = new Map<string, TrialPage>();
  const view = await loadSiteView(db, siteId);
  const prefix = siteKeyPrefix(siteId);
  for (let after = '', seen = 0; view && seen < SAMPLE_SCAN && found.size < wanted.size;) {
    const rows = await manifest.sitePagesAfter(db, prefix, after, 500);
    for (const row of rows) {
      const path = row.path.slice(prefix.length);
      const template = pageTemplateOf(path, view);
      if (!template || !wanted.has(template) || found.has(template)) continue;
      const resolved = await resolvePublicPath(db, view, path);
      if (resolved.kind === 'page' && !('document' in resolved.source))
        found.set(template, pageModelOf(view, resolved.source));
    }
    const last = rows[rows.length - 1];
    if (!last || rows.length < 500) break;
    after = last.path.slice(prefix.length);
    seen += rows.length;
  }
  return [...wanted].map((template) => found.get(template) ?? { template, model: {} });
}

/**
 * Validates a draft among the site's other templates (or `among`, templates about to be the
 * site's), with a trial render of its real pages.
 */
export async function validateOnSite(
  db: Kysely<Database>,
  scope: SiteScope,
  name: string,
  source: string,
  among?: Readonly<Record<string, string>>,
): Promise<void> {
  knownTemplate(name);
  const others = among ?? (await themeOverrides.overrideSources(db, scope.site.id));
  const pages = await trialPagesOf(db, scope.site.id, name, { ...others, [name]: source });
  validateTemplate(name, source, THEME, { others, pages });
}

/** What a change of the site's templates commits with: its revision, its audit entry, its event. */
export interface TemplateChange {
  readonly name: string;
  /** The new text; null: back to the default theme's. */
  readonly source: string | null;
  readonly action: themeOverrides.RevisionAction;
  /** The audit entry's action: `theme.save`, `theme.restore`, `theme.reset`, `theme.import`. */
  readonly audit: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

/**
 * Applies changes in one transaction, each a revision with its audit entry, and publishes the
 * pages that use them (one theme.changed event for all).
 */
export async function commitChanges(
  ctx: ServiceContext,
  actor: Actor,
  siteId: number,
  changes: readonly TemplateChange[],
): Promise<void> {
  const recorded = await ctx.store.db.transaction().execute(async (trx) => {
    const now = ctx.clock.now();
    const at = now.toISOString();
    for (const change of changes) {
      const { name, source, action } = change;
      if (source === null) await themeOverrides.removeOverride(trx, siteId, name);
      else await themeOverrides.putOverride(trx, { siteId, name, source, at, by: actor.userId });
      const revision = await themeOverrides.addRevision(trx, {
        siteId,
        name,
        source,
        action,
        createdAt: at,
        createdBy: actor.userId,
      });
      await appendAudit(trx, ctx.store.dialect, now, actor, {
        action: change.audit,
        targetType: 'theme',
        targetId: name,
        details: { name, revision, ...change.details },
      });
    }
    const templates = [...new Set(changes.map((c) => c.name))].sort();
    return recordEvents(trx, ctx, [{ type: 'theme.changed', siteId, templates }]);
  });
  sendEvents(ctx, recorded);
}
