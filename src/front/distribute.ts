import type { PlatformSite } from '../domain/index.js';
import { OutputStore } from '../publish/output.js';
import type { Mailer } from '../services/cases/mailer.js';
import { fronts, manifest, sites, type FrontRow, type Store } from '../store/index.js';
import { FrontWorker, type WorkerContext } from './front-worker.js';
import type { FrontTls } from './client.js';

/**
 * 分发: pushes every change of the manifest to every front server, in order, and collects what
 * the fronts gathered (tamper events, 浏览次数, their sweep and disk state).
 *
 * Each round re-reads the front_server rows, so a front added by `gazette front add` while the
 * server runs is served at the next round. Rounds run on a timer (the safety net, and SQLite's
 * only signal besides `runSoon`, which `gazette serve` calls after each publish) and on the
 * manifest's notification on PostgreSQL. Each front has a worker of its own: a front that is down
 * or slow holds up no other.
 *
 * Several instances on one PostgreSQL may all run this. A front is pushed by one of them at a
 * time: a lease on its row (front_server.lease_until, taken by a conditional update and moved on
 * after each batch; the others pass the front by while it runs; a killed instance's lease runs
 * out within 90 s), so no database connection is held while a front is talked to. Even if two
 * pushes raced (a lease run out mid-push), the front applies a batch only when its fromSeq is the
 * front's own sequence (409 otherwise), so nothing is applied twice or out of order; the loser
 * reads the front's state and goes on from there. Views batches are added exactly once by the
 * batch number kept in the same transaction as the counts; events once by (front, remote id).
 */
export interface DistributorLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface DistributorOptions {
  readonly store: Store;
  /** The output store's folder (GAZETTE_DATA/public): a manifest key is a file path under it. */
  readonly publicDir: string;
  /** The clock of backoff and contact times, and of signatures (the agent checks their age on its clock). */
  readonly now: () => Date;
  /** The safety-net timer (default 1 s). */
  readonly everyMs?: number;
  /** Tamper events are mailed with it, when SMTP is configured. */
  readonly mailer?: Mailer | null;
  /** The back office's address for links in mail (GAZETTE_ADMIN_URL). */
  readonly adminUrl?: string | null;
  /** Client certificate and authority for fronts that demand them. */
  readonly tls?: FrontTls;
  /** How long a request to a front may take (default 10 s; a push 60 s). */
  readonly timeoutMs?: number;
  readonly log?: DistributorLog;
  /**
   * How long a page may differ from its manifest row before the CMS's output counts as damaged
   * (default 30 s: a publish writes a page's file a moment before it records it).
   */
  readonly outputGraceMs?: number;
}

export interface Distributor {
  /** Asks for a round now (a publish just finished). */
  runSoon(): void;
  /** Resolves once every front is up to date or backing off after a failure. */
  settled(): Promise<void>;
  /** Stops the rounds and waits for those in flight. */
  stop(): Promise<void>;
}

const quiet: DistributorLog = { info: () => {}, warn: () => {}, error: () => {} };
const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function startDistributor(options: DistributorOptions): Distributor {
  const log = options.log ?? quiet;
  const workers = new Map<number, FrontWorker>();
  let allSites: PlatformSite[] = [];
  let latest = 0;
  const context: WorkerContext = {
    store: options.store,
    output: new OutputStore(options.publicDir),
    now: options.now,
    log,
    mailer: options.mailer ?? null,
    adminUrl: options.adminUrl ?? null,
    timeoutMs: options.timeoutMs,
    tls: options.tls,
    outputGraceMs: options.outputGraceMs ?? 30_000,
    sites: () => allSites,
    latest: () => latest,
  };
  let stopped = false;
  let running: Promise<void> | null = null;
  let again = false;

  const round = async () => {
    const rows = await fronts.listFronts(options.store.db);
    if (rows.length > 0) {
      latest = await manifest.latestChange(options.store.db);
      allSites = await sites.listSites(options.store.db);
    }
    const ids = new Set(rows.map((row) => row.id));
    for (const [id, worker] of workers)
      if (!ids.has(id)) {
        worker.close();
        workers.delete(id);
      }
    for (const row of rows) {
      let worker = workers.get(row.id);
      if (!worker) workers.set(row.id, (worker = new FrontWorker(row.id, context)));
      worker.kick();
    }
  };
  const runSoon = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = round()
      .catch((error: unknown) => log.error({ err: error }, 'distribution round failed'))
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          runSoon();
        }
      });
  };
  const timer = setInterval(runSoon, options.everyMs ?? 1_000);
  timer.unref();
  const listener = options.store.listen('gazette_pages', runSoon);
  runSoon();

  /** Whether a front needs nothing now: up to date with its sites sent, or waiting out a backoff. */
  const done = (row: FrontRow, now: number) =>
    (row.nextAttemptAt !== null && Date.parse(row.nextAttemptAt) > now) ||
    (row.ackedSeq >= latest && workers.get(row.id)?.sitesSent === true);

  return {
    runSoon,
    async settled() {
      for (;;) {
        while (running || [...workers.values()].some((worker) => worker.busy)) await pause(5);
        const rows = await fronts.listFronts(options.store.db);
        latest = await manifest.latestChange(options.store.db);
        const now = options.now().getTime();
        if (rows.every((row) => done(row, now))) return;
        runSoon();
        await pause(5);
      }
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await listener?.close();
      await running;
      await Promise.all([...workers.values()].map((worker) => worker.stop()));
    },
  };
}
