import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, Dialect } from '../../store/index.js';
import type { DisclosureTable } from '../../store/schema.js';
import type { DisclosureFields } from './rules.js';

export type DisclosureRow = Selectable<DisclosureTable>;

export async function findDisclosure(db: Kysely<Database>, articleId: number): Promise<DisclosureRow | undefined> {
  return db.selectFrom('disclosure').selectAll().where('articleId', '=', articleId).executeTakeFirst();
}

/** The 信息公开 rows of these articles, by article id (a build reads a batch at a time). */
export async function findDisclosures(
  db: Kysely<Database>,
  articleIds: readonly number[],
): Promise<Map<number, DisclosureRow>> {
  if (articleIds.length === 0) return new Map();
  const rows = await db.selectFrom('disclosure').selectAll().where('articleId', 'in', articleIds).execute();
  return new Map(rows.map((row) => [row.articleId, row]));
}

/**
 * The next serial of an organisation's year: one upsert that increments and returns, so two
 * writers never get the same number (PostgreSQL locks the row until the first commits; SQLite
 * runs one write transaction at a time). The counter only goes up: a deleted 索引号 stays used.
 */
export async function nextSerial(trx: Kysely<Database>, organizationCode: string, year: number): Promise<number> {
  const row = await trx
    .insertInto('disclosureSerial')
    .values({ organizationCode, year, lastSerial: 1 })
    .onConflict((oc) =>
      oc
        .columns(['organizationCode', 'year'])
        .doUpdateSet((eb) => ({ lastSerial: eb('disclosureSerial.lastSerial', '+', 1) })),
    )
    .returning('lastSerial')
    .executeTakeFirstOrThrow();
  return row.lastSerial;
}

/** Moves the counter past a serial that came from elsewhere (a migrated site's 索引号); never back. */
export async function raiseSerial(
  trx: Kysely<Database>,
  organizationCode: string,
  year: number,
  serial: number,
): Promise<void> {
  await trx
    .insertInto('disclosureSerial')
    .values({ organizationCode, year, lastSerial: serial })
    .onConflict((oc) =>
      oc.columns(['organizationCode', 'year']).doUpdateSet((eb) => ({
        lastSerial: eb
          .case()
          .when('disclosureSerial.lastSerial', '<', serial)
          .then(serial)
          .else(eb.ref('disclosureSerial.lastSerial'))
          .end(),
      })),
    )
    .execute();
}

