import { sql, type Kysely } from 'kysely';
import type { ArticleListing } from './articles.js';
import type { Database } from './schema.js';

/**
 * 头条 and 图片新闻: marks an editor sets on an article for the home page's headline and
 * picture-news blocks (table article_mark, one row per mark). The home page reads the newest
 * published articles carrying a mark; the dependency map counts those newer than one article.
 */

export type ArticleMark = 'headline' | 'picture';
export const ARTICLE_MARKS: readonly ArticleMark[] = ['headline', 'picture'];

/** A marked article as the home page lists it: what lists need (its own, never a placement), and its cover image. */
export interface MarkedListing extends Omit<ArticleListing, 'home'> {
  readonly coverImage: string | null;
}

/** The marks an article carries, in ARTICLE_MARKS order. */
export async function marksOf(db: Kysely<Database>, articleId: number): Promise<ArticleMark[]> {
  const rows = await db.selectFrom('articleMark').select('mark').where('articleId', '=', articleId).execute();
  const held = new Set(rows.map((row) => row.mark));
  return ARTICLE_MARKS.filter((mark) => held.has(mark));
}

/** Gives the article exactly these marks: the others are taken off, the new ones added (kept ones keep their time). */
export async function setMarks(
  db: Kysely<Database>,
  article: { readonly id: number; readonly siteId: number },
  marks: readonly ArticleMark[],
  now: Date,
): Promise<void> {
  const held = await marksOf(db, article.id);
  const gone = held.filter((mark) => !marks.includes(mark));
  const added = marks.filter((mark) => !held.includes(mark));
  if (gone.length > 0)
    await db.deleteFrom('articleMark').where('articleId', '=', article.id).where('mark', 'in', gone).execute();
  if (added.length > 0)
    await db
      .insertInto('articleMark')
      .values(
        added.map((mark) => ({ articleId: article.id, siteId: article.siteId, mark, createdAt: now.toISOString() })),
      )
      .execute();
}

/**
 * What a marked list is read from: the site's published articles carrying the mark, in these
 * columns. Read from the marks' side: a site marks few of its articles, and walking the site's
 * articles newest first for the marked ones would read all of them when few are marked.
 * (`CROSS JOIN` keeps SQLite to that order; PostgreSQL plans it as the inner join it is.)
 */
function markedQuery(
  db: Kysely<Database>,
  siteId: number,
  mark: ArticleMark,
  channelIds: readonly number[],
  withCover: boolean,
) {
  let query = db
    .selectFrom('articleMark')
    .crossJoin('article')
    .whereRef('article.id', '=', 'articleMark.articleId')
    .where('articleMark.siteId', '=', siteId)
    .where('articleMark.mark', '=', mark)
    .where('article.status', '=', 'published')
    .where('article.channelId', 'in', channelIds.length > 0 ? channelIds : [-1]);
  if (withCover) query = query.where('article.coverImage', 'is not', null).where('article.coverImage', '!=', '');
  return query;
}

/** The newest published articles of these columns carrying the mark (with a cover image when `withCover`), newest first. */
export async function newestMarked(
  db: Kysely<Database>,
  siteId: number,
  mark: ArticleMark,
  channelIds: readonly number[],
  options: { readonly withCover: boolean; readonly limit: number },
): Promise<MarkedListing[]> {
  if (channelIds.length === 0 || options.limit <= 0) return [];
  const rows = await markedQuery(db, siteId, mark, channelIds, options.withCover)
    .select([
      'article.id',
      'article.channelId',
      'article.title',
      'article.summary',
      'article.publishedAt',
      'article.createdAt',
      'article.updatedAt',
      'article.listMark',
      'article.coverImage',
    ])
    .orderBy('article.publishedAt', 'desc')
    .orderBy('article.id', 'desc')
    .limit(options.limit)
    .execute();
  return rows.map((row) => ({ ...row, publishedAt: row.publishedAt ?? row.createdAt }));
}

/**
 * How many published articles of these columns carrying the mark come after this one (newer, or
 * as new with a higher id): under the block's count, the article is in the block.
 */
export async function countMarkedAfter(
  db: Kysely<Database>,
  siteId: number,
  mark: ArticleMark,
  channelIds: readonly number[],
  withCover: boolean,
  article: { readonly id: number; readonly publishedAt: string },
): Promise<number> {
  if (channelIds.length === 0) return 0;
  const row = await markedQuery(db, siteId, mark, channelIds, withCover)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where(
      sql<boolean>`(${sql.ref('article.publishedAt')}, ${sql.ref('article.id')}) > (${article.publishedAt}, ${article.id})`,
    )
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The cover images of these articles that have one, by id. */
export async function coversOf(db: Kysely<Database>, ids: readonly number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('article')
    .select(['id', 'coverImage'])
    .where('id', 'in', ids)
    .where('coverImage', 'is not', null)
    .where('coverImage', '!=', '')
    .execute();
  return new Map(rows.flatMap((row) => (row.coverImage ? [[row.id, row.coverImage] as const] : [])));
}
