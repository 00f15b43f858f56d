import { Type, type Static, type TSchema } from 'typebox';
import {
  FIELD_NAME,
  GazetteError,
  SHIPPED_TYPES,
  SIMPLE_KINDS,
  TEXT_MAX,
  findContentType,
  type ContentType,
  type ContentTypeKey,
  type FieldDef,
  type FieldKind,
} from '../../domain/index.js';
import { articles, contentTypes } from '../../store/index.js';
import { syncArticleIndex } from './search.js';
import { requireAnywhere, type Actor } from '../actor.js';
import { appendAudit } from '../audit.js';
import type { ServiceContext } from '../context.js';
import { recordEvents, sendEvents, type ContentEvent } from '../events.js';
import { currentSite } from '../site.js';
import { siteContentType } from './items.js';
import { ITEM_COLUMNS } from './exchange-rows.js';

/**
 * Content types as the back office and the API see them, and a site administrator's changes:
 * adding a field (no row changes, nothing is rendered: items simply have no value for it yet)
 * and removing one (refused while items hold values, unless they are archived first).
 */

const FieldKindSchema = Type.Union(
  [
    Type.Literal('text'),
    Type.Literal('richText'),
    Type.Literal('number'),
    Type.Literal('date'),
    Type.Literal('dateTime'),
    Type.Literal('choice'),
    Type.Literal('choices'),
    Type.Literal('file'),
    Type.Literal('image'),
    Type.Literal('link'),
    Type.Literal('relation'),
    Type.Literal('group'),
  ],
  { description: 'What the field holds' },
);

const fieldProperties = {
  name: Type.String(),
  label: Type.String(),
  kind: FieldKindSchema,
  required: Type.Boolean({ description: 'Must be filled before the item is published' }),
  maxLength: Type.Optional(Type.Integer()),
  options: Type.Optional(Type.Array(Type.String())),
  to: Type.Optional(Type.String({ description: 'relation: the content type it points to' })),
  many: Type.Optional(Type.Boolean()),
  inverse: Type.Optional(Type.Object({ name: Type.String(), label: Type.String() })),
  help: Type.Optional(Type.String()),
};
export const FieldViewSchema = Type.Object({
  ...fieldProperties,
  fields: Type.Optional(Type.Array(Type.Object(fieldProperties), { description: 'group: the parts of each entry' })),
  added: Type.Boolean({ description: 'Added by the site’s administrator (may be removed)' }),
});
export type FieldView = Static<typeof FieldViewSchema>;

export const ContentTypeViewSchema = Type.Object({
  key: Type.String(),
  label: Type.String(),
  titleLabel: Type.String(),
  bodyLabel: Type.Union([Type.String(), Type.Null()]),
  fields: Type.Array(FieldViewSchema),
});
export type ContentTypeView = Static<typeof ContentTypeViewSchema>;

export const FieldInputSchema = Type.Object({
  name: Type.String({ maxLength: 40, description: 'Key in the values: a lower-case letter, then letters and digits' }),
  label: Type.String({ minLength: 1, maxLength: 40 }),
  kind: FieldKindSchema,
  required: Type.Optional(Type.Boolean()),
  maxLength: Type.Optional(Type.Integer({ minimum: 1, maximum: TEXT_MAX })),
  options: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 60 }), { maxItems: 100 })),
  help: Type.Optional(Type.String({ maxLength: 200 })),
});
export type FieldInput = Static<typeof FieldInputSchema>;

function plainDef(def: FieldDef) {
  return {
    name: def.name,
    label: def.label,
    kind: def.kind,
    required: def.required === true,
    ...(def.maxLength !== undefined && { maxLength: def.maxLength }),
    ...(def.options !== undefined && { options: [...def.options] }),
    ...(def.to !== undefined && { to: def.to }),
    ...(def.many !== undefined && { many: def.many }),
    ...(def.inverse !== undefined && { inverse: { ...def.inverse } }),
    ...(def.help !== undefined && { help: def.help }),
  };
}

function viewOf(type: ContentType, shipped: ContentType): ContentTypeView {
  return {
    key: type.key,
    label: type.label,
    titleLabel: type.titleLabel,
    bodyLabel: type.bodyLabel,
    fields: type.fields.map((def) => ({
      ...plainDef(def),
      ...(def.fields && { fields: def.fields.map(plainDef) }),
      added: !shipped.fields.includes(def),
    })),
  };
}

