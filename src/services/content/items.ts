import type { Kysely } from 'kysely';
import {
  GazetteError,
  allows,
  findContentType,
  cleanValues,
  missingRequired,
  relationValue,
  sectionRule,
  shippedType,
  tagsOf,
  withAddedFields,
  type Article,
  type ContentType,
  type ContentTypeKey,
  type FieldValue,
  type FieldValues,
  type GroupEntry,
  isRecord,
} from '../../domain/index.js';
import { articles, contentTypes, type Database } from '../../store/index.js';
import * as disclosures from '../../compliance/disclosure/store.js';
import { cleanDisclosure } from '../../compliance/disclosure/index.js';
import type { Actor } from '../actor.js';
import { placementEvents, type ContentEvent } from '../events.js';
import type { SiteScope } from '../site.js';

/**
 * Typed items: the values an item of a content type holds, checked against the type's fields
 * (the shipped ones and those the site added), its relations checked and stored, and the
 * pages of related items that show it.
 */

/** A site's type: the shipped declaration and the fields its administrator added. */
export async function siteContentType(db: Kysely<Database>, siteId: number, key: ContentTypeKey): Promise<ContentType> {
  return withAddedFields(shippedType(key), await contentTypes.addedFields(db, siteId, key));
}

/** The content type of a column's items. */
export function channelContentType(scope: SiteScope, channelId: number): ContentTypeKey {
  return scope.tree.get(channelId)?.contentType ?? 'article';
}

/**
 * The values after an edit: each key the edit names is set to its cleaned value, or cleared when
 * it sends an empty one (null, '', []); keys it does not name are kept.
 */
export function mergeValues(type: ContentType, current: FieldValues, edit: unknown): FieldValues {
  const cleaned = cleanValues(type.fields, edit);
  if (!isRecord(edit)) return current;
  const merged: Record<string, FieldValue> = { ...current };
  for (const name of Object.keys(edit)) {
    const value = cleaned[name];
    if (value === undefined) delete merged[name];
    else merged[name] = value;
  }
  return merged;
}

/**
 * Each relation points to an item that exists, is of the field's type and that the actor may
 * read: an item of another site, or of a column the actor may not read, is refused (403).
 */
export async function checkRelations(
  db: Kysely<Database>,
  actor: Actor,
  scope: SiteScope,
  type: ContentType,
  values: FieldValues,
  selfId: number | null,
  current: FieldValues = {},
): Promise<void> {
  for (const def of type.fields) {
    if (def.kind !== 'relation') continue;
    // Only what the save adds is checked: an item someone else linked earlier (in a column this
    // writer may not read) does not stop their edit of the rest.
    const had = relationValue(current[def.name]);
    const ids = relationValue(values[def.name]).filter((id) => !had.includes(id));
    const found = await contentTypes.itemsByIds(db, ids);
    for (const id of ids) {
      const field = `fields.${def.name}`;
      const item = found.find((f) => f.id === id);
      if (!item) throw new GazetteError('RELATION_NOT_FOUND', { field, id });
      if (id === selfId)
        throw new GazetteError('FIELD_INVALID', {
          field,
          reason: { zh: '不能关联自身', en: 'an item cannot point to itself' },
        });
      const readable =
        item.siteId === scope.site.id && allows(actor.grants, 'article.read', item.channelId, scope.tree);
      if (!readable) throw new GazetteError('RELATION_FORBIDDEN', { field, id });
      if (def.to && item.contentType !== def.to)
        throw new GazetteError('RELATION_WRONG_TYPE', {
          field,
          id,
          expected: shippedType(def.to).label,
          actual: labelOf(item.contentType),
        });
    }
  }
}

function labelOf(key: string): string {
  return findContentType(key)?.label ?? key;
}

/** Refuses to publish an item whose required fields are empty, naming them (422). */
export function requireComplete(type: ContentType, item: Pick<Article, 'title' | 'fields'>): void {
  const missing = missingRequired(type.fields, item.fields);
  if (item.title.trim() === '') missing.unshift(type.titleLabel);
  if (missing.length > 0)
    throw new GazetteError('CONTENT_INCOMPLETE', { type: type.label, missing: missing.join('、') });
}

/** What lists show beside the item's title. */
export function listMarkOf(type: ContentType, values: FieldValues): string {
  return type.listMark?.(values) ?? '';
}

/** Stores the item's relation rows from its values. */
export async function saveRelations(db: Kysely<Database>, type: ContentType, item: Pick<Article, 'id' | 'fields'>) {
  await contentTypes.syncRelations(db, item.id, type.fields, item.fields);
}

/**
 * The ids of the items related to this one either way, read before a change and again after it:
 * the published ones among them show this item (its title, its status) on their pages.
 */
export async function relatedIds(db: Kysely<Database>, articleId: number): Promise<Set<number>> {
  const rows = await contentTypes.relationsOf(db, articleId);
  return new Set(rows.map((r) => (r.articleId === articleId ? r.targetId : r.articleId)));
}

