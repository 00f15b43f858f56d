import type { Kysely } from 'kysely';
import {
  EDIT_PERMISSION,
  GazetteError,
  relationValue,
  shippedType,
  type FieldValue,
  type FieldValues,
  isWebAddress,
  htmlToText,
  sanitizeBodyHtml,
  summarize,
  type Article,
  type ArticleFields,
  type ChannelTree,
} from '../../domain/index.js';
import { articles, contentTypes, type Database } from '../../store/index.js';
import { requirePermission, type Actor } from '../actor.js';
import { articleViewOf } from './article-views.js';
import { appendAudit } from '../audit.js';
import type { ServiceContext } from '../context.js';
import {
  changedFields,
  recordRevision,
  revisionOf,
  snapshotAtVersion,
  snapshotOf,
  type EditableField,
} from './revisions.js';
import { syncArticleIndex } from './search.js';
import { currentSite, type SiteScope } from '../site.js';
import type { ArticleInput, ArticlePatch, ArticleView } from '../views.js';
import { findingsOf } from './wording.js';
import { recordEvents, sendEvents, type ContentEvent, type RecordedEvents } from '../events.js';
import {
  channelContentType,
  checkRelations,
  listMarkOf,
  mergeValues,
  forgetRelated,
  itemEvents,
  relatedIds,
  requireComplete,
  saveRelations,
  shownEvents,
  siteContentType,
  syncPolicyDisclosure,
} from './items.js';

/** A save based on an old version: carries the article as it is now and what changed since. */
export class ArticleVersionConflict extends GazetteError {
  constructor(
    readonly current: ArticleView,
    readonly changed: readonly EditableField[],
    yours: number,
  ) {
    super('ARTICLE_VERSION_CONFLICT', { yours, current: current.version });
  }
}

function listChannelOf(tree: ChannelTree, channelId: number) {
  const channel = tree.get(channelId);
  if (!channel) throw new GazetteError('CHANNEL_NOT_FOUND', { id: channelId });
  if (channel.type !== 'list') throw new GazetteError('CHANNEL_NOT_LIST', { name: channel.name });
  return channel;
}

function checkInstant(value: string, field: string): string {
  const time = new Date(value);
  if (Number.isNaN(time.getTime()))
    throw new GazetteError('FIELD_INVALID', { field, reason: { zh: '不是有效的时间', en: 'not a valid time' } });
  return time.toISOString();
}

/** The summary written from the body, when the editor writes none (the importers write it the same way). */
export function autoSummary(bodyHtml: string): string {
  return summarize(htmlToText(bodyHtml));
}

function requireWebAddress(url: string, field: string): void {
  if (!isWebAddress(url))
    throw new GazetteError('FIELD_INVALID', {
      field,
      reason: { zh: '须为以 http://、https:// 或 / 开头的地址', en: 'an address starting with http://, https:// or /' },
    });
}

/** The body as stored: sanitised on the way in, whatever the editor sent. */
/** `summaryIsAuto`: the summary was written from the body, so it follows the body's changes. */
function cleanFields(input: Partial<ArticleInput>, summaryIsAuto: boolean): Partial<ArticleFields> {
  const fields: Record<string, unknown> = {};
  for (const key of [
    'channelId',
    'title',
    'subtitle',
    'source',
    'author',
    'responsibleEditor',
    'summary',
    'keywords',
    'coverImage',
    'attachments',
  ] as const) {
    if (input[key] !== undefined) fields[key] = typeof input[key] === 'string' ? input[key].trim() : input[key];
  }
  // An empty 来源 is the site itself and an empty cover is none (forms and JSON coercion send '').
  if (fields.source === '') fields.source = null;
  if (fields.coverImage === '') fields.coverImage = null;
  if (input.title !== undefined && !input.title.trim())
    throw new GazetteError('FIELD_INVALID', {
      field: 'title',
      reason: { zh: '标题不能为空', en: 'the title is empty' },
    });
  // Both are links on the public page: a web address or a path on the site, never a script.
  if (typeof fields.coverImage === 'string') requireWebAddress(fields.coverImage, 'coverImage');
  for (const [i, attachment] of (input.attachments ?? []).entries())
    requireWebAddress(attachment.url.trim(), `attachments[${i}].url`);
  if (input.bodyHtml !== undefined) {
    fields.bodyHtml = sanitizeBodyHtml(input.bodyHtml);
    // An empty summary is written for the editor from the body; an omitted one is rewritten only
    // if it was written that way before (an editor's own summary is never replaced).
    if (input.summary === '' || (summaryIsAuto && input.summary === undefined))
      fields.summary = autoSummary(fields.bodyHtml as string);
  }
  if (input.publishedAt !== undefined) fields.publishedAt = checkInstant(input.publishedAt, 'publishedAt');
  return fields;
}

