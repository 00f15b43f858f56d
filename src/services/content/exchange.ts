import type { Kysely } from 'kysely';
import {
  EDIT_PERMISSION,
  GazetteError,
  allows,
  relationValue,
  shippedType,
  type Article,
  type ArticleStatus,
  type ContentType,
  type FieldValue,
  type FieldValues,
} from '../../domain/index.js';
import { articles, exchange, type Database } from '../../store/index.js';
import { requireAnywhere, requirePermission, type Actor } from '../actor.js';
import { appendAudit } from '../audit.js';
import type { ServiceContext } from '../context.js';
import { recordEvents, sendEvents, type ContentEvent } from '../events.js';
import { currentSite, type SiteScope } from '../site.js';
import {
  about,
  exchangeItemOf,
  parseRow,
  rowError,
  rowInvalid,
  type ExchangeItem,
  type ImportRow,
  type ParsedRow,
} from './exchange-rows.js';
import {
  checkRelations,
  itemEvents,
  listMarkOf,
  mergeValues,
  relatedIds,
  requireComplete,
  saveRelations,
  syncPolicyDisclosure,
  siteContentType,
} from './items.js';
import { recordRevision } from './revisions.js';
import { syncArticleIndex } from './search.js';
import { autoSummary } from './editorial.js';
import { contentTypeNamed } from './types.js';

export { ITEM_COLUMNS, type ExchangeItem, type ImportRow, type ItemColumn } from './exchange-rows.js';

/**
 * Export and import of a type's items (`gazette export` / `gazette import --type`), whatever the
 * file's format: every item of the type with all its values, and back, checked row by row and
 * written in one transaction, so a file with one bad row changes nothing.
 *
 * A file names where it came from (`origin`: this store and site). Its ids are that store's: in
 * the store and site it came from they name the items themselves (an export edited and imported
 * back updates them); anywhere else an item it adds keeps its id as `importKey`
 * (`gazette:<origin>:<id>`), by which the same file imported again updates it, and a relation in a
 * later file (a 解读 naming its policies) finds it. A file with no origin (written by hand) uses
 * this site's ids.
 */

export interface ItemExport {
  /** The site's type: the shipped fields and those the site added. */
  readonly type: ContentType;
  readonly origin: string;
  readonly items: readonly ExchangeItem[];
}

export interface ImportOutcome {
  readonly created: number;
  readonly updated: number;
}

async function originOf(db: Kysely<Database>, siteId: number): Promise<string> {
  return `${await exchange.storeOrigin(db)}/${siteId}`;
}

/** The site's type named by key or label, for a reader that must know its fields. */
export async function exchangeType(ctx: ServiceContext, actor: Actor, typeName: string): Promise<ContentType> {
  const scope = await currentSite(ctx.store.db, ctx.siteId);
  requireAnywhere(actor, 'article.read', scope.tree);
  return siteContentType(ctx.store.db, scope.site.id, contentTypeNamed(typeName).key);
}

/** Every item of the type that the actor may read, oldest first. */
export async function exportItems(ctx: ServiceContext, actor: Actor, typeName: string): Promise<ItemExport> {
  const scope = await currentSite(ctx.store.db, ctx.siteId);
  requireAnywhere(actor, 'article.read', scope.tree);
  const type = await siteContentType(ctx.store.db, scope.site.id, contentTypeNamed(typeName).key);
  const items = (await exchange.itemsOfType(ctx.store.db, scope.site.id, type.key))
    .filter((item) => allows(actor.grants, 'article.read', item.channelId, scope.tree))
    .map((item) => exchangeItemOf(item, scope.tree));
  return { type, origin: await originOf(ctx.store.db, scope.site.id), items };
}

/** A row checked against the store, ready to write. */
interface Planned {
  readonly parsed: ParsedRow;
  readonly current: Article | null;
  readonly channelId: number;
  readonly status: ArticleStatus;
  /** The values after the row; the relation fields it names still hold the file's ids. */
  readonly values: FieldValues;
  readonly fileRelations: readonly string[];
}

/** What one import knows while it checks and writes a file's rows. */
interface Run {
  readonly trx: Kysely<Database>;
  readonly ctx: ServiceContext;
  readonly actor: Actor;
  readonly scope: SiteScope;
  readonly type: ContentType;
  readonly now: Date;
  /** The file's origin when it is not this site, else null. */
  readonly foreign: string | null;
  /** The ids of the file's rows. */
  readonly fileIds: ReadonlySet<number>;
  /** A file's id → the id of the item it names here. */
  readonly local: Map<number, number>;
}

