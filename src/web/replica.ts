import { sql } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import { repeat } from '../repeat.js';
import type { Store } from '../store/index.js';

/** Whether the reader's side uses the replica, and if not, why. */
export type ReplicaState = 'in-use' | 'behind' | 'unreachable';

export interface ReplicaOptions {
  /** How often the replica is checked (ms). */
  readonly checkMs?: number;
  /** How far behind the primary (ms of the primary's writes) the replica may fall and still be read. */
  readonly maxLagMs?: number;
}

/** A WAL position (`16/B374D848`) as a number, for comparing two. */
function lsnValue(lsn: string): bigint {
  const [high = '0', low = '0'] = lsn.split('/');
  return (BigInt(`0x${high}`) << 32n) + BigInt(`0x${low}`);
}

/**
 * Keeps the reader's side on the read replica while it is fit to read: it answers, and it has
 * replayed what the primary had written `maxLagMs` ago. When it falls behind or goes away, the
 * readers use the primary, and the log says so once; when it is back and caught up, they use it
 * again (and the log says that too). Lag is measured in the primary's own WAL positions: each
 * check notes where the primary's log is, and a replica that has not replayed up to where it was
 * `maxLagMs` ago is behind, whether or not the site is busy.
 */
export class ReplicaGuard {
  private state: ReplicaState = 'in-use';
  /** The primary's WAL position at each recent check, oldest first. */
  private readonly positions: { at: number; lsn: bigint }[] = [];
  private checks: ReturnType<typeof repeat> | null = null;
  private log: FastifyBaseLogger | null = null;
  private readonly maxLagMs: number;
  private readonly checkMs: number;

  constructor(
    private readonly primary: Store,
    private readonly replica: Store,
    options: ReplicaOptions = {},
  ) {
    this.maxLagMs = options.maxLagMs ?? 10_000;
    this.checkMs = options.checkMs ?? 1_000;
  }

  /** Starts the checks, telling `log` of every change of course. */
  start(log: FastifyBaseLogger): void {
    this.log = log;
    this.checks ??= repeat(
      () => this.check(),
      this.checkMs,
      (error) => log.error({ err: error }, 'read replica check failed'),
    );
  }

  /** The store the reader's side queries now. */
  current(): Store {
    return this.state === 'in-use' ? this.replica : this.primary;
  }

  /** What the last check found. */
  get status(): ReplicaState {
    return this.state;
  }

  /** A reader's query failed on the replica for want of a connection: checked again at once. */
  suspect(): void {
    if (this.state === 'in-use') this.checks?.runSoon();
  }

  async stop(): Promise<void> {
    await this.checks?.stop();
  }

  private async check(): Promise<void> {
    const now = Date.now();
    if (this.primary.dialect === 'postgres') {
      const row = await sql<{ lsn: string }>`select pg_current_wal_lsn()::text as lsn`
        .execute(this.primary.db)
        .then((r) => r.rows[0])
        .catch(() => undefined);
      if (row) this.positions.push({ at: now, lsn: lsnValue(row.lsn) });
    }
    // Only the newest position older than the allowed lag is needed, and the ones after it.
    while ((this.positions[1]?.at ?? now) <= now - this.maxLagMs) this.positions.shift();
    let replayed: { standby: boolean; lsn: string | null };
    try {
      const result = await sql<{ standby: boolean; lsn: string | null }>`
        select pg_is_in_recovery() as standby, pg_last_wal_replay_lsn()::text as lsn`.execute(this.replica.db);
      replayed = result.rows[0] ?? { standby: false, lsn: null };
    } catch (error) {
      return this.become('unreachable', error);
    }
    const due = this.positions[0];
    const behind =
      replayed.standby &&
      replayed.lsn !== null &&
      due !== undefined &&
      due.at <= now - this.maxLagMs &&
      lsnValue(replayed.lsn) < due.lsn;
    this.become(behind ? 'behind' : 'in-use');
  }

  private become(state: ReplicaState, error?: unknown): void {
    if (state === this.state) return;
    const was = this.state;
    this.state = state;
    if (state === 'unreachable')
      this.log?.warn({ err: error, replica: state }, 'read replica unreachable: readers use the primary');
    else if (state === 'behind')
      this.log?.warn(
        { replica: state, maxLagMs: this.maxLagMs },
        `read replica more than ${this.maxLagMs / 1000} s behind the primary: readers use the primary`,
      );
    else this.log?.info({ replica: state, was }, 'read replica caught up and reachable: readers use it again');
  }
}
