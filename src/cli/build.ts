import path from 'node:path';
import { GazetteError } from '../domain/index.js';
import { buildSite, OutputStore, Publisher } from '../publish/index.js';
import { loadTheme } from '../theme/index.js';
import { progressBar } from './progress.js';
import { openRuntime } from './runtime.js';

/** `gazette build`: every page of the site into the output store, resumable after a kill. */
export async function buildCommand(args: readonly string[]): Promise<number> {
  if (args.length > 0) throw new GazetteError('USAGE', { reason: 'gazette build (no arguments)' });
  const runtime = await openRuntime();
  try {
    const output = new OutputStore(path.join(runtime.config.dataDir, 'public'));
    const publisher = new Publisher(runtime.store, loadTheme(), output, runtime.clock);
    const bar = progressBar('build');
    const summary = await buildSite(runtime.store.db, publisher, runtime.clock, (p) => bar.update(p.done, p.total));
    const rate = summary.seconds > 0 ? Math.round(summary.pages / summary.seconds) : summary.pages;
    console.log(
      `${summary.resumed ? 'resumed and ' : ''}built ${summary.pages} pages in ${summary.seconds.toFixed(1)} s (${rate} pages/s): ` +
        `${summary.written} written, ${summary.unchanged} unchanged, in ${output.dir}`,
    );
    return 0;
  } finally {
    await runtime.store.close();
  }
}
