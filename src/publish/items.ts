import type { Kysely } from 'kysely';
import {
  SHIPPED_TYPES,
  articlePath,
  escapeHtml,
  formatChineseDay,
  formatDate,
  formatDateTime,
  relationValue,
  sectionRule,
  shippedType,
  siteUrl,
  withAddedFields,
  type Article,
  type ContentType,
  type FieldDef,
  type FieldValue,
  type FieldValues,
  type FileValue,
  type GroupEntry,
  type ImageValue,
  type LinkValue,
} from '../domain/index.js';
import { contentTypes, type Database, type ItemLink } from '../store/index.js';
import type { SiteView } from './pages.js';

/**
 * What an item's page shows of its typed values: each filled field ready for the template
 * (text, HTML, a link, an image, the entries of a group, the items a relation points to), the
 * items pointing back at it, and, for a 专题, the items its sections gather.
 */

export interface RelatedLink {
  readonly id: number;
  readonly title: string;
  /** Null while the item is not on the site (a draft, a withdrawn one): shown as text. */
  readonly url: string | null;
  /** 已废止 and the like. */
  readonly mark: string;
  readonly date: string;
}

export interface ItemRelations {
  /** Each relation field's items, in the field's order. */
  readonly links: Readonly<Record<string, readonly RelatedLink[]>>;
  /** Items whose relation points at this one (a policy's 相关解读), published ones only. */
  readonly inverse: readonly {
    readonly name: string;
    readonly label: string;
    readonly items: readonly RelatedLink[];
  }[];
  /** A 专题's sections with the items each gathers, newest first. */
  readonly sections: readonly { readonly name: string; readonly items: readonly RelatedLink[] }[];
}

export const NO_RELATIONS: ItemRelations = { links: {}, inverse: [], sections: [] };

/** How many items a topic's section shows. */
export const SECTION_SIZE = 20;

/** The site's type of the item: the shipped declaration and the fields the site added. */
function viewContentType(view: SiteView, key: Article['contentType']): ContentType {
  let types = typesOfView.get(view);
  if (!types) typesOfView.set(view, (types = new Map<Article['contentType'], ContentType>()));
  let type = types.get(key);
  if (!type) {
    const added = (view.addedFields ?? []).filter((f) => f.contentType === key);
    types.set(key, (type = withAddedFields(shippedType(key), added)));
  }
  return type;
}

/** Each view's types, made once: a build renders thousands of pages with one view. */
const typesOfView = new WeakMap<SiteView, Map<Article['contentType'], ContentType>>();

function linkOf(view: SiteView, item: ItemLink, views?: ReadonlyMap<number, SiteView>): RelatedLink {
  const home = item.siteId === view.site.id ? view : views?.get(item.siteId);
  const channel = home?.tree.get(item.channelId);
  const live = item.status === 'published' && item.publishedAt !== null && home !== undefined && channel !== undefined;
  const path = live ? articlePath(home.tree.path(channel.id), item, home.site.timeZone) : null;
  return {
    id: item.id,
    title: item.title,
    url: path === null ? null : home === view ? path : siteUrl(home!.site, path),
    mark: item.listMark,
    date: item.publishedAt ? formatDate(new Date(item.publishedAt), view.site.timeZone) : '',
  };
}

/** Reads what the item's page shows of other items. Plain articles point nowhere: nothing is read. */
export async function loadItemRelations(
  db: Kysely<Database>,
  view: SiteView,
  article: Article,
  loadView: (siteId: number) => Promise<SiteView | null>,
): Promise<ItemRelations> {
  if (article.contentType === 'article') return NO_RELATIONS;
  const type = viewContentType(view, article.contentType);
  const links: Record<string, RelatedLink[]> = {};
  for (const def of type.fields) {
    if (def.kind !== 'relation') continue;
    const ids = relationValue(article.fields[def.name]);
    const found = await contentTypes.itemsByIds(db, ids);
    // Only items on the site are shown: a draft's or a withdrawn item's title stays unpublished.
    links[def.name] = ids.flatMap((id) => {
      const item = found.find((f) => f.id === id);
      const link = item && linkOf(view, item);
      return link?.url ? [link] : [];
    });
  }
  const inverse = [];
  for (const other of SHIPPED_TYPES)
    for (const def of other.fields) {
      if (def.kind !== 'relation' || def.to !== article.contentType || !def.inverse) continue;
      const pointing = await contentTypes.pointingAt(db, article.id, def.name);
      const items = pointing
        .filter((p) => p.status === 'published' && p.siteId === view.site.id)
        .map((p) => linkOf(view, p));
      if (items.length > 0) inverse.push({ name: def.inverse.name, label: def.inverse.label, items });
    }
  const sections = article.contentType === 'topic' ? await topicSections(db, view, article, loadView) : [];
  return { links, inverse, sections };
}

