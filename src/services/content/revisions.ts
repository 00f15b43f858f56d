import { diffArrays } from 'diff';
import type { Kysely } from 'kysely';
import { GazetteError, htmlToText, type Article } from '../../domain/index.js';
import { segment } from '../../search/index.js';
import { revisions, type Database } from '../../store/index.js';
import type { Actor } from '../actor.js';
import type { DiffPart, Revision } from '../views.js';

/** What a revision keeps: everything an editor can change. */
export const EDITABLE_FIELDS = [
  'channelId',
  'title',
  'subtitle',
  'source',
  'author',
  'responsibleEditor',
  'bodyHtml',
  'summary',
  'keywords',
  'coverImage',
  'attachments',
  'publishedAt',
  'fields',
] as const;
export type EditableField = (typeof EDITABLE_FIELDS)[number];
export type Snapshot = Pick<Article, EditableField>;

export function snapshotOf(article: Article): Snapshot {
  const snapshot: Record<string, unknown> = {};
  for (const field of EDITABLE_FIELDS) snapshot[field] = article[field];
  return snapshot as Snapshot;
}

function parseSnapshot(json: string): Snapshot {
  // Revisions from before content types hold no typed values.
  const snapshot = JSON.parse(json) as Partial<Snapshot>;
  return { ...snapshot, fields: snapshot.fields ?? {} } as Snapshot;
}

/** Fields whose values differ between two snapshots. */
export function changedFields(a: Snapshot, b: Snapshot): EditableField[] {
  return EDITABLE_FIELDS.filter((field) => JSON.stringify(a[field]) !== JSON.stringify(b[field]));
}

export async function recordRevision(
  trx: Kysely<Database>,
  article: Article,
  actor: Actor,
  action: string,
  at: Date,
): Promise<void> {
  await revisions.insertRevision(trx, {
    articleId: article.id,
    version: article.version,
    action,
    userId: actor.userId,
    userName: actor.userName,
    at: at.toISOString(),
    snapshot: JSON.stringify(snapshotOf(article)),
  });
}

/** The snapshot an editor was looking at when they loaded this version. */
export async function snapshotAtVersion(
  db: Kysely<Database>,
  articleId: number,
  version: number,
): Promise<Snapshot | null> {
  const all = await revisions.listRevisions(db, articleId);
  const base = all.find((r) => r.version <= version);
  return base ? parseSnapshot(base.snapshot) : null;
}

export async function revisionOf(
  db: Kysely<Database>,
  articleId: number,
  number: number,
): Promise<Revision & { snapshot: Snapshot }> {
  const row = await revisions.findRevision(db, articleId, number);
  if (!row) throw new GazetteError('REVISION_NOT_FOUND', { id: articleId, number });
  const snapshot = parseSnapshot(row.snapshot);
  return {
    number: row.number,
    version: row.version,
    at: row.at,
    userName: row.userName,
    action: row.action,
    title: snapshot.title,
    subtitle: snapshot.subtitle,
    bodyHtml: snapshot.bodyHtml,
    channelId: snapshot.channelId,
    snapshot,
  };
}

/**
 * A word-level diff that reads well in Chinese: the texts are cut into jieba's words (a character
 * diff scatters a changed word into fragments; a line diff marks whole paragraphs).
 */
export function diffWords(before: string, after: string): DiffPart[] {
  const parts: DiffPart[] = [];
  for (const change of diffArrays(segment(before), segment(after))) {
    const op = change.added ? 'insert' : change.removed ? 'delete' : 'equal';
    const text = change.value.join('');
    const last = parts[parts.length - 1];
    if (last && last.op === op) parts[parts.length - 1] = { op, text: last.text + text };
    else if (text) parts.push({ op, text });
  }
  return parts;
}

export function diffRevisions(before: Snapshot, after: Snapshot): { title: DiffPart[]; body: DiffPart[] } {
  return {
    title: diffWords(before.title, after.title),
    body: diffWords(htmlToText(before.bodyHtml), htmlToText(after.bodyHtml)),
  };
}
