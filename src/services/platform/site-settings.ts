import { placementChanged, recordEvents, sendEvents } from '../events.js';
import { GazetteError, type ErrorParam } from '../../domain/index.js';
import { sites, type PlacedPages } from '../../store/index.js';
import { requireAnywhere, type Actor } from '../actor.js';
import { appendAudit } from '../audit.js';
import type { ServiceContext } from '../context.js';
import { currentSite } from '../site.js';

/** The largest per-user media quota a site may set, in MiB (1 TiB): beyond it, a typo, not a plan. */
export const MAX_MEDIA_QUOTA_MB = 1024 * 1024;

/** The working days a site may give its policies to get their 解读: 1 to 30 (six weeks is already lax). */
export const INTERPRETATION_DUE_DAYS = { min: 1, max: 30 } as const;

/** What the back office shows and changes about the site as a whole. */
export interface SiteSettings {
  readonly id: number;
  readonly name: string;
  readonly timeZone: string;
  /** The public pages show in grey (哀悼日置灰). */
  readonly mourning: boolean;
  /** How its lists show articles placed from other sites (引用): a link to their page, or a copy here. */
  readonly placedPages: PlacedPages;
  /** What each user may upload to the site, in MiB (ASVS 12.1.3). */
  readonly mediaQuotaMb: number;
  /** Working days a published policy may wait for its 解读 before the health report warns. */
  readonly interpretationDueDays: number;
}

export async function siteSettings(ctx: Pick<ServiceContext, 'store' | 'siteId'>): Promise<SiteSettings> {
  const { site } = await currentSite(ctx.store.db, ctx.siteId);
  const [mourning, placedPages, mediaQuotaMb, interpretationDueDays] = await Promise.all([
    sites.findMourning(ctx.store.db, site.id),
    sites.findPlacedPages(ctx.store.db, site.id),
    sites.findMediaQuotaMb(ctx.store.db, site.id),
    sites.findInterpretationDueDays(ctx.store.db, site.id),
  ]);
  return {
    id: site.id,
    name: site.name,
    timeZone: site.timeZone,
    mourning,
    placedPages,
    mediaQuotaMb,
    interpretationDueDays,
  };
}

/**
 * Turns grey mode on or off for every public page at once: pages link /site-mode.css, which is
 * read from this setting on each request, so nothing is re-rendered. Audited, even when unchanged
 * (an administrator's deliberate click is worth a line in the log).
 */
export async function setMourning(ctx: ServiceContext, actor: Actor, mourning: boolean): Promise<SiteSettings> {
  const { site, tree } = await currentSite(ctx.store.db, ctx.siteId);
  requireAnywhere(actor, 'site.manage', tree);
  await ctx.store.db.transaction().execute(async (trx) => {
    const now = ctx.clock.now();
    const was = await sites.findMourning(trx, site.id);
    await sites.setMourning(trx, site.id, mourning, now);
    await appendAudit(trx, ctx.store.dialect, now, actor, {
      action: 'site.mourning',
      targetType: 'site',
      targetId: site.id,
      details: { mourning, was },
    });
  });
  return siteSettings(ctx);
}

/**
 * Whether the site's lists link placed articles of other sites to their own page ('link') or to
 * a copy the site keeps in its column, carrying rel=canonical ('copy'). Every list showing one,
 * and the copies, are published again.
 */
export async function setPlacedPages(ctx: ServiceContext, actor: Actor, mode: PlacedPages): Promise<SiteSettings> {
  const { site, tree } = await currentSite(ctx.store.db, ctx.siteId);
  requireAnywhere(actor, 'site.manage', tree);
  const recorded = await ctx.store.db.transaction().execute(async (trx) => {
    const now = ctx.clock.now();
    const was = await sites.findPlacedPages(trx, site.id);
    await sites.setPlacedPages(trx, site.id, mode, now);
    await appendAudit(trx, ctx.store.dialect, now, actor, {
      action: 'site.placed-pages',
      targetType: 'site',
      targetId: site.id,
      details: { mode, was },
    });
    const placed =
      was === mode
        ? []
        : await trx
            .selectFrom('placement')
            .select(['siteId', 'articleId', 'channelId', 'publishedAt'])
            .where('siteId', '=', site.id)
            .where('live', '=', 1)
            .execute();
    return recordEvents(
      trx,
      ctx,
      placed.flatMap((p) => placementChanged(p, 'edited')),
    );
  });
  sendEvents(ctx, recorded);
  return siteSettings(ctx);
}

/**
 * What each user may upload to the site (MiB). Lowering it below what someone already uploaded
 * removes nothing: their next upload is refused until it is raised again. Audited.
 */
export function setMediaQuota(ctx: ServiceContext, actor: Actor, quotaMb: number): Promise<SiteSettings> {
  return setNumber(ctx, actor, 'mediaQuotaMb', quotaMb, {
    min: 1,
    max: MAX_MEDIA_QUOTA_MB,
    action: 'site.media-quota',
    reason: `a whole number of MiB from 1 to ${MAX_MEDIA_QUOTA_MB}`,
  });
}

/**
 * How many working days a published policy may wait for its 解读 before the health report warns
 * (1 to 30; 3 on a new site). The next health run counts with it. Audited.
 */
export function setInterpretationDueDays(ctx: ServiceContext, actor: Actor, days: number): Promise<SiteSettings> {
  const { min, max } = INTERPRETATION_DUE_DAYS;
  return setNumber(ctx, actor, 'interpretationDueDays', days, {
    min,
    max,
    action: 'site.interpretation-due-days',
    reason: {
      zh: `须为 ${min} 到 ${max} 之间的整数（工作日）`,
      en: `a whole number of working days from ${min} to ${max}`,
    },
  });
}

/** Sets one of the site's whole-number settings within its bounds, audited with the value it had. */
async function setNumber(
  ctx: ServiceContext,
  actor: Actor,
  setting: sites.NumberSetting,
  value: number,
  rule: { min: number; max: number; action: string; reason: ErrorParam },
): Promise<SiteSettings> {
  const { site, tree } = await currentSite(ctx.store.db, ctx.siteId);
  requireAnywhere(actor, 'site.manage', tree);
  if (!Number.isInteger(value) || value < rule.min || value > rule.max)
    throw new GazetteError('FIELD_INVALID', { field: setting, reason: rule.reason });
  await ctx.store.db.transaction().execute(async (trx) => {
    const now = ctx.clock.now();
    const was = await sites.findNumberSetting(trx, site.id, setting);
    await sites.setNumberSetting(trx, site.id, setting, value, now);
    await appendAudit(trx, ctx.store.dialect, now, actor, {
      action: rule.action,
      targetType: 'site',
      targetId: site.id,
      details: { [setting]: value, was },
    });
  });
  return siteSettings(ctx);
}
