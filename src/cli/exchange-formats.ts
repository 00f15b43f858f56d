import ExcelJS from 'exceljs';
import {
  GazetteError,
  findContentType,
  type ContentType,
  type FieldDef,
  type FieldValue,
  isRecord,
} from '../domain/index.js';
import {
  ITEM_COLUMNS,
  type ExchangeItem,
  type ImportRow,
  type ItemColumn,
  type ItemExport,
} from '../services/index.js';

/**
 * The files of `gazette export` and `gazette import --type`. JSON holds the items as the API
 * does: `{ "type": "policy", "origin": "…", "items": [ { …, "fields": { … } } ] }`. A workbook
 * has one sheet named after the type, a header row of keys (the item's own columns, then the
 * type's fields) and a sheet 说明 naming each key in Chinese. Its cells are plain where a value is
 * (text, numbers, dates as YYYY-MM-DD text, choices joined by 、, a single relation's id) and JSON
 * text where it has parts (files, images, links, groups, relation lists, attachments), so that
 * reading a file back gives the very values written.
 */

export interface ReadFile {
  /** The store and site the file came from; null for a file without one (written by hand). */
  readonly origin: string | null;
  readonly rows: ImportRow[];
}

/** The most characters a workbook cell holds. */
const CELL_MAX = 32_767;

function fileInvalid(file: string, zh: string, en: string): GazetteError {
  return new GazetteError('IMPORT_FILE_INVALID', { file, reason: { zh, en } });
}

function rowInvalid(file: string, row: number, field: string, zh: string, en: string): GazetteError {
  return new GazetteError('IMPORT_ROW_INVALID', { file, row, field, reason: { zh, en } });
}

/** A file of another type than the one named is refused before any row is read. */
function requireType(file: string, named: unknown, type: ContentType): void {
  if (named === undefined || named === null) return;
  const found = typeof named === 'string' ? findContentType(named) : null;
  if (found?.key !== type.key)
    throw new GazetteError('IMPORT_TYPE_MISMATCH', {
      file,
      actual: found?.label ?? (typeof named === 'string' ? named : JSON.stringify(named)),
      expected: type.label,
    });
}

// ---------------------------------------------------------------------------------------- JSON

export function toJson(exported: ItemExport): string {
  return `${JSON.stringify({ type: exported.type.key, origin: exported.origin, items: exported.items }, null, 2)}\n`;
}

export function fromJson(text: string, type: ContentType, file: string): ReadFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw fileInvalid(file, '不是有效的 JSON', 'not valid JSON');
  }
  if (!isRecord(parsed) || !Array.isArray(parsed.items))
    throw fileInvalid(file, '须为含 items 列表的对象', 'an object with a list of items is expected');
  requireType(file, parsed.type, type);
  const origin = typeof parsed.origin === 'string' && parsed.origin !== '' ? parsed.origin : null;
  const rows = parsed.items.map((item: unknown, i): ImportRow => {
    if (!isRecord(item)) throw rowInvalid(file, i + 1, 'items', '每一项须为对象', 'each item must be an object');
    return { row: i + 1, item };
  });
  return { origin, rows };
}

// ---------------------------------------------------------------------------------------- xlsx

type Cell = string | number | null;

const ITEM_LABELS: Readonly<Record<ItemColumn, string>> = {
  id: '编号',
  channel: '栏目路径',
  status: '状态',
  title: '标题',
  subtitle: '副标题',
  source: '来源',
  author: '作者',
  responsibleEditor: '责任编辑',
  keywords: '关键词',
  summary: '摘要',
  coverImage: '封面图片',
  bodyHtml: '正文',
  publishedAt: '发布时间',
  attachments: '附件',
};

const ITEM_HELP: Partial<Readonly<Record<ItemColumn, string>>> = {
  id: '本站内容编号；留空为新增',
  channel: '如 /zwgk/zcwj/，须为存放此类内容的列表栏目',
  status: 'draft 草稿、submitted 待审、approved 已审、published 已发布、withdrawn 已撤稿',
  source: '留空为本站',
  bodyHtml: 'HTML',
  publishedAt: 'ISO 8601 时间，如 2025-12-01T01:00:00.000Z',
  attachments: 'JSON：[{"name":"…","url":"…","size":字节数或 null}]',
};

function labelOf(type: ContentType, column: ItemColumn): string {
  if (column === 'title') return type.titleLabel;
  if (column === 'bodyHtml') return type.bodyLabel ?? ITEM_LABELS.bodyHtml;
  return ITEM_LABELS[column];
}

/** Choices are joined by 、 unless an option has one itself: then the list is JSON. */
function joinsChoices(def: FieldDef): boolean {
  return !(def.options ?? []).some((o) => o.includes('、'));
}

