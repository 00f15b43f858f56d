import { sql, type Kysely } from 'kysely';
import type { FieldValues } from '../domain/index.js';
import type { Database } from './schema.js';

/** The home page's 专题 banners: the published items of the 专题 (topic) type in a site's topic columns, newest first. */

export interface TopicListing {
  readonly id: number;
  readonly channelId: number;
  readonly title: string;
  readonly publishedAt: string;
  readonly createdAt: string;
  readonly fields: FieldValues;
}

function topicQuery(db: Kysely<Database>, channelIds: readonly number[]) {
  return db
    .selectFrom('article')
    .where('contentType', '=', 'topic')
    .where('status', '=', 'published')
    .where('channelId', 'in', channelIds.length > 0 ? channelIds : [-1]);
}

/** The newest published 专题 of these columns, with their values (the banner among them). */
export async function newestTopics(
  db: Kysely<Database>,
  channelIds: readonly number[],
  limit: number,
): Promise<TopicListing[]> {
  if (channelIds.length === 0 || limit <= 0) return [];
  const rows = await topicQuery(db, channelIds)
    .select(['id', 'channelId', 'title', 'publishedAt', 'createdAt', 'fields'])
    .orderBy('publishedAt', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    ...row,
    publishedAt: row.publishedAt ?? row.createdAt,
    fields: JSON.parse(row.fields) as FieldValues,
  }));
}

/** How many published 专题 of these columns come after this one (newer, or as new with a higher id). */
export async function countTopicsAfter(
  db: Kysely<Database>,
  channelIds: readonly number[],
  item: { readonly id: number; readonly publishedAt: string },
): Promise<number> {
  if (channelIds.length === 0) return 0;
  const row = await topicQuery(db, channelIds)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where(sql<boolean>`(${sql.ref('publishedAt')}, ${sql.ref('id')}) > (${item.publishedAt}, ${item.id})`)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
