import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';

/**
 * What a column's list holds: its own published articles and the live placements of other
 * columns' articles in it (引用), read as one table `entry` with the same columns. A placement
 * takes its place in the list from when it went live there, and names the article's home
 * column (`homeChannelId`), where the article's one page is. Without placements the table is
 * the article query alone, wrapped: both stores flatten that into the plain query.
 */
export function entryTable(db: Kysely<Database>, channelIds: readonly number[], withPlaced: boolean) {
  const ids = channelIds.length > 0 ? channelIds : [-1];
  const own = db
    .selectFrom('article')
    .select(['id', 'channelId', 'title', 'summary', 'publishedAt', 'createdAt', 'updatedAt', 'listMark'])
    .select([
      sql<number | null>`null`.as('homeSiteId'),
      sql<number | null>`null`.as('homeChannelId'),
      sql<string | null>`null`.as('homePublishedAt'),
    ])
    .where('channelId', 'in', ids)
    .where('status', '=', 'published');
  if (!withPlaced) return db.selectFrom(own.as('entry'));
  const placed = db
    .selectFrom('placement')
    .innerJoin('article', 'article.id', 'placement.articleId')
    .select([
      'article.id as id',
      'placement.channelId as channelId',
      'article.title as title',
      'article.summary as summary',
      'placement.publishedAt as publishedAt',
      'article.createdAt as createdAt',
      'article.updatedAt as updatedAt',
      'article.listMark as listMark',
    ])
    .select((eb) => [
      eb.ref('article.siteId').$castTo<number | null>().as('homeSiteId'),
      eb.ref('article.channelId').$castTo<number | null>().as('homeChannelId'),
      eb.ref('article.publishedAt').$castTo<string | null>().as('homePublishedAt'),
    ])
    .where('placement.channelId', 'in', ids)
    .where('placement.live', '=', 1);
  return db.selectFrom(own.unionAll(placed).as('entry'));
}

/** How many live placements these columns hold (read from the counts the triggers keep). */
export async function placedIn(db: Kysely<Database>, channelIds: readonly number[]): Promise<number> {
  if (channelIds.length === 0) return 0;
  const row = await db
    .selectFrom('channelCount')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('placed'), eb.lit(0)).as('placed'))
    .where('channelId', 'in', channelIds)
    .executeTakeFirstOrThrow();
  return Number(row.placed);
}

/** The channels among these that hold live placements (one read of the counts for them all). */
export async function channelsWithPlacements(
  db: Kysely<Database>,
  channelIds: readonly number[],
): Promise<ReadonlySet<number>> {
  if (channelIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('channelCount')
    .select('channelId')
    .where('channelId', 'in', channelIds)
    .where('placed', '>', 0)
    .execute();
  return new Set(rows.map((row) => row.channelId));
}
