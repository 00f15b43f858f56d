import type { ServiceContext } from '../services/index.js';
import type { Theme } from '../theme/index.js';

/** What the web app runs with: the services' context and the theme that renders pages. */
export interface AppContext extends ServiceContext {
  readonly theme: Theme;
  /** Where published pages are written (the output store). */
  readonly outputDir: string;
}
