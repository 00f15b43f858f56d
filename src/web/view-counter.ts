import type { Kysely } from 'kysely';
import { articles, type Database } from '../store/index.js';

/**
 * 浏览次数 without a write per read: reads are counted in memory and added to the store in one
 * transaction every few seconds and when the server stops. Counts are additions, so several
 * app instances counting the same article add up. A flush that fails keeps its counts for the next.
 */
export class ViewCounter {
  private pending = new Map<number, number>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly flushEveryMs = 5_000,
  ) {}

  /** Counts one read; returns the reads of this article not yet in the store. */
  record(articleId: number): number {
    const count = (this.pending.get(articleId) ?? 0) + 1;
    this.pending.set(articleId, count);
    return count;
  }

  pendingFor(articleId: number): number {
    return this.pending.get(articleId) ?? 0;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.flush().catch(() => {}), this.flushEveryMs);
    this.timer.unref();
  }

  /** Writes the counts gathered so far. Flushes run one at a time. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (this.pending.size === 0) return;
      const batch = this.pending;
      this.pending = new Map();
      try {
        await this.db.transaction().execute(async (trx) => {
          for (const [id, count] of batch) await articles.addViews(trx, id, count);
        });
      } catch (error) {
        for (const [id, count] of batch) this.pending.set(id, (this.pending.get(id) ?? 0) + count);
        throw error;
      }
    });
    return this.flushing;
  }

  /** Stops the timer and writes what is left: nothing is lost on a graceful stop. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }
}
