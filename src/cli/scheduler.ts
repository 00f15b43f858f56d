import type { FastifyBaseLogger } from 'fastify';
import {
  AUTH_POLICY,
  anonymiseExpiredLetters,
  deliverHotlineEvents,
  mailLetterAlerts,
  nightlyDone,
  raiseLetterAlerts,
  resealPersonalData,
  nightlySlot,
  runDueJobs,
  runNightlyHealth,
  settleSearchIndex,
  type HealthContext,
  type Mailer,
  type ServiceContext,
} from '../services/index.js';
import { rateLimits, sessions, sites } from '../store/index.js';
import { repeat } from '../repeat.js';

/** How often each instance's scheduler looks for work. */
export const SCHEDULER_TICK_MS = 5_000;
const SESSION_SWEEP_MS = 10 * 60_000;
/** How often letters are checked against their deadlines (alerts are raised once each). */
const LETTER_WATCH_MS = 10 * 60_000;

/**
 * Polls the job table for scheduled publishes and withdrawals that are due. The jobs live in the
 * store, so a restart loses none: the first tick after start-up runs whatever fell due meanwhile.
 * Each tick also finishes publish tasks that an instance left half done (killed, cut off), and
 * ends by merging what publishes left pending in the search index (settleSearchIndex).
 */
export function startScheduler(
  ctx: ServiceContext & HealthContext,
  publisher: { recoverAbandoned(): Promise<number> },
  log: FastifyBaseLogger,
  everyMs = SCHEDULER_TICK_MS,
  mail: AlertMailing | null = null,
): { stop(): Promise<void> } {
  let lastSweep = 0;
  let lastWatch = 0;
  const nightly = nightlyHealthTick(ctx, log);
  const watch = letterWatchTick(ctx, log, mail);
  return repeat(
    async () => {
      const now = ctx.clock.now();
      if (now.getTime() - lastSweep >= SESSION_SWEEP_MS) {
        // Idle and expired sessions are refused anyway; this only keeps the table small.
        await sessions.deleteExpiredSessions(
          ctx.store.db,
          new Date(now.getTime() - AUTH_POLICY.idleMinutes * 60_000),
          now,
        );
        await rateLimits.sweep(ctx.store.db, now.getTime() - SESSION_SWEEP_MS);
        lastSweep = now.getTime();
      }
      const recovered = await publisher.recoverAbandoned();
      if (recovered > 0) log.warn({ tasks: recovered }, 'finished publish tasks another instance left');
      for (const run of await runDueJobs(ctx)) {
        if (run.outcome === 'done')
          log.info({ job: run.jobId, article: run.articleId, kind: run.kind }, 'scheduled job done');
        else
          log.warn(
            { job: run.jobId, article: run.articleId, kind: run.kind, error: run.error },
            'scheduled job failed',
          );
      }
      await hotlineTick(ctx, log);
      if (now.getTime() - lastWatch >= LETTER_WATCH_MS) {
        lastWatch = now.getTime();
        await watch();
        // A key rotation under way: a batch per tick until every letter is sealed with the new key.
        if (ctx.dataKeys?.previous) {
          const resealed = await resealPersonalData(ctx);
          if (resealed > 0) log.info({ letters: resealed }, 'personal data sealed with the new key');
        }
      }
      await nightly();
      // Last: a merge waits for one another instance is running.
      await settleSearchIndex(ctx);
    },
    everyMs,
    (error) => log.error({ err: error }, 'scheduler tick failed'),
  );
}

/**
 * The 12345 hotline's outbox: the webhooks due are sent (each tick, so an event reaches the
 * hotline within seconds). Its failure is logged and does not stop the rest of the tick.
 */
async function hotlineTick(ctx: ServiceContext, log: FastifyBaseLogger): Promise<void> {
  try {
    const sent = await deliverHotlineEvents(ctx);
    if (sent.delivered > 0) log.info({ webhooks: sent.delivered }, '12345 webhooks delivered');
    if (sent.retried > 0) log.warn({ webhooks: sent.retried }, '12345 webhooks not delivered: tried again later');
    if (sent.failed > 0) log.error({ webhooks: sent.failed }, '12345 webhooks given up after their last attempt');
  } catch (error) {
    log.error({ err: error }, '12345 webhook delivery failed');
  }
}

/** The mailer of the deadline alerts (GAZETTE_SMTP_URL), and where their links point. */
export interface AlertMailing {
  readonly mailer: Mailer;
  readonly adminUrl: string | null;
}

/**
 * The letter watch: raises the deadline alerts that fell due (the dashboard shows them), then,
 * with an SMTP server configured, mails the unmailed ones. A mail that did not go is logged and
 * its alerts stay unmailed, to be sent at the next watch. Without a server the alerts stay
 * unmailed and nothing is tried.
 */
export function letterWatchTick(
  ctx: ServiceContext,
  log: FastifyBaseLogger,
  mail: AlertMailing | null,
): () => Promise<void> {
  return async () => {
    const raised = await raiseLetterAlerts(ctx.store.db, ctx.clock.now());
    if (raised.length > 0) log.info({ alerts: raised.length }, 'letter deadline alerts raised');
    if (!mail) return;
    const report = await mailLetterAlerts(ctx, mail.mailer, { adminUrl: mail.adminUrl });
    if (report.sent > 0) log.info({ mails: report.sent, alerts: report.marked }, 'letter deadline alerts mailed');
    for (const failure of report.failed)
      log.warn(
        { user: failure.userId, kind: failure.kind, error: failure.error },
        failure.kind === 'unavailable'
          ? 'letter alert mail not sent: its alerts stay unmailed and are sent at the next watch'
          : 'letter alert mail refused for this recipient by the mail server: not tried again',
      );
  };
}

/**
 * The nightly health check (links swept, freshness, score): once a night from 02:00 site time,
 * exactly once across every instance on the store (runNightlyHealth claims the night in the
 * store). An instance remembers the night it saw done, so most ticks cost no query.
 */
export function nightlyHealthTick(ctx: HealthContext, log: FastifyBaseLogger): () => Promise<void> {
  // The night each site was last seen done: most ticks cost one small query for the sites'
  // clocks (every five seconds, on a platform of a thousand sites: never the whole site records).
  const seen = new Map<number, string>();
  return async () => {
    const slots = new Map<string, string | null>();
    for (const site of await sites.listSiteClocks(ctx.store.db)) {
      if (site.status !== 'active') continue;
      if (!slots.has(site.timeZone)) slots.set(site.timeZone, nightlySlot(ctx.clock.now(), site.timeZone));
      const slot = slots.get(site.timeZone) ?? null;
      if (slot === null || slot === seen.get(site.id)) continue;
      if (!(await nightlyDone(ctx.store.db, site.id, slot))) {
        const report = await runNightlyHealth({ ...ctx, siteId: site.id });
        // The night's other work for the site, done by the instance that claimed the night.
        const anonymised = report ? await anonymiseExpiredLetters(ctx, site.id) : 0;
        if (anonymised > 0)
          log.info({ site: site.domain, letters: anonymised }, 'personal data past retention removed');
        if (report)
          log.info(
            { site: site.domain, night: slot, score: report.score, passed: report.passed },
            'nightly health check done',
          );
      }
      seen.set(site.id, slot);
    }
  };
}
