import { sql, type Insertable, type Kysely, type Selectable, type Updateable } from 'kysely';
import type { Database, FrontEventTable, FrontServerTable } from './schema.js';

/** The front servers the CMS pushes to (分发), and the tamper events they reported. */
export type FrontRow = Selectable<FrontServerTable>;
export type FrontEventRow = Selectable<FrontEventTable>;
export type FrontPatch = Updateable<FrontServerTable>;

export async function insertFront(
  db: Kysely<Database>,
  front: Pick<Insertable<FrontServerTable>, 'name' | 'url' | 'tokenFile' | 'siteIds' | 'createdAt'>,
): Promise<FrontRow> {
  return db.insertInto('frontServer').values(front).returningAll().executeTakeFirstOrThrow();
}

export async function listFronts(db: Kysely<Database>): Promise<FrontRow[]> {
  return db.selectFrom('frontServer').selectAll().orderBy('name').execute();
}

export async function findFront(db: Kysely<Database>, id: number): Promise<FrontRow | undefined> {
  return db.selectFrom('frontServer').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findFrontByName(db: Kysely<Database>, name: string): Promise<FrontRow | undefined> {
  return db.selectFrom('frontServer').selectAll().where('name', '=', name).executeTakeFirst();
}

export async function deleteFront(db: Kysely<Database>, id: number): Promise<void> {
  await db.deleteFrom('frontServer').where('id', '=', id).execute();
}

export async function updateFront(db: Kysely<Database>, id: number, patch: FrontPatch): Promise<void> {
  await db.updateTable('frontServer').set(patch).where('id', '=', id).execute();
}

/** A manifest change as a push carries it: the page's path, its hash ('' once removed) and size. */
export interface ManifestChange {
  readonly path: string;
  readonly hash: string;
  readonly size: number;
  readonly seq: number;
}

/** Manifest changes after `seq`, oldest first, with what a push needs of each. */
export async function changesAfter(db: Kysely<Database>, seq: number, limit: number): Promise<ManifestChange[]> {
  return db
    .selectFrom('pageManifest')
    .select(['path', 'hash', 'size', 'seq'])
    .where('seq', '>', seq)
    .orderBy('seq')
    .limit(limit)
    .execute();
}

/** The manifest rows of these paths now (a page whose bytes do not match: has it changed since?). */
export async function currentRows(
  db: Kysely<Database>,
  paths: readonly string[],
): Promise<Map<string, ManifestChange>> {
  if (paths.length === 0) return new Map();
  const rows = await db
    .selectFrom('pageManifest')
    .select(['path', 'hash', 'size', 'seq'])
    .where('path', 'in', paths)
    .execute();
  return new Map(rows.map((row) => [row.path, row]));
}

/** How many changes a front has not applied, and when the oldest of them was made. */
export async function lagAfter(
  db: Kysely<Database>,
  seq: number,
): Promise<{ readonly changes: number; readonly oldestAt: string | null }> {
  const count = await db
    .selectFrom('pageManifest')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('seq', '>', seq)
    .executeTakeFirst();
  const oldest = await db
    .selectFrom('pageManifest')
    .select('updatedAt')
    .where('seq', '>', seq)
    .orderBy('seq')
    .limit(1)
    .executeTakeFirst();
  return { changes: Number(count?.n ?? 0), oldestAt: oldest?.updatedAt ?? null };
}

/** The 浏览次数 of these articles now (what an article page's push carries), by id. */
export async function viewCounts(db: Kysely<Database>, articleIds: readonly number[]): Promise<Map<number, number>> {
  if (articleIds.length === 0) return new Map();
  const rows = await db.selectFrom('article').select(['id', 'viewCount']).where('id', 'in', articleIds).execute();
  return new Map(rows.map((row) => [row.id, row.viewCount]));
}

/**
 * Adds a front's views batch to the articles, exactly once: the batch number moves forward in the
 * same transaction as the counts, and a batch at or below the recorded one (seen again because
 * its acknowledgement was lost, or taken by another instance) adds nothing. Counts go only to
 * articles of the sites given (null: any site). Answers whether the batch was added.
 */
export async function addViewsBatch(
  db: Kysely<Database>,
  frontId: number,
  batch: number,
  counts: readonly { readonly articleId: number; readonly siteId: number; readonly count: number }[],
  siteIds: readonly number[] | null,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const moved = await trx
      .updateTable('frontServer')
      .set({ viewsBatch: batch })
      .where('id', '=', frontId)
      .where('viewsBatch', '<', batch)
      .executeTakeFirst();
    if (moved.numUpdatedRows !== 1n) return false;
    for (const { articleId, siteId, count } of counts) {
      if (siteIds !== null && !siteIds.includes(siteId)) continue;
      await trx
        .updateTable('article')
        .set((eb) => ({ viewCount: eb('viewCount', '+', count) }))
        .where('id', '=', articleId)
        .where('siteId', '=', siteId)
        .execute();
    }
    return true;
  });
}

