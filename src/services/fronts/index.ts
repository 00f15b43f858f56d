// Front servers (分发): the web servers in the DMZ the CMS pushes published pages to, and the
// tamper events (网页防篡改) they report. The distributor that pushes is src/front/distribute.ts.
export { addFront, listFronts, removeFront, frontUrl, servedSiteIds, isPlatformActor } from './fronts.js';
export { frontEvents, handleFrontEvent, eventView, EVENT_LIST_LIMIT } from './events.js';
export { tamperHealth, TAMPER_CONTACT_MS } from './health.js';
export {
  FrontStatusSchema,
  FrontEventViewSchema,
  FrontEventQuerySchema,
  FrontStateSchema,
  NewFrontSchema,
  TamperKindSchema,
  TAMPER_KIND_LABELS,
  type FrontStatus,
  type FrontEventView,
  type FrontEventQuery,
  type FrontStateName,
  type NewFrontInput,
} from './views.js';
