/**
 * Typed fields of a content type, declared once. The declaration gives the stored value's shape,
 * its validation, the back-office form, the API schema, the template's view and the export columns.
 */

/** What a field holds. */
export type FieldKind =
  | 'text'
  | 'richText'
  | 'number'
  | 'date'
  | 'dateTime'
  | 'choice'
  | 'choices'
  | 'file'
  | 'image'
  | 'link'
  | 'relation'
  | 'group';

export const FIELD_KINDS: readonly FieldKind[] = [
  'text',
  'richText',
  'number',
  'date',
  'dateTime',
  'choice',
  'choices',
  'file',
  'image',
  'link',
  'relation',
  'group',
];

/** The kinds a group's sub-fields and an administrator's added fields may have. */
export const SIMPLE_KINDS: readonly FieldKind[] = FIELD_KINDS.filter((k) => k !== 'group' && k !== 'relation');

/** The key of a content type: stable ASCII, stored with every item; labels are Chinese. */
export type ContentTypeKey = 'article' | 'policy' | 'interpretation' | 'guide' | 'leader' | 'organ' | 'topic';

export interface FieldDef {
  /** Key in the stored values and the API: `[a-z][a-zA-Z0-9]*`. */
  readonly name: string;
  readonly label: string;
  readonly kind: FieldKind;
  /** Must be filled before the item is published (the save may leave it empty in a draft). */
  readonly required?: boolean;
  /** text: most characters. */
  readonly maxLength?: number;
  /** choice, choices: the values allowed. */
  readonly options?: readonly string[];
  /** relation: the type of the items it points to, and whether it holds several. */
  readonly to?: ContentTypeKey;
  readonly many?: boolean;
  /**
   * relation: the name and label under which the related item shows this relation backwards
   * (a 解读's 解读对象 shows on the policy as 相关解读). Stored once, on this side.
   */
  readonly inverse?: { readonly name: string; readonly label: string };
  /** group: the fields of each entry. */
  readonly fields?: readonly FieldDef[];
  /** A line of help under the input. */
  readonly help?: string;
}

export type FileValue = { readonly url: string; readonly name: string };
export type ImageValue = { readonly url: string; readonly alt: string };
export type LinkValue = { readonly url: string; readonly text: string };
export type GroupEntry = { readonly [name: string]: FieldValue };

/** A stored value. An absent key is an empty field. */
export type FieldValue =
  string | number | readonly string[] | readonly number[] | FileValue | ImageValue | LinkValue | readonly GroupEntry[];

export type FieldValues = { readonly [name: string]: FieldValue };

export const FIELD_NAME = /^[a-z][a-zA-Z0-9]{0,39}$/;

/** Default and greatest length of a text field. */
export const TEXT_MAX = 2000;
export const RICH_TEXT_MAX = 200_000;
