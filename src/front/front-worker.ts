import { isGazetteError, routeOf, type PlatformSite } from '../domain/index.js';
import type { OutputStore } from '../publish/output.js';
import type { Mailer } from '../services/cases/mailer.js';
import { fronts, manifest, type FrontEventRow, type FrontRow, type Store } from '../store/index.js';
import { frontSites, nextBatch, sitesKey, type Stall } from './batch.js';
import { FrontRequestError, openFrontClient, type FrontClient, type FrontTls } from './client.js';
import type { DistributorLog } from './distribute.js';
import { FRONT_PROTOCOL_VERSION, type FrontSite, type FrontState, type PushHeader } from './protocol.js';
import { mailTamperEvents } from './tamper-mail.js';

/** What every front's worker shares: the store, the output store, the clock, the round's reads. */
export interface WorkerContext {
  readonly store: Store;
  readonly output: OutputStore;
  readonly now: () => Date;
  readonly log: DistributorLog;
  readonly mailer: Mailer | null;
  readonly adminUrl: string | null;
  readonly timeoutMs: number | undefined;
  readonly tls: FrontTls | undefined;
  /** How long a page may not match its manifest row before the output counts as damaged. */
  readonly outputGraceMs: number;
  /** Every site, and the newest manifest change, as the last round read them. */
  sites(): readonly PlatformSite[];
  latest(): number;
}

type StoredState = 'ok' | 'behind' | 'down' | 'refused' | 'disk-full';

/** Collected at least this often while nothing is pushed: events, views, the sweep and disk state. */
export const COLLECT_EVERY_MS = 30_000;
/** The longest wait between attempts at a failing front. */
export const MAX_BACKOFF_MS = 60_000;
/** A page caught between its file and its manifest row is looked at again this soon. */
const STALL_RETRY_MS = 250;
/** 409s answered in one round before giving up on it (each is followed by a read of the front's state). */
const RESYNCS = 3;
/**
 * How long a distributor holds a front it serves; moved on after every batch. Longer than a push
 * may take (60 s): a lease that runs out mid-push lets another instance in, which the front's
 * sequence check keeps in order anyway.
 */
const LEASE_MS = 90_000;
/** Events and views batches taken per round at most. */
const COLLECT_PAGES = 20;
const EVENT_PAGE = 500;

/** The wait before attempt `failures` + 1: 2 s, 4 s, 8 s… at most a minute. */
export function backoffMs(failures: number): number {
  return Math.min(MAX_BACKOFF_MS, 1_000 * 2 ** Math.min(failures, 16));
}

/** A failure that is neither the network's nor the front's answer, with the state it puts the front in. */
class FrontFault extends Error {
  constructor(
    readonly state: StoredState,
    message: string,
  ) {
    super(message);
  }
}

function servedOf(row: Pick<FrontRow, 'siteIds'>): number[] | null {
  return row.siteIds === '' ? null : row.siteIds.split(',').map(Number);
}

/** The state a failure leaves a front in, and what the list says about it. */
function classify(error: unknown): { state: StoredState; message: string } | null {
  if (error instanceof FrontFault) return { state: error.state, message: error.message };
  if (error instanceof FrontRequestError) {
    const state: StoredState =
      error.status === null ? 'down' : error.status === 507 ? 'disk-full' : error.status >= 500 ? 'down' : 'refused';
    return { state, message: error.message };
  }
  if (isGazetteError(error) && error.code === 'FRONT_TOKEN_FILE')
    return { state: 'refused', message: error.messageIn('zh') };
  return null;
}

/**
 * One front's distribution: runs when kicked, one run at a time (a kick during a run makes one
 * more run after it). A run pushes every change the front lacks, batch by batch, then collects.
 */
export class FrontWorker {
  /** Whether the front holds the site list it would be sent now. */
  sitesSent = false;
  private sentKey: string | null = null;
  private lastCollect: number | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private closed = false;
  private retry: NodeJS.Timeout | null = null;
  private stall: (Stall & { since: number }) | null = null;
  /** Alert mail being sent (in the background: a slow mail server holds up no push). */
  private mailing: Promise<void> | null = null;
  /** The lease this worker holds on the front while it serves it. */
  private lease: string | null = null;