async function topicSections(
  db: Kysely<Database>,
  view: SiteView,
  topic: Article,
  loadView: (siteId: number) => Promise<SiteView | null>,
): Promise<ItemRelations['sections']> {
  const entries = Array.isArray(topic.fields.sections) ? (topic.fields.sections as readonly GroupEntry[]) : [];
  const sections = [];
  const views = new Map<number, SiteView>([[view.site.id, view]]);
  for (const entry of entries) {
    const rule = sectionRule(entry);
    const found = await contentTypes.gathered(db, { ...rule, excludeId: topic.id, limit: SECTION_SIZE });
    for (const item of found)
      if (!views.has(item.siteId)) {
        const other = await loadView(item.siteId);
        if (other) views.set(item.siteId, other);
      }
    sections.push({
      name: typeof entry.name === 'string' ? entry.name : '',
      items: found.map((item) => linkOf(view, item, views)).filter((l) => l.url !== null),
    });
  }
  return sections;
}

/** One field as the template shows it. */
export interface ShownField {
  readonly name: string;
  readonly label: string;
  readonly kind: FieldDef['kind'];
  readonly text?: string;
  readonly html?: string;
  readonly url?: string | null;
  readonly alt?: string;
  readonly links?: readonly RelatedLink[];
  /** A group's entries, each with its filled parts. */
  readonly entries?: readonly (readonly ShownField[])[];
  /** A group's column heads (the labels of its parts). */
  readonly heads?: readonly string[];
}

/** A scalar value as text (the kinds that hold strings or numbers). */
function scalar(value: FieldValue): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

function shownValue(view: SiteView, def: FieldDef, value: FieldValue, relations: ItemRelations): ShownField {
  const base = { name: def.name, label: def.label, kind: def.kind };
  switch (def.kind) {
    case 'text':
    case 'number':
    case 'choice':
      return { ...base, text: scalar(value) };
    case 'richText':
      return { ...base, html: scalar(value) };
    case 'date':
      return { ...base, text: formatChineseDay(scalar(value)) };
    case 'dateTime':
      return { ...base, text: formatDateTime(new Date(scalar(value)), view.site.timeZone) };
    case 'choices':
      return { ...base, text: (value as readonly string[]).join('、') };
    case 'file': {
      const file = value as FileValue;
      return { ...base, url: file.url, text: file.name || file.url };
    }
    case 'image': {
      const image = value as ImageValue;
      return { ...base, url: image.url, alt: image.alt };
    }
    case 'link': {
      const link = value as LinkValue;
      return { ...base, url: link.url, text: link.text || link.url };
    }
    case 'relation':
      return { ...base, links: relations.links[def.name] ?? [] };
    case 'group': {
      const parts = def.fields ?? [];
      const entries = (value as readonly GroupEntry[]).map((entry) => shownFields(view, parts, entry, relations, true));
      return { ...base, heads: parts.map((p) => p.label), entries };
    }
  }
}

/**
 * The filled fields in their declared order; `all` keeps empty ones as blank cells (a group's
 * table has a cell for every part).
 */
function shownFields(
  view: SiteView,
  defs: readonly FieldDef[],
  values: FieldValues,
  relations: ItemRelations,
  all = false,
): ShownField[] {
  const shown: ShownField[] = [];
  for (const def of defs) {
    const value = values[def.name];
    if (value === undefined) {
      if (all) shown.push({ name: def.name, label: def.label, kind: def.kind, text: '' });
      continue;
    }
    shown.push(shownValue(view, def, value, relations));
  }
  return shown;
}

const anchor = (url: string, text: string) => `<a href="${escapeHtml(url)}">${escapeHtml(text)}</a>`;

/**
 * A value's cell in the item's table, as HTML, straight from the declaration and the value: made
 * here rather than in the template, where a branch per kind for each of thirty values and each
 * cell of a group costs several times the rest of the page. Everything from the values is
 * escaped; rich text was sanitised on the way in.
 */
