import fs from 'node:fs';
import path from 'node:path';
import { objectFile, servedFiles, type FrontLayout } from '../layout.js';
import { errnoOf, lstatOrNull, sha256Of } from './guard-paths.js';
import type { FrontState, ServedRow } from './state.js';

/**
 * The guard's two writes: a served file's expected bytes derived again from its page's verified
 * object, and foreign things moved into quarantine under names that are never reused.
 */
export type Expected = { readonly ok: true; readonly bytes: Buffer } | { readonly ok: false; readonly reason: string };

/** The bytes a served file must hold: its page's object, checked against the page's hash, made into served files. */
export function expectedBytes(state: FrontState, layout: FrontLayout, row: ServedRow): Expected {
  const page = state.page(row.key);
  if (!page || page.hash === '') return { ok: false, reason: `no page ${row.key} is held` };
  let object: Buffer;
  try {
    object = fs.readFileSync(objectFile(layout, page.hash));
  } catch (error) {
    return { ok: false, reason: `the verified copy of ${row.key} cannot be read (${errnoOf(error) ?? String(error)})` };
  }
  if (sha256Of(object) !== page.hash) return { ok: false, reason: `the verified copy of ${row.key} is damaged` };
  const served = servedFiles(row.key, object).find((file) => file.file === row.file);
  if (!served || served.bytes.length !== row.size || sha256Of(served.bytes) !== row.hash)
    return { ok: false, reason: `the verified copy of ${row.key} does not give ${row.file}` };
  return { ok: true, bytes: served.bytes };
}

/** Unique names: the time, a counter, and the original name (cut to stay within 255 bytes). */
export class QuarantineNames {
  private counter = 0;

  constructor(
    private readonly layout: FrontLayout,
    private readonly now: () => Date,
  ) {}

  next(base: string): string {
    const stamp = this.now().toISOString().replace(/[-:.]/g, '');
    let short = base;
    while (Buffer.byteLength(short) > 200) short = short.slice(0, -1);
    for (;;) {
      this.counter += 1;
      const name = `${stamp}-${process.pid}-${this.counter}-${short}`;
      // lstat, not exists: a dangling link kept there must not be taken for a free name.
      if (!lstatOrNull(path.join(this.layout.quarantine, name))) return name;
    }
  }
}

function moveAcrossDisks(from: fs.PathLike, to: string): void {
  fs.cpSync(from.toString(), to, { recursive: true, verbatimSymlinks: true, errorOnExist: true, force: false });
  fs.rmSync(from, { recursive: true, force: true });
}

/**
 * Moves a file, folder or symbolic link into quarantine (the link itself, not what it names).
 * A rename: quarantine is on the front's own disk. Across disks (a www mounted apart), a copy.
 */
export function moveToQuarantine(from: fs.PathLike, to: string): void {
  try {
    fs.renameSync(from, to);
  } catch (error) {
    if (errnoOf(error) !== 'EXDEV') throw error;
    moveAcrossDisks(from, to);
  }
}

/**
 * Keeps a changed served file as evidence while it stays in place: a hard link in quarantine,
 * so the served name never goes missing before the expected file is renamed over it. Where a
 * link cannot be made (another disk, a file system without links), the file is moved.
 * Returns whether the file is still in place.
 */
export function keepInQuarantine(from: string, to: string): boolean {
  try {
    fs.linkSync(from, to);
    return true;
  } catch (error) {
    const code = errnoOf(error);
    if (code !== 'EXDEV' && code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EMLINK') throw error;
    moveToQuarantine(from, to);
    return false;
  }
}

/** Writes bytes to `target` atomically: a temp file in staging renamed over it. */
export class StagedWriter {
  private counter = 0;

  constructor(private readonly layout: FrontLayout) {}

  write(target: string, bytes: Buffer): void {
    this.counter += 1;
    // The agent stages its batches here too: the prefix keeps the guard's temps apart.
    const temp = path.join(this.layout.staging, `.guard-${process.pid}-${this.counter}`);
    try {
      fs.writeFileSync(temp, bytes, { flag: 'w' });
      fs.renameSync(temp, target);
    } catch (error) {
      fs.rmSync(temp, { force: true });
      throw error;
    }
  }
}
