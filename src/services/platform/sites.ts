import type { Kysely } from 'kysely';
import { ChannelTree, GazetteError, allows, normalizeHost, type PlatformSite, type Site } from '../../domain/index.js';
import { placementChanged, recordEvents, sendEvents } from '../events.js';
import { sites, users, type Database } from '../../store/index.js';
import type { Actor } from '../actor.js';
import { appendAudit } from '../audit.js';
import type { ServiceContext } from '../context.js';
import type { NewSiteInput, SitePatch } from './views.js';
import { unindexDocuments } from '../../search/index.js';

/** The platform setting naming the site that a host no site claims is answered with. */
const DEFAULT_SITE = 'default_site';

/** 网站标识码: ten letters or digits, as the national registry issues them. */
const SITE_CODE = /^[0-9A-Za-z]{10}$/;

/** Only the platform administrator manages sites (no site's own roles reach this far). */
export function requirePlatform(actor: Actor): void {
  if (!allows(actor.grants, 'platform.manage', null, new ChannelTree([]), true))
    throw new GazetteError('PERMISSION_DENIED', { action: 'platform.manage' });
}

/** The console acting as the platform administrator (`gazette site …`). */
export function platformConsole(name: string): Actor {
  return { userId: null, userName: name, grants: [{ role: 'platform', channelId: null }], ip: null };
}

function hostOrThrow(raw: string): string {
  const checked = normalizeHost(raw);
  if ('reason' in checked) throw new GazetteError('HOST_INVALID', { host: raw, reason: checked.reason });
  return checked.host;
}

function checkName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === '' || trimmed.length > 100)
    throw new GazetteError('FIELD_INVALID', {
      field: 'name',
      reason: { zh: '须为 1–100 个字', en: 'must be 1–100 characters' },
    });
  return trimmed;
}

function checkSiteCode(code: string): string {
  if (code !== '' && !SITE_CODE.test(code))
    throw new GazetteError('FIELD_INVALID', {
      field: 'siteCode',
      reason: { zh: '网站标识码为 10 位字母或数字', en: 'a 网站标识码 is 10 letters or digits' },
    });
  return code;
}

/** Refuses a host another site holds, naming that site. */
async function requireFreeHost(db: Kysely<Database>, host: string, forSite: number | null): Promise<void> {
  const holder = await sites.findSiteIdByHost(db, host);
  if (holder === undefined || holder === forSite) return;
  const site = await sites.findSite(db, holder);
  throw new GazetteError('HOST_TAKEN', { host, site: site ? `${site.name}（${site.domain}）` : String(holder) });
}

/** The site a host names, whatever its status; SITE_NOT_FOUND otherwise. */
export async function siteByHost(db: Kysely<Database>, raw: string): Promise<PlatformSite> {
  const host = hostOrThrow(raw);
  const id = await sites.findSiteIdByHost(db, host);
  const site = id === undefined ? undefined : await sites.findPlatformSite(db, id);
  if (!site) throw new GazetteError('SITE_NOT_FOUND', { site: raw });
  return site;
}

/**
 * The site a command works on: the one `--site HOST` names, else the only site of the platform.
 * With several sites and no `--site`, the error lists the choices.
 */
export async function resolveSite(db: Kysely<Database>, host?: string): Promise<PlatformSite> {
  if (host !== undefined) return siteByHost(db, host);
  const all = await sites.listSites(db);
  const [only, ...others] = all;
  if (!only) throw new GazetteError('SITE_MISSING');
  if (others.length > 0)
    throw new GazetteError('SITE_AMBIGUOUS', { choices: all.map((s) => `${s.domain}（${s.name}）`).join(', ') });
  return only;
}

/**
 * The site a request's host reaches: the site holding the host, if it is active (an archived
 * site's host reaches nothing); for a host no site holds, the site the reader
 * chose with `/_site/HOST/` (`chosen`, a host); else the platform's default site when one is set;
 * else the only active site of a one-site platform (so `localhost` reaches it); else null (the
 * caller answers 404).
 */
export async function siteIdForHost(db: Kysely<Database>, host: string, chosen?: string): Promise<number | null> {
  const active = async (id: number | undefined) =>
    id === undefined ? null : (await sites.findPlatformSite(db, id))?.status === 'active' ? id : null;
  const holder = await sites.findSiteIdByHost(db, host);
  // A host of an archived site answers 404: it falls back to no other site.
  if (holder !== undefined) return active(holder);
  if (chosen !== undefined) {
    const picked = await active(await sites.findSiteIdByHost(db, chosen));
    if (picked !== null) return picked;
  }
  const fallback = await sites.findSetting(db, DEFAULT_SITE);
  const byDefault = fallback === undefined ? null : await active(Number(fallback));
  if (byDefault !== null) return byDefault;
  const live = await db.selectFrom('site').select('id').where('status', '=', 'active').orderBy('id').limit(2).execute();
  return live.length === 1 && live[0] ? live[0].id : null;
}

