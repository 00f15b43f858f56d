import { isCalendarDay } from '../calendar.js';
import { GazetteError, type ErrorParam } from '../errors.js';
import { htmlToText, isWebAddress, sanitizeBodyHtml } from '../html.js';
import {
  RICH_TEXT_MAX,
  TEXT_MAX,
  type FieldDef,
  type FieldValue,
  type FieldValues,
  type GroupEntry,
} from './fields.js';

/**
 * Validation of field values as they come in (from the API, a form or an import): each value
 * is checked against its field's kind and cleaned (trimmed, sanitised, normalised). A wrong
 * value is refused with the field's path, e.g. `fields.materials[2].copies`.
 */

function invalid(path: string, zh: string, en: string): GazetteError {
  const reason: ErrorParam = { zh, en };
  return new GazetteError('FIELD_INVALID', { field: path, reason });
}

/** A plain object (not null, not a list): what a set of values or a group entry must be. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether a value counts as filled in. */
export function isFilled(value: FieldValue | undefined): boolean {
  if (value === undefined) return false;
  if (typeof value === 'string') return value.trim() !== '';
  if (typeof value === 'number') return true;
  if (Array.isArray(value)) return value.length > 0;
  return typeof value === 'object' && 'url' in value && value.url !== '';
}

function text(value: unknown, path: string, max: number): string {
  if (typeof value !== 'string') throw invalid(path, '须为文字', 'must be text');
  const trimmed = value.trim();
  if (Array.from(trimmed).length > max) throw invalid(path, `不能超过 ${max} 个字`, `at most ${max} characters`);
  return trimmed;
}

function address(value: unknown, path: string): string {
  const url = text(value, path, 1000);
  if (url !== '' && !isWebAddress(url))
    throw invalid(path, '须为以 http://、https:// 或 / 开头的地址', 'an address starting with http://, https:// or /');
  return url;
}

function objectOf(value: unknown, path: string, keys: readonly string[]): Record<string, unknown> {
  if (!isRecord(value)) throw invalid(path, `须为含 ${keys.join('、')} 的对象`, `an object with ${keys.join(', ')}`);
  for (const key of Object.keys(value))
    if (!keys.includes(key)) throw invalid(`${path}.${key}`, '没有这一项', 'no such key');
  return value;
}

function relationIds(value: unknown, def: FieldDef, path: string): number[] {
  const list = Array.isArray(value) ? value : [value];
  if (!def.many && list.length > 1) throw invalid(path, '只能关联一项', 'holds one item');
  const ids: number[] = [];
  for (const [i, id] of list.entries()) {
    if (typeof id !== 'number' || !Number.isSafeInteger(id) || id <= 0)
      throw invalid(
        def.many ? `${path}[${i}]` : path,
        '须为内容编号（正整数）',
        'must be an item id (a positive integer)',
      );
    if (!ids.includes(id)) ids.push(id);
  }
  return ids;
}

