import path from 'node:path';
import { OutputStore, Publisher, siteOutputDir } from '../publish/index.js';
import { loadTheme } from '../theme/index.js';
import type { Runtime } from './runtime.js';
import type { ContentEvent } from '../domain/index.js';

/** A publisher of the site's pages into its folder of the output store (GAZETTE_DATA/public). */
export function sitePublisher(runtime: Runtime, siteId: number): Publisher {
  const output = new OutputStore(siteOutputDir(path.join(runtime.config.dataDir, 'public'), siteId));
  return new Publisher(runtime.store, loadTheme(), output, runtime.clock, { siteId });
}

/**
 * The runtime with a publisher listening: what a command changes is published into the output
 * store as it happens, as the server would (a running server notices through the manifest).
 */
export function publishingRuntime(runtime: Runtime, siteId: number): { runtime: Runtime; publisher: Publisher } {
  const publisher = sitePublisher(runtime, siteId);
  const events = { durable: true, emit: (event: ContentEvent, taskId?: number) => publisher.handle(event, taskId) };
  return { runtime: { ...runtime, siteId, events }, publisher };
}
