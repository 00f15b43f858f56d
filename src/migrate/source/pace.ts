// How fast a migration may ask a live site: at most `concurrency` requests in flight, and starts
// spaced by the rate (or robots.txt's Crawl-delay, when that asks for more). A bucket of one token
// refilled every interval: a government server behind a WAF counts bursts, so none are allowed.
import { Limiter } from '../../limiter.js';

export class Pace {
  private interval: number;
  /** When the next request may start, in the clock's milliseconds. */
  private next = 0;
  /** Settles when the turn before the newest one is over. */
  private queue: Promise<void> = Promise.resolve();
  private readonly limiter: Limiter;

  constructor(
    rate: number,
    concurrency: number,
    private readonly sleep: (ms: number) => Promise<void>,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.interval = rate > 0 ? 1000 / rate : 0;
    this.limiter = new Limiter(Math.max(1, concurrency));
  }

  /** Spaces requests at least `ms` apart from now on (robots.txt's Crawl-delay). */
  atLeast(ms: number): void {
    this.interval = Math.max(this.interval, ms);
  }

  /** Runs one request when its turn comes; it holds its slot until `request` settles. */
  run<T>(request: () => Promise<T>): Promise<T> {
    return this.limiter.run(async () => {
      await this.turn();
      return request();
    });
  }

  private async turn(): Promise<void> {
    if (this.interval <= 0) return;
    // Turns are taken one after another, and the next start is set from when this one really
    // starts: a timer that fires late must not let the following request in early.
    const previous = this.queue;
    let done = (): void => undefined;
    this.queue = new Promise((resolve) => (done = resolve));
    await previous;
    try {
      const wait = this.next - this.now();
      if (wait > 0) await this.sleep(wait);
      this.next = this.now() + this.interval;
    } finally {
      done();
    }
  }
}
