// A render worker of `gazette build`: takes batches of page jobs, renders, compresses and writes
// each on its own thread, and answers with what the manifest must record.
import { parentPort, workerData } from 'node:worker_threads';
import { ChannelTree } from '../domain/index.js';
import { loadTheme } from '../theme/index.js';
import { OutputStore } from './output.js';
import { storePageSync, type PageJob } from './page-job.js';
import type { RenderWorkerReply, RenderWorkerSetup } from './render-pool.js';

const setup = workerData as RenderWorkerSetup;
const theme = loadTheme(setup.themeDir);
const output = new OutputStore(setup.outputDir);
const view = {
  site: setup.site,
  tree: new ChannelTree(setup.channels),
  addedFields: setup.addedFields,
  look: setup.look,
  overrides: setup.overrides,
};
const stop = new Int32Array(setup.stop);

parentPort?.on('message', (message: { id: number; jobs: readonly PageJob[] }) => {
  let reply: RenderWorkerReply;
  try {
    const pages = [];
    for (const job of message.jobs) {
      // The build has stopped (it failed elsewhere): end here, between pages.
      if (Atomics.load(stop, 0) === 1) break;
      pages.push(storePageSync(theme, view, output, job));
    }
    reply =
      pages.length === message.jobs.length
        ? { id: message.id, pages }
        : { id: message.id, error: `the build stopped before ${message.jobs[pages.length]?.path}` };
  } catch (error) {
    reply = { id: message.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  parentPort?.postMessage(reply);
});