/**
 * The 发布时间 readers see may be set or moved only by someone allowed to (a publisher) and with
 * a reason, which goes to the audit log: a forged publish date is a veto item in the national check.
 */
function checkPublishTime(
  actor: Actor,
  tree: ChannelTree,
  channelId: number,
  input: Partial<ArticleInput>,
  current: string | null,
) {
  if (input.publishedAt === undefined) return null;
  const next = checkInstant(input.publishedAt, 'publishedAt');
  if (next === current) return null;
  requirePermission(actor, 'article.backdate', channelId, tree);
  const reason = input.publishedAtReason?.trim();
  if (!reason) throw new GazetteError('PUBLISH_TIME_REASON_REQUIRED');
  return { from: current, to: next, reason };
}

async function finish(
  trx: Kysely<Database>,
  ctx: ServiceContext,
  scope: SiteScope,
  article: Article,
  actor: Actor,
): Promise<ArticleView> {
  await syncArticleIndex(trx, ctx.store.dialect, article, scope.tree);
  return articleViewOf(trx, article, scope, actor);
}

export async function createArticle(ctx: ServiceContext, actor: Actor, input: ArticleInput): Promise<ArticleView> {
  const now = ctx.clock.now();
  const scope = await currentSite(ctx.store.db, ctx.siteId);
  listChannelOf(scope.tree, input.channelId);
  requirePermission(actor, 'article.create', input.channelId, scope.tree);
  const moved = checkPublishTime(actor, scope.tree, input.channelId, input, null);
  const fields = cleanFields(input, true);
  const type = await siteContentType(ctx.store.db, scope.site.id, channelContentType(scope, input.channelId));
  const values = mergeValues(type, {}, input.fields);
  return ctx.store.db
    .transaction()
    .execute(async (trx) => {
      await checkRelations(trx, actor, scope, type, values, null);
      const article = await articles.insertArticle(
        trx,
        {
          siteId: scope.site.id,
          channelId: input.channelId,
          title: fields.title ?? '',
          subtitle: fields.subtitle ?? '',
          source: fields.source ?? null,
          author: fields.author ?? '',
          responsibleEditor: fields.responsibleEditor ?? '',
          publishedAt: fields.publishedAt ?? null,
          bodyHtml: fields.bodyHtml ?? '',
          summary: fields.summary ?? '',
          keywords: fields.keywords ?? '',
          coverImage: fields.coverImage ?? null,
          attachments: fields.attachments ?? [],
          status: 'draft',
          importKey: null,
          createdBy: actor.userId,
          contentType: type.key,
          fields: values,
          listMark: listMarkOf(type, values),
        },
        now,
      );
      await saveRelations(trx, type, article);
      await recordRevision(trx, article, actor, 'create', now);
      const view = await finish(trx, ctx, scope, article, actor);
      // The audit entry goes last: on PostgreSQL it holds the chain's lock until the commit.
      await appendAudit(trx, ctx.store.dialect, now, actor, {
        action: 'article.create',
        targetType: 'article',
        targetId: article.id,
        details: { title: article.title, channelId: article.channelId, ...(moved && { publishedAt: moved }) },
      });
      return view;
    })
    .then((view) => withFindings(ctx, scope, view));
}

/** A save's answer carries the wording check of what was saved, for the editor to show. */
async function withFindings(ctx: ServiceContext, scope: SiteScope, view: ArticleView): Promise<ArticleView> {
  return { ...view, wordingFindings: await findingsOf(ctx.store.db, scope.site.id, view) };
}

