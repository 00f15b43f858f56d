import type { Kysely } from 'kysely';
import {
  GazetteError,
  type Channel,
  type NewSite,
  type PlatformSite,
  type Site,
  type SiteStatus,
} from '../domain/index.js';
import { listChannels } from './channels.js';
import type { Database, SiteRow } from './schema.js';

function toSite(row: SiteRow): Site {
  const {
    createdAt: _c,
    updatedAt: _u,
    status: _s,
    parentId: _p,
    placedPages: _pp,
    mediaQuotaMb: _mq,
    interpretationDueDays: _id,
    ...site
  } = row;
  return site;
}

function toPlatformSite(row: SiteRow, hosts: readonly string[]): PlatformSite {
  return { ...toSite(row), status: row.status as SiteStatus, parentId: row.parentId, hosts };
}

/** Every site of the platform with its host names, in the order they were made. */
export async function listSites(db: Kysely<Database>): Promise<PlatformSite[]> {
  const rows = await db.selectFrom('site').selectAll().orderBy('id').execute();
  const hosts = await db.selectFrom('siteHost').select(['host', 'siteId']).orderBy('host').execute();
  // Grouped once: a platform of 1,000 sites filtered every host for every site.
  const hostsOf = new Map<number, string[]>();
  for (const { host, siteId } of hosts) hostsOf.set(siteId, [...(hostsOf.get(siteId) ?? []), host]);
  return rows.map((row) => toPlatformSite(row, hostsFirst(row.domain, hostsOf.get(row.id) ?? [])));
}

/** Each site's id, status, domain and time zone: what a clock-driven job needs, read cheaply every few seconds. */
export async function listSiteClocks(
  db: Kysely<Database>,
): Promise<{ id: number; status: SiteStatus; domain: string; timeZone: string }[]> {
  const rows = await db.selectFrom('site').select(['id', 'status', 'domain', 'timeZone']).orderBy('id').execute();
  return rows.map((row) => ({
    id: row.id,
    status: row.status as SiteStatus,
    domain: row.domain,
    timeZone: row.timeZone,
  }));
}

/** The primary host (the site's domain) first, the others in name order. */
function hostsFirst(domain: string, hosts: readonly string[]): string[] {
  return [...hosts.filter((h) => h === domain), ...hosts.filter((h) => h !== domain)];
}

export async function findPlatformSite(db: Kysely<Database>, id: number): Promise<PlatformSite | undefined> {
  const row = await db.selectFrom('site').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  const hosts = await db.selectFrom('siteHost').select('host').where('siteId', '=', id).orderBy('host').execute();
  return toPlatformSite(
    row,
    hostsFirst(
      row.domain,
      hosts.map((h) => h.host),
    ),
  );
}

/** The site a host name reaches (whatever its status), or undefined. */
export async function findSiteIdByHost(db: Kysely<Database>, host: string): Promise<number | undefined> {
  const row = await db.selectFrom('siteHost').select('siteId').where('host', '=', host).executeTakeFirst();
  return row?.siteId;
}

export async function addHost(db: Kysely<Database>, siteId: number, host: string): Promise<void> {
  await db.insertInto('siteHost').values({ host, siteId }).execute();
}

export async function removeHost(db: Kysely<Database>, host: string): Promise<void> {
  await db.deleteFrom('siteHost').where('host', '=', host).execute();
}

export async function setStatus(db: Kysely<Database>, id: number, status: SiteStatus, now: Date): Promise<void> {
  await db.updateTable('site').set({ status, updatedAt: now.toISOString() }).where('id', '=', id).execute();
}

export async function setParent(db: Kysely<Database>, id: number, parentId: number | null, now: Date): Promise<void> {
  await db.updateTable('site').set({ parentId, updatedAt: now.toISOString() }).where('id', '=', id).execute();
}

/** What a site holds that removing it would lose: its articles and columns. */
export async function contentOf(db: Kysely<Database>, id: number): Promise<{ articles: number; channels: number }> {
  const count = async (table: 'article' | 'channel') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('siteId', '=', id)
          .executeTakeFirstOrThrow()
      ).n,
    );
  return { articles: await count('article'), channels: await count('channel') };
}

/**
 * Deletes a site and what it holds: articles first (their revisions, comments and metadata
 * cascade), then its columns (unhooked from each other: a column's parent restricts), then the
 * site (its hosts, lists and findings cascade).
 */
export async function deleteSiteContent(db: Kysely<Database>, id: number): Promise<void> {
  await db.deleteFrom('article').where('siteId', '=', id).execute();
  await db.updateTable('channel').set({ parentId: null }).where('siteId', '=', id).execute();
  await db.deleteFrom('channel').where('siteId', '=', id).execute();
  await db.deleteFrom('site').where('id', '=', id).execute();
}

export async function findSetting(db: Kysely<Database>, key: string): Promise<string | undefined> {
  return (await db.selectFrom('platformSetting').select('value').where('key', '=', key).executeTakeFirst())?.value;
}

export async function putSetting(db: Kysely<Database>, key: string, value: string | null): Promise<void> {
  await db.deleteFrom('platformSetting').where('key', '=', key).execute();
  if (value !== null) await db.insertInto('platformSetting').values({ key, value }).execute();
}

