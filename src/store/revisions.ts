import type { Kysely, Selectable } from 'kysely';
import type { ArticleCommentTable, ArticleRevisionTable, Database } from './schema.js';

export type RevisionRow = Selectable<ArticleRevisionTable>;
export type CommentRow = Selectable<ArticleCommentTable>;

/** Appends the next revision of an article (numbers run 1, 2, 3… per article). */
export async function insertRevision(
  db: Kysely<Database>,
  revision: Omit<RevisionRow, 'id' | 'number'>,
): Promise<RevisionRow> {
  const last = await db
    .selectFrom('articleRevision')
    .select((eb) => eb.fn.max('number').as('number'))
    .where('articleId', '=', revision.articleId)
    .executeTakeFirst();
  const number = Number(last?.number ?? 0) + 1;
  return db
    .insertInto('articleRevision')
    .values({ ...revision, number })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function listRevisions(db: Kysely<Database>, articleId: number): Promise<RevisionRow[]> {
  return db
    .selectFrom('articleRevision')
    .selectAll()
    .where('articleId', '=', articleId)
    .orderBy('number', 'desc')
    .execute();
}

export async function findRevision(
  db: Kysely<Database>,
  articleId: number,
  number: number,
): Promise<RevisionRow | undefined> {
  return db
    .selectFrom('articleRevision')
    .selectAll()
    .where('articleId', '=', articleId)
    .where('number', '=', number)
    .executeTakeFirst();
}

export async function insertComment(db: Kysely<Database>, comment: Omit<CommentRow, 'id'>): Promise<void> {
  await db.insertInto('articleComment').values(comment).execute();
}

export async function listComments(db: Kysely<Database>, articleId: number): Promise<CommentRow[]> {
  return db.selectFrom('articleComment').selectAll().where('articleId', '=', articleId).orderBy('id').execute();
}
