import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, RedirectsTable } from './schema.js';

/**
 * The old paths of a migrated site that answer 301 to their new place, on every instance: the
 * public routes look a request up here when the site has no page at its path.
 */

export const REDIRECT_KINDS = ['article', 'list', 'file', 'page'] as const;
export type RedirectKind = (typeof REDIRECT_KINDS)[number];

/**
 * The longest old path kept, in UTF-8 bytes, as written and as a browser sends it: PostgreSQL's
 * index entries stop at about 2,700 bytes. A path of a URL the frontier holds always fits.
 */
export const MAX_OLD_PATH_BYTES = 2048;

export interface RedirectRow {
  readonly siteId: number;
  /** Path, and `?query` when there is one, as the old site wrote it. */
  readonly oldPath: string;
  /** A path on the site. */
  readonly target: string;
  readonly kind: RedirectKind;
  readonly createdAt: string;
}

export interface NewRedirect {
  readonly oldPath: string;
  readonly target: string;
  readonly kind: RedirectKind;
}

/** Rows per INSERT: 6 values each stays under SQLite's 999 bound variables. */
const INSERT_CHUNK = 150;

/** How many old paths sharing one request key are read to pick the one sent (a real site has two or three). */
const ALIKE_LIMIT = 16;

/** Any origin will do: only the path and query of the parsed URL are kept. */
const ORIGIN = 'http://old.invalid';

/**
 * An old path as a browser sends it when a page links to it: non-ASCII and spaces
 * percent-encoded, dot segments resolved, the fragment dropped (WHATWG URL parsing, as browsers
 * do). What nginx's $request_uri holds for it.
 */
export function requestFormOf(oldPath: string): string {
  // Appended, not resolved against the origin: a path starting with `//` is not a host.
  const url = new URL(ORIGIN + oldPath);
  url.hash = '';
  return url.href.slice(url.origin.length);
}

/** The request form in lower case, ASCII letters only: how nginx's map compares its string keys. */
export function requestKeyOf(oldPath: string): string {
  return requestFormOf(oldPath).replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
}

function fits(path: string): boolean {
  return Buffer.byteLength(path) <= MAX_OLD_PATH_BYTES;
}

const COLUMNS = ['siteId', 'oldPath', 'target', 'kind', 'createdAt'] as const;

function toRow(row: Pick<Selectable<RedirectsTable>, (typeof COLUMNS)[number]>): RedirectRow {
  return {
    siteId: row.siteId,
    oldPath: row.oldPath,
    target: row.target,
    kind: row.kind as RedirectKind,
    createdAt: row.createdAt,
  };
}

function checked(row: NewRedirect): NewRedirect & { readonly requestKey: string } {
  if (!row.oldPath.startsWith('/') || !row.target.startsWith('/'))
    throw new RangeError(`a redirect goes from a path to a path: ${row.oldPath} → ${row.target}`);
  const requestKey = requestKeyOf(row.oldPath);
  if (!fits(row.oldPath) || !fits(requestKey))
    throw new RangeError(`an old path is at most ${MAX_OLD_PATH_BYTES} bytes: ${row.oldPath.slice(0, 80)}…`);
  return { ...row, requestKey };
}

/**
 * Records old paths and where they lead; a path recorded before takes the new target and kind
 * (a re-run moves it along with its article). Of repeats in `rows`, the last wins.
 */
export async function putRedirects(
  db: Kysely<Database>,
  siteId: number,
  rows: readonly NewRedirect[],
  now: Date,
): Promise<void> {
  const unique = [...new Map(rows.map((row) => [row.oldPath, checked(row)])).values()];
  const createdAt = now.toISOString();
  for (let at = 0; at < unique.length; at += INSERT_CHUNK) {
    await db
      .insertInto('redirects')
      .values(unique.slice(at, at + INSERT_CHUNK).map((row) => ({ siteId, createdAt, ...row })))
      .onConflict((oc) =>
        oc.columns(['siteId', 'oldPath']).doUpdateSet((eb) => ({
          target: eb.ref('excluded.target'),
          kind: eb.ref('excluded.kind'),
        })),
      )
      .execute();
  }
}

export async function findRedirect(
  db: Kysely<Database>,
  siteId: number,
  oldPath: string,
): Promise<RedirectRow | undefined> {
  if (!fits(oldPath)) return undefined;
  const row = await db
    .selectFrom('redirects')
    .select(COLUMNS)
    .where('siteId', '=', siteId)
    .where('oldPath', '=', oldPath)
    .executeTakeFirst();
  return row && toRow(row);
}

