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
}

export interface ContentEventSink {
  emit(event: ContentEvent): void;
}
