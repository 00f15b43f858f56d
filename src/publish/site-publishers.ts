import type { ContentEvent } from '../domain/index.js';
import { publishTasks } from '../store/index.js';
import type { Publisher } from './publisher.js';
import { ROOT_SITE_ID } from './site-output.js';

/**
 * One publisher per site of the platform, made when a site first has something to publish: an
 * event goes to its site's publisher (each keeps its own queue, folder and manifest keys; the
 * store-wide lock still runs one publish at a time across them all). What a server asks of "the
 * publisher" — handle an event, wait until idle, finish abandoned tasks — it asks of this.
 */
export class SitePublishers {
  private readonly bySite = new Map<number, Publisher>();

  constructor(private readonly make: (siteId: number) => Publisher) {}

  /** The publisher of a site, made on first use. */
  for(siteId: number): Publisher {
    let publisher = this.bySite.get(siteId);
    if (!publisher) this.bySite.set(siteId, (publisher = this.make(siteId)));
    return publisher;
  }

  /** The publishers made so far. */
  all(): Publisher[] {
    return [...this.bySite.values()];
  }

  handle(event: ContentEvent, taskId?: number): void {
    this.for(siteOfEvent(event)).handle(event, taskId);
  }

  /** Resolves when every site's queued events have been published (including events queued meanwhile). */
  async idle(): Promise<void> {
    for (;;) {
      const publishers = this.all();
      await Promise.all(publishers.map((p) => p.idle()));
      if (this.all().length === publishers.length) return;
    }
  }

  /** Errors of every site's runs, for tests and benchmarks. */
  get failures(): unknown[] {
    return this.all().flatMap((p) => p.failures);
  }

  /** Finishes tasks other instances abandoned, each by its own site's publisher. */
  async recoverAbandoned(): Promise<number> {
    const first = this.all()[0] ?? this.for(ROOT_SITE_ID);
    let taken = 0;
    for (const task of await publishTasks.abandonedTasks(first.store.db, first.clock.now(), 100)) {
      if (await this.for(siteOfEvent(JSON.parse(task.event) as ContentEvent)).resume(task)) taken++;
    }
    await this.idle();
    return taken;
  }
}

/** The site an event is about; a task saved before the platform names none and was the first site's. */
function siteOfEvent(event: ContentEvent): number {
  return typeof event.siteId === 'number' ? event.siteId : ROOT_SITE_ID;
}
