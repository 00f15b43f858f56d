// Link check: internal links and media of published pages (on publish and in a sweep), external
// links on request.
export { extractLinks } from './extract.js';
export { classifyLink, LINK_KINDS, type LinkKind, type LinkTarget } from './classify.js';
export { LinkChecker, isHtmlPage, type LinkFinding, type LinkCheckSetup } from './check.js';
export {
  probeExternal,
  externalProber,
  EXTERNAL_DEFAULTS,
  MAX_REDIRECTS,
  type ExternalOptions,
  type Verdict,
} from './external.js';
export { OutboundGuard, type Resolver } from './outbound.js';
export { replaceFindings, listFindings, type StoredFinding } from './findings.js';
export { sweepLinks, checkPages, linkCheckOnPublish, type LinkCheckContext, type LinkSweep } from './sweep.js';
