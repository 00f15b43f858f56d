// Column freshness (栏目更新) and emptiness (空白栏目), on the injected clock.
export { RULE_LIMITS, HOME_LIMIT, LONG_STALE_DAYS, DAY_MS, limitOf, type RuleLimit } from './rules.js';
export {
  evaluateColumns,
  evaluateHome,
  type ChannelStat,
  type ColumnFreshness,
  type FreshnessState,
  type HomeFreshness,
} from './evaluate.js';
export { channelStats, newestOf } from './load.js';