/** The path part percent-decoded (the query kept as sent); null when it is not valid UTF-8 escapes. */
function decodedForm(rawUrl: string): string | null {
  const mark = rawUrl.indexOf('?');
  const [path, query] = mark < 0 ? [rawUrl, ''] : [rawUrl.slice(0, mark), rawUrl.slice(mark)];
  try {
    return decodeURI(path) + query;
  } catch {
    return null;
  }
}

/**
 * The redirect for a request's URL (path and query exactly as received): the old path as sent;
 * else its path percent-decoded (old sites write Chinese paths both ways); else the one old path
 * nginx's map would match it to (another letter case or encoding of it), so that `gazette
 * serve` and an exported map answer alike.
 */
export async function findRedirectForRequest(
  db: Kysely<Database>,
  siteId: number,
  rawUrl: string,
): Promise<RedirectRow | undefined> {
  if (!rawUrl.startsWith('/')) return undefined;
  const exact = await findRedirect(db, siteId, rawUrl);
  if (exact) return exact;
  const decoded = decodedForm(rawUrl);
  const found = decoded !== null && decoded !== rawUrl ? await findRedirect(db, siteId, decoded) : undefined;
  if (found) return found;
  const requestKey = requestKeyOf(rawUrl);
  if (!fits(requestKey)) return undefined;
  const alike = await db
    .selectFrom('redirects')
    .select(COLUMNS)
    .where('siteId', '=', siteId)
    .where('requestKey', '=', requestKey)
    .orderBy('oldPath')
    .limit(ALIKE_LIMIT)
    .execute();
  // Old paths that differ only in letter case are told apart by case in the map too.
  const [only, ...others] = alike;
  const chosen = others.length === 0 ? only : alike.find((row) => requestFormOf(row.oldPath) === rawUrl);
  return chosen && toRow(chosen);
}

/** A page of the site's redirects after `afterOldPath` (null: from the start), in old_path order. */
export async function listRedirects(
  db: Kysely<Database>,
  siteId: number,
  afterOldPath: string | null,
  limit: number,
): Promise<RedirectRow[]> {
  let query = db.selectFrom('redirects').select(COLUMNS).where('siteId', '=', siteId).orderBy('oldPath').limit(limit);
  if (afterOldPath !== null) query = query.where('oldPath', '>', afterOldPath);
  return (await query.execute()).map(toRow);
}

export async function countRedirects(db: Kysely<Database>, siteId: number): Promise<number> {
  const row = await db
    .selectFrom('redirects')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('siteId', '=', siteId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** What an nginx map of the site's redirects must know before its first line. */
export interface MapFacts {
  readonly count: number;
  /** The longest request key, in bytes (they are ASCII): nginx's hash buckets must hold it. */
  readonly longestKey: number;
  /**
   * The request keys that more than one old path shares: nginx's map compares its string keys
   * without letter case and refuses two equal ones, so these must be written otherwise.
   */
  readonly sharedKeys: ReadonlySet<string>;
  /** Whether a target holds a `$`, which a map value reads as a variable. */
  readonly dollar: boolean;
}

export async function mapFacts(db: Kysely<Database>, siteId: number): Promise<MapFacts> {
  const sizes = await db
    .selectFrom('redirects')
    .select((eb) => [
      eb.fn.countAll<number>().as('n'),
      eb.fn.max<number | null>(eb.fn<number>('length', [eb.ref('requestKey')])).as('longest'),
    ])
    .where('siteId', '=', siteId)
    .executeTakeFirst();
  const shared = await db
    .selectFrom('redirects')
    .select('requestKey')
    .where('siteId', '=', siteId)
    .groupBy('requestKey')
    .having((eb) => eb.fn.countAll(), '>', 1)
    .execute();
  const dollar = await db
    .selectFrom('redirects')
    .select(sql<number>`1`.as('one'))
    .where('siteId', '=', siteId)
    .where(sql<boolean>`target like '%$%'`)
    .limit(1)
    .executeTakeFirst();
  return {
    count: Number(sizes?.n ?? 0),
    longestKey: Number(sizes?.longest ?? 0),
    sharedKeys: new Set(shared.map((row) => row.requestKey)),
    dollar: dollar !== undefined,
  };
}