  constructor(
    readonly id: number,
    private readonly ctx: WorkerContext,
  ) {}

  /** A run in flight, or one due shortly. */
  get busy(): boolean {
    return this.running !== null || this.retry !== null || this.mailing !== null;
  }

  kick(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.run()
      .catch((error: unknown) => this.ctx.log.error({ err: error, front: this.id }, 'front distribution failed'))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  close(): void {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
  }

  async stop(): Promise<void> {
    this.close();
    await this.running;
    await this.mailing;
  }

  private async run(): Promise<void> {
    const { store, now } = this.ctx;
    const row = await fronts.findFront(store.db, this.id);
    if (!row || this.closed) return;
    const at = now().getTime();
    if (row.nextAttemptAt !== null && Date.parse(row.nextAttemptAt) > at) return;
    const sites = frontSites(this.ctx.sites(), servedOf(row));
    const key = sitesKey(sites);
    this.sitesSent = this.sentKey === key;
    const push = row.ackedSeq < 0 || row.ackedSeq < this.ctx.latest() || !this.sitesSent;
    const collect = this.lastCollect === null || at - this.lastCollect >= COLLECT_EVERY_MS;
    if (!push && !collect) return;
    // Leases run on the machine's time, not the site's clock (which GAZETTE_NOW may pin): a killed
    // instance's lease must run out.
    this.lease = await fronts.claimFront(store.db, this.id, new Date(), this.leaseEnd());
    if (this.lease === null) return;
    try {
      await this.serve(sites, key);
    } finally {
      const lease = this.lease;
      this.lease = null;
      if (lease !== null) await fronts.releaseFront(store.db, this.id, lease);
    }
  }

  private leaseEnd(): Date {
    return new Date(Date.now() + LEASE_MS);
  }

  /** Pushes what the front lacks and collects from it, holding the front's lease. */
  private async serve(sites: readonly FrontSite[], key: string): Promise<void> {
    const row = await fronts.findFront(this.ctx.store.db, this.id);
    if (!row) return;
    try {
      const client = openFrontClient(row, {
        now: this.ctx.now,
        ...(this.ctx.timeoutMs !== undefined && { timeoutMs: this.ctx.timeoutMs }),
        ...(this.ctx.tls && { tls: this.ctx.tls }),
      });
      let acked = row.ackedSeq;
      let state: FrontState | null = null;
      if (acked < 0) {
        state = await client.state();
        acked = await this.resync(row, state, acked);
      }
      const pushed = await this.pushAll(row, client, acked, sites, key);
      const diskFull = await this.collect(client, pushed.pushed ? null : state);
      if (pushed.stall) this.stalled(pushed.stall);
      else this.stall = null;
      await this.reached(diskFull);
    } catch (error) {
      await this.failed(row, error);
    }
  }

  private async pushAll(
    row: FrontRow,
    client: FrontClient,
    from: number,
    sites: readonly FrontSite[],
    key: string,
  ): Promise<{ pushed: boolean; stall: Stall | null }> {
    const db = this.ctx.store.db;
    const served = servedOf(row);
    let acked = from;
    let pushed = false;
    let resyncs = 0;
    for (;;) {
      const latest = await manifest.latestChange(db);
      if (acked > latest)
        throw new FrontFault(
          'refused',
          `前端服务器已应用到序号 ${acked}，超过本站清单的最新序号 ${latest}（清单是否从备份恢复？）：请清空该前端服务器的 state 目录后重新启动它`,
        );
      const batch = await nextBatch(db, this.ctx.output, acked, served);
      const sendSites = this.sentKey !== key;
      if (batch.toSeq === acked && batch.pages.length === 0 && !sendSites) return { pushed, stall: batch.stall };
      const header: PushHeader = {
        version: FRONT_PROTOCOL_VERSION,
        fromSeq: acked,
        toSeq: batch.toSeq,
        pages: batch.pages,
        ...(sendSites && { sites }),
      };
      let seq: number;
      try {
        seq = await client.push(header, batch.bodies);
      } catch (error) {
        if (!(error instanceof FrontRequestError) || error.status !== 409 || ++resyncs > RESYNCS) throw error;
        acked = await this.resync(row, await client.state(), acked);
        continue;
      }
      if (seq !== header.toSeq) {
        if (++resyncs > RESYNCS) throw new FrontFault('refused', `前端服务器应用后的序号 ${seq} 不是 ${header.toSeq}`);
        acked = await this.resync(row, await client.state(), acked);
        continue;
      }
      if (sendSites) this.sentKey = key;
      this.sitesSent = true;
      acked = seq;
      pushed = true;
      const at = this.ctx.now().toISOString();
      await fronts.updateFront(db, row.id, {
        ackedSeq: seq,
        lastPushAt: at,
        lastContactAt: at,
        state: seq >= latest ? 'ok' : 'behind',
        failures: 0,
        nextAttemptAt: null,
        lastError: null,
      });
      if (batch.stall) return { pushed, stall: batch.stall };
      // A long catch-up keeps the front; a lease lost meanwhile (it ran out) ends the round.
      this.lease = this.lease && (await fronts.renewLease(db, row.id, this.lease, this.leaseEnd()));
      if (this.lease === null) return { pushed, stall: null };
    }
  }

  /**
   * Takes the front's own account of where it is. A front whose sequence went back (its state
   * folder made anew) lost its views batches and events: their numbers start again.
   */
  private async resync(row: FrontRow, state: FrontState, believed: number): Promise<number> {
    const db = this.ctx.store.db;
    if (believed >= 0 && state.seq < believed) {
      this.ctx.log.warn(
        { front: row.name, seq: state.seq, acked: believed },
        'front server started again from an older state',
      );
      await fronts.updateFront(db, row.id, { viewsBatch: 0 });
    }
    const current = await fronts.findFront(db, row.id);
    if (current && state.lastEventId < current.eventCursor) await fronts.restartEvents(db, row.id);
    this.sentKey = sitesKey(state.sites);
    await fronts.updateFront(db, row.id, {
      ackedSeq: state.seq,
      lastContactAt: this.ctx.now().toISOString(),
      lastSweepAt: state.lastSweepAt,
      sweepEveryMs: state.sweepEveryMs,
    });
    return state.seq;
  }

  /** Reads the front's state, its new tamper events and its views batches; answers why its disk is full, if it is. */
  private async collect(client: FrontClient, known: FrontState | null): Promise<string | null> {
    const db = this.ctx.store.db;
    let row = await fronts.findFront(db, this.id);
    if (!row) return null;
    const state = known ?? (await client.state());
    if (row.ackedSeq >= 0 && state.seq < row.ackedSeq) {
      await this.resync(row, state, row.ackedSeq);
      row = (await fronts.findFront(db, this.id)) ?? row;
    }
    await fronts.updateFront(db, row.id, {
      lastContactAt: this.ctx.now().toISOString(),
      lastSweepAt: state.lastSweepAt,
      sweepEveryMs: state.sweepEveryMs,
    });
    await this.collectEvents(client, row, state);
    await this.collectViews(client, row);
    this.lastCollect = this.ctx.now().getTime();
    return state.diskFull;
  }

  /** A round that went through: the front is up to date or behind (or says its disk is full), and no longer failing. */
  private async reached(diskFull: string | null): Promise<void> {
    const db = this.ctx.store.db;
    const row = await fronts.findFront(db, this.id);
    if (!row) return;
    const latest = await manifest.latestChange(db);
    await fronts.updateFront(db, row.id, {
      state: diskFull !== null ? 'disk-full' : row.ackedSeq >= latest ? 'ok' : 'behind',
      lastError: diskFull,
      failures: 0,
      nextAttemptAt: null,
    });
  }

  private async collectEvents(client: FrontClient, row: FrontRow, state: FrontState): Promise<void> {
    const db = this.ctx.store.db;
    let cursor = row.eventCursor;
    if (state.lastEventId < cursor) {
      await fronts.restartEvents(db, row.id);
      cursor = 0;
    }
    for (let page = 0; page < COLLECT_PAGES && state.lastEventId > cursor; page++) {
      const events = (await client.events(cursor, EVENT_PAGE)).filter((event) => event.id > cursor);
      if (events.length === 0) return;
      const last = Math.max(...events.map((event) => event.id));
      const stored = await fronts.storeEvents(
        db,
        row,
        events.map((event) => ({
          remoteId: event.id,
          at: event.at,
          siteId: event.siteId,
          path: event.path,
          file: event.file,
          kind: event.kind,
          detail: event.detail,
          quarantine: event.quarantine,
          restored: event.restored ? 1 : 0,
        })),
        last,
      );
      cursor = last;
      if (stored.length === 0) continue;
      this.ctx.log.warn(
        { front: row.name, events: stored.map((event) => `${event.kind} ${event.file}`) },
        'the front server put back tampered files',
      );
      if (this.ctx.mailer) this.mail(this.ctx.mailer, row.name, stored);
    }
  }

  /** Mails the alerts after whatever is being mailed already. */
  private mail(mailer: Mailer, front: string, events: readonly FrontEventRow[]): void {
    const onError = (error: unknown) => this.ctx.log.error({ err: error, front }, 'a tamper alert could not be mailed');
    const mailing: Promise<void> = (this.mailing ?? Promise.resolve())
      .then(async () => void (await mailTamperEvents(this.ctx.store, mailer, this.ctx.adminUrl, events, onError)))
      .catch(onError)
      .finally(() => {
        if (this.mailing === mailing) this.mailing = null;
      });
    this.mailing = mailing;
  }

  /** Adds the front's counted reads to the articles, each batch once, acknowledging it on the next call. */
  private async collectViews(client: FrontClient, row: FrontRow): Promise<void> {
    const served = servedOf(row);
    let ack: number | null = row.viewsBatch > 0 ? row.viewsBatch : null;
    for (let page = 0; page < COLLECT_PAGES; page++) {
      const batch = await client.views(ack);
      if (batch.batch === null) return;
      const counts = batch.counts.flatMap((count) => {
        const route = routeOf(count.path);
        return route?.kind === 'article' ? [{ articleId: route.id, siteId: count.siteId, count: count.count }] : [];
      });
      await fronts.addViewsBatch(this.ctx.store.db, row.id, batch.batch, counts, served);
      ack = batch.batch;
    }
  }

  /**
   * A page caught between its file and its manifest row: looked at again shortly. Still so after
   * the grace time, the CMS's own output is damaged: the front waits (backing off) with the reason
   * until `gazette verify-output --repair` mends it.
   */
  private stalled(stall: Stall): void {
    const at = performance.now();
    if (!this.stall || this.stall.key !== stall.key || this.stall.seq !== stall.seq)
      this.stall = { ...stall, since: at };
    if (at - this.stall.since >= this.ctx.outputGraceMs) {
      this.stall = null;
      throw new FrontFault(
        'behind',
        `本站输出的 ${stall.key} ${stall.reason === 'missing' ? '缺失' : '与清单哈希不符'}，未推送：请运行 gazette verify-output --repair`,
      );
    }
    if (!this.retry && !this.closed)
      this.retry = setTimeout(() => {
        this.retry = null;
        this.kick();
      }, STALL_RETRY_MS).unref();
  }

  /** Records a failed attempt: the state it leaves, the reason, and when to try again. */
  private async failed(row: FrontRow, error: unknown): Promise<void> {
    const failure = classify(error);
    if (!failure) throw error;
    const db = this.ctx.store.db;
    const failures = ((await fronts.findFront(db, row.id))?.failures ?? row.failures) + 1;
    const delay = backoffMs(failures);
    const now = this.ctx.now();
    await fronts.updateFront(db, row.id, {
      state: failure.state,
      lastError: failure.message,
      failures,
      nextAttemptAt: new Date(now.getTime() + delay).toISOString(),
    });
    this.ctx.log.warn(
      { front: row.name, state: failure.state, failures, retryInMs: delay, error: failure.message },
      'front server not updated; trying again later',
    );
  }
}
