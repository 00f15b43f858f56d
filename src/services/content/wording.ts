import { Type, type Static } from 'typebox';
import type { Kysely } from 'kysely';
import {
  WordingChecker,
  checkEntry,
  mergeEntries,
  pinyinReadings,
  shippedEntries,
  type DictionaryEntry,
  type Finding,
} from '../../compliance/wording/index.js';
import { GazetteError, htmlToText, type Article } from '../../domain/index.js';
import { segment } from '../../search/index.js';
import type { Database } from '../../store/index.js';
import { requireAnywhere, type Actor } from '../actor.js';
import { appendAudit } from '../audit.js';
import type { ServiceContext } from '../context.js';
import { loadArticle } from './editorial.js';
import { currentSite, type SiteScope } from '../site.js';
import type { Page, WordingFinding } from '../views.js';

const Time = Type.String({ format: 'date-time' });
/** The kinds a site may add to its own list (formulas, leaders and titles are kept in the shipped file). */
const SiteKindSchema = Type.Union([
  Type.Literal('canonical'),
  Type.Literal('wrong'),
  Type.Literal('outdated'),
  Type.Literal('allow'),
]);
const SeveritySchema = Type.Union([Type.Literal('serious'), Type.Literal('suspect'), Type.Literal('custom')]);

export const WordingEntrySchema = Type.Object({
  id: Type.Union([Type.Integer(), Type.Null()], { description: "The site entry's id; null for a shipped entry" }),
  source: Type.String({ description: '`site`, or the shipped file and line (dictionary.tsv:12)' }),
  phrase: Type.String(),
  kind: Type.Union([
    Type.Literal('canonical'),
    Type.Literal('wrong'),
    Type.Literal('outdated'),
    Type.Literal('allow'),
    Type.Literal('formula'),
    Type.Literal('leader'),
    Type.Literal('title'),
  ]),
  severity: SeveritySchema,
  suggestion: Type.String(),
  note: Type.String(),
  enabled: Type.Boolean(),
  updatedAt: Type.Union([Time, Type.Null()]),
});
export type WordingEntryView = Static<typeof WordingEntrySchema>;

export const WordingEntryInputSchema = Type.Object({
  phrase: Type.String({ minLength: 1, maxLength: 100 }),
  kind: SiteKindSchema,
  severity: SeveritySchema,
  suggestion: Type.Optional(Type.String({ maxLength: 200 })),
  note: Type.Optional(Type.String({ maxLength: 500 })),
  enabled: Type.Optional(
    Type.Boolean({ description: 'false on an entry with a shipped phrase turns that shipped entry off' }),
  ),
});
export type WordingEntryInput = Static<typeof WordingEntryInputSchema>;
export const WordingEntryPatchSchema = Type.Partial(WordingEntryInputSchema);
export type WordingEntryPatch = Static<typeof WordingEntryPatchSchema>;

export const WordingCheckInputSchema = Type.Object({
  title: Type.Optional(Type.String({ maxLength: 200 })),
  summary: Type.Optional(Type.String({ maxLength: 500 })),
  bodyHtml: Type.Optional(Type.String({ maxLength: 2_000_000 })),
});
export type WordingCheckInput = Static<typeof WordingCheckInputSchema>;

export const WordingOverrideSchema = Type.Object({
  id: Type.Integer(),
  articleId: Type.Integer(),
  version: Type.Integer(),
  reason: Type.String(),
  findings: Type.Array(Type.Unknown()),
  userName: Type.String(),
  at: Time,
});
export type WordingOverrideView = Static<typeof WordingOverrideSchema>;

/** A serious finding stops submission: the error carries the findings for the editor. */
export class WordingBlocked extends GazetteError {
  constructor(readonly findings: readonly WordingFinding[]) {
    super('WORDING_SERIOUS', {
      findings: [...new Set(findings.map((f) => `“${f.text}”→“${f.suggestion}”`))].join('；'),
    });
  }
}

// ---- the compiled dictionary, one per site and version ----

