import http from 'node:http';
import https from 'node:https';
import { OutboundGuard, refusalReason, type Resolver } from './outbound.js';

/** A link's check: fine, or broken with the HTTP status (null when there was no answer) and why. */
export type Verdict =
  { readonly ok: true } | { readonly ok: false; readonly status: number | null; readonly reason: string };

export const OK: Verdict = { ok: true };

export interface ExternalOptions {
  /** Per request (ms). */
  readonly timeoutMs: number;
  /** Requests in flight at once, across the whole check. */
  readonly concurrency: number;
  /**
   * Non-public targets the operator vouches for (intranet sites the portal links to): CIDR ranges
   * (`10.20.0.0/16`), addresses or host names. Every other loopback, private, link-local or
   * otherwise special address is refused. None by default.
   */
  readonly allowPrivate?: readonly string[];
  /** How host names become addresses: the system's resolver unless a test puts its own. */
  readonly resolve?: Resolver;
}

export const EXTERNAL_DEFAULTS: ExternalOptions = { timeoutMs: 10_000, concurrency: 8, allowPrivate: [] };

/** Redirects followed per request; each hop is checked by the guard again. */
export const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

type Method = 'HEAD' | 'GET';
interface Answer {
  readonly status: number;
  readonly location: string | undefined;
}

/** One request, no redirect followed; only the status and Location matter, so the body is not read. */
function ask(url: URL, method: Method, guard: OutboundGuard, signal: AbortSignal): Promise<Answer> {
  guard.checkLiteral(url);
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(
      url,
      // A socket of its own (agent: false): a pooled one could have been opened under another guard.
      { method, signal, agent: false, lookup: guard.lookup, headers: { 'user-agent': 'Gazette link check' } },
      (response) => {
        resolve({ status: response.statusCode ?? 0, location: response.headers.location });
        response.destroy();
      },
    );
    request.on('error', reject);
    request.end();
  });
}

function refusedVerdict(reason: string, hop: URL | null): Verdict {
  return { ok: false, status: null, reason: `refused: ${reason}${hop ? ` (redirected to ${hop.href})` : ''}` };
}

/** The final status, following at most MAX_REDIRECTS redirects; a verdict when the guard or the limit stops it. */
async function follow(
  start: string,
  method: Method,
  guard: OutboundGuard,
  signal: AbortSignal,
): Promise<number | Verdict> {
  let url = new URL(start);
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    let answer: Answer;
    try {
      answer = await ask(url, method, guard, signal);
    } catch (error) {
      const reason = refusalReason(error);
      if (reason === null) throw error;
      return refusedVerdict(reason, hop === 0 ? null : url);
    }
    if (!REDIRECT_STATUSES.has(answer.status) || answer.location === undefined) return answer.status;
    url = new URL(answer.location, url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return refusedVerdict('not an http(s) address', url);
  }
  return { ok: false, status: null, reason: `more than ${MAX_REDIRECTS} redirects` };
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? error.cause.message : error.message;
}

/**
 * Checks an address on another site: HEAD first (cheap), then GET when HEAD fails or is refused,
 * since many servers answer HEAD with 403, 404 or 405 for pages that exist. A refused target or
 * too many redirects ends the check at once: GET would go the same way.
 */
async function probe(url: string, guard: OutboundGuard, timeoutMs: number): Promise<Verdict> {
  let headStatus: number | null = null;
  try {
    const head = await follow(url, 'HEAD', guard, AbortSignal.timeout(timeoutMs));
    if (typeof head !== 'number') return head;
    headStatus = head;
    if (head < 400) return OK;
  } catch {
    // No answer to HEAD: GET decides.
  }
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const status = await follow(url, 'GET', guard, signal);
    if (typeof status !== 'number') return status;
    return status < 400 ? OK : { ok: false, status, reason: `HTTP ${status}` };
  } catch (error) {
    const reason = signal.aborted ? `no answer within ${timeoutMs} ms` : `unreachable: ${describe(error)}`;
    return { ok: false, status: headStatus, reason };
  }
}

/** A checker of external links under one set of options (the allow-list is read once, here). */
export function externalProber(options: Partial<ExternalOptions> = {}): (url: string) => Promise<Verdict> {
  const guard = new OutboundGuard(options.allowPrivate ?? [], options.resolve);
  const timeoutMs = options.timeoutMs ?? EXTERNAL_DEFAULTS.timeoutMs;
  return (url) => probe(url, guard, timeoutMs);
}

/** Checks one address on another site (see `externalProber`). */
export function probeExternal(url: string, options: Partial<ExternalOptions> = {}): Promise<Verdict> {
  return externalProber(options)(url);
}