function valueHtml(view: SiteView, def: FieldDef, value: FieldValue | undefined, relations: ItemRelations): string {
  if (value === undefined) return '';
  switch (def.kind) {
    case 'text':
    case 'number':
    case 'choice':
      return escapeHtml(scalar(value));
    case 'richText':
      return scalar(value);
    case 'date':
      return escapeHtml(formatChineseDay(scalar(value)));
    case 'dateTime':
      return escapeHtml(formatDateTime(new Date(scalar(value)), view.site.timeZone));
    case 'choices':
      return escapeHtml((value as readonly string[]).join('、'));
    case 'file': {
      const file = value as FileValue;
      return anchor(file.url, file.name || file.url);
    }
    case 'link': {
      const link = value as LinkValue;
      return anchor(link.url, link.text || link.url);
    }
    case 'image': {
      const image = value as ImageValue;
      return `<img src="${escapeHtml(image.url)}" alt="${escapeHtml(image.alt)}" loading="lazy">`;
    }
    case 'relation':
      return (relations.links[def.name] ?? [])
        .map(
          (link) =>
            (link.url ? anchor(link.url, link.title) : escapeHtml(link.title)) +
            (link.mark ? `<span class="mark">（${escapeHtml(link.mark)}）</span>` : ''),
        )
        .join('<br>');
    case 'group': {
      const parts = def.fields ?? [];
      const entries = value as readonly GroupEntry[];
      const [only] = parts;
      if (parts.length === 1 && only)
        return `<ol>${entries.map((entry) => `<li>${valueHtml(view, only, entry[only.name], relations)}</li>`).join('')}</ol>`;
      const heads = groupHeads(def);
      const rows = entries.map(
        (entry) =>
          `<tr>${parts.map((part) => `<td>${valueHtml(view, part, entry[part.name], relations)}</td> `).join('')}</tr>`,
      );
      return `<table class="group-table"><thead><tr>${heads}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
    }
  }
}

/** A field's row up to its value, and a group's column heads: the same for every item, made once. */
const rowHeads = new WeakMap<FieldDef, string>();
function rowHead(def: FieldDef): string {
  let head = rowHeads.get(def);
  if (head === undefined) rowHeads.set(def, (head = `\n    <tr><th scope="row">${escapeHtml(def.label)}</th> <td>`));
  return head;
}
const groupHeadRows = new WeakMap<FieldDef, string>();
function groupHeads(def: FieldDef): string {
  let heads = groupHeadRows.get(def);
  if (heads === undefined)
    groupHeadRows.set(
      def,
      (heads = (def.fields ?? []).map((part) => `<th scope="col">${escapeHtml(part.label)}</th> `).join('')),
    );
  return heads;
}

/** The item's table of values (a guide's 要素, a policy's 文件信息), or '' when it has none to show. */
function tableHtml(
  view: SiteView,
  type: ContentType,
  values: FieldValues,
  relations: ItemRelations,
  indexNo: string | null,
): string {
  // A topic's banner and sections and a leader's photo have places of their own on the page.
  const placed = PLACED_APART[type.key] ?? [];
  let rows = indexNo ? `\n    <tr><th scope="row">索引号</th> <td>${escapeHtml(indexNo)}</td></tr>` : '';
  for (const def of type.fields) {
    if (values[def.name] === undefined || placed.includes(def.name)) continue;
    rows += `${rowHead(def)}${valueHtml(view, def, values[def.name], relations)}</td></tr>`;
  }
  if (rows === '') return '';
  const caption = TABLE_CAPTIONS[type.key] ?? type.label;
  return `<table class="item-fields item-${type.key}">\n  <caption>${escapeHtml(caption)}</caption>\n  <tbody>${rows}\n  </tbody>\n</table>`;
}

/** The banner a policy that is no longer in force shows on its own page. */
function validityBanner(
  values: FieldValues,
  relations: ItemRelations,
): { text: string; link: RelatedLink | null } | null {
  const validity = values.validity;
  if (typeof validity !== 'string' || validity === '有效') return null;
  const date = typeof values.validityDate === 'string' ? formatChineseDay(values.validityDate) : null;
  const verb = validity.replace(/^已/, '');
  const text = date ? `本文件已于${date}${verb}` : `本文件${validity}`;
  const link = relations.links.changedBy?.[0] ?? null;
  return { text, link };
}

const TABLE_CAPTIONS: Partial<Record<Article['contentType'], string>> = {
  article: '其他信息',
  policy: '文件信息',
  guide: '办事指南要素',
};

const PLACED_APART: Partial<Record<Article['contentType'], readonly string[]>> = {
  topic: ['banner', 'sections'],
  leader: ['photo'],
};

function pictureOf(article: Article): ImageValue | null {
  const name = article.contentType === 'topic' ? 'banner' : article.contentType === 'leader' ? 'photo' : null;
  const value = name ? article.fields[name] : undefined;
  return value && typeof value === 'object' && 'alt' in value ? { url: value.url, alt: value.alt } : null;
}

/**
 * The page model's `item`: its type, its table of values, the banner and the items related to
 * it. `fields` (in order) and `field` (by name) give a theme each value as a ShownField; they are
 * made when a template first reads them.
 */
export function itemModel(view: SiteView, article: Article, relations: ItemRelations, indexNo: string | null = null) {
  const type = viewContentType(view, article.contentType);
  let shown: ShownField[] | null = null;
  const fields = () => (shown ??= shownFields(view, type.fields, article.fields, relations));
  return {
    type: type.key,
    typeLabel: type.label,
    titleLabel: type.titleLabel,
    hasBody: type.bodyLabel !== null,
    tableHtml: tableHtml(view, type, article.fields, relations, indexNo),
    get fields(): ShownField[] {
      return fields();
    },
    get field(): Record<string, ShownField> {
      return Object.fromEntries(fields().map((f) => [f.name, f]));
    },
    banner: article.contentType === 'policy' ? validityBanner(article.fields, relations) : null,
    // A topic's banner, a leader's photo: the picture the page shows apart from the table.
    picture: pictureOf(article),
    inverse: relations.inverse,
    sections: relations.sections,
  };
}
