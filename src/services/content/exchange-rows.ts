import {
  ARTICLE_STATUSES,
  GazetteError,
  isGazetteError,
  isWebAddress,
  sanitizeBodyHtml,
  type Article,
  type ArticleStatus,
  type Attachment,
  type Channel,
  type ChannelTree,
  type ContentType,
  type ErrorParam,
  type FieldValues,
  isRecord,
} from '../../domain/index.js';

/**
 * The rows of an exchange file (`gazette export` / `gazette import`): an item as the API holds
 * it, its column named by its path. Here: a row read back, checked on its own (no store).
 */

/** One item as a file holds it. */
export interface ExchangeItem {
  readonly id: number;
  /** The path of its column, e.g. `/zwgk/zcwj/`. */
  readonly channel: string;
  readonly status: ArticleStatus;
  readonly title: string;
  readonly subtitle: string;
  readonly source: string | null;
  readonly author: string;
  readonly responsibleEditor: string;
  readonly keywords: string;
  readonly summary: string;
  readonly coverImage: string | null;
  readonly bodyHtml: string;
  readonly publishedAt: string | null;
  readonly attachments: readonly Attachment[];
  readonly fields: FieldValues;
}

/** The item's own columns, in the order a sheet shows them (the type's fields follow). */
export const ITEM_COLUMNS = [
  'id',
  'channel',
  'status',
  'title',
  'subtitle',
  'source',
  'author',
  'responsibleEditor',
  'keywords',
  'summary',
  'coverImage',
  'bodyHtml',
  'publishedAt',
  'attachments',
] as const;
export type ItemColumn = (typeof ITEM_COLUMNS)[number];

/** A row as read from a file: its number as the reader sees it (a sheet's header is row 1), and its keys. */
export interface ImportRow {
  readonly row: number;
  readonly item: Readonly<Record<string, unknown>>;
}

/** What a row sets of the item's own columns; an absent key keeps the current value (or the default). */
export interface RowContent {
  readonly title?: string;
  readonly subtitle?: string;
  readonly source?: string | null;
  readonly author?: string;
  readonly responsibleEditor?: string;
  readonly keywords?: string;
  readonly summary?: string;
  readonly coverImage?: string | null;
  readonly bodyHtml?: string;
  readonly publishedAt?: string | null;
  readonly attachments?: readonly Attachment[];
}

export interface ParsedRow {
  readonly row: number;
  /** The id in the file, or null for an item the file adds. */
  readonly id: number | null;
  readonly channel: Channel | null;
  readonly status: ArticleStatus | null;
  readonly content: RowContent;
  /** The values as the file holds them (relations still name the file's ids), or undefined if not given. */
  readonly fields: Readonly<Record<string, unknown>> | undefined;
}

export function rowInvalid(field: string, zh: string, en: string): GazetteError {
  return new GazetteError('FIELD_INVALID', { field, reason: { zh, en } });
}

/** The whole of an error, as the reason of a row's report. */
function reasonOf(error: GazetteError): ErrorParam {
  return { zh: error.messageIn('zh'), en: error.messageIn('en') };
}

const RELATION_REASONS = {
  RELATION_NOT_FOUND: (id: string) => ({ zh: `关联的内容 ${id} 不存在`, en: `item ${id} does not exist` }),
  RELATION_FORBIDDEN: (id: string) => ({ zh: `无权查看关联的内容 ${id}`, en: `you may not read item ${id}` }),
} as const;

/**
 * A row's error as the importer reports it: `{file} 第 {row} 行 {field}：{reason}`, the field named
 * by its key in the file (`rank`, `materials[1].copies`), else by `field`.
 */
