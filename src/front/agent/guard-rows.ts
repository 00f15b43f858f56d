import { splitSiteKey } from '../../publish/site-output.js';
import type { FrontState, ServedRow } from './state.js';

/**
 * The guard's reads of the `served` table. Each is one finished statement: better-sqlite3 keeps
 * a connection busy while an iterator is open, and the agent writes its batches on the same
 * connection while the guard walks, so long walks page by key instead of holding a cursor.
 */
const PAGE = 500;

/** Up to `limit` rows after `after` (null: from the first), in name order, within `folder` ('' = all). */
export function servedAfter(state: FrontState, after: string | null, folder: string, limit = PAGE): ServedRow[] {
  const bounds: string[] = [];
  const where: string[] = [];
  if (after !== null) {
    where.push('file > ?');
    bounds.push(after);
  }
  if (folder !== '') {
    // '0' is the character after '/': the range holds exactly the names starting with `folder/`.
    where.push('file >= ? and file < ?');
    bounds.push(`${folder}/`, `${folder}0`);
  }
  const sql = `select file, key, hash, size from served${where.length ? ` where ${where.join(' and ')}` : ''} order by file limit ?`;
  return state.db.prepare(sql).all(...bounds, limit) as ServedRow[];
}

/** Every served file under a folder, a page at a time. */
export function* servedUnder(state: FrontState, folder: string): Generator<ServedRow> {
  let after: string | null = null;
  for (;;) {
    const rows = servedAfter(state, after, folder);
    yield* rows;
    const last = rows.at(-1);
    if (!last || rows.length < PAGE) return;
    after = last.file;
  }
}

/** The site folders the agent keeps even while they hold no page (`www/<siteId>`). */
export function siteFolders(state: FrontState): Set<string> {
  return new Set(state.sites().map((site) => String(site.id)));
}

/** Whether a folder belongs in the tree: www, a site's folder, or one holding a served file. */
export function isExpectedFolder(state: FrontState, folder: string): boolean {
  return folder === '' || siteFolders(state).has(folder) || servedAfter(state, null, folder, 1).length > 0;
}

/**
 * The site and public path an event names: a served file's page, else where the thing was
 * found (`1/bqdt/x.html` → site 1, `/bqdt/x.html`; a folder ends with `/`). Site 0: found in
 * www itself, outside every site's folder.
 */
export function locate(state: FrontState, rel: string, isFolder: boolean): { siteId: number; path: string } {
  const row = state.served(rel);
  if (row) {
    const { siteId, path } = splitSiteKey(row.key);
    return { siteId, path };
  }
  const slash = rel.indexOf('/');
  const first = slash < 0 ? rel : rel.slice(0, slash);
  const inSite = /^[1-9]\d{0,9}$/.test(first);
  const tail = inSite ? (slash < 0 ? '' : rel.slice(slash + 1)) : rel;
  return { siteId: inSite ? Number(first) : 0, path: `/${tail}${isFolder && tail !== '' ? '/' : ''}` };
}
