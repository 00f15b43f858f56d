import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { FrontLayout } from '../layout.js';
import type { ServedRow } from './state.js';

/**
 * Paths as the tamper guard names them: relative to the front's www folder, with `/` between
 * folders (`1/bqdt/index.html`), '' for www itself: the same names as the `served` table's.
 */
export function absOf(layout: FrontLayout, rel: string): string {
  return rel === '' ? layout.www : path.join(layout.www, rel);
}

export function joinRel(folder: string, name: string): string {
  return folder === '' ? name : `${folder}/${name}`;
}

export function parentOf(rel: string): string {
  const slash = rel.lastIndexOf('/');
  return slash < 0 ? '' : rel.slice(0, slash);
}

/** www and every folder down to `folder` itself, outermost first: '1/bqdt' → ['', '1', '1/bqdt']. */
export function foldersOf(folder: string): string[] {
  if (folder === '') return [''];
  const parts = folder.split('/');
  return ['', ...parts.map((_part, i) => parts.slice(0, i + 1).join('/'))];
}

/** Whether `rel` is `folder` or lies under it. */
export function isWithin(rel: string, folder: string): boolean {
  return folder === '' || rel === folder || rel.startsWith(`${folder}/`);
}

/**
 * Compares two strings in the order of their UTF-8 bytes: SQLite's order of the `served` rows
 * and the order of a folder's names read as bytes, so a sweep can merge the two. JavaScript's
 * `<` compares UTF-16 units, which differs only between a surrogate and U+E000–U+FFFF.
 */
export function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      const xSurrogate = x <= 0xdfff;
      if (xSurrogate !== y <= 0xdfff) return xSurrogate ? 1 : -1;
    }
    return x - y;
  }
  return a.length - b.length;
}

/** Whether a name read as bytes is valid UTF-8 (one that is not cannot be named by a string). */
export function isUtf8Name(name: Buffer): boolean {
  return Buffer.from(name.toString('utf8'), 'utf8').equals(name);
}

export function errnoOf(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | null)?.code;
}

/** A path's lstat, or null when nothing is there (or a parent is not a folder). */
export function lstatOrNull(file: fs.PathLike): fs.Stats | null {
  try {
    return fs.lstatSync(file);
  } catch (error) {
    const code = errnoOf(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw error;
  }
}

export const sha256Of = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/**
 * A file's bytes when it is a regular file of exactly `size` bytes, else null. Opened without
 * following a symbolic link and without blocking on a FIFO, so nothing planted in the tree can
 * redirect or stall the read; a file of another size is never read (a planted file may be huge).
 */
export function readRegular(file: fs.PathLike, size: number): Buffer | null {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
  } catch (error) {
    const code = errnoOf(error);
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'ELOOP' || code === 'ENXIO') return null;
    throw error;
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile() || stat.size !== size) return null;
    const bytes = Buffer.allocUnsafe(size);
    let done = 0;
    while (done < size) {
      const read = fs.readSync(fd, bytes, done, size - done, done);
      if (read === 0) return null;
      done += read;
    }
    return bytes;
  } finally {
    fs.closeSync(fd);
  }
}

/** Whether the file at `file` holds exactly the served row's bytes. */
export function holdsServed(file: fs.PathLike, row: ServedRow): boolean {
  const bytes = readRegular(file, row.size);
  return bytes !== null && sha256Of(bytes) === row.hash;
}

/** Lets the event loop run (the agent answers pushes while the guard walks a large tree). */
export const yieldNow = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
