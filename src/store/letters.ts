import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import { LETTER_TYPES, type LetterStatus, type LetterType } from '../domain/index.js';
import type { Database, LetterStepTable, LetterTable } from './schema.js';

const STATUSES: readonly LetterStatus[] = [
  'received',
  'accepted',
  'assigned',
  'reviewing',
  'answered',
  'published',
  'rejected',
  'merged',
];

export interface Letter extends Omit<Selectable<LetterTable>, 'status' | 'type'> {
  readonly status: LetterStatus;
  readonly type: LetterType;
}

function toLetter(row: Selectable<LetterTable>): Letter {
  const status = STATUSES.find((s) => s === row.status);
  const type = LETTER_TYPES.find((t) => t === row.type);
  if (!status || !type) throw new TypeError(`letter ${row.id} holds status "${row.status}" and type "${row.type}"`);
  return { ...row, status, type };
}

export type LetterStep = Selectable<LetterStepTable>;

// --- The desk ---------------------------------------------------------------------------------

export async function deskSettings(db: Kysely<Database>, siteId: number): Promise<string | undefined> {
  const row = await db.selectFrom('letterDesk').select('settings').where('siteId', '=', siteId).executeTakeFirst();
  return row?.settings;
}

export async function saveDeskSettings(
  db: Kysely<Database>,
  siteId: number,
  settings: string,
  now: Date,
): Promise<void> {
  const updatedAt = now.toISOString();
  await db
    .insertInto('letterDesk')
    .values({ siteId, settings, updatedAt })
    .onConflict((oc) => oc.column('siteId').doUpdateSet({ settings, updatedAt }))
    .execute();
}

// --- Units and their members -------------------------------------------------------------------

export type CaseUnit = Selectable<Database['caseUnit']>;

/** The units of the given sites (all sites when null), in their order. */
export async function listUnits(db: Kysely<Database>, siteIds: readonly number[] | null): Promise<CaseUnit[]> {
  let query = db.selectFrom('caseUnit').selectAll();
  if (siteIds) {
    if (siteIds.length === 0) return [];
    query = query.where('siteId', 'in', siteIds);
  }
  return query.orderBy('siteId').orderBy('sortOrder').orderBy('id').execute();
}