/**
 * The active sites a user can work on, for the back office's site switcher: those they hold a
 * role on, or every site for a platform-level role (the security administrator, the auditor, the
 * platform administrator).
 */
export async function sitesOfUser(
  ctx: Pick<ServiceContext, 'store'>,
  actor: Actor,
): Promise<{ id: number; name: string; domain: string }[]> {
  if (actor.userId === null) return [];
  const held = await users.grantSites(ctx.store.db, actor.userId);
  const all = (await sites.listSites(ctx.store.db)).filter((site) => site.status === 'active');
  const mine = held.includes(null) ? all : all.filter((site) => held.includes(site.id));
  return mine.map(({ id, name, domain }) => ({ id, name, domain }));
}

export async function listPlatformSites(
  ctx: Pick<ServiceContext, 'store'>,
  actor: Actor,
): Promise<{ sites: PlatformSite[]; defaultSiteId: number | null }> {
  requirePlatform(actor);
  const fallback = await sites.findSetting(ctx.store.db, DEFAULT_SITE);
  return {
    sites: await sites.listSites(ctx.store.db),
    defaultSiteId: fallback === undefined ? null : Number(fallback),
  };
}

/** A new, empty site reached by `host`: its columns and content come after. */
export async function addSite(ctx: ServiceContext, actor: Actor, input: NewSiteInput): Promise<PlatformSite> {
  requirePlatform(actor);
  const host = hostOrThrow(input.host);
  const name = checkName(input.name);
  const siteCode = checkSiteCode(input.siteCode ?? '');
  return ctx.store.db.transaction().execute(async (trx) => {
    const now = ctx.clock.now();
    await requireFreeHost(trx, host, null);
    const parent = input.parentHost === undefined ? null : await siteByHost(trx, input.parentHost);
    const made = await sites.insertSite(
      trx,
      {
        name,
        domain: host,
        hostOrganization: input.hostOrganization?.trim() || name,
        siteCode,
        icpRecord: parent?.icpRecord ?? '',
        policeRecord: parent?.policeRecord ?? '',
        address: '',
        contact: '',
        timeZone: input.timeZone ?? parent?.timeZone ?? 'Asia/Shanghai',
        description: '',
        keywords: '',
      },
      now,
      parent?.id ?? null,
    );
    await appendAudit(trx, ctx.store.dialect, now, actor, {
      action: 'site.add',
      targetType: 'site',
      targetId: made.id,
      details: { host, name, ...(siteCode && { siteCode }), ...(parent && { parent: parent.domain }) },
    });
    const site = await sites.findPlatformSite(trx, made.id);
    if (!site) throw new GazetteError('SITE_NOT_FOUND', { site: host });
    return site;
  });
}

/** Changes a site's identity, hosts, parent or status, in one transaction. */
export async function changeSite(
  ctx: ServiceContext,
  actor: Actor,
  ref: string,
  patch: SitePatch,
): Promise<PlatformSite> {
  requirePlatform(actor);
  const name = patch.name === undefined ? undefined : checkName(patch.name);
  const siteCode = patch.siteCode === undefined ? undefined : checkSiteCode(patch.siteCode);
  const adding = (patch.addHosts ?? []).map(hostOrThrow);
  const removing = (patch.removeHosts ?? []).map(hostOrThrow);
  const primary = patch.primaryHost === undefined ? undefined : hostOrThrow(patch.primaryHost);
  return ctx.store.db.transaction().execute(async (trx) => {
    const now = ctx.clock.now();
    const site = await siteByHost(trx, ref);
    for (const host of [...adding, ...(primary ? [primary] : [])]) {
      await requireFreeHost(trx, host, site.id);
      if ((await sites.findSiteIdByHost(trx, host)) === undefined) await sites.addHost(trx, site.id, host);
    }
    for (const host of removing) {
      if (!site.hosts.includes(host))
        throw new GazetteError('FIELD_INVALID', {
          field: 'removeHosts',
          reason: { zh: `站点没有域名 ${host}`, en: `the site has no host ${host}` },
        });
      await sites.removeHost(trx, host);
    }
    const left = [...new Set([...site.hosts, ...adding, ...(primary ? [primary] : [])])].filter(
      (h) => !removing.includes(h),
    );
    if (left.length === 0) throw new GazetteError('HOST_LAST', { host: removing.join(', '), site: site.name });
    // The domain absolute URLs use must stay one of the site's hosts.
    const domain = primary ?? (left.includes(site.domain) ? site.domain : left[0]);
    const identity = {
      ...(name !== undefined && { name }),
      ...(siteCode !== undefined && { siteCode }),
      ...(patch.hostOrganization !== undefined && { hostOrganization: patch.hostOrganization.trim() }),
    };
    if (Object.keys(identity).length > 0 || domain !== site.domain)
      await sites.updateSite(trx, site.id, { ...identity, ...(domain && { domain }) }, now);
    if (patch.parentHost !== undefined) {
      const parent = patch.parentHost === null ? null : await siteByHost(trx, patch.parentHost);
      if (parent && (await ancestorsOf(trx, parent.id)).includes(site.id)) {
        throw new GazetteError('FIELD_INVALID', {
          field: 'parent',
          reason: {
            zh: '上级站点不能是本站或其下级站点',
            en: 'a site cannot sit under itself or one of its own sub-sites',
          },
        });
      }
      await sites.setParent(trx, site.id, parent?.id ?? null, now);
    }
    if (patch.status !== undefined && patch.status !== site.status)
      await sites.setStatus(trx, site.id, patch.status, now);
    await appendAudit(trx, ctx.store.dialect, now, actor, {
      action: patch.status === 'archived' && site.status !== 'archived' ? 'site.archive' : 'site.change',
      targetType: 'site',
      targetId: site.id,
      details: { ...patch, site: site.domain },
    });
    const changed = await sites.findPlatformSite(trx, site.id);
    if (!changed) throw new GazetteError('SITE_NOT_FOUND', { site: ref });
    return changed;
  });
}