export function rowError(error: unknown, file: string, row: number, field: string): unknown {
  if (!isGazetteError(error) || error.code === 'IMPORT_ROW_INVALID') return error;
  const named = typeof error.params.field === 'string' ? error.params.field.replace(/^fields\./, '') : field;
  const id = typeof error.params.id === 'number' || typeof error.params.id === 'string' ? String(error.params.id) : '';
  const reason =
    error.code === 'FIELD_INVALID' && error.params.reason !== undefined
      ? error.params.reason
      : error.code === 'RELATION_NOT_FOUND' || error.code === 'RELATION_FORBIDDEN'
        ? RELATION_REASONS[error.code](id)
        : reasonOf(error);
  return new GazetteError('IMPORT_ROW_INVALID', { file, row, field: named, reason });
}

function text(item: Readonly<Record<string, unknown>>, key: ItemColumn, max: number): string | undefined {
  const value = item[key];
  if (value === undefined) return undefined;
  if (value === null) return '';
  if (typeof value !== 'string') throw rowInvalid(key, '须为文字', 'must be text');
  const trimmed = value.trim();
  if (Array.from(trimmed).length > max) throw rowInvalid(key, `不能超过 ${max} 个字`, `at most ${max} characters`);
  return trimmed;
}

function address(value: string, key: string): string {
  if (!isWebAddress(value))
    throw rowInvalid(
      key,
      '须为以 http://、https:// 或 / 开头的地址',
      'an address starting with http://, https:// or /',
    );
  return value;
}

/** An empty value is null (来源 of the site itself, no cover, not yet published). */
function orNull(value: string | undefined): string | null | undefined {
  return value === undefined ? undefined : value === '' ? null : value;
}

function instant(value: string | undefined): string | null | undefined {
  if (value === undefined || value === '') return orNull(value);
  const time = new Date(value);
  if (Number.isNaN(time.getTime())) throw rowInvalid('publishedAt', '不是有效的时间', 'not a valid time');
  return time.toISOString();
}

function attachmentsOf(value: unknown): Attachment[] | undefined {
  if (value === undefined) return undefined;
  if (value === null) return [];
  if (!Array.isArray(value) || value.length > 50)
    throw rowInvalid('attachments', '须为附件列表（最多 50 个）', 'a list of at most 50 attachments');
  return value.map((entry: unknown, i): Attachment => {
    const at = `attachments[${i}]`;
    if (!isRecord(entry)) throw rowInvalid(at, '须为含 name、url、size 的对象', 'an object with name, url, size');
    for (const key of Object.keys(entry))
      if (!['name', 'url', 'size'].includes(key)) throw rowInvalid(`${at}.${key}`, '没有这一项', 'no such key');
    const { name, url, size } = entry;
    if (typeof name !== 'string' || name.trim() === '' || name.length > 255)
      throw rowInvalid(`${at}.name`, '须为 1 至 255 个字的文件名', 'a file name of 1 to 255 characters');
    if (typeof url !== 'string' || url.length > 2000) throw rowInvalid(`${at}.url`, '须为地址', 'must be an address');
    if (size !== undefined && size !== null && (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0))
      throw rowInvalid(`${at}.size`, '须为字节数', 'must be a number of bytes');
    return { name: name.trim(), url: address(url.trim(), `${at}.url`), size: size ?? null };
  });
}

function idOf(value: unknown): number | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0)
    throw rowInvalid('id', '须为内容编号（正整数）', 'must be an item id (a positive integer)');
  return value;
}

function channelOf(value: unknown, tree: ChannelTree, type: ContentType): Channel | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value.trim() === '')
    throw rowInvalid('channel', '须为栏目路径，如 /zwgk/zcwj/', 'must be a column path such as /zwgk/zcwj/');
  const channel = tree.findByPath(value.split('/').filter((s) => s !== ''));
  if (!channel) throw rowInvalid('channel', `没有栏目 ${value}`, `there is no column ${value}`);
  if (channel.type !== 'list')
    throw rowInvalid('channel', `栏目“${channel.name}”不是列表栏目`, `column "${channel.name}" is not a list column`);
  if ((channel.contentType ?? 'article') !== type.key)
    throw rowInvalid(
      'channel',
      `栏目“${channel.name}”不存放${type.label}`,
      `column "${channel.name}" does not hold ${type.label}`,
    );
  return channel;
}

