import type { ChannelTree, UpdateRule } from '../../domain/index.js';
import { DAY_MS, HOME_LIMIT, LONG_STALE_DAYS, limitOf, type RuleLimit } from './rules.js';

/** What is known of a column's own published articles. */
export interface ChannelStat {
  readonly published: number;
  /** ISO instant of its newest published article, null when it has none. */
  readonly newest: string | null;
}

/**
 * ok: within its limit; warning: close to it; stale: past it; long-stale: silent for over a year;
 * empty: a list column with nothing published in it or below it; exempt: no rule (or not a list).
 */
export type FreshnessState = 'ok' | 'warning' | 'stale' | 'long-stale' | 'empty' | 'exempt';

export interface ColumnFreshness {
  readonly channelId: number;
  readonly name: string;
  readonly path: string;
  readonly rule: UpdateRule;
  readonly lastUpdate: string | null;
  /** Whole days since the last update, null when there was none. */
  readonly ageDays: number | null;
  readonly limitDays: number | null;
  readonly state: FreshnessState;
}

export interface HomeFreshness {
  readonly lastUpdate: string | null;
  readonly ageDays: number | null;
  readonly limitDays: number;
  readonly state: 'ok' | 'warning' | 'stale';
}

function ageOf(newest: string | null, now: Date): { elapsed: number; days: number } | null {
  if (newest === null) return null;
  const elapsed = now.getTime() - new Date(newest).getTime();
  return { elapsed, days: Math.floor(elapsed / DAY_MS) };
}

function stateFor(elapsed: number, limit: RuleLimit): 'ok' | 'warning' | 'stale' {
  if (elapsed > limit.limitDays * DAY_MS) return 'stale';
  return elapsed >= limit.warnDays * DAY_MS ? 'warning' : 'ok';
}

/**
 * Every list column's state. A column's last update is its own newest article: each sub-column
 * carries its own rule, so a parent's rule speaks for what the parent itself publishes. Emptiness
 * looks at the whole subtree: a parent whose sub-columns have content is not a 空白栏目.
 */
export function evaluateColumns(
  tree: ChannelTree,
  stats: ReadonlyMap<number, ChannelStat>,
  now: Date,
): ColumnFreshness[] {
  return tree
    .all()
    .filter((channel) => channel.type === 'list')
    .map((channel) => {
      const rule = channel.updateRule ?? 'none';
      const own = stats.get(channel.id);
      const age = ageOf(own?.newest ?? null, now);
      const limit = limitOf(rule);
      const base = {
        channelId: channel.id,
        name: channel.name,
        path: tree.path(channel.id),
        rule,
        lastUpdate: own?.newest ?? null,
        ageDays: age?.days ?? null,
        limitDays: limit?.limitDays ?? null,
      };
      const subtreePublished = tree
        .subtreeIds(channel.id)
        .reduce((sum, id) => sum + (stats.get(id)?.published ?? 0), 0);
      if (subtreePublished === 0) return { ...base, state: 'empty' as const };
      if (!limit) return { ...base, state: 'exempt' as const };
      // A parent with a rule but only its sub-columns' articles has never updated itself.
      if (!age) return { ...base, state: 'long-stale' as const };
      if (age.elapsed > LONG_STALE_DAYS * DAY_MS) return { ...base, state: 'long-stale' as const };
      return { ...base, state: stateFor(age.elapsed, limit) };
    });
}

/** The home page's last update: the newest published article anywhere on the site. */
export function evaluateHome(newest: string | null, now: Date): HomeFreshness {
  const age = ageOf(newest, now);
  return {
    lastUpdate: newest,
    ageDays: age?.days ?? null,
    limitDays: HOME_LIMIT.limitDays,
    state: age ? stateFor(age.elapsed, HOME_LIMIT) : 'stale',
  };
}
