import { GazetteError, localDayStart } from '../../domain/index.js';
import { audit, users } from '../../store/index.js';
import { requireAnywhere, type Actor } from '../actor.js';
import type { ServiceContext } from '../context.js';
import { currentSite } from '../site.js';
import type { AuditEntry, Page } from '../views.js';

export interface AuditQuery {
  /** A user name or id. */
  readonly user?: string | undefined;
  readonly action?: string | undefined;
  readonly article?: number | undefined;
  /** Local dates (YYYY-MM-DD), inclusive. */
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  readonly page?: number | undefined;
  readonly pageSize?: number | undefined;
}

function dayStart(date: string, timeZone: string, field: string, plusDays = 0): string {
  const start = localDayStart(date, timeZone, plusDays);
  if (!start)
    throw new GazetteError('FIELD_INVALID', {
      field,
      reason: { zh: '日期格式应为 YYYY-MM-DD', en: 'use a date like 2025-12-01' },
    });
  return start.toISOString();
}

/** The audit log for the audit administrator, newest first. */
export async function listAuditEntries(
  ctx: ServiceContext,
  actor: Actor,
  query: AuditQuery,
): Promise<Page<AuditEntry>> {
  const { site, tree } = await currentSite(ctx.store.db, ctx.siteId);
  requireAnywhere(actor, 'audit.read', tree);
  let userId: number | undefined;
  if (query.user) {
    const byName = await users.findUserByName(ctx.store.db, query.user);
    userId = byName?.id ?? (/^\d+$/.test(query.user) ? Number(query.user) : -1);
  }
  const page = Math.max(1, query.page ?? 1);
  const pageSize = Math.min(200, Math.max(1, query.pageSize ?? 50));
  const { rows, total } = await audit.listAudit(
    ctx.store.db,
    {
      userId,
      action: query.action || undefined,
      ...(query.article !== undefined && { targetType: 'article', targetId: String(query.article) }),
      from: query.from ? dayStart(query.from, site.timeZone, 'from') : undefined,
      before: query.to ? dayStart(query.to, site.timeZone, 'to', 1) : undefined,
    },
    { limit: pageSize, offset: (page - 1) * pageSize },
  );
  return {
    items: rows.map((r) => ({
      seq: r.seq,
      at: r.at,
      userId: r.userId,
      userName: r.userName,
      action: r.action,
      targetType: r.targetType,
      targetId: r.targetId,
      details: JSON.parse(r.details) as Record<string, unknown>,
      ip: r.ip,
    })),
    total,
    page,
    pageSize,
  };
}
