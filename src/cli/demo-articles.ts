import type { Kysely } from 'kysely';
import { GazetteError } from '../domain/index.js';
import type { Database } from '../store/index.js';

/** A demo article of a site, by its title (the demo's steps name the articles they work on). */
export async function demoArticleId(db: Kysely<Database>, siteId: number, title: string): Promise<number> {
  const row = await db
    .selectFrom('article')
    .select('id')
    .where('siteId', '=', siteId)
    .where('title', '=', title)
    .executeTakeFirst();
  if (!row) throw new GazetteError('ARTICLE_NOT_FOUND', { id: title });
  return row.id;
}