/** The type named by key or label, or 404. */
export function contentTypeNamed(name: string): ContentType {
  const type = findContentType(name);
  if (!type) throw new GazetteError('CONTENT_TYPE_NOT_FOUND', { type: name });
  return type;
}

/** Every type with the site's added fields. */
export async function listContentTypes(ctx: ServiceContext, actor: Actor): Promise<ContentTypeView[]> {
  const scope = await currentSite(ctx.store.db, ctx.siteId);
  requireAnywhere(actor, 'article.read', scope.tree);
  const views = [];
  for (const shipped of SHIPPED_TYPES)
    views.push(viewOf(await siteContentType(ctx.store.db, scope.site.id, shipped.key), shipped));
  return views;
}

function invalidField(field: string, zh: string, en: string): GazetteError {
  return new GazetteError('FIELD_INVALID', { field, reason: { zh, en } });
}

/** A field as an administrator may declare it, checked. */
function fieldDefOf(input: FieldInput): FieldDef {
  const name = input.name.trim();
  if (!FIELD_NAME.test(name))
    throw invalidField(
      'name',
      '须以小写字母开头，只含字母和数字，最多 40 个',
      'a lower-case letter, then letters and digits (at most 40)',
    );
  const kind: FieldKind = input.kind;
  if (!SIMPLE_KINDS.includes(kind))
    throw invalidField('kind', '本站添加的字段不能是关联或条目组', 'an added field cannot be a relation or a group');
  const label = input.label.trim();
  if (label === '') throw invalidField('label', '请填写字段名称', 'the label is empty');
  const options = input.options?.map((o) => o.trim()).filter((o) => o !== '');
  if ((kind === 'choice' || kind === 'choices') && (!options || options.length === 0))
    throw invalidField('options', '选项字段须至少有一个选项', 'a choice field needs at least one option');
  if (options && new Set(options).size !== options.length)
    throw invalidField('options', '选项有重复', 'an option is repeated');
  return {
    name,
    label,
    kind,
    required: input.required === true,
    ...(kind === 'text' && input.maxLength !== undefined && { maxLength: input.maxLength }),
    ...((kind === 'choice' || kind === 'choices') && { options }),
    ...(input.help?.trim() && { help: input.help.trim() }),
  };
}

/**
 * Adds a field to one of the site's types. No item changes and no page is rendered: items have
 * no value for it until an editor gives one.
 */
export async function addContentField(
  ctx: ServiceContext,
  actor: Actor,
  typeName: string,
  input: FieldInput,
): Promise<ContentTypeView> {
  const now = ctx.clock.now();
  const scope = await currentSite(ctx.store.db, ctx.siteId);
  requireAnywhere(actor, 'site.manage', scope.tree);
  const shipped = contentTypeNamed(typeName);
  const def = fieldDefOf(input);
  return ctx.store.db.transaction().execute(async (trx) => {
    const type = await siteContentType(trx, scope.site.id, shipped.key);
    // The item's own columns in an export's sheet are taken too: a field beside them would be ambiguous.
    const reserved = ['title', 'body', 'fields', ...ITEM_COLUMNS];
    const taken = type.fields.some((f) => f.name === def.name) || reserved.includes(def.name);
    if (taken) throw new GazetteError('CONTENT_FIELD_TAKEN', { type: type.label, name: def.name });
    await contentTypes.insertField(trx, {
      siteId: scope.site.id,
      contentType: shipped.key,
      def,
      createdBy: actor.userName,
      at: now,
    });
    await appendAudit(trx, ctx.store.dialect, now, actor, {
      action: 'content-field.add',
      targetType: 'content-type',
      targetId: null,
      details: { type: shipped.key, field: plainDef(def) },
    });
    return viewOf(await siteContentType(trx, scope.site.id, shipped.key), shipped);
  });
}

/**
 * Removes a field the site added. Items holding a value for it keep the field unless `force`:
 * then each value is archived (content_field_archive) before it is taken out, and the pages of
 * the published ones are rendered again.
 */
