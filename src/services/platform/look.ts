// 站点外观: the site administrator's look of the site (colours, logo, banner, favicon, the home
// page's blocks). A save is checked whole (validateLook, then WCAG AA contrast), written over the
// version it started from, audited with what changed, and publishes exactly the parts it reaches.
import {
  COLOUR_USES,
  GazetteError,
  checkLookContrast,
  defaultLook,
  validateLook,
  type HomeBlock,
  type LookPart,
  type SiteLook,
} from '../../domain/index.js';
import { looks, publishTasks } from '../../store/index.js';
import { requireAnywhere, type Actor } from '../actor.js';
import { appendAudit } from '../audit.js';
import type { ServiceContext } from '../context.js';
import { recordEvents, sendEvents } from '../events.js';
import { currentSite } from '../site.js';

/** The site's look as the back office edits it. */
export interface LookState {
  readonly look: SiteLook;
  /** The version a save must name: 0 while the site has saved none (the default look shows). */
  readonly version: number;
  readonly updatedAt: string | null;
  /** No look saved: this is the theme's default for the site's columns. */
  readonly isDefault: boolean;
}

/** The stored look, or the default for the site's columns. */
export async function siteLook(ctx: Pick<ServiceContext, 'store' | 'siteId'>): Promise<LookState> {
  const { site, tree } = await currentSite(ctx.store.db, ctx.siteId);
  const stored = await looks.findLook(ctx.store.db, site.id);
  return stored
    ? { look: stored.look, version: stored.version, updatedAt: stored.updatedAt, isDefault: false }
    : { look: defaultLook(tree), version: 0, updatedAt: null, isDefault: true };
}

/** Refuses the first colour white text cannot be read on (WCAG 2.1 AA), with its measured ratio. */
export function requireReadableColours(look: SiteLook): void {
  const failure = checkLookContrast(look)[0];
  if (!failure) return;
  const { name, use } = COLOUR_USES[failure.field];
  throw new GazetteError('LOOK_CONTRAST_TOO_LOW', {
    field: failure.field,
    name,
    colour: failure.colour,
    ratio: failure.ratio.toFixed(2),
    use,
  });
}

/** A value as canonical JSON (keys sorted), so that two looks compare by content, not key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

const same = (a: unknown, b: unknown) => canonical(a) === canonical(b);

/** Which part of the site each field of the look reaches (look-deps.ts renders them). */
const FIELD_PARTS: readonly [keyof SiteLook, LookPart][] = [
  ['mainColour', 'stylesheet'],
  ['accentColour', 'stylesheet'],
  ['blocks', 'home'],
  ['logo', 'pages'],
  ['banner', 'pages'],
  ['favicon', 'pages'],
];

/** The fields that differ, in FIELD_PARTS order, and the parts of the site they reach (each once). */
export function lookChanges(before: SiteLook, after: SiteLook): { fields: (keyof SiteLook)[]; parts: LookPart[] } {
  const fields = FIELD_PARTS.filter(([field]) => !same(before[field], after[field])).map(([field]) => field);
  const reached = new Set(FIELD_PARTS.filter(([field]) => fields.includes(field)).map(([, part]) => part));
  return { fields, parts: (['stylesheet', 'home', 'pages'] as const).filter((part) => reached.has(part)) };
}

/** What the audit log keeps of a change: each changed field from and to (blocks by id). */
function auditDetails(before: SiteLook, after: SiteLook, fields: readonly (keyof SiteLook)[]): Record<string, unknown> {
  const shown = (look: SiteLook, field: keyof SiteLook) => {
    const value = look[field];
    if (field === 'blocks') return (value as readonly HomeBlock[]).map((b) => `${b.id}:${b.kind}`);
    return value && typeof value === 'object' && 'url' in value ? value.url : value;
  };
  const edited = after.blocks
    .filter((b) => before.blocks.some((old) => old.id === b.id && !same(old, b)))
    .map((b) => b.id);
  return {
    ...Object.fromEntries(fields.map((field) => [field, { from: shown(before, field), to: shown(after, field) }])),
    ...(fields.includes('blocks') ? { blocksEdited: edited } : {}),
  };
}

/**
 * Saves the site's look over `version` (0: the default, none saved yet). Needs site.manage. The
 * input is checked whole (400/422 naming the field), each colour must keep 4.5:1 with white text
 * (422 with the ratio), and a save over a version someone else replaced is refused (409). A look
 * equal to the current one writes nothing and publishes nothing; otherwise one transaction stores
 * it, audits `site.look` with each changed field, and records `look.changed` with the parts it reaches.
 */
export async function saveLook(ctx: ServiceContext, actor: Actor, input: unknown, version: number): Promise<LookState> {
  const { site, tree } = await currentSite(ctx.store.db, ctx.siteId);
  requireAnywhere(actor, 'site.manage', tree);
  const look = validateLook(input, tree);
  requireReadableColours(look);
  const recorded = await ctx.store.db.transaction().execute(async (trx) => {
    const now = ctx.clock.now();
    const stored = await looks.findLook(trx, site.id);
    const current = stored?.version ?? 0;
    if (current !== version) throw new GazetteError('LOOK_VERSION_CONFLICT', { yours: version, current });
    const before = stored?.look ?? defaultLook(tree);
    const { fields, parts } = lookChanges(before, look);
    if (fields.length === 0) return null;
    const saved = await looks.saveLook(trx, site.id, look, version, now, actor.userId);
    await appendAudit(trx, ctx.store.dialect, now, actor, {
      action: 'site.look',
      targetType: 'site',
      targetId: site.id,
      details: { version: saved, ...auditDetails(before, look, fields) },
    });
    return recordEvents(trx, ctx, [{ type: 'look.changed', siteId: site.id, parts }]);
  });
  if (recorded) sendEvents(ctx, recorded);
  return siteLook(ctx);
}

/** A re-render of the site's look or templates under way, and how far it got. */
export interface LookProgress {
  readonly id: number;
  readonly type: 'look.changed' | 'theme.changed';
  /** Pages rendered so far and in all: both 0 until the run has counted them (small runs never do). */
  readonly done: number;
  readonly total: number;
  readonly since: string;
}

/** The site's look and template re-renders still in flight, oldest first (empty once all are written). */
export async function lookProgress(ctx: ServiceContext, actor: Actor): Promise<LookProgress[]> {
  const { site, tree } = await currentSite(ctx.store.db, ctx.siteId);
  requireAnywhere(actor, 'site.manage', tree);
  const tasks = await publishTasks.openTasksOf(ctx.store.db, site.id, ['look.changed', 'theme.changed']);
  return tasks.map((task) => ({
    id: task.id,
    type: task.type === 'theme.changed' ? 'theme.changed' : 'look.changed',
    done: task.progressDone,
    total: task.progressTotal,
    since: task.createdAt,
  }));
}
