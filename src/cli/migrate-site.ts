import fs from 'node:fs/promises';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { GazetteError, localDayStart } from '../domain/index.js';
import {
  DEFAULT_FILE_LIMITS,
  EMPTY_COLUMN_MAP,
  migrateSite,
  openSource,
  parseColumnMap,
  summaryLines,
  type ColumnMap,
  type MigrationReport,
} from '../migrate/index.js';
import { currentSite, ensureSite } from '../services/index.js';
import { parseCommandArgs, usageError } from './args.js';
import { progressBar } from './progress.js';
import { openRuntime } from './runtime.js';

const USAGE = `gazette migrate-site SOURCE [--site HOST] [--dry-run] [--report FILE] [--concurrency N] [--rate R]
                    [--since YYYY-MM-DD] [--resume] [--map columns.tsv] [--origin URL]
  SOURCE: the old site's address (http://…) or a folder holding a saved copy of it (a wget mirror)`;

interface MigrateArgs {
  readonly source: string;
  readonly dryRun: boolean;
  readonly report: string | null;
  readonly concurrency: number;
  readonly rate: number;
  readonly since: string | null;
  readonly resume: boolean;
  readonly map: string | null;
  readonly origin: string | null;
}

function numberOption(name: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < min || value > max)
    throw usageError(`--${name} takes a number from ${min} to ${max}, not "${text}"`, USAGE);
  return value;
}

function parse(args: readonly string[]): MigrateArgs {
  const { values, positionals } = parseCommandArgs(
    {
      args: [...args],
      allowPositionals: true,
      options: {
        'dry-run': { type: 'boolean', default: false },
        report: { type: 'string' },
        concurrency: { type: 'string' },
        rate: { type: 'string' },
        since: { type: 'string' },
        resume: { type: 'boolean', default: false },
        map: { type: 'string' },
        origin: { type: 'string' },
      },
    },
    USAGE,
  );
  const [source, ...extra] = positionals;
  if (source === undefined) throw usageError('name the old site: its address or a saved copy', USAGE);
  if (extra.length > 0) throw usageError(`one SOURCE only, not also "${extra.join(' ')}"`, USAGE);
  const concurrency = numberOption('concurrency', values.concurrency, 4, 1, 64);
  if (!Number.isInteger(concurrency))
    throw usageError(`--concurrency takes a whole number, not "${values.concurrency}"`, USAGE);
  return {
    source,
    dryRun: values['dry-run'],
    report: values.report ?? null,
    concurrency,
    rate: numberOption('rate', values.rate, 2, 0, 10_000),
    since: values.since ?? null,
    resume: values.resume,
    map: values.map ?? null,
    origin: values.origin ?? null,
  };
}

async function readColumnMap(file: string | null): Promise<ColumnMap> {
  if (file === null) return EMPTY_COLUMN_MAP;
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (cause) {
    throw new GazetteError('IMPORT_FILE_MISSING', {}, { file }, cause);
  }
  return parseColumnMap(text, file);
}

/** The dry run's plan: each column the articles would go into, and how many. */
function planLines(report: MigrationReport, zh: boolean): string[] {
  return report.columns.map(
    (column) =>
      `${column.path}  ${zh ? `${column.articles} 篇${column.created ? '（新建）' : ''}` : `${column.articles} article${column.articles === 1 ? '' : 's'}${column.created ? ' (new)' : ''}`}`,
  );
}

/**
 * Every page of the site written again by `gazette build`, in a process of its own: the crawl's
 * memory is not the build's, so neither grows with the other. Its output (the progress bar on a
 * terminal, the line of figures) is passed through.
 */
async function buildPages(host: string): Promise<void> {
  const script = process.argv[1];
  if (script === undefined) throw new GazetteError('USAGE', { reason: 'gazette build could not be started' });
  const child = spawn(process.execPath, [script, 'build', '--site', host], { stdio: ['ignore', 'inherit', 'inherit'] });
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new GazetteError('MIGRATE_BUILD_FAILED', { code: String(code) });
}

/**
 * `gazette migrate-site`: crawls the old site, stores its articles and files into the site of
 * `--site`, and keeps its old URLs as 301s. Exit 0 when every article page came over, 1 when any
 * failed (each is in the summary and the report), 2 when the source is not a site to migrate.
 */
export async function migrateSiteCommand(args: readonly string[]): Promise<number> {
  const options = parse(args);
  const columnMap = await readColumnMap(options.map);
  const opened = await openRuntime();
  let source: Awaited<ReturnType<typeof openSource>> | null = null;
  try {
    const siteId = opened.siteId ?? (await ensureSite(opened, opened.config.timeZone)).site.id;
    const { site } = await currentSite(opened.store.db, siteId);
    const since = options.since === null ? null : localDayStart(options.since, site.timeZone);
    if (options.since !== null && !since) throw new GazetteError('MIGRATE_SINCE', { value: options.since });
    source = await openSource(options.source, {
      rate: options.rate,
      concurrency: options.concurrency,
      retries: 3,
      userAgent: 'GazetteMigrate/1 (site migration; +https://github.com/gazette)',
      maxPageBytes: 20 * 1024 * 1024,
      timeoutMs: 30_000,
      ...(options.origin !== null && { origin: options.origin }),
    });
    // No publisher listens while the site comes over: each article would re-render its column's
    // lists and the home page, thousands of times. Pages not yet written render on demand; one
    // build at the end writes every page once.
    const bar = progressBar('migrate-site');
    const report = await migrateSite(
      { ...opened, siteId },
      source,
      {
        dryRun: options.dryRun,
        since,
        columnMap,
        concurrency: options.concurrency,
        fileLimits: DEFAULT_FILE_LIMITS,
        resume: options.resume,
        sourceLabel: options.source,
      },
      (done, known) => bar.update(done, known),
    );
    if (options.report !== null) await fs.writeFile(options.report, `${JSON.stringify(report, null, 2)}\n`);
    const zh = opened.config.lang === 'zh';
    if (options.dryRun) for (const line of planLines(report, zh)) console.log(line);
    for (const line of summaryLines(report, opened.config.lang)) console.log(line);
    if (!options.dryRun) await buildPages(site.domain);
    return report.counts.articlesFailed === 0 ? 0 : 1;
  } finally {
    await source?.close();
    await opened.store.close();
  }
}
