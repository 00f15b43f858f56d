import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { clockFor, loadConfig, type Config } from '../config.js';
import { openStore, type Store } from '../store/index.js';
import { checkServerKey, newSecretKey, serverKeys, type ServerKeys, type ServiceContext } from '../services/index.js';
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

/** The file that keeps the secret key when GAZETTE_SECRET_KEY is not set. */
export const SECRET_KEY_FILE = 'secret.key';

/**
 * The installation's keys: from GAZETTE_SECRET_KEY, else from secret.key in the data folder,
 * made (readable by its owner only) the first time. Creating it with `wx` means two commands
 * started at once cannot each write a different key.
 */
export function loadServerKeys(config: Config): ServerKeys {
  if (config.secretKey) return serverKeys(config.secretKey);
  const file = path.join(config.dataDir, SECRET_KEY_FILE);
  fs.mkdirSync(config.dataDir, { recursive: true });
  try {
    fs.writeFileSync(file, `${newSecretKey()}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return serverKeys(Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64'));
}

/** Config, clock and store, as every command needs them; the site of `--site`, when given. */
export async function openRuntime(env: NodeJS.ProcessEnv = process.env): Promise<Runtime> {
  const config = loadConfig(env);
  const keys = loadServerKeys(config);
  const store = await openStore({
    databaseUrl: config.databaseUrl,
    sqliteFile: path.join(config.dataDir, 'gazette.db'),
  });
  const runtime = {
    config,
    store,
    keys,
    adminMfa: config.adminMfa,
    dataKeys: config.dataKeys,
    clock: clockFor(config),
    mediaDir: path.join(config.dataDir, 'media'),
  };
  try {
    await checkServerKey(store.db, keys);
    const chosen = siteOption();
    return chosen === undefined ? runtime : { ...runtime, siteId: (await resolveSite(store.db, chosen)).id };
  } catch (error) {
    await store.close();
    throw error;
  }
}

/** The site a command works on: `--site`'s, else the only site (several: an error naming them). */
export async function siteIdOf(runtime: Runtime): Promise<number> {
  return runtime.siteId ?? (await resolveSite(runtime.store.db)).id;
}
