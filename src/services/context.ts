import type { Clock } from '../clock.js';
import type { Store } from '../store/index.js';
import type { ContentEvent } from '../domain/index.js';

/** What every operation runs with: the store, the one clock, where media go, who hears of changes. */
export interface ServiceContext {
  readonly store: Store;
  readonly clock: Clock;
  /** Folder of uploaded media (served at /media/). */
  readonly mediaDir: string;
  /** Told of every committed change, after the commit (the publisher listens here). */
  readonly events?: ContentEventSink | undefined;
  /**
   * The site the operation works on: the request's site (by its Host header, or the back
   * office's site switcher), or the command's `--site`. Absent, the platform's only site; with
   * several sites that is an error naming them, never a silent pick.
   */
  readonly siteId?: number | undefined;
}

export interface ContentEventSink {
  /**
   * True when a publisher listens: each event is then written as a publish task in the writer's
   * transaction (the outbox, `recordEvents`) and `emit` is told its task, so none is lost to a
   * crash between the commit and the publish. A sink that only watches (a test's) writes none.
   */
  readonly durable?: boolean;
  /** Told of an event after its commit, with the publish task that carries it when durable. */
  emit(event: ContentEvent, taskId?: number): void;
}
