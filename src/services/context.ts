import type { Clock } from '../clock.js';
import type { Store } from '../store/index.js';

/** What every operation runs with: the store and the one clock. */
export interface ServiceContext {
  readonly store: Store;
  readonly clock: Clock;
}