/** The site itself and every site above it, nearest first. */
async function ancestorsOf(db: Kysely<Database>, id: number): Promise<number[]> {
  const chain: number[] = [];
  for (let at: number | null = id; at !== null && !chain.includes(at);) {
    chain.push(at);
    at = (await sites.findPlatformSite(db, at))?.parentId ?? null;
  }
  return chain;
}

/**
 * The active sites under a site, at every level (a portal's departments and towns): their
 * records only. Whoever needs a sub-site's columns reads them for that site (a search reads
 * them for the few sites its hits come from, not for a thousand).
 */
export async function sitesUnder(db: Kysely<Database>, siteId: number): Promise<Site[]> {
  const all = await sites.listSites(db);
  const under: Site[] = [];
  const reach = new Set([siteId]);
  // Parents are made before their children, so one pass in id order finds every level.
  for (const site of all) {
    if (site.parentId !== null && reach.has(site.parentId) && site.status === 'active') {
      reach.add(site.id);
      under.push(site);
    }
  }
  return under;
}

/** Archiving keeps everything and stops serving the site. */
export function archiveSite(ctx: ServiceContext, actor: Actor, ref: string): Promise<PlatformSite> {
  return changeSite(ctx, actor, ref, { status: 'archived' });
}

/**
 * Removes a site and everything in it. A site with content must be archived first (a deliberate
 * second step: archiving is undone with one command, removal is not); the last site stays.
 */
export async function removeSite(ctx: ServiceContext, actor: Actor, ref: string): Promise<void> {
  requirePlatform(actor);
  const recorded = await ctx.store.db.transaction().execute(async (trx) => {
    const now = ctx.clock.now();
    const site = await siteByHost(trx, ref);
    if ((await sites.listSites(trx)).length === 1) throw new GazetteError('SITE_LAST', { site: site.domain });
    const content = await sites.contentOf(trx, site.id);
    if ((content.articles > 0 || content.channels > 0) && site.status !== 'archived') {
      throw new GazetteError('SITE_HAS_CONTENT', {
        site: site.domain,
        articles: content.articles,
        channels: content.channels,
      });
    }
    // Its articles shown in other sites' columns (引用) leave those lists with it.
    const placed = await trx
      .selectFrom('placement')
      .innerJoin('article', 'article.id', 'placement.articleId')
      .select(['placement.siteId', 'placement.articleId', 'placement.channelId', 'placement.publishedAt'])
      .where('article.siteId', '=', site.id)
      .where('placement.siteId', '!=', site.id)
      .where('placement.live', '=', 1)
      .execute();
    const documents = await trx.selectFrom('searchDoc').select('docKey').where('siteId', '=', site.id).execute();
    await unindexDocuments(
      trx,
      ctx.store.dialect,
      documents.map((d) => d.docKey),
    );
    await sites.deleteSiteContent(trx, site.id);
    if ((await sites.findSetting(trx, DEFAULT_SITE)) === String(site.id))
      await sites.putSetting(trx, DEFAULT_SITE, null);
    await appendAudit(trx, ctx.store.dialect, now, actor, {
      action: 'site.remove',
      targetType: 'site',
      targetId: site.id,
      details: { site: site.domain, name: site.name, hosts: [...site.hosts], ...content },
    });
    return recordEvents(
      trx,
      ctx,
      placed.flatMap((p) => placementChanged(p, 'removed')),
    );
  });
  sendEvents(ctx, recorded);
}

/** Names the site that hosts no site claims are answered with (null: they get a 404 page). */
export async function setDefaultSite(ctx: ServiceContext, actor: Actor, ref: string | null): Promise<void> {
  requirePlatform(actor);
  await ctx.store.db.transaction().execute(async (trx) => {
    const site = ref === null ? null : await siteByHost(trx, ref);
    await sites.putSetting(trx, DEFAULT_SITE, site === null ? null : String(site.id));
    await appendAudit(trx, ctx.store.dialect, ctx.clock.now(), actor, {
      action: 'site.default',
      targetType: 'site',
      targetId: site?.id ?? null,
      details: { site: site?.domain ?? null },
    });
  });
}
