import type { Kysely } from 'kysely';
import { routeOf, type PlatformSite } from '../domain/index.js';
import { sha256, type OutputStore } from '../publish/output.js';
import { splitSiteKey } from '../publish/site-output.js';
import { fronts, type Database } from '../store/index.js';
import type { FrontSite, PushedPage } from './protocol.js';

/** Manifest changes read per batch, and the most bytes of pages a batch carries. */
export const BATCH_CHANGES = 500;
export const BATCH_BYTES = 32 * 1024 * 1024;

/** A page whose stored bytes do not match its manifest row, which has not changed since. */
export interface Stall {
  readonly key: string;
  readonly seq: number;
  readonly reason: 'missing' | 'different';
}

export interface Batch {
  readonly toSeq: number;
  readonly pages: PushedPage[];
  readonly bodies: Buffer[];
  /** The batch stops before this page (see nextBatch); null when nothing stopped it. */
  readonly stall: Stall | null;
}

/** Host names as the protocol takes them (an IPv6 address reaching a site has no place in nginx's map). */
const HOST = /^[a-z0-9.-]{1,253}$/;

/** The sites a front serves, as its pushes describe them: every active site, or those of its list. */
export function frontSites(all: readonly PlatformSite[], served: readonly number[] | null): FrontSite[] {
  return all
    .filter((site) => site.status === 'active' && (served === null || served.includes(site.id)))
    .map((site) => ({
      id: site.id,
      hosts: [...new Set([site.domain, ...site.hosts])].filter((host) => HOST.test(host)),
      timeZone: site.timeZone,
    }));
}

/** The same list in one canonical text, to tell whether the front holds it already. */
export function sitesKey(sites: readonly FrontSite[]): string {
  return JSON.stringify(
    [...sites]
      .sort((a, b) => a.id - b.id)
      .map((site) => ({ id: site.id, hosts: [...site.hosts].sort(), timeZone: site.timeZone })),
  );
}

/**
 * The next batch for a front at `fromSeq`: the manifest's changes after it, oldest first, with
 * each page's bytes from the output store, checked against its manifest hash. Pages of sites the
 * front does not serve are left out while toSeq still moves past them. A page whose bytes do not
 * match:
 * - its row changed since it was read (a newer version is written, and comes in a later batch):
 *   left out, toSeq moves past it;
 * - its row is unchanged: a publish is between writing the file and recording it (a moment), or
 *   the CMS's own output is damaged. The batch ends before it (`stall`); the caller decides.
 */
export async function nextBatch(
  db: Kysely<Database>,
  output: OutputStore,
  fromSeq: number,
  served: readonly number[] | null,
): Promise<Batch> {
  const changes = await fronts.changesAfter(db, fromSeq, BATCH_CHANGES);
  const pages: Omit<PushedPage, 'views'>[] = [];
  const bodies: Buffer[] = [];
  let toSeq = fromSeq;
  let bytes = 0;
  let stall: Stall | null = null;
  for (const change of changes) {
    const { siteId } = splitSiteKey(change.path);
    if (served !== null && !served.includes(siteId)) {
      toSeq = change.seq;
      continue;
    }
    if (change.hash === '') {
      pages.push({ key: change.path, hash: '', size: 0, seq: change.seq });
      toSeq = change.seq;
      continue;
    }
    const body = await output.read(change.path);
    if (body === null || sha256(body) !== change.hash) {
      const now = (await fronts.currentRows(db, [change.path])).get(change.path);
      if (now && now.seq !== change.seq) {
        toSeq = change.seq;
        continue;
      }
      stall = { key: change.path, seq: change.seq, reason: body === null ? 'missing' : 'different' };
      break;
    }
    if (pages.length > 0 && bytes + body.length > BATCH_BYTES) break;
    bytes += body.length;
    pages.push({ key: change.path, hash: change.hash, size: body.length, seq: change.seq });
    bodies.push(body);
    toSeq = change.seq;
  }
  return { toSeq, pages: await withViews(db, pages), bodies, stall };
}

/** Article pages carry the article's 浏览次数 as the CMS has it, the base the front counts on from. */
async function withViews(db: Kysely<Database>, pages: readonly Omit<PushedPage, 'views'>[]): Promise<PushedPage[]> {
  const articleOf = (page: PushedPage) => {
    if (page.hash === '') return null;
    const route = routeOf(splitSiteKey(page.key).path);
    return route?.kind === 'article' ? route.id : null;
  };
  const ids = [...new Set(pages.flatMap((page) => articleOf(page) ?? []))];
  const counts = await fronts.viewCounts(db, ids);
  return pages.map((page) => {
    const id = articleOf(page);
    const views = id === null ? undefined : counts.get(id);
    return views === undefined ? page : { ...page, views };
  });
}
