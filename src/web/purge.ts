import type { FastifyBaseLogger } from 'fastify';

/**
 * The CDN purge hook: after each publish, POSTs the paths whose bytes changed (and their full
 * URLs) as JSON to the configured address — a CDN's purge API or a small adapter in front of it.
 * A failed call is logged, never retried forever: the pages' s-maxage bounds how stale a CDN gets.
 */
export function purgeHook(
  url: string,
  siteOrigin: () => Promise<string | null>,
  log: FastifyBaseLogger,
  timeoutMs = 5_000,
) {
  return async (paths: readonly string[]): Promise<void> => {
    const origin = await siteOrigin();
    const body = JSON.stringify({ paths, urls: origin ? paths.map((p) => new URL(p, origin).toString()) : [] });
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (!response.ok) log.warn({ status: response.status, pages: paths.length }, 'CDN purge refused');
    } catch (error) {
      log.warn({ err: error, pages: paths.length }, 'CDN purge failed');
    }
  };
}
