import { GazetteError } from '../../domain/index.js';
import type { TamperKind } from '../../front/protocol.js';
import { fronts, type FrontEventRow } from '../../store/index.js';
import { requireAnywhere, type Actor } from '../actor.js';
import { appendAudit } from '../audit.js';
import type { ServiceContext } from '../context.js';
import { currentSite } from '../site.js';
import { isPlatformActor } from './fronts.js';
import type { FrontEventQuery, FrontEventView } from './views.js';

/** The most events one listing returns (newest first). */
export const EVENT_LIST_LIMIT = 500;
const NOTE_MAX = 1000;

export function eventView(row: FrontEventRow & { handledByName: string | null }): FrontEventView {
  return {
    id: row.id,
    frontId: row.frontId,
    frontName: row.frontName,
    remoteId: row.remoteId,
    at: row.at,
    siteId: row.siteId,
    path: row.path,
    file: row.file,
    kind: row.kind as TamperKind,
    detail: row.detail,
    quarantine: row.quarantine,
    restored: row.restored === 1,
    handledAt: row.handledAt,
    handledBy: row.handledAt === null ? null : row.handledByName,
    note: row.note,
  };
}

/**
 * The sites whose events the actor may see: every site for the platform administrator (or the one
 * asked for); else the site the request works on, for its administrator (site.manage), and no other.
 */
async function visibleSites(
  ctx: Pick<ServiceContext, 'store' | 'siteId'>,
  actor: Actor,
  asked: number | undefined,
): Promise<number[] | null> {
  if (isPlatformActor(actor)) return asked === undefined ? null : [asked];
  const { site, tree } = await currentSite(ctx.store.db, ctx.siteId);
  requireAnywhere(actor, 'site.manage', tree);
  if (asked !== undefined && asked !== site.id) throw new GazetteError('PERMISSION_DENIED', { action: 'site.manage' });
  return [site.id];
}

/** Tamper events reported by the fronts, newest first (at most 500). */
export async function frontEvents(
  ctx: Pick<ServiceContext, 'store' | 'siteId'>,
  actor: Actor,
  query: FrontEventQuery = {},
): Promise<FrontEventView[]> {
  const siteIds = await visibleSites(ctx, actor, query.siteId);
  const rows = await fronts.listEvents(ctx.store.db, {
    siteIds,
    unhandled: query.unhandled === true,
    limit: EVENT_LIST_LIMIT,
  });
  return rows.map(eventView);
}

/**
 * Marks a tamper event handled with what was done about it (audited). An event already handled
 * stays as it was handled first. An event of a site the actor does not administer is not found.
 */
export async function handleFrontEvent(
  ctx: ServiceContext,
  actor: Actor,
  id: number,
  note: string,
): Promise<FrontEventView> {
  const text = note.trim();
  if (text.length > NOTE_MAX)
    throw new GazetteError('FIELD_INVALID', {
      field: 'note',
      reason: { zh: `不超过 ${NOTE_MAX} 个字`, en: `at most ${NOTE_MAX} characters` },
    });
  const siteIds = await visibleSites(ctx, actor, undefined);
  return ctx.store.db.transaction().execute(async (trx) => {
    const row = await fronts.findEvent(trx, id);
    if (!row || (siteIds !== null && !siteIds.includes(row.siteId)))
      throw new GazetteError('FRONT_EVENT_NOT_FOUND', { id: String(id) });
    if (row.handledAt !== null) return eventView(row);
    const now = ctx.clock.now();
    await fronts.handleEvent(trx, id, { at: now, by: actor.userId, note: text });
    await appendAudit(trx, ctx.store.dialect, now, actor, {
      action: 'front.event.handle',
      targetType: 'front_event',
      targetId: id,
      details: { front: row.frontName, site: row.siteId, path: row.path, kind: row.kind, note: text },
    });
    const handled = await fronts.findEvent(trx, id);
    if (!handled) throw new GazetteError('FRONT_EVENT_NOT_FOUND', { id: String(id) });
    return eventView(handled);
  });
}
