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
const view = { site: setup.site, tree: new ChannelTree(setup.channels) };

parentPort?.on('message', (message: { id: number; jobs: readonly PageJob[] }) => {
  let reply: RenderWorkerReply;
  try {
    reply = { id: message.id, pages: message.jobs.map((job) => storePageSync(theme, view, output, job)) };
  } catch (error) {
    reply = { id: message.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  parentPort?.postMessage(reply);
});
