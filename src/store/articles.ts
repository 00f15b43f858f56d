import { sql, type Kysely } from 'kysely';
import {
  ARTICLE_STATUSES,
  chunks,
  CONTENT_TYPE_KEYS,
  type ContentTypeKey,
  type FieldValues,
  type Article,
  type ArticleFields,
  type ArticleStatus,
  type Attachment,
} from '../domain/index.js';
import { columnContains } from './contains.js';
import { channelsWithPlacements, entryTable, placedIn } from './list-entries.js';
import type { ArticleRow, Database } from './schema.js';
import type { Dialect } from './migrations.js';

function toStatus(value: string): ArticleStatus {
  const status = ARTICLE_STATUSES.find((s) => s === value);
  if (!status) throw new TypeError(`article.status holds "${value}", not one of ${ARTICLE_STATUSES.join(', ')}`);
  return status;
}

function toContentType(value: string): ContentTypeKey {
  const key = CONTENT_TYPE_KEYS.find((k) => k === value);
  if (!key) throw new TypeError(`article.content_type holds "${value}", not one of ${CONTENT_TYPE_KEYS.join(', ')}`);
  return key;
}

export function toArticle(row: ArticleRow): Article {
  return {
    ...row,
    status: toStatus(row.status),
    attachments: JSON.parse(row.attachments) as Attachment[],
    contentType: toContentType(row.contentType),
    fields: JSON.parse(row.fields) as FieldValues,
  };
}

/** What lists, neighbours and related blocks need of an article: no body. */
export interface ArticleListing {
  readonly id: number;
  readonly channelId: number;
  readonly title: string;
  readonly summary: string;
  readonly publishedAt: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** What the list shows beside the title (已废止 on a repealed policy); '' for nothing. */
  readonly listMark: string;
  /**
   * Set when the entry is a placement (引用) of an article of another column: `channelId` and
   * `publishedAt` are then the list's column and the placement's place in it, and this names
   * where the article's one page is (its home site, column and 发布时间).
   */
  readonly home?: PlacedHome | undefined;
}

export interface PlacedHome {
  readonly siteId: number;
  readonly channelId: number;
  readonly publishedAt: string;
}

const LISTING_COLUMNS = [
  'id',
  'channelId',
  'title',
  'summary',
  'publishedAt',
  'createdAt',
  'updatedAt',
  'listMark',
] as const;
const ENTRY_COLUMNS = [...LISTING_COLUMNS, 'homeSiteId', 'homeChannelId', 'homePublishedAt'] as const;

type EntryRow = Pick<ArticleRow, (typeof LISTING_COLUMNS)[number]> & {
  readonly homeSiteId?: number | null;
  readonly homeChannelId?: number | null;
  readonly homePublishedAt?: string | null;
};

function toListing(row: EntryRow): ArticleListing {
  const { homeSiteId, homeChannelId, homePublishedAt, ...listing } = row;
  // Only published rows are listed, and publishing always sets publishedAt.
  const publishedAt = listing.publishedAt ?? listing.createdAt;
  if (homeSiteId == null || homeChannelId == null) return { ...listing, publishedAt };
  return {
    ...listing,
    publishedAt,
    home: { siteId: homeSiteId, channelId: homeChannelId, publishedAt: homePublishedAt ?? listing.createdAt },
  };
}

/** The list entries of these channels (placements included when any are live there). */
async function entries(db: Kysely<Database>, channelIds: readonly number[]) {
  return entryTable(db, channelIds, (await placedIn(db, channelIds)) > 0).select(ENTRY_COLUMNS);
}

function fieldsToRow(fields: Partial<ArticleFields>) {
  const { attachments, fields: values, ...rest } = fields;
  return {
    ...rest,
    ...(attachments !== undefined && { attachments: JSON.stringify(attachments) }),
    ...(values !== undefined && { fields: JSON.stringify(values) }),
  };
}

export async function findArticle(db: Kysely<Database>, id: number): Promise<Article | undefined> {
  const row = await db.selectFrom('article').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toArticle(row);
}

export async function findArticleByImportKey(
  db: Kysely<Database>,
  siteId: number,
  importKey: string,
): Promise<Article | undefined> {
  const row = await db
    .selectFrom('article')
    .selectAll()
    .where('siteId', '=', siteId)
    .where('importKey', '=', importKey)
    .executeTakeFirst();
  return row && toArticle(row);
}

