import path from 'node:path';
import { SitePublishers, verifyOutput, type OutputCheck } from '../publish/index.js';
import { parseCommandArgs } from './args.js';
import { openRuntime } from './runtime.js';
import { sitePublisher } from './publishing.js';

const USAGE =
  'gazette verify-output [--repair] [--json] [--site HOST]   every published file against the manifest (exit 1 when any is wrong and not repaired)';

function parse(args: readonly string[]): { repair: boolean; json: boolean } {
  return parseCommandArgs(
    {
      args: [...args],
      options: { repair: { type: 'boolean', default: false }, json: { type: 'boolean', default: false } },
    },
    USAGE,
  ).values;
}

/** The name of a quarantine folder for this instant: its ISO time, with characters every file system takes. */
export const quarantineName = (at: Date): string => at.toISOString().replace(/:/g, '-');

/** Whether anything found is still wrong: what was not repaired. */
export function outstanding(check: OutputCheck): string[] {
  const repaired = new Set(check.repaired);
  return [...check.missing, ...check.different, ...check.unknown].filter((name) => !repaired.has(name));
}

function summary(check: OutputCheck): string {
  const pages = `checked ${check.checked} page${check.checked === 1 ? '' : 's'}`;
  const found = check.missing.length + check.different.length + check.unknown.length;
  if (found === 0) return `${pages}: every file matches the manifest`;
  const counts = `${check.missing.length} missing, ${check.different.length} different, ${check.unknown.length} unknown`;
  const moved = check.quarantine === null ? '' : ` (changed and unknown files moved to ${check.quarantine})`;
  const repaired =
    check.repaired.length > 0 ? `; ${check.repaired.length} repaired${moved}` : '; run with --repair to repair';
  return `${pages}: ${counts}${repaired}`;
}

/**
 * `gazette verify-output`: the output store against the manifest (every site's pages, or the
 * site of --site). One line per finding, then a summary; `--repair` renders missing and changed
 * pages again and moves unknown files to GAZETTE_DATA/quarantine/<time>/.
 */
export async function verifyOutputCommand(args: readonly string[]): Promise<number> {
  const { repair, json } = parse(args);
  const runtime = await openRuntime();
  try {
    const publishers = new SitePublishers((siteId) => sitePublisher(runtime, siteId));
    const check = await verifyOutput({
      store: runtime.store,
      publicDir: path.join(runtime.config.dataDir, 'public'),
      ...(runtime.siteId !== undefined && { siteId: runtime.siteId }),
      repair,
      publisherFor: (siteId) => publishers.for(siteId),
      quarantineDir: path.join(runtime.config.dataDir, 'quarantine', quarantineName(runtime.clock.now())),
    });
    if (json) console.log(JSON.stringify(check, null, 2));
    else {
      for (const kind of ['missing', 'different', 'unknown', 'repaired'] as const)
        for (const name of check[kind]) console.log(`${kind} ${name}`);
      console.log(summary(check));
    }
    return outstanding(check).length > 0 ? 1 : 0;
  } finally {
    await runtime.store.close();
  }
}