function statusOf(value: unknown): ArticleStatus | null {
  if (value === undefined || value === null || value === '') return null;
  const status = ARTICLE_STATUSES.find((s) => s === value);
  if (!status)
    throw rowInvalid('status', `须为以下之一：${ARTICLE_STATUSES.join('、')}`, `one of ${ARTICLE_STATUSES.join(', ')}`);
  return status;
}

/** The item's own columns of a row, checked and cleaned. */
function contentOf(item: Readonly<Record<string, unknown>>): RowContent {
  const bodyHtml = item.bodyHtml;
  if (bodyHtml !== undefined && bodyHtml !== null && (typeof bodyHtml !== 'string' || bodyHtml.length > 2_000_000))
    throw rowInvalid('bodyHtml', '须为 HTML 文字', 'must be HTML text');
  const coverImage = orNull(text(item, 'coverImage', 2000));
  const title = text(item, 'title', 200);
  if (title === '') throw rowInvalid('title', '标题不能为空', 'the title is empty');
  const content: RowContent = {
    title,
    subtitle: text(item, 'subtitle', 400),
    source: orNull(text(item, 'source', 100)),
    author: text(item, 'author', 100),
    responsibleEditor: text(item, 'responsibleEditor', 100),
    keywords: text(item, 'keywords', 200),
    summary: text(item, 'summary', 500),
    coverImage: typeof coverImage === 'string' ? address(coverImage, 'coverImage') : coverImage,
    bodyHtml: bodyHtml === undefined ? undefined : sanitizeBodyHtml(typeof bodyHtml === 'string' ? bodyHtml : ''),
    publishedAt: instant(text(item, 'publishedAt', 100)),
    attachments: attachmentsOf(item.attachments),
  };
  return Object.fromEntries(Object.entries(content).filter(([, v]) => v !== undefined));
}

/** A row checked on its own: its keys, its column (which must hold the type), its status. */
export function parseRow(row: ImportRow, tree: ChannelTree, type: ContentType): ParsedRow {
  const { item } = row;
  for (const key of Object.keys(item))
    if (key !== 'fields' && !(ITEM_COLUMNS as readonly string[]).includes(key))
      throw rowInvalid(key, '没有这一项', 'no such column');
  const fields = item.fields;
  if (fields !== undefined && fields !== null && !isRecord(fields))
    throw rowInvalid('fields', '须为对象', 'must be an object');
  return {
    row: row.row,
    id: idOf(item.id),
    channel: channelOf(item.channel, tree, type),
    status: statusOf(item.status),
    content: contentOf(item),
    fields: fields ?? undefined,
  };
}

/** The item as a file holds it. */
export function exchangeItemOf(article: Article, tree: ChannelTree): ExchangeItem {
  return {
    id: article.id,
    channel: tree.path(article.channelId),
    status: article.status,
    title: article.title,
    subtitle: article.subtitle,
    source: article.source,
    author: article.author,
    responsibleEditor: article.responsibleEditor,
    keywords: article.keywords,
    summary: article.summary,
    coverImage: article.coverImage,
    bodyHtml: article.bodyHtml,
    publishedAt: article.publishedAt,
    attachments: article.attachments.map((a) => ({ name: a.name, url: a.url, size: a.size })),
    fields: article.fields,
  };
}

/** Runs a check whose error names no field (a permission, a missing value) as one about `field`. */
export async function about<T>(field: string, run: () => T | Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (isGazetteError(error) && error.params.field === undefined) throw rowInvalidBy(field, error);
    throw error;
  }
}

function rowInvalidBy(field: string, error: GazetteError): GazetteError {
  return new GazetteError('FIELD_INVALID', { field, reason: reasonOf(error) });
}
