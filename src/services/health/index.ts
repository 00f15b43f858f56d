// Site health: the 国办秘函〔2019〕19号 report, run on demand and nightly.
export {
  computeHealthReport,
  runHealthCheck,
  runNightlyHealth,
  nightlySlot,
  nightlyDone,
  healthOverview,
  weeklyUpdates,
  linkFindingViews,
  NIGHTLY_HOUR,
  type HealthContext,
  type HealthRunOptions,
} from './health.js';
export { servicesHealth, interpretationsHealth } from './content.js';
