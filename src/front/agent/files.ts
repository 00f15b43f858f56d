import fs from 'node:fs/promises';
import path from 'node:path';
import type { FrontLayout } from '../layout.js';

let temps = 0;

/** A temporary file's name in the staging folder (the same disk as www/ and include/, so a rename is atomic). */
export function stagingName(layout: FrontLayout, tag: string): string {
  return path.join(layout.staging, `${tag}-${process.pid}-${++temps}`);
}

/** Whether an error is the disk (or the quota) being full. */
export function isNoSpace(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT' || code === 'SQLITE_FULL';
}

/** Writes bytes to a new file and flushes them to the disk before it is closed. */
export async function writeDurable(file: string, bytes: Buffer): Promise<void> {
  const handle = await fs.open(file, 'w');
  try {
    await handle.writeFile(bytes);
    await handle.datasync();
  } finally {
    await handle.close();
  }
}

/**
 * Replaces a file whole: written beside in staging, then renamed over it, so nginx never reads
 * half of it. The include files are small and rewritten often; they are not flushed (a crash
 * loses a count, which the next rewrite puts right).
 */
export async function writeAtomic(layout: FrontLayout, file: string, bytes: Buffer | string): Promise<void> {
  const temp = stagingName(layout, 'w');
  try {
    await fs.writeFile(temp, bytes);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.rename(temp, file);
  } catch (error) {
    await fs.unlink(temp).catch(() => undefined);
    throw error;
  }
}

/** Runs `work` over `items`, at most `limit` at a time; the first failure ends it (after the running ones settle). */
export async function eachLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const item = items[next++] as T;
      try {
        await work(item);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const results = await Promise.allSettled(Array.from({ length: Math.min(limit, items.length) }, worker));
  const failure = results.find((result) => result.status === 'rejected');
  if (failure) throw failure.reason;
}