function importKeyOf(run: Run, id: number | null): string | null {
  return run.foreign === null || id === null ? null : `gazette:${run.foreign}:${id}`;
}

/** The item a row's id names here: updated by the row; none, and the row adds one. */
async function targetOf(run: Run, id: number | null): Promise<Article | null> {
  if (id === null) return null;
  const key = importKeyOf(run, id);
  const found = key
    ? await articles.findArticleByImportKey(run.trx, run.scope.site.id, key)
    : await articles.findArticle(run.trx, id);
  if (!found || found.siteId !== run.scope.site.id) return null;
  if (found.contentType === run.type.key) return found;
  if (key)
    throw rowInvalid('id', `编号 ${id} 已导入为其他类型的内容`, `id ${id} was imported as an item of another type`);
  return null;
}

/** The status after the row: an import adds items in any status but moves one along only to publish it. */
function statusFor(wanted: ArticleStatus | null, current: Article | null): ArticleStatus {
  if (!current) return wanted ?? 'draft';
  if (wanted === null || wanted === current.status || wanted === 'published') return wanted ?? current.status;
  throw rowInvalid(
    'status',
    `导入不改变内容的流转状态（当前为 ${current.status}），只能将其发布；其他步骤请在后台办理`,
    `an import moves an item (now ${current.status}) along its workflow only to publish it; take other steps in the back office`,
  );
}

function requireRowPermissions(
  run: Run,
  current: Article | null,
  channelId: number,
  status: ArticleStatus,
  row: ParsedRow,
) {
  const { actor, scope } = run;
  if (current) {
    requirePermission(actor, EDIT_PERMISSION[current.status], current.channelId, scope.tree);
    requirePermission(actor, EDIT_PERMISSION[current.status], channelId, scope.tree);
  } else requirePermission(actor, 'article.create', channelId, scope.tree);
  if (status === 'published' && current?.status !== 'published')
    requirePermission(actor, 'article.publish', channelId, scope.tree);
  const publishedAt = row.content.publishedAt;
  if (publishedAt !== undefined && publishedAt !== null && publishedAt !== (current?.publishedAt ?? null))
    requirePermission(actor, 'article.backdate', channelId, scope.tree);
}

/**
 * The relation ids a row names, checked: an id of the file's own rows must be of the field's
 * type; any other is looked up here (by the import key of a foreign file, else as this site's id)
 * and checked as an edit's would be (it exists, is of the type, the actor may read it).
 */
async function checkRowRelations(run: Run, row: ParsedRow, current: Article | null, named: FieldValues) {
  const outside: Record<string, number[]> = {};
  for (const def of run.type.fields) {
    if (def.kind !== 'relation' || !(def.name in named)) continue;
    outside[def.name] = [];
    for (const id of relationValue(named[def.name])) {
      const field = `fields.${def.name}`;
      if (id === row.id) throw rowInvalid(field, '不能关联自身', 'an item cannot point to itself');
      if (run.fileIds.has(id)) {
        if (def.to !== run.type.key)
          throw new GazetteError('RELATION_WRONG_TYPE', {
            field,
            id,
            expected: shippedType(def.to ?? 'article').label,
            actual: run.type.label,
          });
        continue;
      }
      const key = importKeyOf(run, id);
      const found = key ? await articles.findArticleByImportKey(run.trx, run.scope.site.id, key) : null;
      if (key && !found) throw new GazetteError('RELATION_NOT_FOUND', { field, id });
      run.local.set(id, found?.id ?? id);
      outside[def.name]?.push(found?.id ?? id);
    }
  }
  await checkRelations(run.trx, run.actor, run.scope, run.type, outside, current?.id ?? null, current?.fields ?? {});
}

/** One row checked against the store: nothing is written yet. */
async function planRow(run: Run, row: ParsedRow): Promise<Planned> {
  const current = await targetOf(run, row.id);
  if (!current && !row.channel)
    throw rowInvalid('channel', '新增的内容须填写栏目路径', 'an item the file adds needs its column path');
  if (!current && row.content.title === undefined) throw rowInvalid('title', '标题不能为空', 'the title is empty');
  const channelId = row.channel?.id ?? current?.channelId ?? 0;
  const status = await about('status', () => statusFor(row.status, current));
  await about('channel', () => requireRowPermissions(run, current, channelId, status, row));
  const values = mergeValues(run.type, current?.fields ?? {}, row.fields ?? {});
  // The values the row names, as cleaned once by the merge.
  const named = Object.fromEntries(
    Object.keys(row.fields ?? {}).flatMap((name) => {
      const value = values[name];
      return value === undefined ? [] : [[name, value]];
    }),
  );
  await checkRowRelations(run, row, current, named);
  if (status === 'published')
    await about('status', () =>
      requireComplete(run.type, { title: row.content.title ?? current?.title ?? '', fields: values }),
    );
  const fileRelations = run.type.fields
    .filter((def) => def.kind === 'relation' && row.fields !== undefined && def.name in row.fields)
    .map((def) => def.name);
  return { parsed: row, current, channelId, status, values, fileRelations };
}