export async function removeContentField(
  ctx: ServiceContext,
  actor: Actor,
  typeName: string,
  name: string,
  options: { force?: boolean } = {},
): Promise<{ archived: number }> {
  const now = ctx.clock.now();
  const scope = await currentSite(ctx.store.db, ctx.siteId);
  requireAnywhere(actor, 'site.manage', scope.tree);
  const shipped = contentTypeNamed(typeName);
  const { archived, recorded } = await ctx.store.db.transaction().execute(async (trx) => {
    const added = await contentTypes.addedFields(trx, scope.site.id, shipped.key);
    const field = added.find((f) => f.name === name);
    if (!field) throw new GazetteError('CONTENT_FIELD_NOT_FOUND', { type: shipped.label, name });
    const holding = await contentTypes.valuesOfField(trx, ctx.store.dialect, scope.site.id, shipped.key, name);
    if (holding.length > 0 && !options.force)
      throw new GazetteError('CONTENT_FIELD_HAS_VALUES', { name, count: holding.length });
    const values = holding.map((row) => ({
      articleId: row.id,
      value: JSON.stringify((JSON.parse(row.fields) as Record<string, unknown>)[name] ?? null),
    }));
    await contentTypes.archiveValues(trx, values, {
      siteId: scope.site.id,
      contentType: shipped.key,
      name,
      label: field.label,
      by: actor.userName,
      at: now,
    });
    await contentTypes.stripField(trx, ctx.store.dialect, scope.site.id, shipped.key, name, now);
    await contentTypes.deleteField(trx, scope.site.id, shipped.key, name);
    // Search found the items by the values too: each is indexed again without them.
    for (const row of holding.filter((r) => r.status === 'published')) {
      const item = await articles.findArticle(trx, row.id);
      if (item) await syncArticleIndex(trx, ctx.store.dialect, item, scope.tree);
    }
    await appendAudit(trx, ctx.store.dialect, now, actor, {
      action: 'content-field.remove',
      targetType: 'content-type',
      targetId: null,
      details: { type: shipped.key, name, archived: values.length },
    });
    const events: ContentEvent[] = holding
      .filter((row) => row.status === 'published')
      .map((row) => ({ type: 'item.shown', siteId: scope.site.id, articleId: row.id, channelId: row.channelId }));
    return { archived: values.length, recorded: await recordEvents(trx, ctx, events) };
  });
  sendEvents(ctx, recorded);
  return { archived };
}

/** JSON Schema of one field's value, for the API documents. */
function valueSchema(def: FieldDef): TSchema {
  const description = def.help ? `${def.label}（${def.help}）` : def.label;
  switch (def.kind) {
    case 'text':
      return Type.String({ maxLength: def.maxLength ?? TEXT_MAX, description });
    case 'richText':
      return Type.String({ description: `${description}; HTML, sanitised on the way in` });
    case 'number':
      return Type.Number({ description });
    case 'date':
      return Type.String({ format: 'date', description });
    case 'dateTime':
      return Type.String({ format: 'date-time', description });
    case 'choice':
      return Type.Union(
        (def.options ?? []).map((o) => Type.Literal(o)),
        { description },
      );
    case 'choices':
      return Type.Array(Type.Union((def.options ?? []).map((o) => Type.Literal(o))), { description });
    case 'file':
      return Type.Object({ url: Type.String(), name: Type.String() }, { description });
    case 'image':
      return Type.Object({ url: Type.String(), alt: Type.String({ minLength: 1 }) }, { description });
    case 'link':
      return Type.Object({ url: Type.String(), text: Type.String() }, { description });
    case 'relation':
      return def.many
        ? Type.Array(Type.Integer({ minimum: 1 }), { description: `${description}: ids of ${def.to ?? 'items'}` })
        : Type.Array(Type.Integer({ minimum: 1 }), {
            maxItems: 1,
            description: `${description}: the id of a ${def.to ?? 'item'} (a bare id is taken too)`,
          });
    case 'group':
      return Type.Array(fieldsSchema(def.fields ?? []), { description });
  }
}

function fieldsSchema(defs: readonly FieldDef[]) {
  return Type.Object(Object.fromEntries(defs.map((def) => [def.name, Type.Optional(valueSchema(def))])), {
    additionalProperties: false,
  });
}

/** `PolicyFields` and the like: each shipped type's values, for the OpenAPI document. */
export function contentTypeSchemas(): Record<string, TSchema> {
  const name = (key: ContentTypeKey) => `${key[0]?.toUpperCase() ?? ''}${key.slice(1)}Fields`;
  return Object.fromEntries(
    SHIPPED_TYPES.map((type) => [name(type.key), { ...fieldsSchema(type.fields), title: `${type.label}的字段` }]),
  );
}