/** One value, cleaned; undefined when it is empty (the field is then left out). */
function cleanValue(def: FieldDef, value: unknown, path: string): FieldValue | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  switch (def.kind) {
    case 'text':
      return text(value, path, def.maxLength ?? TEXT_MAX) || undefined;
    case 'richText': {
      const html = sanitizeBodyHtml(text(value, path, RICH_TEXT_MAX));
      return html || undefined;
    }
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(path, '须为数字', 'must be a number');
      return value;
    case 'date':
      if (typeof value !== 'string' || !isCalendarDay(value.trim()))
        throw invalid(path, '须为 YYYY-MM-DD 格式的日期', 'must be a date YYYY-MM-DD');
      return value.trim();
    case 'dateTime': {
      const time = typeof value === 'string' ? new Date(value) : null;
      if (!time || Number.isNaN(time.getTime())) throw invalid(path, '不是有效的时间', 'not a valid time');
      return time.toISOString();
    }
    case 'choice': {
      const chosen = text(value, path, TEXT_MAX);
      if (!def.options?.includes(chosen))
        throw invalid(
          path,
          `须为以下之一：${def.options?.join('、') ?? ''}`,
          `one of ${def.options?.join(', ') ?? ''}`,
        );
      return chosen;
    }
    case 'choices': {
      if (!Array.isArray(value)) throw invalid(path, '须为选项列表', 'must be a list of options');
      const chosen: string[] = [];
      for (const [i, item] of value.entries()) {
        const option = text(item, `${path}[${i}]`, TEXT_MAX);
        if (!def.options?.includes(option))
          throw invalid(
            `${path}[${i}]`,
            `须为以下之一：${def.options?.join('、') ?? ''}`,
            `one of ${def.options?.join(', ') ?? ''}`,
          );
        if (!chosen.includes(option)) chosen.push(option);
      }
      return chosen.length > 0 ? chosen : undefined;
    }
    case 'file': {
      const file = objectOf(value, path, ['url', 'name']);
      const url = address(file.url, `${path}.url`);
      return url ? { url, name: text(file.name ?? '', `${path}.name`, 200) } : undefined;
    }
    case 'image': {
      const image = objectOf(value, path, ['url', 'alt']);
      const url = address(image.url, `${path}.url`);
      if (!url) return undefined;
      // Every image on a public page has a text alternative (WCAG 1.1.1, GB/T 37668).
      const alt = text(image.alt ?? '', `${path}.alt`, 200);
      if (!alt) throw invalid(`${path}.alt`, '图片须有替代文字', 'an image needs its text alternative');
      return { url, alt };
    }
    case 'link': {
      const link = objectOf(value, path, ['url', 'text']);
      const url = address(link.url, `${path}.url`);
      return url ? { url, text: text(link.text ?? '', `${path}.text`, 200) } : undefined;
    }
    case 'relation': {
      const ids = relationIds(value, def, path);
      return ids.length > 0 ? ids : undefined;
    }
    case 'group':
      return cleanGroup(def, value, path);
  }
}

function cleanGroup(def: FieldDef, value: unknown, path: string): GroupEntry[] | undefined {
  if (!Array.isArray(value)) throw invalid(path, '须为条目列表', 'must be a list of entries');
  const entries: GroupEntry[] = [];
  for (const [i, entry] of value.entries()) {
    const at = `${path}[${i}]`;
    const cleaned = cleanValues(def.fields ?? [], entry, at);
    if (Object.keys(cleaned).length > 0) entries.push(cleaned);
  }
  return entries.length > 0 ? entries : undefined;
}

/** Every value of an item (or of a group entry), cleaned; a key no field declares is refused. */
export function cleanValues(defs: readonly FieldDef[], input: unknown, path = 'fields'): FieldValues {
  if (input === undefined || input === null) return {};
  if (!isRecord(input)) throw invalid(path, '须为对象', 'must be an object');
  const values: Record<string, FieldValue> = {};
  for (const [name, value] of Object.entries(input)) {
    const def = defs.find((d) => d.name === name);
    if (!def) throw invalid(`${path}.${name}`, '没有这个字段', 'no such field');
    const cleaned = cleanValue(def, value, `${path}.${name}`);
    if (cleaned !== undefined) values[name] = cleaned;
  }
  return values;
}

/** The labels of required fields left empty (a group entry's required parts count too). */
export function missingRequired(defs: readonly FieldDef[], values: FieldValues): string[] {
  const missing: string[] = [];
  for (const def of defs) {
    const value = values[def.name];
    if (def.required && !isFilled(value)) {
      missing.push(def.label);
      continue;
    }
    if (def.kind === 'group' && Array.isArray(value))
      for (const [i, entry] of (value as readonly GroupEntry[]).entries())
        for (const label of missingRequired(def.fields ?? [], entry))
          missing.push(`${def.label}第${i + 1}项的${label}`);
  }
  return missing;
}

/** The words of an item's values, for search: text as written, HTML as its text; no addresses or ids. */
export function valuesText(values: FieldValues): string[] {
  const texts: string[] = [];
  for (const value of Object.values(values)) {
    if (typeof value === 'string') texts.push(value.startsWith('<') ? htmlToText(value) : value);
    else if (Array.isArray(value))
      for (const entry of value as readonly unknown[]) {
        if (typeof entry === 'string') texts.push(entry);
        else if (typeof entry === 'object' && entry !== null) texts.push(...valuesText(entry as FieldValues));
      }
    else if (typeof value === 'object' && 'text' in value && value.text) texts.push(value.text);
  }
  return texts;
}

/** The ids a relation field holds. */
export function relationValue(value: FieldValue | undefined): readonly number[] {
  return Array.isArray(value) ? value.filter((v): v is number => typeof v === 'number') : [];
}
