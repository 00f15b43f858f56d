import { createTwoFilesPatch, diffLines } from 'diff';
import type { Kysely } from 'kysely';
import { GazetteError } from '../../domain/index.js';
import { themeOverrides, type Database } from '../../store/index.js';
import { pageTemplates, templateClosure, templatesUsing, themeFiles } from '../../theme/index.js';
import type { Actor } from '../actor.js';
import type { ServiceContext } from '../context.js';
import type { DiffPart } from '../views.js';
import { THEME, commitChanges, editableSite, knownTemplate, validateOnSite } from './theme-site.js';

/**
 * 模板编辑: a site's own versions of the default theme's templates. A site administrator with
 * `theme.edit` overrides a template or partial for the site; each save is validated first
 * (syntax, filters, the templates it brings in, a trial render of the site's real pages within
 * the time limit), is a revision, is audited, and publishes the pages that use the template.
 */

export interface TemplateSummary {
  /** `article`, `layout`, `blocks/headline`… */
  readonly name: string;
  /** A page template (rendered by name), or a partial or layout other templates bring in. */
  readonly kind: 'page' | 'partial';
  readonly overridden: boolean;
  readonly updatedAt: string | null;
  readonly updatedBy: string | null;
}

export interface TemplateDetail extends TemplateSummary {
  readonly defaultSource: string;
  /** The site's own text; null: the default theme's is used. */
  readonly source: string | null;
  /** The page templates whose pages use it (with the site's templates as they are). */
  readonly usedBy: string[];
}

export interface TemplateRevisionView {
  readonly id: number;
  readonly name: string;
  readonly action: themeOverrides.RevisionAction;
  readonly at: string;
  readonly userName: string | null;
  /** The template's text from this revision on; null: the default theme's. */
  readonly source: string | null;
}

/** A revision against the one before it (the default theme's text before the first). */
export interface TemplateDiff {
  readonly id: number;
  readonly name: string;
  /** The revision compared with; null: the default theme's text. */
  readonly against: number | null;
  /** `diff -u` of the two texts. */
  readonly unified: string;
  /** The same line by line: kept, added, removed. */
  readonly parts: DiffPart[];
}

/** What the list says of a template: its kind, and the site's version of it if there is one. */
function summaryOf(
  name: string,
  pages: readonly string[],
  row: themeOverrides.OverrideRow | undefined,
): TemplateSummary {
  return {
    name,
    kind: pages.includes(name) ? 'page' : 'partial',
    overridden: row !== undefined,
    updatedAt: row?.updatedAt ?? null,
    updatedBy: row?.updatedByName ?? null,
  };
}

export async function listTemplates(ctx: ServiceContext, actor: Actor): Promise<TemplateSummary[]> {
  const { site } = await editableSite(ctx, actor);
  const files = themeFiles(THEME.dir);
  const pages = pageTemplates(files);
  const own = new Map((await themeOverrides.listOverrides(ctx.store.db, site.id)).map((row) => [row.name, row]));
  return files.names.map((name) => summaryOf(name, pages, own.get(name)));
}

async function detailOf(db: Kysely<Database>, siteId: number, name: string): Promise<TemplateDetail> {
  const files = themeFiles(THEME.dir);
  const defaultSource = knownTemplate(name, files);
  const rows = await themeOverrides.listOverrides(db, siteId);
  const row = rows.find((r) => r.name === name);
  const pages = pageTemplates(files);
  const closure = templateClosure(files, Object.fromEntries(rows.map((r) => [r.name, r.source])));
  return {
    ...summaryOf(name, pages, row),
    defaultSource,
    source: row?.source ?? null,
    usedBy: templatesUsing(closure, [name], pages),
  };
}

export async function getTemplate(ctx: ServiceContext, actor: Actor, name: string): Promise<TemplateDetail> {
  const { site } = await editableSite(ctx, actor);
  return detailOf(ctx.store.db, site.id, name);
}

/**
 * Checks a draft as a save would, without saving: throws its first problem
 * (THEME_TEMPLATE_ERROR with the template, line and column; THEME_TEMPLATE_UNKNOWN).
 */
