import type { Kysely, Selectable } from 'kysely';
import { ARTICLE_STATUSES, type ArticleStatus } from '../domain/index.js';
import type { Database, PlacementTable } from './schema.js';

export interface Placement {
  readonly id: number;
  readonly articleId: number;
  readonly siteId: number;
  readonly channelId: number;
  readonly status: ArticleStatus;
  readonly reviewLevel: number;
  readonly live: boolean;
  readonly publishedAt: string | null;
  readonly createdBy: number | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

function toPlacement(row: Selectable<PlacementTable>): Placement {
  const status = ARTICLE_STATUSES.find((s) => s === row.status);
  if (!status) throw new TypeError(`placement.status holds "${row.status}", not one of ${ARTICLE_STATUSES.join(', ')}`);
  return { ...row, status, live: row.live === 1 };
}

export async function findPlacement(db: Kysely<Database>, id: number): Promise<Placement | undefined> {
  const row = await db.selectFrom('placement').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toPlacement(row);
}

export async function findPlacementOf(
  db: Kysely<Database>,
  articleId: number,
  channelId: number,
): Promise<Placement | undefined> {
  const row = await db
    .selectFrom('placement')
    .selectAll()
    .where('articleId', '=', articleId)
    .where('channelId', '=', channelId)
    .executeTakeFirst();
  return row && toPlacement(row);
}

export async function insertPlacement(
  db: Kysely<Database>,
  placement: Pick<Placement, 'articleId' | 'siteId' | 'channelId' | 'status' | 'reviewLevel' | 'createdBy'>,
  now: Date,
): Promise<Placement> {
  const stamp = now.toISOString();
  const row = await db
    .insertInto('placement')
    .values({ ...placement, live: 0, publishedAt: null, createdAt: stamp, updatedAt: stamp })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toPlacement(row);
}

/** Moves a placement on its workflow; `live` says whether it is on the column's list now. */
export async function updatePlacement(
  db: Kysely<Database>,
  id: number,
  change: { status: ArticleStatus; reviewLevel: number; live: boolean; publishedAt: string | null },
  now: Date,
): Promise<Placement | undefined> {
  const row = await db
    .updateTable('placement')
    .set({ ...change, live: change.live ? 1 : 0, updatedAt: now.toISOString() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  return row && toPlacement(row);
}

export async function deletePlacement(db: Kysely<Database>, id: number): Promise<boolean> {
  const result = await db.deleteFrom('placement').where('id', '=', id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Every placement of an article, in any site (the article's page in the back office lists them). */
export async function placementsOfArticle(db: Kysely<Database>, articleId: number): Promise<Placement[]> {
  const rows = await db.selectFrom('placement').selectAll().where('articleId', '=', articleId).orderBy('id').execute();
  return rows.map(toPlacement);
}

/** The placements whose status is published (live or not: their article's state decides). */
export async function publishedPlacementsOf(db: Kysely<Database>, articleId: number): Promise<Placement[]> {
  const rows = await db
    .selectFrom('placement')
    .selectAll()
    .where('articleId', '=', articleId)
    .where('status', '=', 'published')
    .orderBy('id')
    .execute();
  return rows.map(toPlacement);
}

/** The placements in a site's columns, in these statuses, newest change first. */
export async function placementsInSite(
  db: Kysely<Database>,
  siteId: number,
  statuses: readonly ArticleStatus[] | null,
  page: { limit: number; offset: number },
): Promise<Placement[]> {
  let query = db.selectFrom('placement').selectAll().where('siteId', '=', siteId);
  if (statuses) query = query.where('status', 'in', statuses.length > 0 ? statuses : ['-']);
  const rows = await query
    .orderBy('updatedAt', 'desc')
    .orderBy('id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return rows.map(toPlacement);
}

/** The live placements in a site's columns of other sites' articles, with where and when each article was published. */
export async function livePlacedFromElsewhere(
  db: Kysely<Database>,
  siteId: number,
): Promise<{ articleId: number; channelId: number; publishedAt: string; createdAt: string }[]> {
  const rows = await db
    .selectFrom('placement')
    .innerJoin('article', 'article.id', 'placement.articleId')
    .select([
      'placement.articleId as articleId',
      'placement.channelId as channelId',
      'article.publishedAt as publishedAt',
      'article.createdAt as createdAt',
    ])
    .where('placement.siteId', '=', siteId)
    .where('placement.live', '=', 1)
    .where('article.siteId', '!=', siteId)
    .orderBy('placement.id')
    .execute();
  return rows.map((row) => ({ ...row, publishedAt: row.publishedAt ?? row.createdAt }));
}