/** Saves an edit made on `patch.version`; a save based on an older version is refused with what changed. */
export function updateArticle(
  ctx: ServiceContext,
  actor: Actor,
  id: number,
  patch: ArticlePatch,
): Promise<ArticleView> {
  return saveArticle(ctx, actor, id, patch, { action: 'edit' });
}

type SaveOutcome =
  | { readonly kind: 'conflict'; readonly current: ArticleView; readonly changed: EditableField[] }
  | { readonly kind: 'saved'; readonly view: ArticleView; readonly recorded: RecordedEvents };

async function saveArticle(
  ctx: ServiceContext,
  actor: Actor,
  id: number,
  patch: ArticlePatch,
  how: { action: 'edit' | 'restore'; revision?: number },
): Promise<ArticleView> {
  const now = ctx.clock.now();
  const scope = await currentSite(ctx.store.db, ctx.siteId);
  const result = await ctx.store.db.transaction().execute(async (trx): Promise<SaveOutcome> => {
    const current = await loadArticle(trx, scope, id);
    requirePermission(actor, EDIT_PERMISSION[current.status], current.channelId, scope.tree);
    if (patch.channelId !== undefined && patch.channelId !== current.channelId) {
      const channel = listChannelOf(scope.tree, patch.channelId);
      requirePermission(actor, EDIT_PERMISSION[current.status], patch.channelId, scope.tree);
      if ((channel.contentType ?? 'article') !== current.contentType)
        throw new GazetteError('CONTENT_TYPE_MISMATCH', {
          name: channel.name,
          expected: shippedType(channel.contentType ?? 'article').label,
          actual: shippedType(current.contentType).label,
        });
    }
    if (patch.version !== current.version) {
      const base = await snapshotAtVersion(trx, id, patch.version);
      const changed = base ? changedFields(base, snapshotOf(current)) : [];
      return { kind: 'conflict', current: await articleViewOf(trx, current, scope, actor), changed };
    }
    const moved = checkPublishTime(actor, scope.tree, patch.channelId ?? current.channelId, patch, current.publishedAt);
    const fields = cleanFields(patch, current.summary === autoSummary(current.bodyHtml));
    const type = await siteContentType(trx, scope.site.id, current.contentType);
    const values = mergeValues(type, current.fields, patch.fields);
    await checkRelations(trx, actor, scope, type, values, id, current.fields);
    // A published item stays complete: an edit may not take away what publishing required.
    if (current.status === 'published') requireComplete(type, { title: fields.title ?? current.title, fields: values });
    const before = snapshotOf(current);
    const relatedBefore = await relatedIds(trx, id);
    // Editing a withdrawn article starts it on the workflow again.
    const status = current.status === 'withdrawn' ? { status: 'draft' as const, reviewLevel: 0 } : {};
    const typed = patch.fields === undefined ? {} : { fields: values, listMark: listMarkOf(type, values) };
    const saved = await articles.updateArticleAtVersion(
      trx,
      id,
      current.version,
      { ...fields, ...typed, ...status },
      now,
    );
    if (!saved) throw new GazetteError('ARTICLE_NOT_FOUND', { id });
    if (patch.fields !== undefined) {
      await saveRelations(trx, type, saved);
      await syncPolicyDisclosure(trx, saved);
    }
    const changed = changedFields(before, snapshotOf(saved));
    await recordRevision(trx, saved, actor, how.action, now);
    const view = await finish(trx, ctx, scope, saved, actor);
    const recorded = await recordEvents(
      trx,
      ctx,
      await editEvents(
        trx,
        saved,
        current,
        relatedBefore,
        changed.every((field) => field === 'fields'),
      ),
    );
    // Last, as in createArticle: every statement after it would wait with the chain locked.
    await appendAudit(trx, ctx.store.dialect, now, actor, {
      action: how.action === 'edit' ? 'article.update' : 'article.restore',
      targetType: 'article',
      targetId: id,
      details: {
        version: saved.version,
        changed,
        ...(how.revision && { revision: how.revision }),
        ...(moved && { publishedAt: moved }),
      },
    });
    return { kind: 'saved', view, recorded };
  });
  if (result.kind === 'conflict') throw new ArticleVersionConflict(result.current, result.changed, patch.version);
  sendEvents(ctx, result.recorded);
  return withFindings(ctx, scope, result.view);
}