/** The values with the relation ids the file named turned into this store's. */
function localValues(run: Run, plan: Planned): FieldValues {
  const values: Record<string, FieldValue> = { ...plan.values };
  for (const name of plan.fileRelations) {
    const ids = relationValue(plan.values[name]);
    if (ids.length > 0) values[name] = ids.map((id) => run.local.get(id) ?? id);
  }
  return values;
}

function withoutFileRelations(plan: Planned): FieldValues {
  return Object.fromEntries(Object.entries(plan.values).filter(([name]) => !plan.fileRelations.includes(name)));
}

/** The 发布时间 after the row: the file's, else the item's, else (publishing now) now. */
function publishedAtOf(run: Run, plan: Planned): string | null {
  const given = plan.parsed.content.publishedAt;
  const kept = given === undefined ? (plan.current?.publishedAt ?? null) : given;
  return plan.status === 'published' && kept === null ? run.now.toISOString() : kept;
}

/** Adds the item a row names for the first time (its relations to the file's rows follow once all have ids). */
async function insertRow(run: Run, plan: Planned): Promise<Article> {
  const c = plan.parsed.content;
  const bodyHtml = c.bodyHtml ?? '';
  const values = withoutFileRelations(plan);
  return articles.insertArticle(
    run.trx,
    {
      siteId: run.scope.site.id,
      channelId: plan.channelId,
      title: c.title ?? '',
      subtitle: c.subtitle ?? '',
      source: c.source ?? null,
      author: c.author ?? '',
      responsibleEditor: c.responsibleEditor ?? '',
      publishedAt: publishedAtOf(run, plan),
      bodyHtml,
      summary: c.summary || autoSummary(bodyHtml),
      keywords: c.keywords ?? '',
      coverImage: c.coverImage ?? null,
      attachments: c.attachments ?? [],
      status: plan.status,
      importKey: importKeyOf(run, plan.parsed.id),
      createdBy: run.actor.userId,
      contentType: run.type.key,
      fields: values,
      listMark: listMarkOf(run.type, values),
    },
    run.now,
  );
}

/** Saves a row over the item it names: what the row gives, the rest kept. */
async function updateRow(run: Run, plan: Planned, current: Article): Promise<Article> {
  const { summary, ...content } = plan.parsed.content;
  // A summary written from the body follows the body, as an edit's does; an editor's own stays.
  const followsBody = summary === '' || (summary === undefined && current.summary === autoSummary(current.bodyHtml));
  const summaryAfter = followsBody ? autoSummary(content.bodyHtml ?? current.bodyHtml) : (summary ?? current.summary);
  const values = localValues(run, plan);
  const publishing = plan.status === 'published' && current.status !== 'published';
  const saved = await articles.updateArticle(
    run.trx,
    current.id,
    {
      ...content,
      summary: summaryAfter,
      channelId: plan.channelId,
      status: plan.status,
      publishedAt: publishedAtOf(run, plan),
      ...(publishing && { withdrawReason: null }),
      fields: values,
      listMark: listMarkOf(run.type, values),
    },
    run.now,
  );
  if (!saved) throw new GazetteError('ARTICLE_NOT_FOUND', { id: current.id });
  return saved;
}

/** A published item's pages, the columns it is placed in and the items that show it. */
async function rowEvents(run: Run, saved: Article, current: Article | null, before: ReadonlySet<number>) {
  if (saved.status !== 'published') return [];
  const { siteId, id: articleId, channelId } = saved;
  const own: ContentEvent =
    current?.status === 'published'
      ? {
          type: 'article.updated',
          siteId,
          articleId,
          channelId,
          previousChannelId: current.channelId,
          previousPublishedAt: current.publishedAt,
        }
      : { type: 'article.published', siteId, articleId, channelId };
  return itemEvents(run.trx, own, saved, current ?? undefined, before);
}

