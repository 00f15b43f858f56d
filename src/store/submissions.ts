import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, SubmissionTable } from './schema.js';

export type SubmissionStatus = 'pending' | 'adopted' | 'returned';
export const SUBMISSION_STATUSES: readonly SubmissionStatus[] = ['pending', 'adopted', 'returned'];

export interface Submission extends Omit<Selectable<SubmissionTable>, 'status' | 'adoptedAs'> {
  readonly status: SubmissionStatus;
  readonly adoptedAs: 'placement' | 'copy' | null;
}

function toSubmission(row: Selectable<SubmissionTable>): Submission {
  const status = SUBMISSION_STATUSES.find((s) => s === row.status);
  if (!status)
    throw new TypeError(`submission.status holds "${row.status}", not one of ${SUBMISSION_STATUSES.join(', ')}`);
  const adoptedAs = row.adoptedAs === 'placement' || row.adoptedAs === 'copy' ? row.adoptedAs : null;
  return { ...row, status, adoptedAs };
}

export async function findSubmission(db: Kysely<Database>, id: number): Promise<Submission | undefined> {
  const row = await db.selectFrom('submission').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toSubmission(row);
}

/** The submission of this article to this column still waiting for a decision, if any. */
export async function findPending(
  db: Kysely<Database>,
  articleId: number,
  channelId: number,
): Promise<Submission | undefined> {
  const row = await db
    .selectFrom('submission')
    .selectAll()
    .where('articleId', '=', articleId)
    .where('channelId', '=', channelId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return row && toSubmission(row);
}

export async function insertSubmission(
  db: Kysely<Database>,
  submission: Pick<
    Submission,
    'articleId' | 'fromSiteId' | 'siteId' | 'channelId' | 'note' | 'submittedBy' | 'submitterName'
  >,
  now: Date,
): Promise<Submission> {
  const row = await db
    .insertInto('submission')
    .values({
      ...submission,
      status: 'pending',
      submittedAt: now.toISOString(),
      decidedBy: null,
      decidedAt: null,
      adoptedAs: null,
      placementId: null,
      copyId: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toSubmission(row);
}

/** Records the decision on a pending submission; undefined when it was decided meanwhile. */
export async function decide(
  db: Kysely<Database>,
  id: number,
  decision: Pick<
    Submission,
    'status' | 'reason' | 'decidedBy' | 'deciderName' | 'adoptedAs' | 'placementId' | 'copyId' | 'points'
  >,
  now: Date,
): Promise<Submission | undefined> {
  const row = await db
    .updateTable('submission')
    .set({ ...decision, decidedAt: now.toISOString() })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .returningAll()
    .executeTakeFirst();
  return row && toSubmission(row);
}

export interface SubmissionFilter {
  /** The receiving site (its inbox) or the sending site (what it sent). */
  readonly siteId?: number;
  readonly fromSiteId?: number;
  readonly statuses?: readonly SubmissionStatus[];
}

export async function listSubmissions(
  db: Kysely<Database>,
  filter: SubmissionFilter,
  page: { limit: number; offset: number },
): Promise<{ rows: Submission[]; total: number }> {
  let query = db.selectFrom('submission');
  if (filter.siteId !== undefined) query = query.where('siteId', '=', filter.siteId);
  if (filter.fromSiteId !== undefined) query = query.where('fromSiteId', '=', filter.fromSiteId);
  if (filter.statuses) query = query.where('status', 'in', filter.statuses.length > 0 ? filter.statuses : ['-']);
  const [rows, count] = await Promise.all([
    query
      .selectAll()
      .orderBy('submittedAt', 'desc')
      .orderBy('id', 'desc')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows: rows.map(toSubmission), total: Number(count.n) };
}

export interface SubmissionTally {
  readonly fromSiteId: number;
  readonly submitted: number;
  readonly adopted: number;
  readonly returned: number;
  readonly points: number;
}

/** 报送数, 采用数, 退回数 and points per sending site, for submissions made in [from, to) to a site. */
export async function tally(
  db: Kysely<Database>,
  siteId: number,
  from: string,
  to: string,
): Promise<SubmissionTally[]> {
  const rows = await db
    .selectFrom('submission')
    .select((eb) => [
      'fromSiteId',
      eb.fn.countAll<number>().as('submitted'),
      eb.fn.sum<number>(sql`case when status = 'adopted' then 1 else 0 end`).as('adopted'),
      eb.fn.sum<number>(sql`case when status = 'returned' then 1 else 0 end`).as('returned'),
      eb.fn.sum<number>(sql`case when status = 'adopted' then points else 0 end`).as('points'),
    ])
    .where('siteId', '=', siteId)
    .where('submittedAt', '>=', from)
    .where('submittedAt', '<', to)
    .groupBy('fromSiteId')
    .execute();
  return rows.map((r) => ({
    fromSiteId: r.fromSiteId,
    submitted: Number(r.submitted),
    adopted: Number(r.adopted),
    returned: Number(r.returned),
    points: Number(r.points),
  }));
}

/** The columns of a site that take submissions, with their points. */
export async function submissionColumns(
  db: Kysely<Database>,
  siteId: number,
): Promise<{ channelId: number; points: number }[]> {
  return db
    .selectFrom('submissionColumn')
    .innerJoin('channel', 'channel.id', 'submissionColumn.channelId')
    .select(['submissionColumn.channelId as channelId', 'submissionColumn.points as points'])
    .where('channel.siteId', '=', siteId)
    .orderBy('channel.sortOrder')
    .orderBy('channel.id')
    .execute();
}

export async function findSubmissionColumn(
  db: Kysely<Database>,
  channelId: number,
): Promise<{ channelId: number; points: number } | undefined> {
  return db
    .selectFrom('submissionColumn')
    .select(['channelId', 'points'])
    .where('channelId', '=', channelId)
    .executeTakeFirst();
}

/** Opens a column to submissions (with its points), or closes it (null). */
export async function setSubmissionColumn(
  db: Kysely<Database>,
  channelId: number,
  points: number | null,
): Promise<void> {
  if (points === null) {
    await db.deleteFrom('submissionColumn').where('channelId', '=', channelId).execute();
    return;
  }
  await db
    .insertInto('submissionColumn')
    .values({ channelId, points })
    .onConflict((oc) => oc.column('channelId').doUpdateSet({ points }))
    .execute();
}
