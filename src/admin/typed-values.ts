// Typed field values between the editor's form and the API: names for kinds and types, the body
// a save sends (every field of the type, empty ones as null, so clearing works), and the field
// path an error names (`fields.materials[2].copies`).
import { ApiError } from './api';
import { t } from './i18n';
import type {
  ContentTypeKey,
  ContentTypeView,
  FieldDefView,
  FieldKind,
  FieldValue,
  FieldValues,
  FileValue,
  GroupEntry,
  ImageValue,
  LinkValue,
} from './types';

export function kindLabel(kind: FieldKind): string {
  return t(`kind.${kind}`);
}

export function contentTypeLabel(key: ContentTypeKey): string {
  return t(`contentType.${key}`);
}

/** The type of a column's items, from the list GET /api/v1/content-types gives. */
export function typeOf(types: readonly ContentTypeView[] | null, key: ContentTypeKey): ContentTypeView | null {
  return types?.find((type) => type.key === key) ?? null;
}

/** A value as the form holds it: numbers stay as typed, in text, until they are sent. */
export type FormValue = FieldValue;
export type FormValues = { [name: string]: FormValue | undefined };

function isObject(value: FormValue): value is FileValue | ImageValue | LinkValue {
  return typeof value === 'object' && !Array.isArray(value);
}

/** The form's copy of the stored values (a deep copy, so editing never touches the article). */
export function formValuesOf(values: FieldValues | undefined): FormValues {
  return values ? (JSON.parse(JSON.stringify(values)) as FormValues) : {};
}

function sentNumber(value: FormValue): number | string | null {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string' || value.trim() === '') return null;
  const number = Number(value);
  // Not a number: sent as typed, and the server says what is wrong with it, by the field.
  return Number.isFinite(number) ? number : value;
}

function sentEntry(defs: readonly FieldDefView[], entry: GroupEntry): GroupEntry {
  const sent: Record<string, FieldValue> = {};
  for (const def of defs) {
    const value = sentValue(def, entry[def.name]);
    if (value !== null) sent[def.name] = value;
  }
  return sent;
}

/** One value as the API takes it, or null for an empty field. */
function sentValue(def: FieldDefView & { fields?: FieldDefView[] }, value: FormValue | undefined): FieldValue | null {
  if (value === undefined) return null;
  if (def.kind === 'number') return sentNumber(value);
  if (typeof value === 'string') return value.trim() === '' ? null : value;
  if (typeof value === 'number') return value;
  if (Array.isArray(value)) {
    if (value.length === 0) return null;
    // Array.isArray widens the domain's readonly lists to any[]: it stays the value it was.
    if (def.kind !== 'group') return value as FieldValue;
    return (value as GroupEntry[]).map((entry) => sentEntry(def.fields ?? [], entry));
  }
  if (isObject(value)) return Object.entries(value).every(([, part]) => String(part).trim() === '') ? null : value;
  return null;
}

/** `fields` of a save: every field of the type, the empty ones as null (which clears them). */
export function sentFields(type: ContentTypeView, values: FormValues): Record<string, FieldValue | null> {
  return Object.fromEntries(type.fields.map((def) => [def.name, sentValue(def, values[def.name])]));
}

const FIELD_PATH = /\bfields(?:\.[A-Za-z][A-Za-z0-9]*|\[\d+\])+/;

/** The path of the typed field an error names (`fields.materials[2].copies`), if it names one. */
export function errorPath(error: unknown): string | null {
  if (!(error instanceof ApiError)) return null;
  return FIELD_PATH.exec(error.messageEn)?.[0] ?? FIELD_PATH.exec(error.message)?.[0] ?? null;
}

/** The field a FIELD_INVALID answer names (`name`, `options`…), for forms with plain field names. */
export function invalidFieldOf(error: unknown): string | null {
  if (!(error instanceof ApiError) || error.code !== 'FIELD_INVALID') return null;
  return /^Invalid ([A-Za-z][\w.[\]]*):/.exec(error.messageEn)?.[1] ?? null;
}

/** Whether an error at `path` belongs to the input at `own` (itself, or a part of it). */
export function pathWithin(path: string | null, own: string): boolean {
  if (path === null) return false;
  return path === own || path.startsWith(`${own}.`) || path.startsWith(`${own}[`);
}

/** An element id from a field path: `fields.materials[2].copies` → `field-materials-2-copies`. */
export function idOfPath(path: string): string {
  return `field-${path
    .replace(/^fields\.?/, '')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/-$/, '')}`;
}