/** Checks every row, in order (the first bad one is reported), before anything is written. */
async function planRows(run: Run, rows: readonly ImportRow[], file: string): Promise<Planned[]> {
  const plans: Planned[] = [];
  const seen = new Map<number, number>();
  for (const row of rows) {
    try {
      const parsed = parseRow(row, run.scope.tree, run.type);
      const earlier = parsed.id === null ? undefined : seen.get(parsed.id);
      if (earlier !== undefined)
        throw rowInvalid('id', `与第 ${earlier} 行的编号相同`, `the same id as row ${earlier}`);
      if (parsed.id !== null) seen.set(parsed.id, row.row);
      plans.push(await planRow(run, parsed));
    } catch (error) {
      throw rowError(error, file, row.row, 'id');
    }
  }
  return plans;
}

/** Writes the checked rows: new items first (so that every row has an id), then each row whole. */
async function writeRows(run: Run, plans: readonly Planned[], file: string): Promise<ContentEvent[]> {
  const inserted = new Map<Planned, Article>();
  const before = new Map<Planned, Set<number>>();
  for (const plan of plans) {
    const made = plan.current ?? (await insertRow(run, plan));
    if (!plan.current) inserted.set(plan, made);
    else before.set(plan, await relatedIds(run.trx, plan.current.id));
    if (plan.parsed.id !== null) run.local.set(plan.parsed.id, made.id);
  }
  const events: ContentEvent[] = [];
  for (const plan of plans) {
    try {
      const made = inserted.get(plan);
      const saved = plan.current
        ? await updateRow(run, plan, plan.current)
        : made && plan.fileRelations.length > 0
          ? await updateFileRelations(run, plan, made)
          : made;
      if (!saved) throw new GazetteError('NOT_FOUND');
      await saveRelations(run.trx, run.type, saved);
      await syncPolicyDisclosure(run.trx, saved);
      await syncArticleIndex(run.trx, run.ctx.store.dialect, saved, run.scope.tree);
      await recordRevision(run.trx, saved, run.actor, plan.current ? 'reimport' : 'import', run.now);
      events.push(...(await rowEvents(run, saved, plan.current, before.get(plan) ?? new Set())));
    } catch (error) {
      throw rowError(error, file, plan.parsed.row, 'id');
    }
  }
  return events;
}

async function updateFileRelations(run: Run, plan: Planned, made: Article): Promise<Article | undefined> {
  const values = localValues(run, plan);
  return articles.updateArticle(run.trx, made.id, { fields: values, listMark: listMarkOf(run.type, values) }, run.now);
}

function distinct(events: readonly ContentEvent[]): ContentEvent[] {
  const seen = new Set<string>();
  return events.filter((event) => {
    const key = JSON.stringify(event);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Imports a file's rows into the site's items of the type, in one transaction: every row is
 * checked first and the first bad one is reported by its row number and field
 * (IMPORT_ROW_INVALID); then all are written, or, if anything fails, none.
 */
export async function importItems(
  ctx: ServiceContext,
  actor: Actor,
  typeName: string,
  rows: readonly ImportRow[],
  fileName: string,
  origin: string | null = null,
): Promise<ImportOutcome> {
  const now = ctx.clock.now();
  const scope = await currentSite(ctx.store.db, ctx.siteId);
  const key = contentTypeNamed(typeName).key;
  const fileIds = new Set(rows.map((r) => r.item.id).filter((id): id is number => typeof id === 'number'));
  const outcome = await ctx.store.db.transaction().execute(async (trx) => {
    const own = await originOf(trx, scope.site.id);
    const type = await siteContentType(trx, scope.site.id, key);
    const foreign = origin !== null && origin !== own ? origin : null;
    const run: Run = { trx, ctx, actor, scope, type, now, foreign, fileIds, local: new Map() };
    const plans = await planRows(run, rows, fileName);
    const events = await writeRows(run, plans, fileName);
    const recorded = await recordEvents(trx, ctx, distinct(events));
    const created = plans.filter((p) => !p.current).length;
    // Last: on PostgreSQL the audit entry holds the chain's lock until the commit.
    await appendAudit(trx, ctx.store.dialect, now, actor, {
      action: 'content.import',
      targetType: 'content-type',
      targetId: null,
      details: { type: type.key, file: fileName, created, updated: plans.length - created },
    });
    return { created, updated: plans.length - created, recorded };
  });
  sendEvents(ctx, outcome.recorded);
  return { created: outcome.created, updated: outcome.updated };
}