/** The shipped dictionary alone: what every site without entries of its own checks with. */
let shipped: WordingChecker | null = null;
/** Sites with entries of their own, most recently used last; a platform of 1,000 sites keeps only these. */
const siteCheckers = new Map<number, { key: string; checker: WordingChecker }>();
const SITE_CHECKERS_KEPT = 16;
/** Bumped by this process's own changes (a pinned clock can give two edits the same updated_at). */
let localVersion = 0;

/**
 * The site's checker: the shipped dictionary with the site's own entries on top. It is rebuilt only
 * when the entries change: each use asks the store for a cheap fingerprint (count, newest change,
 * highest id), so another instance's edit is seen on the next check. Compiling takes tens of
 * milliseconds, so a platform whose editors publish on many sites in turn must not compile per
 * call: sites without entries share the shipped checker, the others are kept a few at a time.
 */
export async function wordingChecker(db: Kysely<Database>, siteId: number): Promise<WordingChecker> {
  const stamp = await db
    .selectFrom('wordingEntry')
    .where('siteId', '=', siteId)
    .select((eb) => [
      eb.fn.countAll<number>().as('count'),
      eb.fn.max('updatedAt').as('newest'),
      eb.fn.max('id').as('top'),
    ])
    .executeTakeFirstOrThrow();
  if (Number(stamp.count) === 0) {
    siteCheckers.delete(siteId);
    shipped ??= new WordingChecker(mergeEntries(shippedEntries(), []), pinyinReadings, segment);
    return shipped;
  }
  const key = `${Number(stamp.count)}:${String(stamp.newest)}:${String(stamp.top)}:${localVersion}`;
  const kept = siteCheckers.get(siteId);
  siteCheckers.delete(siteId);
  if (kept?.key === key) {
    siteCheckers.set(siteId, kept);
    return kept.checker;
  }
  const rows = await db.selectFrom('wordingEntry').selectAll().where('siteId', '=', siteId).orderBy('id').execute();
  const site = rows.map((row) => ({ ...entryOfRow(row), enabled: row.enabled === 1 }));
  const checker = new WordingChecker(mergeEntries(shippedEntries(), site), pinyinReadings, segment);
  siteCheckers.set(siteId, { key, checker });
  for (const oldest of siteCheckers.keys()) {
    if (siteCheckers.size <= SITE_CHECKERS_KEPT) break;
    siteCheckers.delete(oldest);
  }
  return checker;
}

type EntryRow = Awaited<ReturnType<typeof entryRows>>[number];
function entryRows(db: Kysely<Database>, siteId: number) {
  return db.selectFrom('wordingEntry').selectAll().where('siteId', '=', siteId).execute();
}

function entryOfRow(row: EntryRow): DictionaryEntry {
  return {
    phrase: row.phrase,
    kind: row.kind as DictionaryEntry['kind'],
    severity: row.severity as DictionaryEntry['severity'],
    suggestion: row.suggestion,
    note: row.note,
    flags: [],
    source: `site:${row.id}`,
  };
}

/** The findings of an article's title, summary and body text. */
export async function findingsOf(
  db: Kysely<Database>,
  siteId: number,
  texts: { title?: string; summary?: string; bodyHtml?: string },
): Promise<Finding[]> {
  const checker = await wordingChecker(db, siteId);
  return checker.check({
    title: texts.title,
    summary: texts.summary,
    body: texts.bodyHtml === undefined ? undefined : htmlToText(texts.bodyHtml),
  });
}

/** What the editor shows while typing. */
export async function checkWording(
  ctx: ServiceContext,
  actor: Actor,
  input: WordingCheckInput,
): Promise<{ findings: Finding[] }> {
  const scope = await currentSite(ctx.store.db, ctx.siteId);
  requireAnywhere(actor, 'wording.read', scope.tree);
  return { findings: await findingsOf(ctx.store.db, scope.site.id, input) };
}

// ---- blocking and overriding ----

