import type { Clock } from '../clock.js';
import type { Store } from '../store/index.js';
import type { Theme } from '../theme/index.js';

export interface AppContext {
  readonly store: Store;
  readonly clock: Clock;
  readonly theme: Theme;
}
