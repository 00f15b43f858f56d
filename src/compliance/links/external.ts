/** A link's check: fine, or broken with the HTTP status (null when there was no answer) and why. */
export type Verdict =
  { readonly ok: true } | { readonly ok: false; readonly status: number | null; readonly reason: string };

export const OK: Verdict = { ok: true };

export interface ExternalOptions {
  /** Per request (ms). */
  readonly timeoutMs: number;
  /** Requests in flight at once, across the whole check. */
  readonly concurrency: number;
}

export const EXTERNAL_DEFAULTS: ExternalOptions = { timeoutMs: 10_000, concurrency: 8 };

async function request(url: string, method: 'HEAD' | 'GET', timeoutMs: number): Promise<number> {
  const response = await fetch(url, {
    method,
    redirect: 'follow',
    signal: AbortSignal.timeout(timeoutMs),
    headers: { 'user-agent': 'Gazette link check' },
  });
  // Only the status matters: the body is not read.
  await response.body?.cancel();
  return response.status;
}

/**
 * Checks an address on another site: HEAD first (cheap), then GET when HEAD fails or is refused,
 * since many servers answer HEAD with 403, 404 or 405 for pages that exist.
 */
export async function probeExternal(url: string, timeoutMs: number): Promise<Verdict> {
  let headStatus: number | null = null;
  try {
    headStatus = await request(url, 'HEAD', timeoutMs);
    if (headStatus < 400) return OK;
  } catch {
    // No answer to HEAD: GET decides.
  }
  try {
    const status = await request(url, 'GET', timeoutMs);
    return status < 400 ? OK : { ok: false, status, reason: `HTTP ${status}` };
  } catch (error) {
    const reason =
      error instanceof Error && error.name === 'TimeoutError'
        ? `no answer within ${timeoutMs} ms`
        : `unreachable: ${error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error)}`;
    return { ok: false, status: headStatus, reason };
  }
}
