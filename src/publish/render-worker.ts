// A render worker of `gazette build`: given its site, takes batches of page jobs, renders,
// compresses and writes each on its own thread, and answers with what the manifest must record.
import { parentPort, workerData } from 'node:worker_threads';
import { ChannelTree } from '../domain/index.js';
import { loadTheme, type Theme } from '../theme/index.js';
import { OutputStore } from './output.js';
import { storePageSync } from './page-job.js';
import type { SiteView } from './pages.js';
import type { RenderWorkerMessage, RenderWorkerReply, RenderWorkerSetup } from './render-pool.js';
import type { RenderThreadData } from './render-threads.js';

const stop = new Int32Array((workerData as RenderThreadData).stop);

/** The site this worker renders: sent once, before any job (the thread starts before it is read). */
let site: { readonly theme: Theme; readonly output: OutputStore; readonly view: SiteView } | null = null;

function siteOf(setup: RenderWorkerSetup) {
  return {
    theme: loadTheme(setup.themeDir),
    output: new OutputStore(setup.outputDir),
    view: {
      site: setup.site,
      tree: new ChannelTree(setup.channels),
      addedFields: setup.addedFields,
      look: setup.look,
      overrides: setup.overrides,
    },
  };
}

parentPort?.on('message', (message: RenderWorkerMessage) => {
  if ('setup' in message) {
    site = siteOf(message.setup);
    return;
  }
  let reply: RenderWorkerReply;
  try {
    if (!site) throw new Error('a batch came before the site');
    const { theme, view, output } = site;
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
