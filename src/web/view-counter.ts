import type { Kysely } from 'kysely';
import { articles, type Database, type Dialect } from '../store/index.js';

/**
 * 浏览次数 without a write per read: reads are counted in memory and added to the store in one
 * transaction every few seconds and when the server stops. Counts are additions, so several
 * app instances counting the same article add up. A flush that fails keeps its counts for the next.
 */
export class ViewCounter {
  private pending = new Map<number, number>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  /** Bumped when a flush takes its batch and again when the batch is in the store (or back in `pending`). */
  private epoch = 0;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
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

  /**
   * The article's count as a reader should see it: the stored count plus this instance's reads
   * not yet written. A page dropped from memory (a publish, another instance's change) is loaded
   * again from here, so its pending reads are never lost from the shown count. The two halves
   * must come from one moment: a flush between reading the store and reading `pending` would
   * count its batch twice or not at all, so a read that overlaps a flush waits for it and reads
   * again.
   */
  async currentCount(articleId: number, readStored: () => Promise<number>): Promise<number> {
    for (;;) {
      const before = this.epoch;
      if (before % 2 === 0) {
        const stored = await readStored();
        if (this.epoch === before) return stored + this.pendingFor(articleId);
      }
      await this.flushing.catch(() => {});
    }
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.flush().catch(() => {}), this.flushEveryMs);
    this.timer.unref();
  }

  /**
   * Writes the counts gathered so far. Flushes run one at a time. On PostgreSQL a timed flush
   * leaves an article whose row another transaction holds (a search rebuild batch, for seconds)
   * for the next one: readers of any article wait for a flush in progress (currentCount), so a
   * flush must not wait for locks. The last flush, on stop, waits: nothing is lost.
   */
  flush(last = false): Promise<void> {
    this.flushing = this.flushing
      .catch(() => {})
      .then(async () => {
        if (this.pending.size === 0) return;
        const batch = this.pending;
        this.pending = new Map();
        this.epoch += 1;
        const held: [number, number][] = [];
        const waits = last || this.dialect !== 'postgres';
        try {
          await this.db.transaction().execute(async (trx) => {
            for (const [id, count] of batch) {
              if (waits) await articles.addViews(trx, id, count);
              else if ((await articles.addViewsUnlessLocked(trx, id, count)) === 'locked') held.push([id, count]);
            }
          });
          for (const [id, count] of held) this.pending.set(id, (this.pending.get(id) ?? 0) + count);
        } catch (error) {
          for (const [id, count] of batch) this.pending.set(id, (this.pending.get(id) ?? 0) + count);
          throw error;
        } finally {
          this.epoch += 1;
        }
      });
    return this.flushing;
  }

  /** Stops the timer and writes what is left: nothing is lost on a graceful stop. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush(true);
  }
}