/** The content version an override must cover: the last revision (a save, a restore). */
async function contentVersion(db: Kysely<Database>, article: Article): Promise<number> {
  const row = await db
    .selectFrom('articleRevision')
    .where('articleId', '=', article.id)
    .select((eb) => eb.fn.max('version').as('version'))
    .executeTakeFirst();
  return Number(row?.version ?? article.version);
}

async function overrideFor(db: Kysely<Database>, article: Article) {
  const since = await contentVersion(db, article);
  return db
    .selectFrom('wordingOverride')
    .selectAll()
    .where('articleId', '=', article.id)
    .where('version', '>=', since)
    .orderBy('id', 'desc')
    .executeTakeFirst();
}

/**
 * Before submission and publication: serious findings stop the step unless the security
 * administrator let this content through (an override recorded at or after its last revision).
 */
export async function requireWordingClear(db: Kysely<Database>, scope: SiteScope, article: Article): Promise<void> {
  const serious = (await findingsOf(db, scope.site.id, article)).filter((f) => f.severity === 'serious');
  if (serious.length === 0 || (await overrideFor(db, article))) return;
  throw new WordingBlocked(serious);
}

/** The security administrator lets an article's serious findings through, for its current content. */
export async function overrideWording(
  ctx: ServiceContext,
  actor: Actor,
  articleId: number,
  reason: string,
): Promise<WordingOverrideView> {
  const now = ctx.clock.now();
  const scope = await currentSite(ctx.store.db, ctx.siteId);
  requireAnywhere(actor, 'wording.override', scope.tree);
  const why = reason.trim();
  if (!why) throw new GazetteError('COMMENT_REQUIRED', { what: { zh: '放行理由', en: 'reason for the override' } });
  return ctx.store.db.transaction().execute(async (trx) => {
    const article = await loadArticle(trx, scope, articleId);
    const serious = (await findingsOf(trx, scope.site.id, article)).filter((f) => f.severity === 'serious');
    if (serious.length === 0) throw new GazetteError('WORDING_NOTHING_TO_OVERRIDE', { id: articleId });
    const row = await trx
      .insertInto('wordingOverride')
      .values({
        articleId,
        version: article.version,
        findings: JSON.stringify(serious),
        reason: why,
        userId: actor.userId,
        at: now.toISOString(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendAudit(trx, ctx.store.dialect, now, actor, {
      action: 'article.wording-override',
      targetType: 'article',
      targetId: articleId,
      details: {
        version: article.version,
        reason: why,
        findings: serious.map((f) => ({ field: f.field, text: f.text, suggestion: f.suggestion, kind: f.kind })),
      },
    });
    return {
      id: row.id,
      articleId,
      version: row.version,
      reason: why,
      findings: serious,
      userName: actor.userName,
      at: row.at,
    };
  });
}

// ---- the site's own entries ----

export interface WordingEntryQuery {
  readonly q?: string | undefined;
  readonly source?: 'site' | 'shipped' | 'all' | undefined;
  readonly page?: number | undefined;
  readonly pageSize?: number | undefined;
}

/** The site's entries first, then the shipped ones; `q` filters on the phrase and the suggestion. */
export async function listWordingEntries(
  ctx: ServiceContext,
  actor: Actor,
  query: WordingEntryQuery = {},
): Promise<Page<WordingEntryView> & { shipped: number }> {
  const scope = await currentSite(ctx.store.db, ctx.siteId);
  requireAnywhere(actor, 'wording.read', scope.tree);
  const source = query.source ?? 'all';
  const site = source === 'shipped' ? [] : (await entryRows(ctx.store.db, scope.site.id)).map(siteEntryView);
  const shipped = source === 'site' ? [] : shippedEntries().map(shippedEntryView);
  const q = query.q?.trim() ?? '';
  const all = [...site, ...shipped].filter((e) => q === '' || e.phrase.includes(q) || e.suggestion.includes(q));
  const page = query.page ?? 1;
  const pageSize = query.pageSize ?? 50;
  return {
    items: all.slice((page - 1) * pageSize, page * pageSize),
    total: all.length,
    page,
    pageSize,
    shipped: shippedEntries().length,
  };
}

/** A site entry always has its id. */
export type SiteWordingEntry = WordingEntryView & { id: number };

function siteEntryView(row: EntryRow): SiteWordingEntry {
  return {
    id: row.id,
    source: 'site',
    phrase: row.phrase,
    kind: row.kind as WordingEntryView['kind'],
    severity: row.severity as WordingEntryView['severity'],
    suggestion: row.suggestion,
    note: row.note,
    enabled: row.enabled === 1,
    updatedAt: row.updatedAt,
  };
}

function shippedEntryView(entry: DictionaryEntry): WordingEntryView {
  const source = entry.source.slice(Math.max(entry.source.lastIndexOf('/'), entry.source.lastIndexOf('\\')) + 1);
  return {
    id: null,
    source,
    phrase: entry.phrase,
    kind: entry.kind,
    severity: entry.severity,
    suggestion: entry.suggestion,
    note: entry.note,
    enabled: true,
    updatedAt: null,
  };
}

/** The same rules as a line of the shipped file, reported as a 400 on the field. */
function validEntry(
  input: Required<Pick<WordingEntryInput, 'phrase' | 'kind' | 'severity'>> & WordingEntryInput,
): DictionaryEntry {
  return checkEntry(
    {
      phrase: input.phrase.trim(),
      kind: input.kind,
      severity: input.severity,
      suggestion: input.suggestion?.trim() ?? '',
      note: input.note?.trim() ?? '',
      flags: [],
    },
    'site',
    (reason) => {
      throw new GazetteError('FIELD_INVALID', { field: 'phrase', reason });
    },
  );
}

async function findEntry(db: Kysely<Database>, siteId: number, id: number): Promise<EntryRow> {
  const row = await db
    .selectFrom('wordingEntry')
    .selectAll()
    .where('id', '=', id)
    .where('siteId', '=', siteId)
    .executeTakeFirst();
  if (!row) throw new GazetteError('WORDING_ENTRY_NOT_FOUND', { id });
  return row;
}

async function refuseDuplicate(
  db: Kysely<Database>,
  siteId: number,
  entry: DictionaryEntry,
  except: number | null,
): Promise<void> {
  const other = await db
    .selectFrom('wordingEntry')
    .select('id')
    .where('siteId', '=', siteId)
    .where('phrase', '=', entry.phrase)
    .where('kind', '=', entry.kind)
    .executeTakeFirst();
  if (other && other.id !== except)
    throw new GazetteError('WORDING_ENTRY_EXISTS', { phrase: entry.phrase, kind: entry.kind });
}

export async function createWordingEntry(
  ctx: ServiceContext,
  actor: Actor,
  input: WordingEntryInput,
): Promise<SiteWordingEntry> {
  const now = ctx.clock.now().toISOString();
  const scope = await currentSite(ctx.store.db, ctx.siteId);
  requireAnywhere(actor, 'wording.manage', scope.tree);
  const entry = validEntry(input);
  const row = await ctx.store.db.transaction().execute(async (trx) => {
    await refuseDuplicate(trx, scope.site.id, entry, null);
    const inserted = await trx
      .insertInto('wordingEntry')
      .values({
        siteId: scope.site.id,
        phrase: entry.phrase,
        kind: entry.kind,
        severity: entry.severity,
        suggestion: entry.suggestion,
        note: entry.note,
        enabled: input.enabled === false ? 0 : 1,
        createdBy: actor.userId,
        createdAt: now,
        updatedAt: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendAudit(trx, ctx.store.dialect, ctx.clock.now(), actor, {
      action: 'wording.entry.create',
      targetType: 'wording_entry',
      targetId: inserted.id,
      details: auditDetails(inserted),
    });
    return inserted;
  });
  localVersion++;
  return siteEntryView(row);
}

export async function updateWordingEntry(
  ctx: ServiceContext,
  actor: Actor,
  id: number,
  patch: WordingEntryPatch,
): Promise<SiteWordingEntry> {
  const now = ctx.clock.now().toISOString();
  const scope = await currentSite(ctx.store.db, ctx.siteId);
  requireAnywhere(actor, 'wording.manage', scope.tree);
  const row = await ctx.store.db.transaction().execute(async (trx) => {
    const current = await findEntry(trx, scope.site.id, id);
    const entry = validEntry({ ...siteEntryView(current), ...stripUndefined(patch) } as WordingEntryInput);
    await refuseDuplicate(trx, scope.site.id, entry, id);
    const enabled = patch.enabled === undefined ? current.enabled : patch.enabled ? 1 : 0;
    const updated = await trx
      .updateTable('wordingEntry')
      .set({
        phrase: entry.phrase,
        kind: entry.kind,
        severity: entry.severity,
        suggestion: entry.suggestion,
        note: entry.note,
        enabled,
        updatedAt: now,
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendAudit(trx, ctx.store.dialect, ctx.clock.now(), actor, {
      action: 'wording.entry.update',
      targetType: 'wording_entry',
      targetId: id,
      details: { before: auditDetails(current), after: auditDetails(updated) },
    });
    return updated;
  });
  localVersion++;
  return siteEntryView(row);
}

export async function deleteWordingEntry(ctx: ServiceContext, actor: Actor, id: number): Promise<void> {
  const scope = await currentSite(ctx.store.db, ctx.siteId);
  requireAnywhere(actor, 'wording.manage', scope.tree);
  await ctx.store.db.transaction().execute(async (trx) => {
    const current = await findEntry(trx, scope.site.id, id);
    await trx.deleteFrom('wordingEntry').where('id', '=', id).execute();
    await appendAudit(trx, ctx.store.dialect, ctx.clock.now(), actor, {
      action: 'wording.entry.delete',
      targetType: 'wording_entry',
      targetId: id,
      details: auditDetails(current),
    });
  });
  localVersion++;
}

function auditDetails(row: EntryRow): Record<string, unknown> {
  return {
    phrase: row.phrase,
    kind: row.kind,
    severity: row.severity,
    suggestion: row.suggestion,
    enabled: row.enabled === 1,
  };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** One finding in published content, as the health report lists it. */
export interface PublishedWordingFinding {
  readonly severity: Finding['severity'];
  readonly articleId: number;
  /** The article's title. */
  readonly where: string;
  readonly text: string;
  readonly suggestion: string;
}

/**
 * The wording check over every published article (for the health report and its nightly run):
 * read in batches by id so a large site never sits in memory at once.
 */
export async function publishedWordingFindings(
  ctx: Pick<ServiceContext, 'store' | 'siteId'>,
  batch = 500,
): Promise<PublishedWordingFinding[]> {
  const scope = await currentSite(ctx.store.db, ctx.siteId);
  const checker = await wordingChecker(ctx.store.db, scope.site.id);
  const found: PublishedWordingFinding[] = [];
  for (let after = 0; ;) {
    const rows = await ctx.store.db
      .selectFrom('article')
      .select(['id', 'title', 'summary', 'bodyHtml'])
      .where('siteId', '=', scope.site.id)
      .where('status', '=', 'published')
      .where('id', '>', after)
      .orderBy('id')
      .limit(batch)
      .execute();
    if (rows.length === 0) return found;
    for (const row of rows) {
      // One finding per wrong phrase and article: a summary made from the body repeats its slips.
      const seen = new Set<string>();
      for (const f of checker.check({ title: row.title, summary: row.summary, body: htmlToText(row.bodyHtml) })) {
        if (seen.has(f.text)) continue;
        seen.add(f.text);
        found.push({
          severity: f.severity,
          articleId: row.id,
          where: row.title,
          text: f.text,
          suggestion: f.suggestion,
        });
      }
    }
    after = rows[rows.length - 1]!.id;
  }
}
