import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { Kysely } from 'kysely';
import type { Clock } from '../clock.js';
import { rateLimits, type Database } from '../store/index.js';

/** Counts of one route (or of the plugin as a whole, `*`) in the store's rate_limit table. */
class ScopedRateLimits implements FastifyRateLimitStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly scope: string,
  ) {}

  incr(
    key: string,
    callback: (error: Error | null, result?: { current: number; ttl: number }) => void,
    timeWindow: number,
  ): void {
    const now = this.clock.now().getTime();
    rateLimits.hit(this.db, `${this.scope}|${key}`, now, timeWindow).then(
      ({ hits, windowStart }) => callback(null, { current: hits, ttl: Math.max(0, windowStart + timeWindow - now) }),
      (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
    );
  }

  child(route: { method: string | string[]; path: string }): FastifyRateLimitStore {
    return new ScopedRateLimits(this.db, this.clock, `${String(route.method)} ${route.path}`);
  }
}

/**
 * Rate-limit counts kept in the store rather than in each process, so that several app instances
 * behind one balancer allow the limit once, not once each. Each route counts on its own, as with
 * the plugin's own store.
 */
export function storeBackedRateLimits(db: Kysely<Database>, clock: Clock): FastifyRateLimitStoreCtor {
  return class extends ScopedRateLimits {
    constructor() {
      super(db, clock, '*');
    }
  };
}
