import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { GazetteError, isGazetteError, type Lang } from '../domain/index.js';
import { clockFor, loadConfig, type Config } from '../config.js';
import { reindexSearch, verifyAuditChain, type ServiceContext } from '../services/index.js';
import { transfer, type Store, type StoreLocation } from '../store/index.js';
import { openRuntime } from './runtime.js';
import { progressBar } from './progress.js';

const USAGE =
  'gazette migrate-store --from sqlite:PATH|postgres://… --to sqlite:PATH|postgres://…\n' +
  '       gazette backup FILE\n' +
  '       gazette restore FILE';

function usage(reason: string): GazetteError {
  return new GazetteError('USAGE', { reason: `${reason}\n${USAGE}` });
}

/** `sqlite:PATH` (relative to the current folder) or `postgres://…`. */
export function storeLocation(url: string, cwd: string = process.cwd()): StoreLocation {
  if (/^postgres(ql)?:\/\//.test(url)) return { databaseUrl: url, sqliteFile: '' };
  const file = /^sqlite:(.+)$/.exec(url)?.[1];
  if (file) return { databaseUrl: null, sqliteFile: path.resolve(cwd, file) };
  throw usage(`"${url}" is neither sqlite:PATH nor postgres://…`);
}

/** A store as messages name it: never with the password of a PostgreSQL URL. */
function storeName(location: StoreLocation): string {
  if (!location.databaseUrl) return `sqlite:${location.sqliteFile}`;
  const url = new URL(location.databaseUrl);
  if (url.password) url.password = '***';
  return url.toString();
}

function configuredLocation(config: Config): StoreLocation {
  return { databaseUrl: config.databaseUrl, sqliteFile: path.join(config.dataDir, 'gazette.db') };
}

/** A refused copy or a bad backup file is bad input (exit 1), reported as `file:line: reason`. */
async function reported(lang: Lang, run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (error) {
    if (!isGazetteError(error) || error.code === 'USAGE') throw error;
    console.error(`gazette: ${error.report(lang)}`);
    return 1;
  }
}

/** A progress bar on stderr per table. */
function tableProgress(verb: string): transfer.Progress {
  let current = '';
  let bar = progressBar(verb);
  return (table, done, total) => {
    if (table !== current) {
      current = table;
      bar = progressBar(`${verb} ${table}`);
    }
    bar.update(done, total);
  };
}

function printCounts(counts: Readonly<Record<string, number>>, expected?: Readonly<Record<string, number>>): boolean {
  let ok = true;
  console.log(`${'table'.padEnd(18)}${'rows'.padStart(9)}`);
  for (const { name } of transfer.TABLES) {
    const rows = counts[name] ?? 0;
    const want = expected?.[name] ?? rows;
    if (rows !== want) ok = false;
    console.log(`${name.padEnd(18)}${String(rows).padStart(9)}${rows === want ? '' : `  MISMATCH: expected ${want}`}`);
  }
  return ok;
}

const headText = (head: transfer.AuditHead) => (head ? `${head.seq}:${head.hash}` : '(empty)');

/** Counts against the source, the audit chain and its head, the media files: printed, and all must hold. */
async function verifyTarget(store: Store, expected: transfer.CopyResult, mediaDir: string): Promise<boolean> {
  const countsOk = printCounts(await transfer.countRows(store.db), expected.counts);
  const chain = await verifyAuditChain(store.db);
  const headOk = headText(chain.head) === headText(expected.auditHead);
  if (!chain.ok) console.log(`audit chain BROKEN at entry ${chain.firstBadSeq}: ${chain.reason}`);
  else
    console.log(
      `audit chain intact: ${chain.entries} entries; head ${headText(chain.head)}${headOk ? '' : `  MISMATCH: expected ${headText(expected.auditHead)}`}`,
    );
  const mediaOk = reportMedia(await transfer.checkMedia(store.db, mediaDir));
  const ok = countsOk && chain.ok && headOk && mediaOk;
  console.log(ok ? 'verified' : 'verification FAILED');
  return ok;
}

function reportMedia({ files, missing }: transfer.MediaCheck): boolean {
  for (const file of missing) console.error(`missing media file: ${file}`);
  console.log(`media files: ${files.length}${missing.length ? `, ${missing.length} MISSING` : ''}`);
  return missing.length === 0;
}

/** The copied site's search index, rebuilt from its articles and pages (the index is never copied). */
async function rebuildSearch(ctx: ServiceContext): Promise<void> {
  for (const { id } of await ctx.store.db.selectFrom('site').select('id').execute()) {
    const bar = progressBar('reindex');
    await reindexSearch(ctx, id, ({ done, total }) => bar.update(done, total));
  }
}

/** `gazette migrate-store --from URL --to URL`: the whole site into an empty store, verified. */
export async function migrateStoreCommand(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { from: { type: 'string' }, to: { type: 'string' } },
  });
  if (!values.from || !values.to || positionals.length > 0) throw usage('give --from and --to');
  const from = storeLocation(values.from);
  const to = storeLocation(values.to);
  const config = loadConfig();
  return reported(config.lang, async () => {
    if (!from.databaseUrl && !fs.existsSync(from.sqliteFile))
      throw new GazetteError('TRANSFER_SOURCE_MISSING', { source: storeName(from) });
    const mediaDir = path.join(config.dataDir, 'media');
    return transfer.withStore(from, (source) =>
      transfer.withStore(to, async (target) => {
        const copied = await transfer.copyStore(source, target, {
          targetName: storeName(to),
          onProgress: tableProgress('copy'),
        });
        const ok = await verifyTarget(target, copied, mediaDir);
        await rebuildSearch({ store: target, clock: clockFor(config), mediaDir });
        return ok ? 0 : 1;
      }),
    );
  });
}

