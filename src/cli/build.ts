import os from 'node:os';
import { GazetteError } from '../domain/index.js';
import type { OutputStore } from '../publish/index.js';
import { startRenderThreads, type RenderThreads } from '../publish/render-threads.js';

const USAGE = 'gazette build [--workers N] (N from 0 to 64; 0 renders on the main thread)';

/** `--workers N`: render threads, by default one per core. */
export function parseBuildArgs(args: readonly string[]): { workers: number } {
  let workers = os.availableParallelism();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg !== '--workers') throw new GazetteError('USAGE', { reason: `unknown argument "${arg}": ${USAGE}` });
    const value = args[++i];
    if (value === undefined || !/^\d{1,2}$/.test(value) || Number(value) > 64)
      throw new GazetteError('USAGE', {
        reason: `--workers takes a whole number from 0 to 64, not "${value ?? ''}": ${USAGE}`,
      });
    workers = Number(value);
  }
  return { workers };
}

/** `gazette build`: every page of the site into the output store, resumable after a kill. */
export async function buildCommand(args: readonly string[]): Promise<number> {
  const { workers } = parseBuildArgs(args);
  // The render threads first: each loads its modules while this thread loads the store and the
  // publisher (imported only now) and reads the site; one after the other took a second more.
  const threads = workers > 0 ? startRenderThreads(workers) : undefined;
  try {
    return await build(workers, threads);
  } finally {
    await threads?.terminate();
  }
}

async function build(workers: number, threads: RenderThreads | undefined): Promise<number> {
  const [{ buildSite }, { progressBar }, { openRuntime, siteIdOf }, { sitePublisher }] = await Promise.all([
    import('../publish/index.js'),
    import('./progress.js'),
    import('./runtime.js'),
    import('./publishing.js'),
  ]);
  const runtime = await openRuntime();
  try {
    const publisher = sitePublisher(runtime, await siteIdOf(runtime));
    const output = publisher.output as OutputStore;
    const bar = progressBar('build');
    // Render workers do the rendering, compressing and writing; this thread reads the store and records what they wrote.
    const summary = await buildSite(publisher, { workers, threads, onProgress: (p) => bar.update(p.done, p.total) });
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
