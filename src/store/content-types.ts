import { sql, type Kysely } from 'kysely';
import {
  FIELD_KINDS,
  relationValue,
  tagsOf,
  type ContentTypeKey,
  type FieldDef,
  type FieldKind,
  type FieldValues,
} from '../domain/index.js';
import { columnContains } from './contains.js';
import type { Dialect } from './migrations.js';
import type { Database } from './schema.js';

/** What a site's added field keeps besides its kind (JSON in `content_field.settings`). */
interface FieldSettings {
  readonly maxLength?: number;
  readonly options?: readonly string[];
  readonly help?: string;
}

export interface AddedField extends FieldDef {
  readonly id: number;
  readonly contentType: string;
  readonly createdBy: string;
  readonly createdAt: string;
}

function toKind(value: string): FieldKind {
  const kind = FIELD_KINDS.find((k) => k === value);
  if (!kind) throw new TypeError(`content_field.kind holds "${value}", not one of ${FIELD_KINDS.join(', ')}`);
  return kind;
}

/** The fields a site added to its types, in the order they were added. */
export async function addedFields(db: Kysely<Database>, siteId: number, contentType?: string): Promise<AddedField[]> {
  let query = db.selectFrom('contentField').selectAll().where('siteId', '=', siteId);
  if (contentType !== undefined) query = query.where('contentType', '=', contentType);
  const rows = await query.orderBy('sortOrder').orderBy('id').execute();
  return rows.map((row) => {
    const settings = JSON.parse(row.settings) as FieldSettings;
    return {
      id: row.id,
      contentType: row.contentType,
      name: row.name,
      label: row.label,
      kind: toKind(row.kind),
      required: row.required === 1,
      ...settings,
      createdBy: row.createdBy,
      createdAt: row.createdAt,
    };
  });
}

export async function insertField(
  db: Kysely<Database>,
  field: { siteId: number; contentType: ContentTypeKey; def: FieldDef; createdBy: string; at: Date },
): Promise<void> {
  const { def } = field;
  const last = await db
    .selectFrom('contentField')
    .select((eb) => eb.fn.max('sortOrder').as('n'))
    .where('siteId', '=', field.siteId)
    .where('contentType', '=', field.contentType)
    .executeTakeFirst();
  const settings: FieldSettings = {
    ...(def.maxLength !== undefined && { maxLength: def.maxLength }),
    ...(def.options !== undefined && { options: def.options }),
    ...(def.help !== undefined && { help: def.help }),
  };
  await db
    .insertInto('contentField')
    .values({
      siteId: field.siteId,
      contentType: field.contentType,
      name: def.name,
      label: def.label,
      kind: def.kind,
      required: def.required ? 1 : 0,
      settings: JSON.stringify(settings),
      sortOrder: Number(last?.n ?? 0) + 10,
      createdBy: field.createdBy,
      createdAt: field.at.toISOString(),
    })
    .execute();
}

export async function deleteField(db: Kysely<Database>, siteId: number, contentType: string, name: string) {
  await db
    .deleteFrom('contentField')
    .where('siteId', '=', siteId)
    .where('contentType', '=', contentType)
    .where('name', '=', name)
    .execute();
}

/** `fields` holds a value under `name` (the JSON key is a parameter, never spliced into SQL). */
function hasValue(dialect: Dialect, name: string) {
  return dialect === 'postgres'
    ? sql<boolean>`(fields::jsonb ? ${name})`
    : sql<boolean>`json_type(fields, ${`$."${name}"`}) is not null`;
}

/** The items of a site's type holding a value in the field, with the values. */
export async function valuesOfField(
  db: Kysely<Database>,
  dialect: Dialect,
  siteId: number,
  contentType: string,
  name: string,
): Promise<{ id: number; channelId: number; fields: string; status: string }[]> {
  return db
    .selectFrom('article')
    .select(['id', 'channelId', 'fields', 'status'])
    .where('siteId', '=', siteId)
    .where('contentType', '=', contentType)
    .where(hasValue(dialect, name))
    .orderBy('id')
    .execute();
}

/** Takes the field's key out of every item of the type that has it. */
export async function stripField(
  db: Kysely<Database>,
  dialect: Dialect,
  siteId: number,
  contentType: string,
  name: string,
  now: Date,
): Promise<void> {
  const stripped =
    dialect === 'postgres'
      ? sql<string>`(fields::jsonb - ${name})::text`
      : sql<string>`json_remove(fields, ${`$."${name}"`})`;
  await db
    .updateTable('article')
    // A changed item: an editor holding the old version is told on save.
    .set((eb) => ({ fields: stripped, version: eb('version', '+', 1), updatedAt: now.toISOString() }))
    .where('siteId', '=', siteId)
    .where('contentType', '=', contentType)
    .where(hasValue(dialect, name))
    .execute();
}

