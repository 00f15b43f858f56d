import path from 'node:path';
import { ChannelTree, GazetteError, allows } from '../../domain/index.js';
import { readTokenFile } from '../../front/protocol.js';
import { fronts, manifest, sites, type FrontRow } from '../../store/index.js';
import type { Actor } from '../actor.js';
import { appendAudit } from '../audit.js';
import type { ServiceContext } from '../context.js';
import { requirePlatform } from '../platform/sites.js';
import type { FrontStateName, FrontStatus, NewFrontInput } from './views.js';

/** A front's name: what `front list` shows and `front remove` takes. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function isPlatformActor(actor: Actor): boolean {
  return allows(actor.grants, 'platform.manage', null, new ChannelTree([]), true);
}

function invalid(field: string, zh: string, en: string): GazetteError {
  return new GazetteError('FIELD_INVALID', { field, reason: { zh, en } });
}

/**
 * The agent's base URL: http or https, a host, an optional port, nothing else. The request path is
 * signed as the agent sees it, so a base path (a proxy's prefix) would break every signature.
 */
export function frontUrl(raw: string): string {
  const url = URL.canParse(raw.trim()) ? new URL(raw.trim()) : null;
  if (
    !url ||
    (url.protocol !== 'http:' && url.protocol !== 'https:') ||
    url.hostname === '' ||
    url.username !== '' ||
    url.password !== '' ||
    url.pathname !== '/' ||
    url.search !== '' ||
    url.hash !== ''
  )
    throw invalid(
      'url',
      '须为前端服务器代理程序的地址，如 https://front1.example.gov.cn:8700（不含路径）',
      "must be the front agent's address, e.g. https://front1.example.gov.cn:8700 (no path)",
    );
  return url.origin;
}

/** The served site ids of a row: null for every site. */
export function servedSiteIds(row: Pick<FrontRow, 'siteIds'>): number[] | null {
  return row.siteIds === '' ? null : row.siteIds.split(',').map(Number);
}

/** Adds a front server; its token file is read now, so that a wrong path or a short token is told at once. */
export async function addFront(ctx: ServiceContext, actor: Actor, input: NewFrontInput): Promise<FrontStatus> {
  requirePlatform(actor);
  const name = input.name.trim();
  if (!NAME.test(name))
    throw invalid(
      'name',
      '须为 1–64 个字母、数字、点、连字符或下划线',
      'must be 1–64 letters, digits, dots, hyphens or underscores',
    );
  const url = frontUrl(input.url);
  const tokenFile = path.resolve(input.tokenFile);
  readTokenFile(tokenFile);
  const siteIds = [...new Set(input.siteIds ?? [])].sort((a, b) => a - b);
  const id = await ctx.store.db.transaction().execute(async (trx) => {
    for (const siteId of siteIds)
      if (!(await sites.findPlatformSite(trx, siteId)))
        throw new GazetteError('SITE_NOT_FOUND', { site: String(siteId) });
    if (await fronts.findFrontByName(trx, name)) throw new GazetteError('FRONT_NAME_TAKEN', { name });
    const now = ctx.clock.now();
    const row = await fronts.insertFront(trx, {
      name,
      url,
      tokenFile,
      siteIds: siteIds.join(','),
      createdAt: now.toISOString(),
    });
    await appendAudit(trx, ctx.store.dialect, now, actor, {
      action: 'front.add',
      targetType: 'front',
      targetId: row.id,
      details: { name, url, tokenFile, sites: siteIds.length === 0 ? 'all' : siteIds },
    });
    return row.id;
  });
  const added = (await listFrontsUnchecked(ctx)).find((front) => front.id === id);
  if (!added) throw new GazetteError('FRONT_NOT_FOUND', { name });
  return added;
}

/** The front servers with their state and lag, by name. */
export async function listFronts(ctx: Pick<ServiceContext, 'store' | 'clock'>, actor: Actor): Promise<FrontStatus[]> {
  requirePlatform(actor);
  return listFrontsUnchecked(ctx);
}

async function listFrontsUnchecked(ctx: Pick<ServiceContext, 'store' | 'clock'>): Promise<FrontStatus[]> {
  const db = ctx.store.db;
  const rows = await fronts.listFronts(db);
  if (rows.length === 0) return [];
  const now = ctx.clock.now().getTime();
  const latestSeq = await manifest.latestChange(db);
  const unhandled = await fronts.unhandledByFront(db);
  const all = (await sites.listSites(db)).map(({ id, name, domain, status }) => ({ id, name, domain, status }));
  const statuses: FrontStatus[] = [];
  for (const row of rows) {
    const served = servedSiteIds(row);
    const known = row.ackedSeq >= 0;
    const lag = await fronts.lagAfter(db, Math.max(0, row.ackedSeq));
    const stored = row.state as FrontStateName;
    // The stored state says how the last contact went; whether the front is behind is read now.
    const state: FrontStateName = stored === 'ok' || stored === 'behind' ? (lag.changes > 0 ? 'behind' : 'ok') : stored;
    statuses.push({
      id: row.id,
      name: row.name,
      url: row.url,
      allSites: served === null,
      sites: all
        .filter((site) => (served === null ? site.status === 'active' : served.includes(site.id)))
        .map(({ id, name, domain }) => ({ id, name, domain })),
      state,
      lastError: row.lastError,
      ackedSeq: known ? row.ackedSeq : null,
      latestSeq,
      behind: lag.changes,
      behindSeconds:
        lag.oldestAt === null ? null : Math.max(0, Math.floor((now - new Date(lag.oldestAt).getTime()) / 1000)),
      failures: row.failures,
      nextAttemptAt: row.nextAttemptAt,
      lastContactAt: row.lastContactAt,
      lastPushAt: row.lastPushAt,
      lastSweepAt: row.lastSweepAt,
      sweepEveryMs: row.sweepEveryMs,
      unhandledEvents: unhandled.get(row.id) ?? 0,
      createdAt: row.createdAt,
    });
  }
  return statuses;
}

/** Removes a front server: nothing is pushed to it any more; its tamper events are kept. */
export async function removeFront(ctx: ServiceContext, actor: Actor, name: string): Promise<void> {
  requirePlatform(actor);
  await ctx.store.db.transaction().execute(async (trx) => {
    const row = await fronts.findFrontByName(trx, name);
    if (!row) throw new GazetteError('FRONT_NOT_FOUND', { name });
    await fronts.deleteFront(trx, row.id);
    await appendAudit(trx, ctx.store.dialect, ctx.clock.now(), actor, {
      action: 'front.remove',
      targetType: 'front',
      targetId: row.id,
      details: { name: row.name, url: row.url },
    });
  });
}