/**
 * The published 专题 (of any site) whose sections gather the item, as it is now or as it was
 * (its column and keywords before an edit): their pages list it, nothing else does.
 */
export async function topicsShowing(
  db: Kysely<Database>,
  item: Pick<Article, 'id' | 'channelId' | 'keywords'>,
  before?: Pick<Article, 'channelId' | 'keywords'>,
): Promise<number[]> {
  const places = [item, ...(before ? [before] : [])];
  const topics = await contentTypes.publishedTopics(db);
  return topics
    .filter((topic) => {
      if (topic.id === item.id) return false;
      const values = JSON.parse(topic.fields) as FieldValues;
      const sections = Array.isArray(values.sections) ? (values.sections as readonly GroupEntry[]) : [];
      return sections.some((section) => {
        const rule = sectionRule(section);
        return places.some(
          (place) =>
            rule.channelIds.includes(place.channelId) || (rule.tag !== '' && tagsOf(place.keywords).includes(rule.tag)),
        );
      });
    })
    .map((topic) => topic.id);
}

/**
 * Takes a deleted item out of the relation values of the items pointing at it (their relation
 * rows went with it): they would otherwise hold an id no save could check again. Returns the
 * published ones, whose pages showed it.
 */
export async function forgetRelated(db: Kysely<Database>, deletedId: number, now: Date): Promise<number[]> {
  const pointing = (await contentTypes.relationsOf(db, deletedId)).filter((r) => r.targetId === deletedId);
  const shown: number[] = [];
  for (const id of new Set(pointing.map((r) => r.articleId))) {
    const item = await articles.findArticle(db, id);
    if (!item) continue;
    const fields: Record<string, FieldValue> = { ...item.fields };
    for (const row of pointing.filter((r) => r.articleId === id)) {
      const kept = relationValue(fields[row.field]).filter((target) => target !== deletedId);
      if (kept.length > 0) fields[row.field] = kept;
      else delete fields[row.field];
    }
    const type = await siteContentType(db, item.siteId, item.contentType);
    await articles.updateArticle(db, id, { fields, listMark: listMarkOf(type, fields) }, now);
    if (item.status === 'published') shown.push(id);
  }
  return shown;
}

/**
 * A policy's 文号, 发布机构, 成文日期 and 主题分类 are its typed values; its 信息公开 metadata,
 * once it has some (with its 索引号 and the organisation's code), follows them on every save.
 */
export async function syncPolicyDisclosure(db: Kysely<Database>, item: Pick<Article, 'id' | 'contentType' | 'fields'>) {
  if (item.contentType !== 'policy') return;
  const row = await disclosures.findDisclosure(db, item.id);
  if (!row) return;
  const text = (name: string) => {
    const value = item.fields[name];
    return typeof value === 'string' ? value : null;
  };
  const fields = cleanDisclosure(
    {
      organization: text('organization') ?? row.organization,
      organizationCode: row.organizationCode,
      documentNo: text('documentNo') ?? '',
      writtenOn: text('writtenOn'),
      topic: text('topic') ?? row.topic,
      disclosureForm: row.disclosureForm,
    },
    row,
  );
  await disclosures.updateDisclosure(db, item.id, fields);
}

/** The values a policy takes from metadata set in the 信息公开 panel, so that the two never disagree. */
export function policyValuesFrom(
  values: FieldValues,
  row: { organization: string; documentNo: string; writtenOn: string | null; topic: string },
): FieldValues {
  const next: Record<string, FieldValue> = { ...values, organization: row.organization, topic: row.topic };
  if (row.documentNo) next.documentNo = row.documentNo;
  else delete next.documentNo;
  if (row.writtenOn) next.writtenOn = row.writtenOn;
  else delete next.writtenOn;
  return next;
}

/**
 * An item's own event with those it sets off: the columns it is placed in (引用), and the own
 * pages of the items related to it (before the change and after) and of the 专题 that gather it
 * (as it is, and as it was: its column and tags). One list for an edit, a workflow step and an
 * imported row alike.
 */
export async function itemEvents(
  db: Kysely<Database>,
  own: ContentEvent & { readonly articleId: number },
  item: Pick<Article, 'id' | 'channelId' | 'keywords'>,
  previous?: Pick<Article, 'channelId' | 'keywords'>,
  relatedBefore: Iterable<number> = [],
): Promise<ContentEvent[]> {
  const shown = new Set([
    ...relatedBefore,
    ...(await relatedIds(db, item.id)),
    ...(await topicsShowing(db, item, previous)),
  ]);
  return [own, ...(await placementEvents(db, own)), ...(await shownEvents(db, shown))];
}

/** The events that render again the own pages of the published items among `ids`. */
export async function shownEvents(db: Kysely<Database>, ids: Iterable<number>): Promise<ContentEvent[]> {
  const items = await contentTypes.itemsByIds(db, [...ids]);
  return items
    .filter((item) => item.status === 'published')
    .sort((a, b) => a.id - b.id)
    .map((item) => ({ type: 'item.shown', siteId: item.siteId, articleId: item.id, channelId: item.channelId }));
}