export async function archiveValues(
  db: Kysely<Database>,
  rows: readonly { articleId: number; value: string }[],
  field: { siteId: number; contentType: string; name: string; label: string; by: string; at: Date },
): Promise<void> {
  const at = field.at.toISOString();
  for (let i = 0; i < rows.length; i += 500)
    await db
      .insertInto('contentFieldArchive')
      .values(
        rows.slice(i, i + 500).map((row) => ({
          siteId: field.siteId,
          contentType: field.contentType,
          name: field.name,
          label: field.label,
          articleId: row.articleId,
          value: row.value,
          archivedBy: field.by,
          archivedAt: at,
        })),
      )
      .execute();
}

/** Rewrites an item's relation rows from its values: one row per item each relation field points to. */
export async function syncRelations(
  db: Kysely<Database>,
  articleId: number,
  defs: readonly FieldDef[],
  values: FieldValues,
): Promise<void> {
  await db.deleteFrom('articleRelation').where('articleId', '=', articleId).execute();
  const rows = defs
    .filter((def) => def.kind === 'relation')
    .flatMap((def) =>
      relationValue(values[def.name]).map((targetId, position) => ({ articleId, field: def.name, targetId, position })),
    );
  if (rows.length > 0) await db.insertInto('articleRelation').values(rows).execute();
}

export interface RelatedRow {
  readonly articleId: number;
  readonly field: string;
  readonly targetId: number;
}

/** Relations from the item (it points to them) and to it (they point to it). */
export async function relationsOf(db: Kysely<Database>, articleId: number): Promise<RelatedRow[]> {
  return db
    .selectFrom('articleRelation')
    .select(['articleId', 'field', 'targetId'])
    .where((eb) => eb.or([eb('articleId', '=', articleId), eb('targetId', '=', articleId)]))
    .orderBy('position')
    .orderBy('articleId')
    .execute();
}

/** Items pointing at the target by the field, newest first. */
export async function pointingAt(
  db: Kysely<Database>,
  targetId: number,
  field: string,
): Promise<
  {
    id: number;
    title: string;
    status: string;
    publishedAt: string | null;
    channelId: number;
    siteId: number;
    createdAt: string;
    listMark: string;
    contentType: string;
  }[]
> {
  return db
    .selectFrom('articleRelation as r')
    .innerJoin('article as a', 'a.id', 'r.articleId')
    .select([
      'a.id',
      'a.title',
      'a.status',
      'a.publishedAt',
      'a.channelId',
      'a.siteId',
      'a.createdAt',
      'a.listMark',
      'a.contentType',
    ])
    .where('r.targetId', '=', targetId)
    .where('r.field', '=', field)
    .orderBy('a.publishedAt', 'desc')
    .orderBy('a.id', 'desc')
    .execute();
}

/** Each item by id, with what a link to it needs. */
export async function itemsByIds(db: Kysely<Database>, ids: readonly number[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('article')
    .select(['id', 'title', 'status', 'publishedAt', 'channelId', 'siteId', 'createdAt', 'listMark', 'contentType'])
    .where('id', 'in', ids)
    .execute();
}

export type ItemLink = Awaited<ReturnType<typeof itemsByIds>>[number];

/**
 * The newest published items, of any site, in the columns named or tagged with the tag (one of
 * their keywords): what a 专题's section gathers.
 */
export async function gathered(
  db: Kysely<Database>,
  rule: { tag: string; channelIds: readonly number[]; excludeId: number; limit: number },
): Promise<ItemLink[]> {
  if (rule.tag === '' && rule.channelIds.length === 0) return [];
  const query = db
    .selectFrom('article')
    .select([
      'id',
      'title',
      'status',
      'publishedAt',
      'channelId',
      'siteId',
      'createdAt',
      'listMark',
      'contentType',
      'keywords',
    ])
    .where('status', '=', 'published')
    .where('id', '!=', rule.excludeId)
    .where((eb) =>
      eb.or([
        ...(rule.channelIds.length > 0 ? [eb('channelId', 'in', rule.channelIds)] : []),
        ...(rule.tag !== '' ? [columnContains('keywords', rule.tag)] : []),
      ]),
    )
    .orderBy('publishedAt', 'desc')
    .orderBy('id', 'desc');
  // LIKE finds 高等教育 for the tag 教育 too: read on, a batch at a time, until enough match exactly.
  const found: ItemLink[] = [];
  const batch = rule.limit * 5;
  for (let offset = 0; found.length < rule.limit; offset += batch) {
    const rows = await query.limit(batch).offset(offset).execute();
    for (const { keywords, ...item } of rows)
      if (
        found.length < rule.limit &&
        (rule.channelIds.includes(item.channelId) || tagsOf(keywords).includes(rule.tag))
      )
        found.push(item);
    if (rows.length < batch) break;
  }
  return found;
}

/**
 * The query of publishedTopics. Its two values are written into the SQL, not bound: only then can
 * SQLite's and PostgreSQL's planners use the partial index article_published_topic, and read the
 * few 专题 instead of every article (a publish asks this each time: 13 ms at 1,000,000 articles).
 */
export function publishedTopicsQuery(db: Kysely<Database>) {
  return db
    .selectFrom('article')
    .select(['id', 'siteId', 'channelId', 'fields'])
    .where('contentType', '=', sql.lit('topic'))
    .where('status', '=', sql.lit('published'));
}

/** The published 专题 of every site, with their values: few, read whole. */
export async function publishedTopics(db: Kysely<Database>) {
  return publishedTopicsQuery(db).execute();
}

/** Each item's values by id. */
export async function valuesByIds(db: Kysely<Database>, ids: readonly number[]): Promise<Map<number, FieldValues>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('article').select(['id', 'fields']).where('id', 'in', ids).execute();
  return new Map(rows.map((row) => [row.id, JSON.parse(row.fields) as FieldValues]));
}

