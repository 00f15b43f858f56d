import type { FastifyBaseLogger } from 'fastify';
import { AUTH_POLICY, runDueJobs, type ServiceContext } from '../services/index.js';
import { rateLimits, sessions } from '../store/index.js';
import { repeat } from '../repeat.js';
import type { Publisher } from '../publish/index.js';

const SESSION_SWEEP_MS = 10 * 60_000;

/**
 * Polls the job table for scheduled publishes and withdrawals that are due. The jobs live in the
 * store, so a restart loses none: the first tick after start-up runs whatever fell due meanwhile.
 * Each tick also finishes publish tasks that an instance left half done (killed, cut off).
 */
export function startScheduler(ctx: ServiceContext, publisher: Publisher, log: FastifyBaseLogger, everyMs = 5_000): { stop(): Promise<void> } {
  let lastSweep = 0;
  return repeat(
    async () => {
      const now = ctx.clock.now();
      if (now.getTime() - lastSweep >= SESSION_SWEEP_MS) {
        // Idle and expired sessions are refused anyway; this only keeps the table small.
        await sessions.deleteExpiredSessions(ctx.store.db, new Date(now.getTime() - AUTH_POLICY.idleMinutes * 60_000), now);
        await rateLimits.sweep(ctx.store.db, now.getTime() - SESSION_SWEEP_MS);
        lastSweep = now.getTime();
      }
      const recovered = await publisher.recoverAbandoned();
      if (recovered > 0) log.warn({ tasks: recovered }, 'finished publish tasks another instance left');
      for (const run of await runDueJobs(ctx)) {
        if (run.outcome === 'done') log.info({ job: run.jobId, article: run.articleId, kind: run.kind }, 'scheduled job done');
        else log.warn({ job: run.jobId, article: run.articleId, kind: run.kind, error: run.error }, 'scheduled job failed');
      }
    },
    everyMs,
    (error) => log.error({ err: error }, 'scheduler tick failed'),
  );
}