/** The portal this instance serves (the first site; several sites come with the platform work). */
export async function findFirstSite(db: Kysely<Database>): Promise<Site | undefined> {
  const row = await db.selectFrom('site').selectAll().orderBy('id').limit(1).executeTakeFirst();
  return row && toSite(row);
}

/**
 * The platform's only site (undefined before the first): what an operation that names no site
 * works on. With several sites it is an error listing them, never a silent pick.
 */
export async function findOnlySite(db: Kysely<Database>): Promise<Site | undefined> {
  const [first, second] = await db.selectFrom('site').selectAll().orderBy('id').limit(2).execute();
  if (second) {
    const all = await listSites(db);
    throw new GazetteError('SITE_AMBIGUOUS', { choices: all.map((s) => `${s.domain}（${s.name}）`).join(', ') });
  }
  return first && toSite(first);
}

/** The site by id, or the only site when none is named. */
export async function findSiteOrOnly(db: Kysely<Database>, id: number | undefined): Promise<Site | undefined> {
  return id === undefined ? findOnlySite(db) : findSite(db, id);
}

/**
 * A site with its columns, for a site view: a named site's columns are asked for beside the
 * site itself (every request reads both). Undefined as findSiteOrOnly is.
 */
export async function findSiteWithChannels(
  db: Kysely<Database>,
  id: number | undefined,
): Promise<{ site: Site; channels: Channel[] } | undefined> {
  const [site, columns] = await Promise.all([findSiteOrOnly(db, id), id === undefined ? null : listChannels(db, id)]);
  if (!site) return undefined;
  return { site, channels: columns ?? (await listChannels(db, site.id)) };
}

export async function findSite(db: Kysely<Database>, id: number): Promise<Site | undefined> {
  const row = await db.selectFrom('site').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toSite(row);
}

/** A new site, reached by its domain (the caller has checked that no other site holds it). */
export async function insertSite(
  db: Kysely<Database>,
  site: NewSite,
  now: Date,
  parentId: number | null = null,
): Promise<Site> {
  const stamp = now.toISOString();
  const row = await db
    .insertInto('site')
    .values({ ...site, domain: site.domain.toLowerCase(), parentId, createdAt: stamp, updatedAt: stamp })
    .returningAll()
    .executeTakeFirstOrThrow();
  await addHost(db, row.id, row.domain);
  return toSite(row);
}

export async function updateSite(
  db: Kysely<Database>,
  id: number,
  patch: Partial<NewSite>,
  now: Date,
): Promise<Site | undefined> {
  const row = await db
    .updateTable('site')
    .set({ ...patch, updatedAt: now.toISOString() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  return row && toSite(row);
}

/**
 * Whether a site shows in grey (哀悼日置灰): its own switch, or the platform's (every site at
 * once, the `mourning` platform setting). False when there is no such site.
 */
export async function findMourning(db: Kysely<Database>, siteId: number | undefined): Promise<boolean> {
  if ((await findSetting(db, 'mourning')) === '1') return true;
  const id = siteId ?? (await findOnlySite(db))?.id;
  if (id === undefined) return false;
  const row = await db.selectFrom('site').select('mourning').where('id', '=', id).executeTakeFirst();
  return row?.mourning === 1;
}

export async function setMourning(db: Kysely<Database>, id: number, mourning: boolean, now: Date): Promise<void> {
  await db
    .updateTable('site')
    .set({ mourning: mourning ? 1 : 0, updatedAt: now.toISOString() })
    .where('id', '=', id)
    .execute();
}

/** How a site shows articles placed in its columns from other sites (引用). */
export type PlacedPages = 'link' | 'copy';

/** 'copy': its lists link to a copy of the page on this site (carrying rel=canonical); 'link': to the article's own page. */
export async function findPlacedPages(db: Kysely<Database>, id: number): Promise<PlacedPages> {
  const row = await db.selectFrom('site').select('placedPages').where('id', '=', id).executeTakeFirst();
  return row?.placedPages === 'copy' ? 'copy' : 'link';
}

export async function setPlacedPages(db: Kysely<Database>, id: number, mode: PlacedPages, now: Date): Promise<void> {
  await db.updateTable('site').set({ placedPages: mode, updatedAt: now.toISOString() }).where('id', '=', id).execute();
}

/** What each user may upload to the site, in MiB (the column's default, 2048, on a new site). */
/** A site's whole-number settings, one column each. */
export type NumberSetting = 'mediaQuotaMb' | 'interpretationDueDays';

export async function findNumberSetting(db: Kysely<Database>, id: number, setting: NumberSetting): Promise<number> {
  const row = await db.selectFrom('site').select(setting).where('id', '=', id).executeTakeFirstOrThrow();
  return row[setting];
}

export async function setNumberSetting(
  db: Kysely<Database>,
  id: number,
  setting: NumberSetting,
  value: number,
  now: Date,
): Promise<void> {
  await db
    .updateTable('site')
    .set({ [setting]: value, updatedAt: now.toISOString() })
    .where('id', '=', id)
    .execute();
}

/** What each user may upload to the site, in MiB. */
export function findMediaQuotaMb(db: Kysely<Database>, id: number): Promise<number> {
  return findNumberSetting(db, id, 'mediaQuotaMb');
}

/** Working days a published policy may wait for its 解读 before the health report warns (default 3). */
export function findInterpretationDueDays(db: Kysely<Database>, id: number): Promise<number> {
  return findNumberSetting(db, id, 'interpretationDueDays');
}