function fileArgument(args: readonly string[], command: string): string {
  const [file, ...extra] = args;
  if (!file || file.startsWith('-') || extra.length > 0) throw usage(`gazette ${command} needs one FILE`);
  return path.resolve(file);
}

/** `gazette backup FILE`: one consistent snapshot of the store and its media files, gzipped JSON Lines. */
export async function backupCommand(args: readonly string[]): Promise<number> {
  const file = fileArgument(args, 'backup');
  const runtime = await openRuntime();
  try {
    return await reported(runtime.config.lang, async () => {
      const options = {
        mediaDir: runtime.mediaDir,
        createdAt: runtime.clock.now().toISOString(),
        onProgress: tableProgress('backup'),
      };
      const { header, missing } = await transfer.writeBackup(runtime.store, file, options);
      printCounts(header.tables);
      console.log(`audit head ${headText(header.auditHead)}`);
      const mediaOk = reportMedia({ files: header.media, missing });
      console.log(`backup written to ${file}`);
      return mediaOk ? 0 : 1;
    });
  } finally {
    await runtime.store.close();
  }
}

/** `gazette restore FILE`: a backup into the empty store, verified, then the search index rebuilt. */
export async function restoreCommand(args: readonly string[]): Promise<number> {
  const file = fileArgument(args, 'restore');
  const runtime = await openRuntime();
  try {
    return await reported(runtime.config.lang, async () => {
      const options = {
        mediaDir: runtime.mediaDir,
        targetName: storeName(configuredLocation(runtime.config)),
        onProgress: tableProgress('restore'),
      };
      const header = await transfer.restoreBackup(runtime.store, file, options);
      const ok = await verifyTarget(
        runtime.store,
        { counts: header.tables, auditHead: header.auditHead },
        runtime.mediaDir,
      );
      await rebuildSearch(runtime);
      // The rendered pages are made from the store, not kept in a backup; a build writes each
      // page whose file is missing even where the manifest already lists it.
      if (!fs.existsSync(path.join(runtime.config.dataDir, 'public')))
        console.error('the published pages are not in a backup: run gazette build to render them');
      return ok ? 0 : 1;
    });
  } finally {
    await runtime.store.close();
  }
}
