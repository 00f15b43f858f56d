import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import { CLOCK_RUNS, LETTER_TYPES, type LetterStatus, type LetterType } from '../domain/index.js';
import { columnContains } from './contains.js';
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

/** The accounts that hold the handler (承办) role on a site: who may be made a member of its units. */
export async function handlersOfSite(
  db: Kysely<Database>,
  siteId: number,
): Promise<{ userId: number; name: string }[]> {
  return db
    .selectFrom('roleGrant as g')
    .innerJoin('userAccount as u', 'u.id', 'g.userId')
    .select(['u.id as userId', 'u.displayName as name'])
    .distinct()
    .where('g.role', '=', 'handler')
    .where((eb) => eb.or([eb('g.siteId', '=', siteId), eb('g.siteId', 'is', null)]))
    .orderBy('u.displayName')
    .orderBy('u.id')
    .execute();
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
  /** A query code (exactly) or words of the title. */
  readonly text?: string | undefined;
  /** Only letters whose clock runs past their due day: due before this day. */
  readonly dueBefore?: string | undefined;
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
  const text = filter.text;
  if (text)
    query = query.where((eb) => eb.or([eb('queryCode', '=', text.toUpperCase()), columnContains('title', text)]));
  if (filter.dueBefore !== undefined)
    query = query.where('status', 'in', CLOCK_RUNS).where('dueDay', '<', filter.dueBefore);
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

/** A site's letters received in [from, to), for the statistics. */
export async function lettersBetween(db: Kysely<Database>, siteId: number, from: Date, to: Date): Promise<Letter[]> {
  const rows = await db
    .selectFrom('letter')
    .selectAll()
    .where('siteId', '=', siteId)
    .where('receivedAt', '>=', from.toISOString())
    .where('receivedAt', '<', to.toISOString())
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

/** The statuses in which a letter still waits for its answer (its alerts stand). */
const WAITING: readonly LetterStatus[] = ['received', 'accepted', 'assigned', 'reviewing'];

/** An alert with what the dashboard and the mail say of its letter. */
export interface AlertDetail extends AlertRow {
  readonly siteId: number;
  readonly queryCode: string;
  readonly title: string;
  readonly dueDay: string | null;
  readonly unitId: number | null;
  readonly unitName: string | null;
  /** The letter still waits for its answer, in the round the alert was raised for. */
  readonly standing: boolean;
}

function alertDetails(db: Kysely<Database>) {
  return db
    .selectFrom('letterAlert as a')
    .innerJoin('letter as l', 'l.id', 'a.letterId')
    .leftJoin('caseUnit as u', 'u.id', 'l.unitId')
    .select([
      'a.id',
      'a.letterId',
      'a.alert',
      'a.round',
      'a.raisedAt',
      'a.mailedAt',
      'l.siteId',
      'l.queryCode',
      'l.title',
      'l.dueDay',
      'l.unitId',
      'u.name as unitName',
      'l.status',
      'l.reopenCount',
    ]);
}

type AlertDetailRow = Awaited<ReturnType<ReturnType<typeof alertDetails>['execute']>>[number];

function toDetail(row: AlertDetailRow): AlertDetail {
  const { status, reopenCount, ...rest } = row;
  return { ...rest, standing: WAITING.some((s) => s === status) && row.round === reopenCount };
}

/**
 * Alerts of letters that still wait for their answer (in the round they were raised for), newest
 * first: the letters of the sites (every site when null) and those routed to the units.
 */
export async function openAlerts(
  db: Kysely<Database>,
  scope: { readonly siteIds: readonly number[] | null; readonly unitIds?: readonly number[] },
): Promise<AlertDetail[]> {
  const unitIds = scope.unitIds ?? [];
  if (scope.siteIds && scope.siteIds.length === 0 && unitIds.length === 0) return [];
  let query = alertDetails(db).where('l.status', 'in', WAITING).whereRef('a.round', '=', 'l.reopenCount');
  const { siteIds } = scope;
  if (siteIds)
    query = query.where((eb) => {
      const reach = [];
      if (siteIds.length > 0) reach.push(eb('l.siteId', 'in', siteIds));
      if (unitIds.length > 0) reach.push(eb('l.unitId', 'in', unitIds));
      return eb.or(reach);
    });
  const rows = await query.orderBy('a.raisedAt', 'desc').orderBy('a.id', 'desc').execute();
  return rows.map(toDetail);
}

/** Alerts not mailed yet, oldest first, with their letters (standing or not). */
export async function unmailedAlerts(db: Kysely<Database>): Promise<AlertDetail[]> {
  const rows = await alertDetails(db).where('a.mailedAt', 'is', null).orderBy('a.id').execute();
  return rows.map(toDetail);
}

/** A member of a unit, or an office user of a site, who can be mailed: has an address and is not disabled. */
export interface Mailbox {
  readonly userId: number;
  readonly name: string;
  readonly email: string;
}

/** The members of the units that can be mailed, by unit. */
export async function unitMailboxes(db: Kysely<Database>, unitIds: readonly number[]): Promise<Map<number, Mailbox[]>> {
  const byUnit = new Map<number, Mailbox[]>();
  if (unitIds.length === 0) return byUnit;
  const rows = await db
    .selectFrom('caseUnitMember as m')
    .innerJoin('userAccount as u', 'u.id', 'm.userId')
    .select(['m.unitId', 'u.id as userId', 'u.displayName as name', 'u.email'])
    .where('m.unitId', 'in', unitIds)
    .where('u.disabled', '=', 0)
    .where('u.email', 'is not', null)
    .orderBy('u.id')
    .execute();
  for (const { unitId, email, ...user } of rows)
    if (email) byUnit.set(unitId, [...(byUnit.get(unitId) ?? []), { ...user, email }]);
  return byUnit;
}

/** The users holding the office role (互动受理) on the sites that can be mailed, by site. */
export async function officeMailboxes(
  db: Kysely<Database>,
  siteIds: readonly number[],
): Promise<Map<number, Mailbox[]>> {
  const bySite = new Map<number, Mailbox[]>();
  if (siteIds.length === 0) return bySite;
  const rows = await db
    .selectFrom('roleGrant as g')
    .innerJoin('userAccount as u', 'u.id', 'g.userId')
    .select(['g.siteId', 'u.id as userId', 'u.displayName as name', 'u.email'])
    .distinct()
    .where('g.role', '=', 'office')
    .where('g.siteId', 'in', siteIds)
    .where('u.disabled', '=', 0)
    .where('u.email', 'is not', null)
    .orderBy('u.id')
    .execute();
  for (const { siteId, email, ...user } of rows)
    if (siteId !== null && email) bySite.set(siteId, [...(bySite.get(siteId) ?? []), { ...user, email }]);
  return bySite;
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

/** The years the administrator has marked as entered in full. */
export async function completeCalendarYears(db: Kysely<Database>): Promise<number[]> {
  const rows = await db.selectFrom('calendarYear').select('year').orderBy('year').execute();
  return rows.map((r) => r.year);
}

export async function markCalendarYear(
  db: Kysely<Database>,
  year: number,
  complete: boolean,
  by: string,
  at: string,
): Promise<void> {
  if (!complete) {
    await db.deleteFrom('calendarYear').where('year', '=', year).execute();
    return;
  }
  await db
    .insertInto('calendarYear')
    .values({ year, updatedBy: by, updatedAt: at })
    .onConflict((oc) => oc.column('year').doUpdateSet({ updatedBy: by, updatedAt: at }))
    .execute();
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
