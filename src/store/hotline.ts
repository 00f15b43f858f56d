import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Database, HotlineCallbackTable, HotlineEventTable } from './schema.js';

/** A site's link to the 12345 city hotline: where its webhooks go, and the sealed shared secret. */
export type HotlineLinkRow = Selectable<Database['hotlineLink']>;
export type HotlineEventRow = Selectable<HotlineEventTable>;
export type HotlineEventStatus = 'pending' | 'delivered' | 'failed';

export async function linkOf(db: Kysely<Database>, siteId: number): Promise<HotlineLinkRow | undefined> {
  return db.selectFrom('hotlineLink').selectAll().where('siteId', '=', siteId).executeTakeFirst();
}

/** Sets the address and the switch, keeping the secret. */
export async function saveLink(
  db: Kysely<Database>,
  siteId: number,
  link: { url: string; enabled: boolean },
  now: Date,
): Promise<void> {
  const values = { url: link.url, enabled: link.enabled ? 1 : 0, updatedAt: now.toISOString() };
  await db
    .insertInto('hotlineLink')
    .values({ siteId, ...values, secret: null, secretKeyId: null, secretSetAt: null })
    .onConflict((oc) => oc.column('siteId').doUpdateSet(values))
    .execute();
}

/** Replaces the sealed secret (a new link starts switched off, with no address). */
export async function saveSecret(
  db: Kysely<Database>,
  siteId: number,
  sealed: { secret: string; keyId: string },
  now: Date,
  options: { rotated: boolean } = { rotated: true },
): Promise<void> {
  const at = now.toISOString();
  const values = {
    secret: sealed.secret,
    secretKeyId: sealed.keyId,
    ...(options.rotated && { secretSetAt: at, updatedAt: at }),
  };
  await db
    .insertInto('hotlineLink')
    .values({ siteId, url: '', enabled: 0, secretSetAt: at, updatedAt: at, ...values })
    .onConflict((oc) => oc.column('siteId').doUpdateSet(values))
    .execute();
}

// --- The outbox: one row per case event, delivered by the scheduler ------------------------------

export async function insertEvent(db: Kysely<Database>, event: Insertable<HotlineEventTable>): Promise<void> {
  await db.insertInto('hotlineEvent').values(event).execute();
}

/**
 * Events whose attempt is due, oldest first, with where they go: pending ones of sites whose link
 * is switched on (a link switched off keeps its events pending until it is on again).
 */
export async function dueEvents(
  db: Kysely<Database>,
  now: Date,
  limit: number,
): Promise<(HotlineEventRow & { url: string })[]> {
  return db
    .selectFrom('hotlineEvent as e')
    .innerJoin('hotlineLink as l', 'l.siteId', 'e.siteId')
    .selectAll('e')
    .select('l.url')
    .where('e.status', '=', 'pending')
    .where('e.nextAttemptAt', '<=', now.toISOString())
    .where('l.enabled', '=', 1)
    .where('l.url', '!=', '')
    .orderBy('e.nextAttemptAt')
    .orderBy('e.id')
    .limit(limit)
    .execute();
}

/**
 * Takes an event for one attempt: counts the attempt and moves its next attempt to the end of
 * the lease, so that another instance does not send it meanwhile, and an instance killed during
 * the attempt leaves it to be tried again when the lease runs out. Atomic on both dialects:
 * `seen` is the due time as read, so of two instances racing exactly one gets the event.
 */
export async function claimEvent(
  db: Kysely<Database>,
  seen: Pick<HotlineEventRow, 'id' | 'nextAttemptAt'>,
  leaseUntil: Date,
): Promise<boolean> {
  if (seen.nextAttemptAt === null) return false;
  const result = await db
    .updateTable('hotlineEvent')
    .set((eb) => ({ attempts: eb('attempts', '+', 1), nextAttemptAt: leaseUntil.toISOString() }))
    .where('id', '=', seen.id)
    .where('status', '=', 'pending')
    .where('nextAttemptAt', '=', seen.nextAttemptAt)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/** The outcome of an attempt: delivered, failed for good, or pending until the next attempt. */
export async function finishAttempt(
  db: Kysely<Database>,
  id: number,
  outcome: {
    status: HotlineEventStatus;
    nextAttemptAt: string | null;
    lastStatus: number | null;
    lastError: string | null;
    deliveredAt: string | null;
  },
): Promise<void> {
  await db.updateTable('hotlineEvent').set(outcome).where('id', '=', id).execute();
}

export async function findEvent(db: Kysely<Database>, id: number): Promise<HotlineEventRow | undefined> {
  return db.selectFrom('hotlineEvent').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A site's events, newest first, with their letters' query codes. */
export async function listEvents(
  db: Kysely<Database>,
  siteId: number,
  filter: { status?: HotlineEventStatus | undefined; limit: number; offset: number },
): Promise<{ rows: (HotlineEventRow & { queryCode: string })[]; total: number }> {
  let query = db
    .selectFrom('hotlineEvent as e')
    .innerJoin('letter as l', 'l.id', 'e.letterId')
    .where('e.siteId', '=', siteId);
  if (filter.status) query = query.where('e.status', '=', filter.status);
  const [rows, counted] = await Promise.all([
    query
      .selectAll('e')
      .select('l.queryCode')
      .orderBy('e.id', 'desc')
      .limit(filter.limit)
      .offset(filter.offset)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(counted.n) };
}

// --- Callbacks: each event id of the hotline is taken once ---------------------------------------

export async function callbackSeen(db: Kysely<Database>, siteId: number, eventId: string): Promise<boolean> {
  const row = await db
    .selectFrom('hotlineCallback')
    .select('id')
    .where('siteId', '=', siteId)
    .where('eventId', '=', eventId)
    .executeTakeFirst();
  return row !== undefined;
}

/** Records a callback's event id; false when it was recorded before (a replay). */
export async function recordCallback(
  db: Kysely<Database>,
  callback: Insertable<HotlineCallbackTable>,
): Promise<boolean> {
  const inserted = await db
    .insertInto('hotlineCallback')
    .values(callback)
    .onConflict((oc) => oc.columns(['siteId', 'eventId']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}