/** A text value of `fields` (the key a parameter), as SQL. */
function fieldText(dialect: Dialect, name: string) {
  return dialect === 'postgres'
    ? sql<string | null>`(fields::jsonb ->> ${name})`
    : sql<string | null>`json_extract(fields, ${`$."${name}"`})`;
}

export interface LibraryFilter {
  readonly organization: string | null;
  readonly topic: string | null;
  /** Published within [from, to). */
  readonly from: string | null;
  readonly to: string | null;
  /** '有效' (no list mark) or the mark. */
  readonly validity: string | null;
  /** In the title or the 文号. */
  readonly q: string | null;
}

/** Published items of the library's columns matching the filter, newest first, and how many match. */
export async function searchLibrary(
  db: Kysely<Database>,
  dialect: Dialect,
  channelIds: readonly number[],
  filter: LibraryFilter,
  page: { limit: number; offset: number },
) {
  if (channelIds.length === 0) return { total: 0, rows: [] };
  let query = db.selectFrom('article').where('channelId', 'in', channelIds).where('status', '=', 'published');
  if (filter.organization)
    query = query.where(sql<boolean>`${fieldText(dialect, 'organization')} = ${filter.organization}`);
  if (filter.topic) query = query.where(sql<boolean>`${fieldText(dialect, 'topic')} = ${filter.topic}`);
  if (filter.from) query = query.where('publishedAt', '>=', filter.from);
  if (filter.to) query = query.where('publishedAt', '<', filter.to);
  if (filter.validity) query = query.where('listMark', '=', filter.validity === '有效' ? '' : filter.validity);
  const q = filter.q;
  if (q)
    query = query.where((eb) =>
      eb.or([
        columnContains('title', q),
        sql<boolean>`coalesce(${fieldText(dialect, 'documentNo')}, '') like ${`%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`} escape '\\'`,
      ]),
    );
  const count = await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await query
    .select(['id', 'channelId', 'title', 'summary', 'publishedAt', 'createdAt', 'updatedAt', 'listMark', 'fields'])
    .orderBy('publishedAt', 'desc')
    .orderBy('id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return { total: Number(count.n), rows };
}

/** The 发布机构 the library's published items name, for the filter's choices. */
export async function libraryOrganizations(db: Kysely<Database>, dialect: Dialect, channelIds: readonly number[]) {
  if (channelIds.length === 0) return [];
  const rows = await db
    .selectFrom('article')
    .select(fieldText(dialect, 'organization').as('organization'))
    .distinct()
    .where('channelId', 'in', channelIds)
    .where('status', '=', 'published')
    .execute();
  return rows
    .map((r) => r.organization)
    .filter((o): o is string => typeof o === 'string' && o !== '')
    .sort((a, b) => a.localeCompare(b, 'zh'));
}

/** Published items of the columns with their values, newest first: a leaders' or units' page. */
export async function publishedItems(db: Kysely<Database>, channelIds: readonly number[], limit: number) {
  if (channelIds.length === 0) return [];
  const rows = await db
    .selectFrom('article')
    .select(['id', 'channelId', 'title', 'publishedAt', 'createdAt', 'fields'])
    .where('channelId', 'in', channelIds)
    .where('status', '=', 'published')
    .orderBy('publishedAt', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => ({ ...row, fields: JSON.parse(row.fields) as FieldValues }));
}
