import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { FrontLayout } from '../layout.js';
import { absOf, compareUtf8, holdsServed, isUtf8Name, joinRel, lstatOrNull, yieldNow } from './guard-paths.js';
import { servedAfter, siteFolders } from './guard-rows.js';
import type { FrontState, ServedRow } from './state.js';

/**
 * The full hash sweep: a merge of the `served` rows, read in name order a page at a time,
 * against a walk of www in the same order (each folder's names sorted as bytes, a folder's name
 * with its `/`, which is the order of the full paths). It holds one page of rows and the
 * listings of the folders it is inside, never the tree: a million files stay well within the
 * agent's memory budget. It only finds: each path found wrong is handed to `flag`, whose check
 * repairs it (and which waits while too many are queued).
 */
export interface SweepTarget {
  readonly state: FrontState;
  readonly layout: FrontLayout;
  /** A path to check (it awaits when the queue is long). */
  flag(rel: string): Promise<void>;
  /** A folder holding names that are not UTF-8. */
  flagOddNames(folder: string): Promise<void>;
  /** Whether the guard was closed (the sweep then stops where it is). */
  stopped(): boolean;
}

/** The served rows in name order, a page in memory at a time. */
class RowCursor {
  private rows: ServedRow[] = [];
  private index = 0;
  private after: string | null = null;
  private done = false;

  constructor(private readonly state: FrontState) {}

  peek(): ServedRow | undefined {
    if (this.index >= this.rows.length && !this.done) {
      this.rows = servedAfter(this.state, this.after, '');
      this.index = 0;
      const last = this.rows.at(-1);
      if (last) this.after = last.file;
      else this.done = true;
    }
    return this.rows[this.index];
  }

  advance(): void {
    this.index += 1;
  }
}

const SLASH = Buffer.from('/');
/** How long the sweep works between two turns of the event loop. */
const SLICE_MS = 5;

export async function sweepTree(target: SweepTarget): Promise<number> {
  const { state, layout } = target;
  const rows = new RowCursor(state);
  const sites = siteFolders(state);
  let files = 0;
  let sliceStart = performance.now();

  const pause = async (): Promise<void> => {
    if (performance.now() - sliceStart < SLICE_MS) return;
    await yieldNow();
    sliceStart = performance.now();
  };

  /** Served files named before `bound` (all that are left, for null) are not in the tree. */
  const missingBefore = async (bound: string | null): Promise<void> => {
    for (let row = rows.peek(); row && (bound === null || compareUtf8(row.file, bound) < 0); row = rows.peek()) {
      rows.advance();
      files += 1;
      await target.flag(row.file);
    }
  };

  const visit = async (folder: string): Promise<void> => {
    let entries: fs.Dirent<Buffer>[];
    try {
      entries = fs.readdirSync(absOf(layout, folder), { withFileTypes: true, encoding: 'buffer' });
    } catch {
      return target.flag(folder);
    }
    const sorted = entries
      .map((entry) => ({ entry, key: entry.isDirectory() ? Buffer.concat([entry.name, SLASH]) : entry.name }))
      .sort((a, b) => Buffer.compare(a.key, b.key));
    let odd = false;
    for (const { entry } of sorted) {
      if (target.stopped()) return;
      if (!isUtf8Name(entry.name)) {
        odd = true;
        continue;
      }
      const rel = joinRel(folder, entry.name.toString('utf8'));
      if (entry.isDirectory()) {
        await missingBefore(`${rel}/`);
        const next = rows.peek();
        if (next?.file.startsWith(`${rel}/`) || (folder === '' && sites.has(rel))) await visit(rel);
        else {
          files += 1;
          await target.flag(rel);
        }
        continue;
      }
      await missingBefore(rel);
      files += 1;
      const row = rows.peek();
      if (row?.file === rel) {
        rows.advance();
        if (!entry.isFile() || !holdsServed(absOf(layout, rel), row)) await target.flag(rel);
      } else await target.flag(rel);
      await pause();
    }
    if (odd) await target.flagOddNames(folder);
  };

  if (!lstatOrNull(layout.www)?.isDirectory()) {
    await target.flag('');
    return files;
  }
  await visit('');
  if (!target.stopped()) await missingBefore(null);
  return files;
}