/** A published article's edit: its pages, and the columns it is placed in (they show its title and link). */
async function editEvents(
  trx: Kysely<Database>,
  saved: Article,
  previous: Pick<Article, 'channelId' | 'publishedAt' | 'keywords'>,
  relatedBefore: ReadonlySet<number>,
  valuesOnly: boolean,
): Promise<ContentEvent[]> {
  if (saved.status !== 'published') return [];
  const event = {
    type: 'article.updated',
    siteId: saved.siteId,
    articleId: saved.id,
    channelId: saved.channelId,
    previousChannelId: previous.channelId,
    previousPublishedAt: previous.publishedAt,
    ...(valuesOnly && { valuesOnly }),
  } as const;
  return itemEvents(trx, event, saved, previous, relatedBefore);
}

export async function loadArticle(db: Kysely<Database>, scope: SiteScope, id: number): Promise<Article> {
  const article = await articles.findArticle(db, id);
  if (!article || article.siteId !== scope.site.id) throw new GazetteError('ARTICLE_NOT_FOUND', { id });
  return article;
}

/** Deletes a draft or a withdrawn article for good (a published one must be withdrawn first). */
export async function deleteArticle(ctx: ServiceContext, actor: Actor, id: number): Promise<void> {
  const now = ctx.clock.now();
  const scope = await currentSite(ctx.store.db, ctx.siteId);
  const recorded = await ctx.store.db.transaction().execute(async (trx) => {
    const article = await loadArticle(trx, scope, id);
    requirePermission(actor, 'article.delete', article.channelId, scope.tree);
    if (article.createdBy !== actor.userId) requirePermission(actor, 'article.publish', article.channelId, scope.tree);
    if (article.status !== 'draft' && article.status !== 'withdrawn') {
      throw new GazetteError('WORKFLOW_INVALID', { step: 'delete', status: article.status });
    }
    await appendAudit(trx, ctx.store.dialect, now, actor, {
      action: 'article.delete',
      targetType: 'article',
      targetId: id,
      details: { title: article.title, status: article.status },
    });
    const pointing = await forgetRelated(trx, id, now);
    await articles.deleteArticle(trx, id);
    return recordEvents(trx, ctx, await shownEvents(trx, pointing));
  });
  sendEvents(ctx, recorded);
}

/**
 * An old revision's values as they can be saved now: a field removed since (its values are in
 * the archive) and a relation to an item deleted since are left out.
 */
async function restorableValues(
  db: Kysely<Database>,
  siteId: number,
  current: Article,
  values: FieldValues,
): Promise<FieldValues> {
  const type = await siteContentType(db, siteId, current.contentType);
  const kept: Record<string, FieldValue> = {};
  for (const def of type.fields) {
    const value = values[def.name];
    if (value === undefined) continue;
    if (def.kind !== 'relation') kept[def.name] = value;
    else {
      const ids = relationValue(value);
      const alive = new Set((await contentTypes.itemsByIds(db, ids)).map((item) => item.id));
      const left = ids.filter((id) => alive.has(id));
      if (left.length > 0) kept[def.name] = left;
    }
  }
  return kept;
}

/** Makes an old revision's content the current one (a new revision; nothing is lost). */
export async function restoreRevision(
  ctx: ServiceContext,
  actor: Actor,
  id: number,
  number: number,
  version: number,
): Promise<ArticleView> {
  const scope = await currentSite(ctx.store.db, ctx.siteId);
  const revision = await revisionOf(ctx.store.db, id, number);
  const { publishedAt: _shownTime, ...content } = revision.snapshot;
  const current = await loadArticle(ctx.store.db, scope, id);
  const channelId = scope.tree.get(content.channelId)?.type === 'list' ? content.channelId : current.channelId;
  return saveArticle(
    ctx,
    actor,
    id,
    {
      ...content,
      channelId,
      attachments: [...content.attachments],
      // The revision's values exactly: a field it had no value for is cleared.
      fields: {
        ...Object.fromEntries(Object.keys(current.fields).map((k) => [k, null])),
        ...(await restorableValues(ctx.store.db, scope.site.id, current, content.fields)),
      },
      version,
    },
    { action: 'restore', revision: number },
  );
}