function fieldHelp(def: FieldDef): string {
  const parts: string[] = [];
  if (def.kind === 'date') parts.push('YYYY-MM-DD');
  if (def.kind === 'dateTime') parts.push('ISO 8601 时间');
  if (def.kind === 'choice') parts.push(`以下之一：${(def.options ?? []).join('、')}`);
  if (def.kind === 'choices')
    parts.push(`${joinsChoices(def) ? '以“、”分隔' : 'JSON 列表'}，可选：${(def.options ?? []).join('、')}`);
  if (def.kind === 'relation') parts.push(def.many ? `JSON 列表：${def.to ?? ''} 的编号` : `${def.to ?? ''} 的编号`);
  if (def.kind === 'file') parts.push('JSON：{"url":"…","name":"…"}');
  if (def.kind === 'image') parts.push('JSON：{"url":"…","alt":"替代文字"}');
  if (def.kind === 'link') parts.push('JSON：{"url":"…","text":"…"}');
  if (def.kind === 'group')
    parts.push(`JSON 列表，每项含 ${(def.fields ?? []).map((f) => `${f.name}（${f.label}）`).join('、')}`);
  if (def.help) parts.push(def.help);
  return parts.join('；');
}

function fieldCell(def: FieldDef, value: FieldValue | undefined): Cell {
  if (value === undefined) return null;
  switch (def.kind) {
    case 'text':
    case 'richText':
    case 'date':
    case 'dateTime':
    case 'choice':
    case 'number':
      return typeof value === 'string' || typeof value === 'number' ? value : JSON.stringify(value);
    case 'choices':
      return Array.isArray(value) && joinsChoices(def) ? value.join('、') : JSON.stringify(value);
    case 'relation':
      return Array.isArray(value) && !def.many && typeof value[0] === 'number' ? value[0] : JSON.stringify(value);
    case 'file':
    case 'image':
    case 'link':
    case 'group':
      return JSON.stringify(value);
  }
}

function itemCell(item: ExchangeItem, column: ItemColumn): Cell {
  switch (column) {
    case 'attachments':
      return item.attachments.length > 0 ? JSON.stringify(item.attachments) : null;
    default:
      return item[column];
  }
}

function rowOf(type: ContentType, item: ExchangeItem): Cell[] {
  const cells: [string, Cell][] = [
    ...ITEM_COLUMNS.map((c): [string, Cell] => [c, itemCell(item, c)]),
    ...type.fields.map((def): [string, Cell] => [def.name, fieldCell(def, item.fields[def.name])]),
  ];
  for (const [field, cell] of cells)
    if (typeof cell === 'string' && cell.length > CELL_MAX)
      throw new GazetteError('EXPORT_CELL_TOO_LONG', { id: item.id, field, length: cell.length });
  return cells.map(([, cell]) => cell);
}

function describeSheet(workbook: ExcelJS.Workbook, type: ContentType): void {
  const sheet = workbook.addWorksheet('说明');
  sheet.addRow(['列', '名称', '类型', '必填', '说明']);
  for (const column of ITEM_COLUMNS)
    sheet.addRow([column, labelOf(type, column), '', column === 'title' ? '是' : '', ITEM_HELP[column] ?? '']);
  for (const def of type.fields)
    sheet.addRow([def.name, def.label, def.kind, def.required ? '发布时' : '', fieldHelp(def)]);
  sheet.getRow(1).font = { bold: true };
  sheet.columns.forEach((column, i) => (column.width = [18, 24, 10, 8, 80][i] ?? 12));
}

/** The workbook of an export: the items' sheet, then 说明. */
export async function toXlsx(exported: ItemExport): Promise<Buffer> {
  const { type } = exported;
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Gazette';
  workbook.title = type.label;
  // Which type and which store and site the ids are of, read back by fromXlsx.
  workbook.subject = `gazette:${type.key}`;
  workbook.description = exported.origin;
  const sheet = workbook.addWorksheet(type.label, { views: [{ state: 'frozen', ySplit: 1 }] });
  const keys = [...ITEM_COLUMNS, ...type.fields.map((def) => def.name)];
  sheet.addRow(keys);
  const labels = [...ITEM_COLUMNS.map((c) => labelOf(type, c)), ...type.fields.map((def) => def.label)];
  labels.forEach((label, i) => (sheet.getRow(1).getCell(i + 1).note = label));
  sheet.getRow(1).font = { bold: true };
  for (const item of exported.items) sheet.addRow(rowOf(type, item));
  describeSheet(workbook, type);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

type Plain = string | number | boolean | Date | null;

/** A cell's value as typed: the text of rich text and links, the result of a formula. */
function plain(value: ExcelJS.CellValue | Record<string, unknown>): Plain {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value instanceof Date)
    return value;
  if ('richText' in value && Array.isArray(value.richText))
    return (value.richText as { text: string }[]).map((r) => r.text).join('');
  if ('result' in value) return plain(value.result as ExcelJS.CellValue);
  if ('formula' in value || 'sharedFormula' in value) return null;
  if ('text' in value) return plain(value.text as ExcelJS.CellValue);
  if ('error' in value) return String(value.error);
  return null;
}

