import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Article } from '../domain/index.js';
import { toArticle } from './articles.js';
import { findSetting } from './sites.js';
import type { Database } from './schema.js';

/** The platform setting naming this store in the files it exports. */
const ORIGIN_SETTING = 'exchange.origin';

/**
 * This store's name in exported files, made (at random) the first time it is asked for and kept
 * with the data: a backup restored elsewhere, or a store migrated, keeps it, since its item ids
 * are still the same items. Two exports racing to make it agree on the first one written.
 */
export async function storeOrigin(db: Kysely<Database>): Promise<string> {
  const read = () => findSetting(db, ORIGIN_SETTING);
  const found = await read();
  if (found !== undefined) return found;
  await db
    .insertInto('platformSetting')
    .values({ key: ORIGIN_SETTING, value: randomBytes(8).toString('hex') })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const made = await read();
  if (made === undefined) throw new TypeError(`platform_setting ${ORIGIN_SETTING} was not written`);
  return made;
}

/** Every item of a site's type, oldest first. */
export async function itemsOfType(db: Kysely<Database>, siteId: number, contentType: string): Promise<Article[]> {
  const rows = await db
    .selectFrom('article')
    .selectAll()
    .where('siteId', '=', siteId)
    .where('contentType', '=', contentType)
    .orderBy('id')
    .execute();
  return rows.map(toArticle);
}
