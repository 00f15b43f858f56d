import fs from 'node:fs';
import type { FrontLayout } from '../layout.js';
import { absOf, isUtf8Name, isWithin, joinRel, lstatOrNull, yieldNow } from './guard-paths.js';

/**
 * One non-recursive `fs.watch` (inotify) per folder of the served tree: Linux has no recursive
 * watch, and one per folder lets a folder that appears be watched and one that goes be dropped.
 * A watch follows its folder's inode, so a watch whose folder was renamed away keeps reporting
 * under the old name; the guard compares inodes and watches the folder found there anew.
 * The front's root is watched too, for `www` itself being removed or replaced.
 */
export interface WatchEvents {
  /** Something happened at this path (a name in a watched folder, or the folder itself). */
  changed(rel: string): void;
  /** A folder holds a name that is not UTF-8. */
  oddName(folder: string): void;
  error(error: unknown): void;
}

export class FolderWatchers {
  private readonly watched = new Map<string, { readonly watcher: fs.FSWatcher; readonly ino: number }>();
  private root: fs.FSWatcher | null = null;
  private closed = false;

  constructor(
    private readonly layout: FrontLayout,
    private readonly events: WatchEvents,
  ) {}

  /** Watches the root and every expected folder present (folders are walked, files are not read). */
  async start(isExpected: (folder: string) => boolean): Promise<void> {
    this.root = this.open(
      this.layout.root,
      (name) => {
        if (name === 'www') this.events.changed('');
      },
      () => this.events.changed(''),
    );
    const stack = [''];
    while (stack.length > 0 && !this.closed) {
      const folder = stack.pop() ?? '';
      if (!this.watch(folder)) continue;
      let entries: fs.Dirent[];
      try {
        entries = await fs.promises.readdir(absOf(this.layout, folder), { withFileTypes: true });
      } catch {
        continue;
      }
      for (const entry of entries) {
        const child = joinRel(folder, entry.name);
        if (entry.isDirectory() && isExpected(child)) stack.push(child);
      }
      await yieldNow();
    }
  }

  isWatched(folder: string, ino: number): boolean {
    return this.watched.get(folder)?.ino === ino;
  }

  /** Watches a folder (again, when the one watched under its name was another inode); false when it cannot. */
  watch(folder: string): boolean {
    if (this.closed) return false;
    const stat = lstatOrNull(absOf(this.layout, folder));
    if (!stat?.isDirectory()) return false;
    if (this.isWatched(folder, stat.ino)) return true;
    this.unwatch(folder);
    const watcher = this.open(
      absOf(this.layout, folder),
      (name, raw) => {
        if (name === null) this.events.changed(folder);
        else if (raw && !isUtf8Name(raw)) this.events.oddName(folder);
        else this.events.changed(joinRel(folder, name));
      },
      () => {
        if (this.watched.get(folder)?.watcher === watcher) this.watched.delete(folder);
        this.events.changed(folder);
      },
    );
    if (!watcher) return false;
    this.watched.set(folder, { watcher, ino: stat.ino });
    return true;
  }

  /** Stops watching a folder and every folder under it. */
  unwatch(folder: string): void {
    for (const [each, { watcher }] of this.watched)
      if (isWithin(each, folder)) {
        watcher.close();
        this.watched.delete(each);
      }
  }

  get count(): number {
    return this.watched.size;
  }

  close(): void {
    this.closed = true;
    this.root?.close();
    for (const { watcher } of this.watched.values()) watcher.close();
    this.watched.clear();
  }

  private open(
    dir: string,
    onName: (name: string | null, raw: Buffer | null) => void,
    onEnd: () => void,
  ): fs.FSWatcher | null {
    try {
      // Not persistent: the agent's server keeps the process; a guard alone never holds it open.
      const watcher = fs.watch(dir, { persistent: false, encoding: 'buffer' }, (_type, raw) =>
        onName(raw ? raw.toString('utf8') : null, raw),
      );
      // A watch can end with an error when its folder goes: the folder is checked again.
      watcher.on('error', () => {
        watcher.close();
        onEnd();
      });
      return watcher;
    } catch (error) {
      // ENOSPC: the inotify watch limit (fs.inotify.max_user_watches); the sweep still covers the folder.
      this.events.error(error);
      return null;
    }
  }
}
