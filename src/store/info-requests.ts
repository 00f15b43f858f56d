import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import {
  APPLICANT_CLASSES,
  INFO_REQUEST_STATUSES,
  type ApplicantClass,
  type InfoRequestStatus,
} from '../domain/index.js';
import type { Database, InfoRequestDocumentTable, InfoRequestStepTable, InfoRequestTable } from './schema.js';

export interface InfoRequest extends Omit<Selectable<InfoRequestTable>, 'status' | 'applicantClass'> {
  readonly status: InfoRequestStatus;
  readonly applicantClass: ApplicantClass;
}

function toRequest(row: Selectable<InfoRequestTable>): InfoRequest {
  const status = INFO_REQUEST_STATUSES.find((s) => s === row.status);
  const applicantClass = APPLICANT_CLASSES.find((c) => c === row.applicantClass);
  if (!status || !applicantClass)
    throw new TypeError(`info request ${row.id} holds status "${row.status}" and class "${row.applicantClass}"`);
  return { ...row, status, applicantClass };
}

export type InfoRequestStepRow = Selectable<InfoRequestStepTable>;
export type InfoRequestDocumentRow = Selectable<InfoRequestDocumentTable>;
/** A document without its bytes (lists and views). */
export type InfoRequestDocumentInfo = Omit<InfoRequestDocumentRow, 'content'>;

export async function insertRequest(db: Kysely<Database>, row: Insertable<InfoRequestTable>): Promise<InfoRequest> {
  return toRequest(await db.insertInto('infoRequest').values(row).returningAll().executeTakeFirstOrThrow());
}

export async function findRequest(db: Kysely<Database>, id: number): Promise<InfoRequest | undefined> {
  const row = await db.selectFrom('infoRequest').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toRequest(row);
}

export async function findByQueryCode(db: Kysely<Database>, queryCode: string): Promise<InfoRequest | undefined> {
  const row = await db.selectFrom('infoRequest').selectAll().where('queryCode', '=', queryCode).executeTakeFirst();
  return row && toRequest(row);
}

/** Changes a request still in the status the caller read (a step taken meanwhile: undefined). */
export async function updateRequest(
  db: Kysely<Database>,
  id: number,
  expected: InfoRequestStatus,
  patch: Updateable<InfoRequestTable>,
): Promise<InfoRequest | undefined> {
  const row = await db
    .updateTable('infoRequest')
    .set(patch)
    .where('id', '=', id)
    .where('status', '=', expected)
    .returningAll()
    .executeTakeFirst();
  return row && toRequest(row);
}

export interface InfoRequestFilter {
  readonly siteIds: readonly number[];
  readonly statuses?: readonly InfoRequestStatus[] | undefined;
  readonly limit: number;
  readonly offset: number;
}

/** Requests of the sites, the open ones by due day first, then the newest. */
export async function listRequests(
  db: Kysely<Database>,
  filter: InfoRequestFilter,
): Promise<{ requests: InfoRequest[]; total: number }> {
  if (filter.siteIds.length === 0) return { requests: [], total: 0 };
  let query = db.selectFrom('infoRequest').where('siteId', 'in', filter.siteIds);
  if (filter.statuses && filter.statuses.length > 0) query = query.where('status', 'in', filter.statuses);
  const [rows, count] = await Promise.all([
    query
      .selectAll()
      .orderBy((eb) => eb.case().when('status', '=', 'answered').then(1).else(0).end())
      // Without a due day (待确认, 待补正) after those with one, on both stores (they sort NULL apart).
      .orderBy((eb) => eb.case().when('dueDay', 'is', null).then(1).else(0).end())
      .orderBy('dueDay')
      .orderBy('id', 'desc')
      .limit(filter.limit)
      .offset(filter.offset)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { requests: rows.map(toRequest), total: Number(count.n) };
}

/** What the annual table counts of every request of a site received up to a day. */
export async function tallies(
  db: Kysely<Database>,
  siteId: number,
  receivedUpTo: string,
): Promise<
  { applicantClass: string; receivedDay: string | null; answeredDay: string | null; outcome: string | null }[]
> {
  return db
    .selectFrom('infoRequest')
    .select(['applicantClass', 'receivedDay', 'answeredDay', 'outcome'])
    .where('siteId', '=', siteId)
    .where('receivedDay', 'is not', null)
    .where('receivedDay', '<=', receivedUpTo)
    .execute();
}

export async function insertStep(db: Kysely<Database>, row: Insertable<InfoRequestStepTable>): Promise<void> {
  await db.insertInto('infoRequestStep').values(row).execute();
}

export async function stepsOf(db: Kysely<Database>, requestId: number): Promise<InfoRequestStepRow[]> {
  return db.selectFrom('infoRequestStep').selectAll().where('requestId', '=', requestId).orderBy('id').execute();
}

/** Puts the request's reply document in place of any earlier one. */
export async function putDocument(
  db: Kysely<Database>,
  row: Insertable<InfoRequestDocumentTable>,
): Promise<InfoRequestDocumentInfo> {
  await db.deleteFrom('infoRequestDocument').where('requestId', '=', row.requestId).execute();
  return db
    .insertInto('infoRequestDocument')
    .values(row)
    .returning(['id', 'requestId', 'fileName', 'mimeType', 'size', 'sha256', 'uploadedBy', 'uploadedAt'])
    .executeTakeFirstOrThrow();
}

export async function documentInfo(
  db: Kysely<Database>,
  requestId: number,
): Promise<InfoRequestDocumentInfo | undefined> {
  return db
    .selectFrom('infoRequestDocument')
    .select(['id', 'requestId', 'fileName', 'mimeType', 'size', 'sha256', 'uploadedBy', 'uploadedAt'])
    .where('requestId', '=', requestId)
    .executeTakeFirst();
}

export async function documentOf(db: Kysely<Database>, requestId: number): Promise<InfoRequestDocumentRow | undefined> {
  return db.selectFrom('infoRequestDocument').selectAll().where('requestId', '=', requestId).executeTakeFirst();
}

/** A site's requests answered before a moment whose personal data is still there (the retention job's batch). */
export async function expiredRequests(
  db: Kysely<Database>,
  siteId: number,
  answeredBefore: Date,
  limit: number,
): Promise<InfoRequest[]> {
  const rows = await db
    .selectFrom('infoRequest')
    .selectAll()
    .where('siteId', '=', siteId)
    .where('status', '=', 'answered')
    .where('answeredAt', '<', answeredBefore.toISOString())
    .where('anonymisedAt', 'is', null)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map(toRequest);
}

/** Requests whose personal data is sealed with another key than the current one (a rotation's batch). */
export async function staleSealed(db: Kysely<Database>, currentKeyId: string, limit: number): Promise<InfoRequest[]> {
  const rows = await db
    .selectFrom('infoRequest')
    .selectAll()
    .where('personalKeyId', '!=', currentKeyId)
    .where('anonymisedAt', 'is', null)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map(toRequest);
}

/** Requests of a site whose clock runs and whose due day is before `today`, the most overdue first. */
export async function overdueRequests(db: Kysely<Database>, siteId: number, today: string): Promise<InfoRequest[]> {
  const rows = await db
    .selectFrom('infoRequest')
    .selectAll()
    .where('siteId', '=', siteId)
    .where('status', '=', 'processing')
    .where('dueDay', '<', today)
    .orderBy('dueDay')
    .orderBy('id')
    .execute();
  return rows.map(toRequest);
}
