import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { clockFor, loadConfig, type Config } from '../config.js';
import { openStore, type Store } from '../store/index.js';
import type { ServiceContext } from '../services/index.js';
import type { Clock } from '../clock.js';
import { OutputStore, Publisher } from '../publish/index.js';
import { loadTheme } from '../theme/index.js';

/** The package's own folder (for the demo content shipped with it). */
export const PACKAGE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DEMO_PAGES_DIR = path.join(PACKAGE_DIR, 'demo', 'pages');

export interface Runtime extends ServiceContext {
  readonly config: Config;
  readonly store: Store;
  readonly clock: Clock;
}

/** Config, clock and store, as every command needs them. */
export async function openRuntime(env: NodeJS.ProcessEnv = process.env): Promise<Runtime> {
  const config = loadConfig(env);
  const store = await openStore({ databaseUrl: config.databaseUrl, sqliteFile: path.join(config.dataDir, 'gazette.db') });
  return { config, store, clock: clockFor(config), mediaDir: path.join(config.dataDir, 'media') };
}

/**
 * The runtime with a publisher listening: what a command changes is published into the output
 * store as it happens, as the server would (a running server notices through the manifest).
 */
export function publishingRuntime(runtime: Runtime): { runtime: Runtime; publisher: Publisher } {
  const publisher = new Publisher(runtime.store, loadTheme(), new OutputStore(path.join(runtime.config.dataDir, 'public')), runtime.clock);
  return { runtime: { ...runtime, events: { emit: (event) => publisher.handle(event) } }, publisher };
}
