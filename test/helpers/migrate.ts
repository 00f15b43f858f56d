import {
  DEFAULT_FILE_LIMITS,
  EMPTY_COLUMN_MAP,
  migrateSite,
  openSource,
  type MigrateOptions,
  type MigrationReport,
  type Source,
} from '../../src/migrate/index.js';
import type { ServiceContext } from '../../src/services/index.js';

/** The source `gazette migrate-site ORIGIN --rate 0` opens: no pacing, retries not waited for. */
export function openTestSource(origin: string, concurrency = 4): Promise<Source> {
  return openSource(origin, {
    rate: 0,
    concurrency,
    retries: 1,
    userAgent: 'GazetteMigrate/test',
    maxPageBytes: 5 * 1024 * 1024,
    timeoutMs: 10_000,
    sleep: () => Promise.resolve(),
  });
}

/**
 * `gazette migrate-site ORIGIN --rate 0` in process, into the site of `ctx`: the settings the
 * suites share, over which a test may set its own. Retries are not waited for.
 */
export async function migrateInProcess(
  ctx: ServiceContext & { readonly siteId: number },
  origin: string,
  options: Partial<MigrateOptions> = {},
): Promise<MigrationReport> {
  const source = await openTestSource(origin);
  try {
    return await migrateSite(
      ctx,
      source,
      {
        dryRun: false,
        since: null,
        columnMap: EMPTY_COLUMN_MAP,
        concurrency: 4,
        fileLimits: DEFAULT_FILE_LIMITS,
        resume: false,
        sourceLabel: origin,
        ...options,
      },
      () => undefined,
    );
  } finally {
    await source.close();
  }
}
