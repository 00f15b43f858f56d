import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { clockFor, loadConfig, type Config } from '../config.js';
import { openStore, type Store } from '../store/index.js';
import type { ServiceContext } from '../services/index.js';
import type { Clock } from '../clock.js';
import { resolveSite } from '../services/platform/index.js';
import { siteOption } from './site-option.js';

/** The package's own folder (for the demo content shipped with it). */
export const PACKAGE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DEMO_PAGES_DIR = path.join(PACKAGE_DIR, 'demo', 'pages');
/** The demo platform's other sites: one folder each, with its site.json and pages. */
export const DEMO_SITES_DIR = path.join(PACKAGE_DIR, 'demo', 'sites');

export interface Runtime extends ServiceContext {
  readonly config: Config;
  readonly store: Store;
  readonly clock: Clock;
}

/** Config, clock and store, as every command needs them; the site of `--site`, when given. */
export async function openRuntime(env: NodeJS.ProcessEnv = process.env): Promise<Runtime> {
  const config = loadConfig(env);
  const store = await openStore({
    databaseUrl: config.databaseUrl,
    sqliteFile: path.join(config.dataDir, 'gazette.db'),
  });
  const runtime = { config, store, clock: clockFor(config), mediaDir: path.join(config.dataDir, 'media') };
  const chosen = siteOption();
  if (chosen === undefined) return runtime;
  try {
    return { ...runtime, siteId: (await resolveSite(store.db, chosen)).id };
  } catch (error) {
    await store.close();
    throw error;
  }
}

/** The site a command works on: `--site`'s, else the only site (several: an error naming them). */
export async function siteIdOf(runtime: Runtime): Promise<number> {
  return runtime.siteId ?? (await resolveSite(runtime.store.db)).id;
}