/**
 * Stores the events collected from a front and moves its cursor past them, in one transaction.
 * An event already stored (collected by another instance meanwhile) is not stored twice; the
 * answer holds the rows this call stored (to alert about).
 */
export async function storeEvents(
  db: Kysely<Database>,
  front: Pick<FrontRow, 'id' | 'name'>,
  events: readonly Omit<Insertable<FrontEventTable>, 'frontId' | 'frontName'>[],
  cursor: number,
): Promise<FrontEventRow[]> {
  return db.transaction().execute(async (trx) => {
    const stored: FrontEventRow[] = [];
    for (const event of events) {
      const row = await trx
        .insertInto('frontEvent')
        .values({ ...event, frontId: front.id, frontName: front.name })
        .onConflict((oc) => oc.columns(['frontId', 'remoteId']).doNothing())
        .returningAll()
        .executeTakeFirst();
      if (row) stored.push(row);
    }
    await trx
      .updateTable('frontServer')
      .set({ eventCursor: cursor })
      .where('id', '=', front.id)
      .where('eventCursor', '<', cursor)
      .execute();
    return stored;
  });
}

/**
 * A front whose event log started again (its state folder was made anew): its event ids restart
 * at 1. The events kept from before get negative remote ids (unique: minus their own id) so that
 * the new ones are stored, and collection starts again from the beginning.
 */
export async function restartEvents(db: Kysely<Database>, frontId: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('frontEvent')
      .set((eb) => ({ remoteId: eb.neg(eb.ref('id')) }))
      .where('frontId', '=', frontId)
      .where('remoteId', '>', 0)
      .execute();
    await trx.updateTable('frontServer').set({ eventCursor: 0 }).where('id', '=', frontId).execute();
  });
}

export interface EventFilter {
  /** Only events of these sites (null: every site). */
  readonly siteIds: readonly number[] | null;
  readonly unhandled?: boolean;
  readonly limit: number;
}

/** Events, newest first, with the name of whoever handled each. */
export async function listEvents(
  db: Kysely<Database>,
  filter: EventFilter,
): Promise<(FrontEventRow & { handledByName: string | null })[]> {
  let query = db
    .selectFrom('frontEvent as e')
    .leftJoin('userAccount as u', 'u.id', 'e.handledBy')
    .selectAll('e')
    .select('u.displayName as handledByName');
  if (filter.siteIds !== null)
    query =
      filter.siteIds.length === 0 ? query.where(sql<boolean>`false`) : query.where('e.siteId', 'in', filter.siteIds);
  if (filter.unhandled) query = query.where('e.handledAt', 'is', null);
  return query.orderBy('e.at', 'desc').orderBy('e.id', 'desc').limit(filter.limit).execute();
}

export async function findEvent(
  db: Kysely<Database>,
  id: number,
): Promise<(FrontEventRow & { handledByName: string | null }) | undefined> {
  return db
    .selectFrom('frontEvent as e')
    .leftJoin('userAccount as u', 'u.id', 'e.handledBy')
    .selectAll('e')
    .select('u.displayName as handledByName')
    .where('e.id', '=', id)
    .executeTakeFirst();
}

