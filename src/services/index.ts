// Services: the operations that change content. The CLI, importers, HTTP API, scheduler and tests
// call these; each validates, checks permission, writes in one transaction, appends to the audit
// log and, after the commit, tells the publisher what changed. Grouped by capability, each group
// with its front door: content/, accounts/, platform/ (sites), sharing/ (引用, 信息报送), health/; what they all share (the
// context, actors, events, the audit chain, the site an operation works on, the API's schemas)
// stands here.
export type { ServiceContext, ContentEventSink } from './context.js';
export { EventHub, type ContentEvent } from './events.js';
export { systemActor, requirePermission, requireAnywhere, type Actor } from './actor.js';
export { currentSite, type SiteScope } from './site.js';
export {
  appendAudit,
  recordAudit,
  recordAuditOncePerMinute,
  verifyAuditChain,
  entryHash,
  GENESIS_HASH,
  type ChainReport,
  type AuditRecord,
} from './audit.js';
export * from './views.js';
export * from './platform/index.js';
export * from './content/index.js';
export * from './accounts/index.js';
export * from './health/index.js';
export * from './sharing/index.js';
export * from './cases/index.js';
export * from './consultations/index.js';
export * from './surveys/index.js';
export * from './fronts/index.js';
