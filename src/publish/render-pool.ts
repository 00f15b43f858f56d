import type { Worker } from 'node:worker_threads';
import type { Channel, Site } from '../domain/index.js';
import type { Theme } from '../theme/index.js';
import type { PageStore } from './output.js';
import { storePage, type PageJob, type StoredPage } from './page-job.js';
import type { SiteView } from './pages.js';
import type { RenderThreads } from './render-threads.js';

/** Renders page jobs into the output store: on this thread, or on worker threads. */
export interface PageRenderer {
  /** Stores the jobs; the answers come in the order of the jobs. */
  store(jobs: readonly PageJob[]): Promise<StoredPage[]>;
  close(): Promise<void>;
}

export interface RenderWorkerSetup {
  readonly themeDir: string;
  readonly outputDir: string;
  /** The site and its channels, as the build read them: the worker makes its own tree. */
  readonly site: Site;
  readonly channels: readonly Channel[];
  /** The fields the site added to its content types (a page shows their values). */
  readonly addedFields: SiteView['addedFields'];
  readonly look: SiteView['look'];
  readonly overrides: SiteView['overrides'];
}

/** What a render worker is sent: its site first, then batches of jobs. */
export type RenderWorkerMessage =
  { readonly setup: RenderWorkerSetup } | { readonly id: number; readonly jobs: readonly PageJob[] };

export type RenderWorkerReply =
  { readonly id: number; readonly pages: StoredPage[] } | { readonly id: number; readonly error: string };

/** Pages rendered on this thread, their writes overlapping a few at a time. */
export function inlineRenderer(theme: Theme, view: SiteView, output: PageStore, parallel = 16): PageRenderer {
  return {
    async store(jobs) {
      const stored: StoredPage[] = [];
      for (let i = 0; i < jobs.length; i += parallel)
        stored.push(
          ...(await Promise.all(jobs.slice(i, i + parallel).map((job) => storePage(theme, view, output, job)))),
        );
      return stored;
    },
    close: async () => {},
  };
}

/** Jobs per message to a worker. */
const SLICE = 16;

interface Pending {
  resolve(pages: StoredPage[]): void;
  reject(error: Error): void;
  /** The answer itself, for close() to wait on. */
  readonly reply: Promise<StoredPage[]>;
}

/**
 * Worker threads that render, compress and write pages (each a core's worth of work), given the
 * site and then fed a slice of each batch apiece. Batches queue at the workers, so the next batch
 * can be read from the store while this one renders. A failed job fails its batch; a worker that
 * dies fails every batch it held.
 */
export function workerRenderer(threads: RenderThreads, setup: RenderWorkerSetup): PageRenderer {
  const pending = new Map<number, Pending>();
  const { workers, stop } = threads;
  let nextId = 1;
  let broken: Error | null = threads.failure();
  let closing = false;
  let dealt = 0;
  for (const worker of workers) {
    const fail = (error: Error) => {
      broken ??= error;
      for (const job of pending.values()) job.reject(error);
      pending.clear();
    };
    worker.on('message', (reply: RenderWorkerReply) => {
      const job = pending.get(reply.id);
      pending.delete(reply.id);
      if ('error' in reply) job?.reject(new Error(`render worker: ${reply.error}`));
      else job?.resolve(reply.pages);
    });
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (code !== 0 && !closing) fail(new Error(`render worker stopped with exit code ${code}`));
    });
    worker.postMessage({ setup } satisfies RenderWorkerMessage);
  }

  const send = (worker: Worker, jobs: readonly PageJob[]): Promise<StoredPage[]> => {
    if (broken) return Promise.reject(broken);
    const id = nextId++;
    // The executor runs at once, so `settle` is set before the job is recorded.
    let settle: Omit<Pending, 'reply'> | undefined;
    const reply = new Promise<StoredPage[]>((resolve, reject) => (settle = { resolve, reject }));
    if (settle) pending.set(id, { ...settle, reply });
    worker.postMessage({ id, jobs } satisfies RenderWorkerMessage);
    return reply;
  };

  return {
    async store(jobs) {
      // Small slices, dealt in turn: a worker holds few jobs at a time, so what it has rendered
      // dies young (cheap to collect) instead of outliving a long batch.
      const slices: Promise<StoredPage[]>[] = [];
      for (let i = 0; i * SLICE < jobs.length; i++)
        slices.push(send(workers[dealt++ % workers.length] as Worker, jobs.slice(i * SLICE, (i + 1) * SLICE)));
      return (await Promise.all(slices)).flat();
    },
    async close() {
      // Stopped between pages, never inside one: a thread terminated mid-write would leave its
      // temporary file behind (the bug the build tests pin).
      Atomics.store(new Int32Array(stop), 0, 1);
      await Promise.allSettled([...pending.values()].map((job) => job.reply));
      closing = true;
      await threads.terminate();
    },
  };
}