export async function checkTemplate(ctx: ServiceContext, actor: Actor, name: string, source: string): Promise<void> {
  const scope = await editableSite(ctx, actor);
  await validateOnSite(ctx.store.db, scope, name, source);
}

/** Makes `source` the site's version of the template: validated, a revision 'save', audited `theme.save`, published. */
export async function saveOverride(
  ctx: ServiceContext,
  actor: Actor,
  name: string,
  source: string,
): Promise<TemplateDetail> {
  const scope = await editableSite(ctx, actor);
  await validateOnSite(ctx.store.db, scope, name, source);
  await commitChanges(ctx, actor, scope.site.id, [{ name, source, action: 'save', audit: 'theme.save' }]);
  return detailOf(ctx.store.db, scope.site.id, name);
}

/** The template back to the default theme's: a revision 'reset', audited `theme.reset`, published. */
export async function resetTemplate(ctx: ServiceContext, actor: Actor, name: string): Promise<TemplateDetail> {
  const { site } = await editableSite(ctx, actor);
  knownTemplate(name);
  const own = await themeOverrides.overrideSources(ctx.store.db, site.id);
  if (own[name] === undefined) throw new GazetteError('THEME_NOT_OVERRIDDEN', { name });
  await commitChanges(ctx, actor, site.id, [{ name, source: null, action: 'reset', audit: 'theme.reset' }]);
  return detailOf(ctx.store.db, site.id, name);
}

/**
 * The template as an earlier revision left it: that text (validated again: the theme may have
 * changed since), or the default theme's for a reset; a new revision 'restore', audited
 * `theme.restore`, published.
 */
export async function restoreTemplateRevision(
  ctx: ServiceContext,
  actor: Actor,
  revisionId: number,
): Promise<TemplateDetail> {
  const scope = await editableSite(ctx, actor);
  const revision = await themeOverrides.findRevision(ctx.store.db, scope.site.id, revisionId);
  if (!revision) throw new GazetteError('THEME_REVISION_NOT_FOUND', { id: revisionId });
  const { name, source } = revision;
  if (source !== null) await validateOnSite(ctx.store.db, scope, name, source);
  await commitChanges(ctx, actor, scope.site.id, [
    { name, source, action: 'restore', audit: 'theme.restore', details: { from: revisionId } },
  ]);
  return detailOf(ctx.store.db, scope.site.id, name);
}

/** A template's revisions, newest first. */
export async function templateRevisions(
  ctx: ServiceContext,
  actor: Actor,
  name: string,
): Promise<TemplateRevisionView[]> {
  const { site } = await editableSite(ctx, actor);
  knownTemplate(name);
  const rows = await themeOverrides.listRevisions(ctx.store.db, site.id, name);
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    action: row.action,
    at: row.createdAt,
    userName: row.createdByName,
    source: row.source,
  }));
}

/** A revision's change: its text against the revision before it (the default theme's text before the first, and for a reset). */
export async function templateRevisionDiff(
  ctx: ServiceContext,
  actor: Actor,
  revisionId: number,
): Promise<TemplateDiff> {
  const { site } = await editableSite(ctx, actor);
  const revision = await themeOverrides.findRevision(ctx.store.db, site.id, revisionId);
  if (!revision) throw new GazetteError('THEME_REVISION_NOT_FOUND', { id: revisionId });
  const previous = await themeOverrides.previousRevision(ctx.store.db, revision);
  const defaultSource = knownTemplate(revision.name);
  const before = previous?.source ?? defaultSource;
  const after = revision.source ?? defaultSource;
  const file = `${revision.name}.liquid`;
  return {
    id: revision.id,
    name: revision.name,
    against: previous?.id ?? null,
    unified: createTwoFilesPatch(
      file,
      file,
      before,
      after,
      previous ? `#${previous.id}` : 'default',
      `#${revision.id}`,
    ),
    parts: diffLines(before, after).map((change) => ({
      op: change.added ? 'insert' : change.removed ? 'delete' : 'equal',
      text: change.value,
    })),
  };
}
