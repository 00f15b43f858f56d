// The render threads of `gazette build`, started before anything else is loaded or read. This
// module imports nothing of Gazette's: the command starts the threads first, and each loads its
// modules and the theme (a few hundred ms of a core) while the command loads its own and reads
// the site, instead of after.
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

/** Set by bin/bundle.js in the bundle: the bundled worker beside it. */
declare const GAZETTE_WORKER_FILE: string | undefined;

function workerFile(): string {
  return typeof GAZETTE_WORKER_FILE === 'string'
    ? GAZETTE_WORKER_FILE
    : fileURLToPath(new URL('./render-worker-from-source.mjs', import.meta.url));
}

/** What a render thread is started with; the site it renders comes later, by message (render-pool.ts). */
export interface RenderThreadData {
  /** Set to 1 when the build stops: a worker then ends the page it is on and takes no other. */
  readonly stop: SharedArrayBuffer;
}

/** Render threads, started and loading, not yet given a site. */
export interface RenderThreads {
  readonly workers: readonly Worker[];
  readonly stop: SharedArrayBuffer;
  /** The first failure of a thread (an error, or an exit nobody asked for) before a renderer took them. */
  failure(): Error | null;
  /** Ends the threads; safe to call again (a build ends them itself, a failed start here). */
  terminate(): Promise<void>;
}

export function startRenderThreads(count: number): RenderThreads {
  const stop = new SharedArrayBuffer(4);
  let failed: Error | null = null;
  let ending = false;
  const workers = Array.from({ length: Math.max(1, count) }, () => {
    const worker = new Worker(workerFile(), { workerData: { stop } satisfies RenderThreadData });
    // Until a renderer listens, a failure is kept for it to find (an unheard 'error' would end the process).
    worker.on('error', (error) => (failed ??= error));
    worker.on('exit', (code) => {
      if (code !== 0 && !ending) failed ??= new Error(`render worker stopped with exit code ${code}`);
    });
    return worker;
  });
  return {
    workers,
    stop,
    failure: () => failed,
    async terminate() {
      ending = true;
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
}