export async function insertDisclosure(
  trx: Kysely<Database>,
  row: DisclosureFields & { articleId: number; indexNo: string; year: number; serial: number },
): Promise<DisclosureRow> {
  return trx.insertInto('disclosure').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateDisclosure(
  trx: Kysely<Database>,
  articleId: number,
  fields: DisclosureFields,
): Promise<DisclosureRow> {
  return trx
    .updateTable('disclosure')
    .set(fields)
    .where('articleId', '=', articleId)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deleteDisclosure(trx: Kysely<Database>, articleId: number): Promise<boolean> {
  const result = await trx.deleteFrom('disclosure').where('articleId', '=', articleId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Locks the article's row until the transaction ends (PostgreSQL; SQLite writes one at a time anyway). */
export async function lockArticle(trx: Kysely<Database>, dialect: Dialect, articleId: number): Promise<void> {
  if (dialect === 'postgres') await sql`select id from article where id = ${articleId} for update`.execute(trx);
}

/** The code last used on this site for an organisation of this name (the form's default). */
export async function lastCodeOf(db: Kysely<Database>, siteId: number, organization: string): Promise<string | null> {
  const row = await db
    .selectFrom('disclosure')
    .innerJoin('article', 'article.id', 'disclosure.articleId')
    .select('disclosure.organizationCode')
    .where('article.siteId', '=', siteId)
    .where('disclosure.organization', '=', organization)
    .orderBy('disclosure.year', 'desc')
    .orderBy('disclosure.serial', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.organizationCode ?? null;
}

export interface CatalogueFilter {
  readonly siteId: number;
  readonly topic: string | null;
  readonly organization: string | null;
  /** Published in [from, to). */
  readonly from: string | null;
  readonly to: string | null;
  /** Words in the title or the 文号. */
  readonly keyword: string | null;
}

export interface CatalogueEntry extends DisclosureRow {
  readonly channelId: number;
  readonly title: string;
  readonly publishedAt: string;
  readonly createdAt: string;
}

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function catalogueQuery(db: Kysely<Database>, filter: CatalogueFilter) {
  let query = db
    .selectFrom('disclosure')
    .innerJoin('article', 'article.id', 'disclosure.articleId')
    .where('article.siteId', '=', filter.siteId)
    .where('article.status', '=', 'published');
  if (filter.topic) query = query.where('disclosure.topic', '=', filter.topic);
  if (filter.organization) query = query.where('disclosure.organization', '=', filter.organization);
  if (filter.from) query = query.where('article.publishedAt', '>=', filter.from);
  if (filter.to) query = query.where('article.publishedAt', '<', filter.to);
  if (filter.keyword) {
    // ESCAPE spelled out: SQLite's LIKE has no escape character unless told.
    const pattern = likePattern(filter.keyword);
    query = query.where(
      sql<boolean>`(article.title like ${pattern} escape '\\' or disclosure.document_no like ${pattern} escape '\\')`,
    );
  }
  return query;
}

/** Published disclosed articles matching the filter, newest first, and how many match in all. */
export async function listCatalogue(
  db: Kysely<Database>,
  filter: CatalogueFilter,
  page: { limit: number; offset: number },
): Promise<{ entries: CatalogueEntry[]; total: number }> {
  const [rows, count] = await Promise.all([
    catalogueQuery(db, filter)
      .selectAll('disclosure')
      .select(['article.channelId', 'article.title', 'article.publishedAt', 'article.createdAt'])
      .orderBy('article.publishedAt', 'desc')
      .orderBy('article.id', 'desc')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    catalogueQuery(db, filter)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return {
    entries: rows.map((row) => ({ ...row, publishedAt: row.publishedAt ?? row.createdAt })),
    total: Number(count.n),
  };
}

/** The 发布机构 that have published disclosed articles (the catalogue's filter options). */
export async function catalogueOrganizations(db: Kysely<Database>, siteId: number): Promise<string[]> {
  const rows = await db
    .selectFrom('disclosure')
    .innerJoin('article', 'article.id', 'disclosure.articleId')
    .where('article.siteId', '=', siteId)
    .where('article.status', '=', 'published')
    .select('disclosure.organization')
    .distinct()
    .orderBy('disclosure.organization')
    .execute();
  return rows.map((row) => row.organization);
}

export interface ReportCell {
  readonly topic: string;
  readonly disclosureForm: string;
  readonly organization: string;
  readonly organizationCode: string;
  readonly status: string;
  readonly n: number;
}

/** Disclosed articles published in [from, to) and still published or since withdrawn, counted per category. */
export async function reportCells(
  db: Kysely<Database>,
  siteId: number,
  from: string,
  to: string,
): Promise<ReportCell[]> {
  const rows = await db
    .selectFrom('disclosure')
    .innerJoin('article', 'article.id', 'disclosure.articleId')
    .where('article.siteId', '=', siteId)
    .where('article.status', 'in', ['published', 'withdrawn'])
    .where('article.publishedAt', '>=', from)
    .where('article.publishedAt', '<', to)
    .select([
      'disclosure.topic',
      'disclosure.disclosureForm',
      'disclosure.organization',
      'disclosure.organizationCode',
      'article.status',
    ])
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .groupBy([
      'disclosure.topic',
      'disclosure.disclosureForm',
      'disclosure.organization',
      'disclosure.organizationCode',
      'article.status',
    ])
    .execute();
  return rows.map((row) => ({ ...row, n: Number(row.n) }));
}