export async function findUnit(db: Kysely<Database>, id: number): Promise<CaseUnit | undefined> {
  return db.selectFrom('caseUnit').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findUnitByName(
  db: Kysely<Database>,
  siteId: number,
  name: string,
): Promise<CaseUnit | undefined> {
  return db.selectFrom('caseUnit').selectAll().where('siteId', '=', siteId).where('name', '=', name).executeTakeFirst();
}

export async function insertUnit(
  db: Kysely<Database>,
  unit: { siteId: number; name: string; sortOrder: number },
  now: Date,
): Promise<CaseUnit> {
  return db
    .insertInto('caseUnit')
    .values({ ...unit, active: 1, createdAt: now.toISOString() })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function updateUnit(
  db: Kysely<Database>,
  id: number,
  patch: Updateable<Database['caseUnit']>,
): Promise<CaseUnit> {
  if (Object.keys(patch).length === 0)
    return db.selectFrom('caseUnit').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  return db.updateTable('caseUnit').set(patch).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export interface UnitMember {
  readonly unitId: number;
  readonly userId: number;
  readonly leader: boolean;
  readonly name: string;
}

export async function membersOf(db: Kysely<Database>, unitIds: readonly number[]): Promise<UnitMember[]> {
  if (unitIds.length === 0) return [];
  const rows = await db
    .selectFrom('caseUnitMember as m')
    .innerJoin('userAccount as u', 'u.id', 'm.userId')
    .select(['m.unitId', 'm.userId', 'm.leader', 'u.displayName as name'])
    .where('m.unitId', 'in', unitIds)
    .orderBy('m.unitId')
    .orderBy('m.leader', 'desc')
    .orderBy('u.displayName')
    .execute();
  return rows.map((r) => ({ ...r, leader: r.leader === 1 }));
}

export async function setMembers(
  db: Kysely<Database>,
  unitId: number,
  members: readonly { userId: number; leader: boolean }[],
): Promise<void> {
  await db.deleteFrom('caseUnitMember').where('unitId', '=', unitId).execute();
  if (members.length > 0)
    await db
      .insertInto('caseUnitMember')
      .values(members.map((m) => ({ unitId, userId: m.userId, leader: m.leader ? 1 : 0 })))
      .execute();
}

/** The units a user answers letters for, and whether they lead each. */
export async function unitsOfUser(db: Kysely<Database>, userId: number): Promise<Map<number, { leader: boolean }>> {
  const rows = await db
    .selectFrom('caseUnitMember')
    .select(['unitId', 'leader'])
    .where('userId', '=', userId)
    .execute();
  return new Map(rows.map((r) => [r.unitId, { leader: r.leader === 1 }]));
}

// --- Letters -----------------------------------------------------------------------------------

export async function insertLetter(db: Kysely<Database>, letter: Insertable<LetterTable>): Promise<Letter> {
  return toLetter(await db.insertInto('letter').values(letter).returningAll().executeTakeFirstOrThrow());
}

export async function findLetter(db: Kysely<Database>, id: number): Promise<Letter | undefined> {
  const row = await db.selectFrom('letter').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toLetter(row);
}

export async function findByQueryCode(db: Kysely<Database>, queryCode: string): Promise<Letter | undefined> {
  const row = await db.selectFrom('letter').selectAll().where('queryCode', '=', queryCode).executeTakeFirst();
  return row && toLetter(row);
}

/**
 * Changes a letter that is still in the status the caller read: a step taken meanwhile by
 * someone else (two screeners, a unit returning as the office recalls) makes this answer
 * undefined, and the operation refuses instead of overwriting it.
 */
export async function updateLetter(
  db: Kysely<Database>,
  id: number,
  expected: LetterStatus,
  patch: Updateable<LetterTable>,
): Promise<Letter | undefined> {
  const row = await db
    .updateTable('letter')
    .set(patch)
    .where('id', '=', id)
    .where('status', '=', expected)
    .returningAll()
    .executeTakeFirst();
  return row && toLetter(row);
}

export interface LetterFilter {
  /** The sites whose letters are listed (null: every site, for the platform's units). */
  readonly siteIds: readonly number[] | null;
  readonly statuses?: readonly LetterStatus[] | undefined;
  /** Letters with one of these units (a handler's inbox). */
  readonly unitIds?: readonly number[] | undefined;
  readonly limit: number;
  readonly offset: number;
}

export async function listLetters(
  db: Kysely<Database>,
  filter: LetterFilter,
): Promise<{ rows: Letter[]; total: number }> {
  let query = db.selectFrom('letter');
  if (filter.siteIds) {
    if (filter.siteIds.length === 0) return { rows: [], total: 0 };
    query = query.where('siteId', 'in', filter.siteIds);
  }
  if (filter.statuses && filter.statuses.length > 0) query = query.where('status', 'in', filter.statuses);
  if (filter.unitIds) {
    if (filter.unitIds.length === 0) return { rows: [], total: 0 };
    query = query.where('unitId', 'in', filter.unitIds);
  }
  const [rows, counted] = await Promise.all([
    query
      .selectAll()
      .orderBy('receivedAt', 'desc')
      .orderBy('id', 'desc')
      .limit(filter.limit)
      .offset(filter.offset)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows: rows.map(toLetter), total: Number(counted.n) };
}

/** Letters of a site received since `since`, for the near-duplicate check on arrival. */
export async function recentLetters(
  db: Kysely<Database>,
  siteId: number,
  since: Date,
): Promise<{ id: number; title: string; body: string }[]> {
  return db
    .selectFrom('letter')
    .select(['id', 'title', 'body'])
    .where('siteId', '=', siteId)
    .where('receivedAt', '>=', since.toISOString())
    .where('status', '!=', 'merged')
    .orderBy('id', 'desc')
    .limit(500)
    .execute();
}

/** Every letter of the sites received since `since`: the statistics and the health check read these. */
export async function lettersSince(db: Kysely<Database>, siteIds: readonly number[], since: Date): Promise<Letter[]> {
  if (siteIds.length === 0) return [];
  const rows = await db
    .selectFrom('letter')
    .selectAll()
    .where('siteId', 'in', siteIds)
    .where('receivedAt', '>=', since.toISOString())
    .orderBy('id')
    .execute();
  return rows.map(toLetter);
}

/** Letters whose clock runs (with a unit or in review), for the deadline alerts. */
export async function openLetters(db: Kysely<Database>): Promise<Letter[]> {
  const rows = await db
    .selectFrom('letter')
    .selectAll()
    .where('status', 'in', ['received', 'accepted', 'assigned', 'reviewing'])
    .orderBy('id')
    .execute();
  return rows.map(toLetter);
}

/** How many letters of a site are published (the public list's length). */
export async function countPublished(db: Kysely<Database>, siteId: number): Promise<number> {
  const row = await db
    .selectFrom('letter')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('siteId', '=', siteId)
    .where('publishedAt', 'is not', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Published letters at positions first…last of the public list, counted from the first one
 * published (a letter keeps its place when it is published again), newest first.
 */
export async function publishedByPosition(
  db: Kysely<Database>,
  siteId: number,
  positions: { first: number; last: number },
): Promise<Letter[]> {
  if (positions.last < positions.first) return [];
  const rows = await db
    .selectFrom('letter')
    .selectAll()
    .where('siteId', '=', siteId)
    .where('publishedAt', 'is not', null)
    .orderBy('publishedAt')
    .orderBy('id')
    .offset(positions.first - 1)
    .limit(positions.last - positions.first + 1)
    .execute();
  return rows.map(toLetter).reverse();
}

/** A published letter's place in the public list (1 = the first published). */
export async function publishedPosition(db: Kysely<Database>, letter: Letter): Promise<number> {
  const publishedAt = letter.publishedAt ?? '';
  const row = await db
    .selectFrom('letter')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('siteId', '=', letter.siteId)
    .where('publishedAt', 'is not', null)
    .where((eb) =>
      eb.or([
        eb('publishedAt', '<', publishedAt),
        eb.and([eb('publishedAt', '=', publishedAt), eb('id', '<=', letter.id)]),
      ]),
    )
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Every published letter's id (the full build). */
export async function publishedIds(db: Kysely<Database>, siteId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('letter')
    .select('id')
    .where('siteId', '=', siteId)
    .where('publishedAt', 'is not', null)
    .orderBy('id')
    .execute();
  return rows.map((r) => r.id);
}

// --- Steps and alerts -------------------------------------------------------------------------

export async function insertStep(db: Kysely<Database>, step: Insertable<LetterStepTable>): Promise<void> {
  await db.insertInto('letterStep').values(step).execute();
}

export async function stepsOf(db: Kysely<Database>, letterId: number): Promise<LetterStep[]> {
  return db.selectFrom('letterStep').selectAll().where('letterId', '=', letterId).orderBy('id').execute();
}

/** Raises an alert once per letter, kind and round; answers whether it is new. */
export async function raiseAlert(
  db: Kysely<Database>,
  alert: { letterId: number; alert: string; round: number },
  now: Date,
): Promise<boolean> {
  const inserted = await db
    .insertInto('letterAlert')
    .values({ ...alert, raisedAt: now.toISOString(), mailedAt: null })
    .onConflict((oc) => oc.columns(['letterId', 'alert', 'round']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

export interface AlertRow {
  readonly id: number;
  readonly letterId: number;
  readonly alert: string;
  readonly round: number;
  readonly raisedAt: string;
  readonly mailedAt: string | null;
}

/** Alerts of letters that are still open on the sites, newest first. */
export async function openAlerts(db: Kysely<Database>, siteIds: readonly number[] | null): Promise<AlertRow[]> {
  let query = db
    .selectFrom('letterAlert as a')
    .innerJoin('letter as l', 'l.id', 'a.letterId')
    .select(['a.id', 'a.letterId', 'a.alert', 'a.round', 'a.raisedAt', 'a.mailedAt'])
    .where('l.status', 'in', ['received', 'accepted', 'assigned', 'reviewing'])
    .whereRef('a.round', '=', 'l.reopenCount');
  if (siteIds) {
    if (siteIds.length === 0) return [];
    query = query.where('l.siteId', 'in', siteIds);
  }
  return query.orderBy('a.raisedAt', 'desc').orderBy('a.id', 'desc').execute();
}

export async function unmailedAlerts(db: Kysely<Database>): Promise<AlertRow[]> {
  return db
    .selectFrom('letterAlert')
    .select(['id', 'letterId', 'alert', 'round', 'raisedAt', 'mailedAt'])
    .where('mailedAt', 'is', null)
    .orderBy('id')
    .execute();
}

export async function markMailed(db: Kysely<Database>, ids: readonly number[], now: Date): Promise<void> {
  if (ids.length > 0)
    await db.updateTable('letterAlert').set({ mailedAt: now.toISOString() }).where('id', 'in', ids).execute();
}

// --- The calendar's changes and used challenges ---------------------------------------------------

export type CalendarDayRow = Selectable<Database['calendarDay']>;

export async function calendarDays(db: Kysely<Database>): Promise<CalendarDayRow[]> {
  return db.selectFrom('calendarDay').selectAll().orderBy('day').execute();
}

export async function putCalendarDay(db: Kysely<Database>, row: CalendarDayRow): Promise<void> {
  await db
    .insertInto('calendarDay')
    .values(row)
    .onConflict((oc) =>
      oc
        .column('day')
        .doUpdateSet({ kind: row.kind, name: row.name, updatedBy: row.updatedBy, updatedAt: row.updatedAt }),
    )
    .execute();
}

export async function deleteCalendarDay(db: Kysely<Database>, day: string): Promise<boolean> {
  const result = await db.deleteFrom('calendarDay').where('day', '=', day).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Records a challenge as answered; false when it was answered before (a replay). */
export async function useChallenge(
  db: Kysely<Database>,
  id: string,
  expiresMs: number,
  nowMs: number,
): Promise<boolean> {
  await db.deleteFrom('usedChallenge').where('expiresMs', '<', nowMs).execute();
  const inserted = await db
    .insertInto('usedChallenge')
    .values({ id, expiresMs })
    .onConflict((oc) => oc.column('id').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}