function isEmpty(value: Plain): value is null | '' {
  return value === null || (typeof value === 'string' && value.trim() === '');
}

/** A date typed into a cell is that day, whatever the time zone (the workbook keeps it at midnight UTC). */
function dayOf(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function asText(value: Plain): unknown {
  return value instanceof Date ? value.toISOString() : typeof value === 'string' ? value : String(value);
}

function asNumber(value: Plain): unknown {
  return typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value;
}

class CellError extends Error {
  constructor(
    readonly zh: string,
    readonly en: string,
  ) {
    super(en);
  }
}

function asJson(value: Plain): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    throw new CellError('须为 JSON 文字', 'must be JSON text');
  }
}

function relationOf(value: Plain): unknown {
  if (typeof value !== 'string') return value;
  if (value.trim().startsWith('[')) return asJson(value);
  return value
    .split(/[,，、\s]+/)
    .filter((s) => s !== '')
    .map((s) => asNumber(s));
}

/** A field's cell as the value the service checks (a wrong one is left for it to report). */
function fieldValue(def: FieldDef, value: Plain): unknown {
  switch (def.kind) {
    case 'text':
    case 'richText':
    case 'choice':
    case 'dateTime':
      return asText(value);
    case 'date':
      return value instanceof Date ? dayOf(value) : asText(value);
    case 'number':
      return asNumber(value);
    case 'choices':
      return typeof value === 'string' && !value.trim().startsWith('[')
        ? value
            .split('、')
            .map((s) => s.trim())
            .filter((s) => s !== '')
        : asJson(value);
    case 'relation':
      return relationOf(value);
    case 'file':
    case 'image':
    case 'link':
    case 'group':
      return asJson(value);
  }
}

function itemValue(column: ItemColumn, value: Plain): unknown {
  switch (column) {
    case 'id':
      return asNumber(value);
    case 'attachments':
      return asJson(value);
    case 'publishedAt':
      return asText(value);
    default:
      return typeof value === 'number' ? String(value) : value instanceof Date ? value.toISOString() : value;
  }
}

interface Column {
  readonly index: number;
  readonly key: string;
  readonly read: (value: Plain) => unknown;
  readonly field: boolean;
}

function columnsOf(sheet: ExcelJS.Worksheet, type: ContentType, file: string): Column[] {
  const columns: Column[] = [];
  sheet.getRow(1).eachCell((cell, index) => {
    const key = String(plain(cell.value) ?? '').trim();
    if (key === '') return;
    if (columns.some((c) => c.key === key)) throw rowInvalid(file, 1, key, '列名重复', 'the column appears twice');
    const own = ITEM_COLUMNS.find((c) => c === key);
    const def = type.fields.find((d) => d.name === key);
    if (own) columns.push({ index, key, read: (v) => itemValue(own, v), field: false });
    else if (def) columns.push({ index, key, read: (v) => fieldValue(def, v), field: true });
    else throw rowInvalid(file, 1, key, `${type.label}没有这一列`, `${type.label} has no such column`);
  });
  return columns;
}

function rowItem(row: ExcelJS.Row, columns: readonly Column[], file: string): Record<string, unknown> | null {
  const item: Record<string, unknown> = {};
  const fields: Record<string, unknown> = {};
  let filled = false;
  for (const column of columns) {
    const value = plain(row.getCell(column.index).value);
    filled ||= !isEmpty(value);
    try {
      (column.field ? fields : item)[column.key] = isEmpty(value) ? null : column.read(value);
    } catch (error) {
      if (error instanceof CellError) throw rowInvalid(file, row.number, column.key, error.zh, error.en);
      throw error;
    }
  }
  if (!filled) return null;
  return columns.some((c) => c.field) ? { ...item, fields } : item;
}

/** The rows of a workbook's sheet of the type (or its first sheet), numbered as the sheet shows them. */
export async function fromXlsx(data: Buffer, type: ContentType, file: string): Promise<ReadFile> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(data as unknown as ArrayBuffer);
  } catch {
    throw fileInvalid(file, '不是 Excel 工作簿（.xlsx）', 'not an Excel workbook (.xlsx)');
  }
  const marked = /^gazette:(.+)$/.exec(workbook.subject || '')?.[1];
  requireType(file, marked, type);
  const sheet = workbook.getWorksheet(type.label) ?? workbook.worksheets[0];
  if (!sheet) throw fileInvalid(file, '工作簿中没有工作表', 'the workbook has no sheet');
  const columns = columnsOf(sheet, type, file);
  const rows: ImportRow[] = [];
  sheet.eachRow((row, number) => {
    if (number === 1) return;
    const item = rowItem(row, columns, file);
    if (item) rows.push({ row: number, item });
  });
  return { origin: marked !== undefined && workbook.description ? workbook.description : null, rows };
}
