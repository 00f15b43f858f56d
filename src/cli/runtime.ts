import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { clockFor, loadConfig, type Config } from '../config.js';
import { openStore, type Store } from '../store/index.js';
import type { ServiceContext } from '../services/index.js';
import type { Clock } from '../clock.js';
import { OutputStore, Publisher, siteOutputDir } from '../publish/index.js';
import { resolveSite } from '../services/index.js';
import { GazetteError } from '../domain/index.js';
import { loadTheme } from '../theme/index.js';

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

/** The host of `--site HOST`, taken off the command line by `takeSiteOption`. */
let siteOption: string | undefined;

/**
 * Takes `--site HOST` (or `--site=HOST`) off the arguments: every command that works on a site
 * works on that one. Without it a command works on the platform's only site, and with several
 * sites it stops with an error naming them.
 */
export function takeSiteOption(argv: readonly string[]): string[] {
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--site') {
      const host = argv[i + 1];
      if (host === undefined || host.startsWith('--')) throw new GazetteError('USAGE', { reason: '--site needs a host name, e.g. --site www.example.gov.cn' });
      siteOption = host;
      i++;
    } else if (arg.startsWith('--site=')) siteOption = arg.slice('--site='.length);
    else rest.push(arg);
  }
  return rest;
}

/** Config, clock and store, as every command needs them; the site of `--site`, when given. */
export async function openRuntime(env: NodeJS.ProcessEnv = process.env): Promise<Runtime> {
  const config = loadConfig(env);
  const store = await openStore({ databaseUrl: config.databaseUrl, sqliteFile: path.join(config.dataDir, 'gazette.db') });
  const runtime = { config, store, clock: clockFor(config), mediaDir: path.join(config.dataDir, 'media') };
  if (siteOption === undefined) return runtime;
  try {
    return { ...runtime, siteId: (await resolveSite(store.db, siteOption)).id };
  } catch (error) {
    await store.close();
    throw error;
  }
}

/** The site a command works on: `--site`'s, else the only site (several: an error naming them). */
export async function siteIdOf(runtime: Runtime): Promise<number> {
  return runtime.siteId ?? (await resolveSite(runtime.store.db)).id;
}

/** A publisher of the site's pages into its folder of the output store (GAZETTE_DATA/public). */
export function sitePublisher(runtime: Runtime, siteId: number): Publisher {
  const output = new OutputStore(siteOutputDir(path.join(runtime.config.dataDir, 'public'), siteId));
  return new Publisher(runtime.store, loadTheme(), output, runtime.clock, { siteId });
}

/**
 * The runtime with a publisher listening: what a command changes is published into the output
 * store as it happens, as the server would (a running server notices through the manifest).
 */
export function publishingRuntime(runtime: Runtime, siteId: number): { runtime: Runtime; publisher: Publisher } {
  const publisher = sitePublisher(runtime, siteId);
  return { runtime: { ...runtime, siteId, events: { emit: (event) => publisher.handle(event) } }, publisher };
}
