import { manifest, type Store } from '../store/index.js';
import type { PageCache } from './page-cache.js';
import { repeat } from '../repeat.js';

/**
 * Follows the manifest's change numbers and drops changed pages from the memory cache. Pages
 * published by this process are dropped at once by the publisher; this catches the rest (a
 * command-line import, another instance). On PostgreSQL a notification sent with every manifest
 * change starts a poll at once; the timer is the safety net, and on SQLite the only signal. After
 * a lost connection it catches up from the last change it saw, so nothing is missed.
 */
export function watchManifest(store: Store, cache: PageCache, everyMs: number): { stop(): Promise<void> } {
  let seen: number | null = null;
  const poll = async () => {
    if (seen === null) {
      seen = await manifest.latestChange(store.db);
      return;
    }
    for (;;) {
      const changes = await manifest.changesSince(store.db, seen, 1000);
      for (const change of changes) cache.dropUnlessCurrent(change.path, change.hash);
      seen = changes[changes.length - 1]?.seq ?? seen;
      if (changes.length < 1000) return;
    }
  };
  // The store may be unreachable for a while; the next poll catches up from `seen`.
  const polling = repeat(poll, everyMs, () => {});
  const listener = store.listen('gazette_pages', () => polling.runSoon());
  return {
    async stop() {
      await listener?.close();
      await polling.stop();
    },
  };
}