/** Marks an event handled, once: answers false when it already was. */
export async function handleEvent(
  db: Kysely<Database>,
  id: number,
  handled: { readonly at: Date; readonly by: number | null; readonly note: string },
): Promise<boolean> {
  const result = await db
    .updateTable('frontEvent')
    .set({ handledAt: handled.at.toISOString(), handledBy: handled.by, note: handled.note })
    .where('id', '=', id)
    .where('handledAt', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/** Unhandled events, by front id (fronts removed since are not counted here). */
export async function unhandledByFront(db: Kysely<Database>): Promise<Map<number, number>> {
  const rows = await db
    .selectFrom('frontEvent')
    .select(['frontId', (eb) => eb.fn.countAll<number>().as('n')])
    .where('handledAt', 'is', null)
    .where('frontId', 'is not', null)
    .groupBy('frontId')
    .execute();
  return new Map(rows.flatMap((row) => (row.frontId === null ? [] : [[row.frontId, Number(row.n)] as const])));
}

/** A site's unhandled events, oldest first (the health report lists them). */
export async function unhandledOfSite(db: Kysely<Database>, siteId: number): Promise<FrontEventRow[]> {
  return db
    .selectFrom('frontEvent')
    .selectAll()
    .where('siteId', '=', siteId)
    .where('handledAt', 'is', null)
    .orderBy('at')
    .orderBy('id')
    .execute();
}

/** Who is mailed about a site's tamper events: the platform administrators and the site's administrators. */
export async function alertMailboxes(
  db: Kysely<Database>,
  siteId: number,
): Promise<{ userId: number; name: string; email: string }[]> {
  const rows = await db
    .selectFrom('roleGrant as g')
    .innerJoin('userAccount as u', 'u.id', 'g.userId')
    .select(['u.id as userId', 'u.displayName as name', 'u.email'])
    .distinct()
    .where((eb) =>
      eb.or([
        eb.and([eb('g.role', '=', 'platform'), eb('g.siteId', 'is', null)]),
        eb.and([eb('g.role', '=', 'admin'), eb('g.siteId', '=', siteId)]),
      ]),
    )
    .where('u.disabled', '=', 0)
    .where('u.email', 'is not', null)
    .orderBy('u.id')
    .execute();
  return rows.flatMap(({ email, ...user }) => (email ? [{ ...user, email }] : []));
}

/**
 * Takes the front for one distributor until `until`, unless another holds it (its lease not run
 * out): of several instances, one pushes a front at a time, and no connection is held while it
 * talks to the front. A lease that runs out (a killed instance) is taken by the next. Answers the
 * lease taken, or null.
 */
export async function claimFront(db: Kysely<Database>, id: number, now: Date, until: Date): Promise<string | null> {
  const lease = until.toISOString();
  const result = await db
    .updateTable('frontServer')
    .set({ leaseUntil: lease })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('leaseUntil', 'is', null), eb('leaseUntil', '<=', now.toISOString())]))
    .executeTakeFirst();
  return result.numUpdatedRows === 1n ? lease : null;
}

/** Moves the lease on (a long catch-up); null when it was lost meanwhile (it ran out and another took it). */
export async function renewLease(db: Kysely<Database>, id: number, lease: string, until: Date): Promise<string | null> {
  const next = until.toISOString();
  const result = await db
    .updateTable('frontServer')
    .set({ leaseUntil: next })
    .where('id', '=', id)
    .where('leaseUntil', '=', lease)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n ? next : null;
}

/** Gives the front back, if the lease is still this one. */
export async function releaseFront(db: Kysely<Database>, id: number, lease: string): Promise<void> {
  await db
    .updateTable('frontServer')
    .set({ leaseUntil: null })
    .where('id', '=', id)
    .where('leaseUntil', '=', lease)
    .execute();
}