/** A site's articles whose body holds `text` (a migrated site's old address), by id after `afterId`. */
export async function articlesWithBodyText(
  db: Kysely<Database>,
  siteId: number,
  text: string,
  afterId: number,
  limit: number,
): Promise<Article[]> {
  const rows = await db
    .selectFrom('article')
    .selectAll()
    .where('siteId', '=', siteId)
    .where('id', '>', afterId)
    .where(columnContains('body_html', text))
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map(toArticle);
}

export async function insertArticle(db: Kysely<Database>, fields: ArticleFields, now: Date): Promise<Article> {
  const stamp = now.toISOString();
  const row = await db
    .insertInto('article')
    .values({
      ...fields,
      attachments: JSON.stringify(fields.attachments),
      fields: JSON.stringify(fields.fields ?? {}),
      viewCount: 0,
      version: 1,
      createdAt: stamp,
      updatedAt: stamp,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toArticle(row);
}

/** Saves new field values and bumps the version (only from `expectedVersion`, when given). */
export async function updateArticle(
  db: Kysely<Database>,
  id: number,
  fields: Partial<ArticleFields>,
  now: Date,
  expectedVersion?: number,
): Promise<Article | undefined> {
  let query = db
    .updateTable('article')
    .set((eb) => ({ ...fieldsToRow(fields), version: eb('version', '+', 1), updatedAt: now.toISOString() }))
    .where('id', '=', id);
  if (expectedVersion !== undefined) query = query.where('version', '=', expectedVersion);
  const row = await query.returningAll().executeTakeFirst();
  return row && toArticle(row);
}

export async function deleteArticle(db: Kysely<Database>, id: number): Promise<boolean> {
  const result = await db.deleteFrom('article').where('id', '=', id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Published articles of these channels, newest first. */
export async function listPublished(
  db: Kysely<Database>,
  channelIds: readonly number[],
  page: { limit: number; offset: number },
): Promise<ArticleListing[]> {
  if (channelIds.length === 0) return [];
  if (channelIds.length > 1 && page.offset + page.limit <= MERGE_LIMIT) {
    return (await newestAcross(db, channelIds, page.offset + page.limit)).slice(page.offset);
  }
  const rows = await (
    await entries(db, channelIds)
  )
    .orderBy('publishedAt', 'desc')
    .orderBy('id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return rows.map(toListing);
}

/** Up to this many newest articles of several channels are read channel by channel and merged. */
const MERGE_LIMIT = 1000;

const newerFirst = (a: ArticleListing, b: ArticleListing) =>
  a.publishedAt === b.publishedAt ? b.id - a.id : a.publishedAt < b.publishedAt ? 1 : -1;

/**
 * The newest `take` published articles of several channels. One query over all of them would
 * sort every matching row to find the newest few (the index orders each channel, not their
 * union); reading the newest `take` of each channel along its index and merging costs `take`
 * rows per channel, whatever the channels hold.
 */
async function newestAcross(
  db: Kysely<Database>,
  channelIds: readonly number[],
  take: number,
): Promise<ArticleListing[]> {
  // Placements read in every member when any channel has some: the members of one UNION must
  // have the same column types, and PostgreSQL types a bare null as text.
  const withPlaced = (await channelsWithPlacements(db, channelIds)).size > 0;
  // Each channel's newest along its own index, all in one statement (a round trip per channel
  // cost a site feed of twenty columns twenty queries).
  const newest = channelIds.map((channelId, i) =>
    db
      .selectFrom(
        entryTable(db, [channelId], withPlaced)
          .select(ENTRY_COLUMNS)
          .orderBy('publishedAt', 'desc')
          .orderBy('id', 'desc')
          .limit(take)
          .as(`c${i}`),
      )
      .selectAll(),
  );
  const [first, ...rest] = newest;
  if (!first) return [];
  const rows = await rest.reduce((union, next) => union.unionAll(next), first).execute();
  return rows.map(toListing).sort(newerFirst).slice(0, take);
}

/**
 * How many entries the lists of these channels hold (their published articles and the live
 * placements in them), or the site's own published articles when given a site id. Read from
 * the per-channel counts the store's triggers keep, so it costs the same at any size.
 */
export async function countPublished(
  db: Kysely<Database>,
  scope: readonly number[] | { siteId: number },
): Promise<number> {
  if (Array.isArray(scope) && scope.length === 0) return 0;
  const row = await db
    .selectFrom('channelCount')
    .select((eb) =>
      eb.fn
        .coalesce(
          eb.fn.sum<number>('siteId' in scope ? eb.ref('published') : eb(eb.ref('published'), '+', eb.ref('placed'))),
          eb.lit(0),
        )
        .as('count'),
    )
    .where((eb) =>
      'siteId' in scope
        ? eb('channelId', 'in', eb.selectFrom('channel').select('id').where('siteId', '=', scope.siteId))
        : eb('channelId', 'in', scope),
    )
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/**
 * 上一篇 (the article published just before this one) and 下一篇 (just after), in the same
 * channel; ties in time are broken by id so that every article has exactly one place.
 */
export async function findNeighbours(
  db: Kysely<Database>,
  article: Pick<Article, 'id' | 'channelId' | 'publishedAt'>,
): Promise<{ previous: ArticleListing | undefined; next: ArticleListing | undefined }> {
  const [previous, next] = await Promise.all([publishedBefore(db, article, 1), publishedAfter(db, article, 1)]);
  return { previous: previous[0], next: next[0] };
}

/** Adds reads to the 浏览次数 counter and returns the new total. */
export async function addViews(db: Kysely<Database>, id: number, count: number): Promise<number | undefined> {
  const row = await db
    .updateTable('article')
    .set((eb) => ({ viewCount: eb('viewCount', '+', count) }))
    .where('id', '=', id)
    .returning('viewCount')
    .executeTakeFirst();
  return row?.viewCount;
}

/**
 * The articles' versions as they are now, their rows held FOR SHARE until the transaction ends
 * on PostgreSQL (in id order): an edit in flight is waited for, so what the transaction reads is
 * the latest, and no edit commits under it. (SQLite has one writer at a time.) Deleted articles
 * are absent.
 */
export async function holdArticles(
  db: Kysely<Database>,
  dialect: Dialect,
  ids: readonly number[],
): Promise<Map<number, number>> {
  const versions = new Map<number, number>();
  const sorted = [...new Set(ids)].sort((a, b) => a - b);
  for (const part of chunks(sorted, 500)) {
    const query = db.selectFrom('article').select(['id', 'version']).where('id', 'in', part).orderBy('id');
    for (const row of await (dialect === 'postgres' ? query.forShare() : query).execute()) {
      versions.set(row.id, row.version);
    }
  }
  return versions;
}

/**
 * addViews on PostgreSQL without waiting for the row: 'locked' when another transaction holds it
 * (a search rebuild batch keeps its articles FOR SHARE until it commits), so the caller keeps the
 * reads for later instead of stalling behind it.
 */
export async function addViewsUnlessLocked(
  db: Kysely<Database>,
  id: number,
  count: number,
): Promise<number | 'locked' | undefined> {
  const row = await db
    .updateTable('article')
    .set((eb) => ({ viewCount: eb('viewCount', '+', count) }))
    .where('id', '=', (eb) =>
      eb.selectFrom('article as free').select('free.id').where('free.id', '=', id).forNoKeyUpdate().skipLocked(),
    )
    .returning('viewCount')
    .executeTakeFirst();
  if (row) return row.viewCount;
  const exists = await db.selectFrom('article').select('id').where('id', '=', id).executeTakeFirst();
  return exists ? 'locked' : undefined;
}

/** Published articles of a site in id order after `afterId`: for walking the whole site in batches. */
export async function publishedBatch(
  db: Kysely<Database>,
  siteId: number,
  afterId: number,
  limit: number,
): Promise<Article[]> {
  const rows = await db
    .selectFrom('article')
    .selectAll()
    .where('siteId', '=', siteId)
    .where('status', '=', 'published')
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map(toArticle);
}

/** A place in a channel's order: equal times are ordered by id. */
export interface Place {
  readonly publishedAt: string;
  readonly id: number;
}

/**
 * Published articles of one channel after a place (from the oldest when null), oldest first:
 * walking a whole channel in its order, a batch at a time along its index.
 */
export async function publishedInOrder(
  db: Kysely<Database>,
  channelId: number,
  after: Place | null,
  limit: number,
): Promise<Article[]> {
  let query = db.selectFrom('article').selectAll().where('channelId', '=', channelId).where('status', '=', 'published');
  if (after) query = query.where(beside(after.publishedAt, after.id, 'after'));
  const rows = await query.orderBy('publishedAt').orderBy('id').limit(limit).execute();
  return rows.map(toArticle);
}

/** The same walk with only what a list shows of each entry (placements in the channel included). */
export async function listingsInOrder(
  db: Kysely<Database>,
  channelId: number,
  after: Place | null,
  limit: number,
): Promise<ArticleListing[]> {
  let query = await entries(db, [channelId]);
  if (after) query = query.where(beside(after.publishedAt, after.id, 'after'));
  const rows = await query.orderBy('publishedAt').orderBy('id').limit(limit).execute();
  return rows.map(toListing);
}

/** An article as lists show it. */
export function listingOf(article: Article): ArticleListing {
  const { id, channelId, title, summary, publishedAt, createdAt, updatedAt, listMark } = article;
  return toListing({ id, channelId, title, summary, publishedAt, createdAt, updatedAt, listMark });
}

/** Where a published article lives and when it last changed: all a sitemap entry needs. */
export interface ArticleLocation {
  readonly id: number;
  readonly channelId: number;
  readonly publishedAt: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** Published articles of a site with ids in (afterId, upToId], in id order (a sitemap part). */
export async function publishedLocationsInIdRange(
  db: Kysely<Database>,
  siteId: number,
  afterId: number,
  upToId: number,
): Promise<ArticleLocation[]> {
  // The id range goes first, read from the covering article_location index without touching the
  // rows (their bodies); the site is checked on what it gives.
  const rows = await db
    .selectFrom('article')
    .select(['id', 'siteId', 'channelId', 'publishedAt', 'createdAt', 'updatedAt', 'status'])
    .where('id', '>', afterId)
    .where('id', '<=', upToId)
    .orderBy('id')
    .execute();
  return rows
    .filter((row) => row.siteId === siteId && row.status === 'published')
    .map((row) => ({
      id: row.id,
      channelId: row.channelId,
      publishedAt: row.publishedAt ?? row.createdAt,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    }));
}

/**
 * Every published article of a site, in id order: the one-file sitemap of a site small enough to
 * have one, read along the site's own index (an id range would read every site's articles).
 */
export async function publishedLocationsOfSite(db: Kysely<Database>, siteId: number): Promise<ArticleLocation[]> {
  const rows = await db
    .selectFrom('article')
    .select(['id', 'channelId', 'publishedAt', 'createdAt', 'updatedAt'])
    .where('siteId', '=', siteId)
    .where('status', '=', 'published')
    .orderBy('id')
    .execute();
  return rows.map((row) => ({ ...row, publishedAt: row.publishedAt ?? row.createdAt }));
}

/**
 * The highest article id in the store, in any status and any site (ids only grow, so sitemap
 * parts only grow; a part may hold none of a site's articles, which the protocol allows). Read
 * from the end of the primary key: filtering by site would read every row of the site.
 */
export async function maxArticleId(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('article').select('id').orderBy('id', 'desc').limit(1).executeTakeFirst();
  return row?.id ?? 0;
}

/**
 * Saves new field values only if the article is still at the version the editor started from;
 * undefined means someone else saved first (or the article is gone).
 */
export function updateArticleAtVersion(
  db: Kysely<Database>,
  id: number,
  expectedVersion: number,
  fields: Partial<ArticleFields>,
  now: Date,
): Promise<Article | undefined> {
  return updateArticle(db, id, fields, now, expectedVersion);
}

export interface BackOfficeFilter {
  readonly siteId: number;
  readonly statuses?: readonly ArticleStatus[] | undefined;
  /** null: every channel. */
  readonly channelIds: readonly number[] | null;
  readonly titleContains?: string | undefined;
  readonly createdBy?: number | undefined;
  /** Leave out an author's own articles (a reviewer's queue). */
  readonly excludeCreatedBy?: number | undefined;
  readonly contentType?: string | undefined;
}

function backOfficeQuery(db: Kysely<Database>, filter: BackOfficeFilter) {
  let query = db.selectFrom('article').where('siteId', '=', filter.siteId);
  if (filter.statuses) query = query.where('status', 'in', filter.statuses.length > 0 ? filter.statuses : ['-']);
  if (filter.channelIds)
    query = query.where('channelId', 'in', filter.channelIds.length > 0 ? filter.channelIds : [-1]);
  if (filter.createdBy !== undefined) query = query.where('createdBy', '=', filter.createdBy);
  if (filter.excludeCreatedBy !== undefined) {
    const me = filter.excludeCreatedBy;
    query = query.where((eb) => eb.or([eb('createdBy', 'is', null), eb('createdBy', '!=', me)]));
  }
  if (filter.titleContains) query = query.where(columnContains('title', filter.titleContains));
  if (filter.contentType) query = query.where('contentType', '=', filter.contentType);
  return query;
}

/** Articles in any status for the back office's lists, most recently changed first. */
export async function listForBackOffice(
  db: Kysely<Database>,
  filter: BackOfficeFilter,
  page: { limit: number; offset: number },
): Promise<{ articles: Article[]; total: number }> {
  const [rows, count] = await Promise.all([
    backOfficeQuery(db, filter)
      .selectAll()
      .orderBy('updatedAt', 'desc')
      .orderBy('id', 'desc')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    backOfficeQuery(db, filter)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { articles: rows.map(toArticle), total: Number(count.n) };
}

/**
 * Published articles at positions first…last of these channels counted from the oldest
 * (1-based), newest first. Reads from whichever end is nearer, so the newest chunks of a long
 * list cost as little as the oldest.
 */
export async function listPublishedByPosition(
  db: Kysely<Database>,
  channelIds: readonly number[],
  positions: { first: number; last: number },
  total: number,
): Promise<ArticleListing[]> {
  const count = positions.last - positions.first + 1;
  if (channelIds.length === 0 || count <= 0) return [];
  const fromNewest = total - positions.last < positions.first - 1;
  if (fromNewest && channelIds.length > 1 && total - positions.first + 1 <= MERGE_LIMIT) {
    return (await newestAcross(db, channelIds, total - positions.first + 1)).slice(total - positions.last);
  }
  const rows = await (
    await entries(db, channelIds)
  )
    .orderBy('publishedAt', fromNewest ? 'desc' : 'asc')
    .orderBy('id', fromNewest ? 'desc' : 'asc')
    .limit(count)
    .offset(fromNewest ? total - positions.last : positions.first - 1)
    .execute();
  const listings = rows.map(toListing);
  return fromNewest ? listings : listings.reverse();
}

/**
 * How many published articles of these channels come after this one (newer, or as new with a
 * higher id). For a new article that is next to nothing to count, whatever the channel holds.
 */
export async function countPublishedAfter(
  db: Kysely<Database>,
  channelIds: readonly number[],
  article: Pick<Article, 'id' | 'publishedAt'>,
): Promise<number> {
  const at = article.publishedAt;
  if (at === null || channelIds.length === 0) return 0;
  const row = await entryTable(db, channelIds, (await placedIn(db, channelIds)) > 0)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where(beside(at, article.id, 'after'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Articles published just before this one in its channel, newest first (its 相关文章 block). */
export function publishedBefore(
  db: Kysely<Database>,
  article: Pick<Article, 'id' | 'channelId' | 'publishedAt'>,
  limit: number,
): Promise<ArticleListing[]> {
  return publishedBeside(db, article, 'before', limit);
}

/** Articles published just after this one in its channel, oldest first (whose 相关文章 blocks list it). */
export function publishedAfter(
  db: Kysely<Database>,
  article: Pick<Article, 'id' | 'channelId' | 'publishedAt'>,
  limit: number,
): Promise<ArticleListing[]> {
  return publishedBeside(db, article, 'after', limit);
}

async function publishedBeside(
  db: Kysely<Database>,
  article: Pick<Article, 'id' | 'channelId' | 'publishedAt'>,
  side: 'before' | 'after',
  limit: number,
): Promise<ArticleListing[]> {
  const at = article.publishedAt;
  if (at === null) return [];
  const direction = side === 'before' ? 'desc' : 'asc';
  const rows = await db
    .selectFrom('article')
    .select(LISTING_COLUMNS)
    .where('channelId', '=', article.channelId)
    .where('status', '=', 'published')
    .where(beside(at, article.id, side))
    .orderBy('publishedAt', direction)
    .orderBy('id', direction)
    .limit(limit)
    .execute();
  return rows.map(toListing);
}

/**
 * Rows published before (or after) a moment, equal moments ordered by id: one place for each
 * article. A row-value comparison, so both stores walk the (channel, status, time, id) index from
 * that point instead of testing every row of the channel.
 */
function beside(at: string, id: number, side: 'before' | 'after') {
  return sql<boolean>`(${sql.ref('publishedAt')}, ${sql.ref('id')}) ${sql.raw(side === 'before' ? '<' : '>')} (${at}, ${id})`;
}

/** How many articles (in any status) a channel holds. */
export async function countInChannel(db: Kysely<Database>, channelId: number): Promise<number> {
  const row = await db
    .selectFrom('article')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('channelId', '=', channelId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
