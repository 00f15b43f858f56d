import fs from 'node:fs';
import path from 'node:path';
import type { TamperEvent, TamperKind } from '../protocol.js';
import type { FrontLayout } from '../layout.js';
import { addedDetail, changeDetail, folderDetail } from './guard-detail.js';
import {
  absOf,
  errnoOf,
  foldersOf,
  holdsServed,
  isUtf8Name,
  joinRel,
  lstatOrNull,
  parentOf,
  yieldNow,
} from './guard-paths.js';
import { expectedBytes, keepInQuarantine, moveToQuarantine, QuarantineNames, StagedWriter } from './guard-restore.js';
import { isExpectedFolder, locate, servedUnder } from './guard-rows.js';
import type { FrontState, ServedRow } from './state.js';

/** What the checker asks of the guard around it (its queue, its watchers, the agent's batch). */
export interface CheckHooks {
  /** Whether the agent's current batch holds this path (one of its files, or a folder above one). */
  isApplying(rel: string): boolean;
  /** Checks the path again once the batch is over. */
  defer(rel: string): void;
  /** Checks the path after the current check. */
  enqueue(rel: string): void;
  record(event: TamperEvent): void;
  /** A folder the guard has just made: watch it. */
  watch(folder: string): void;
  /** An expected folder seen: watch it unless this very folder (inode) is watched, and check what it holds. */
  ensureWatched(folder: string, ino: number): void;
  /** A folder gone or quarantined: stop watching it and everything under it. */
  unwatch(folder: string): void;
  error(error: unknown): void;
}

/** What was put back at a place: served files written, and whether it is a folder made again. */
interface Put {
  readonly files: number;
  readonly failed: number;
  readonly folder: boolean;
}

const NOTHING: Put = { files: 0, failed: 0, folder: false };

function typeName(stat: fs.Stats): string {
  if (stat.isSymbolicLink()) return 'symbolic link';
  if (stat.isDirectory()) return 'folder';
  if (stat.isFIFO()) return 'named pipe';
  if (stat.isSocket()) return 'socket';
  if (stat.isBlockDevice() || stat.isCharacterDevice()) return 'device';
  return 'file';
}

function putNote(put: Put): string {
  if (put.files === 0 && !put.folder) return '';
  const what = put.folder
    ? `the served folder made again, ${put.files} served files written back`
    : 'the served file written back';
  return `; ${what}${put.failed ? ` (${put.failed} could not be)` : ''}`;
}

const restoredBy = (put: Put): boolean => (put.files > 0 || put.folder) && put.failed === 0;

/**
 * Checks one path of the served tree against the `served` table and repairs it: a changed file
 * is kept as evidence and written back, a missing one written back, anything foreign (a file, a
 * folder, a symbolic link, a name that is not UTF-8) moved into quarantine whole, and what belongs
 * at its place written back. Each repair records one tamper event.
 *
 * A file's check runs synchronously from the batch test to the last rename: the agent applies its
 * batches on the same thread, so it cannot start one in between and have its new file taken for
 * tampering. Only the walk of a folder being made again yields, and asks again for each file.
 */
export class Checker {
  private readonly names: QuarantineNames;
  private readonly writer: StagedWriter;

  constructor(
    private readonly state: FrontState,
    private readonly layout: FrontLayout,
    private readonly now: () => Date,
    private readonly hooks: CheckHooks,
  ) {
    this.names = new QuarantineNames(layout, now);
    this.writer = new StagedWriter(layout);
  }

  async check(rel: string): Promise<void> {
    if (this.hooks.isApplying(rel)) return this.hooks.defer(rel);
    const stat = lstatOrNull(this.abs(rel));
    if (stat === null) return this.missing(rel);
    if (stat.isSymbolicLink()) return this.symlink(rel);
    if (stat.isDirectory()) return this.folder(rel, stat);
    const row = stat.isFile() ? this.state.served(rel) : undefined;
    if (row) return this.servedFile(rel, row);
    return this.foreign(rel, stat);
  }

  /** Quarantines the entries of a folder whose names are not UTF-8 (no string can name them). */
  oddNames(folder: string): void {
    const abs = this.abs(folder);
    let names: Buffer[];
    try {
      names = fs.readdirSync(abs, { encoding: 'buffer' });
    } catch {
      return;
    }
    for (const raw of names) {
      if (isUtf8Name(raw)) continue;
      const from = Buffer.concat([Buffer.from(`${abs}/`), raw]);
      const stat = lstatOrNull(from);
      if (!stat) continue;
      const shown = joinRel(folder, raw.toString('utf8'));
      const name = this.names.next(`0x${raw.toString('hex')}`);
      moveToQuarantine(from, this.quarantined(name));
      const kind: TamperKind = stat.isSymbolicLink() ? 'symlink' : stat.isDirectory() ? 'directory' : 'added';
      const detail = `a ${typeName(stat)} whose name is not UTF-8 (bytes ${raw.toString('hex')})`;
      this.record(kind, shown, stat.isDirectory(), detail, name, false);
    }
  }

  private abs(rel: string): string {
    return absOf(this.layout, rel);
  }

  private quarantined(name: string): string {
    return path.join(this.layout.quarantine, name);
  }

  private baseName(rel: string): string {
    return rel === '' ? 'www' : rel.slice(rel.lastIndexOf('/') + 1);
  }

  private record(
    kind: TamperKind,
    rel: string,
    isFolder: boolean,
    detail: string,
    quarantine: string | null,
    restored: boolean,
  ): void {
    const at = this.now().toISOString();
    const where = locate(this.state, rel, isFolder);
    this.hooks.record(this.state.recordEvent({ at, file: rel, ...where, kind, detail, quarantine, restored }));
  }

  /** Moves what is at `rel` into quarantine; its name there. */
  private quarantine(rel: string): string {
    const name = this.names.next(this.baseName(rel));
    moveToQuarantine(this.abs(rel), this.quarantined(name));
    return name;
  }

  /** Makes www and the folders down to `folder` real folders: a file or link in the way is quarantined. */
  private ensureFolder(folder: string): void {
    for (const each of foldersOf(folder)) {
      const stat = lstatOrNull(this.abs(each));
      if (stat?.isDirectory()) continue;
      if (stat) {
        this.hooks.unwatch(each);
        const detail = stat.isSymbolicLink()
          ? `a symbolic link to ${fs.readlinkSync(this.abs(each))} in place of a served folder`
          : `a ${typeName(stat)} in place of a served folder`;
        const name = this.quarantine(each);
        this.record(stat.isSymbolicLink() ? 'symlink' : 'added', each, true, detail, name, true);
      }
      fs.mkdirSync(this.abs(each), { recursive: each === '' });
      this.hooks.watch(each);
    }
  }

  /** Writes a served file's expected bytes at its place: true, or why it could not. */
  private writeBack(rel: string, row: ServedRow, known?: Buffer): true | string {
    const expected = known ? { ok: true as const, bytes: known } : expectedBytes(this.state, this.layout, row);
    if (!expected.ok) return expected.reason;
    try {
      this.ensureFolder(parentOf(rel));
      this.writer.write(this.abs(rel), expected.bytes);
      return true;
    } catch (error) {
      this.hooks.error(error);
      return errnoOf(error) ?? String(error);
    }
  }

  /** Puts back what belongs at a place just emptied: its served file, or the served folder. */
  private async restoreAt(rel: string): Promise<Put> {
    const row = this.state.served(rel);
    if (row) return { files: 1, failed: this.writeBack(rel, row) === true ? 0 : 1, folder: false };
    return isExpectedFolder(this.state, rel) ? this.restoreUnder(rel) : NOTHING;
  }

  /** Makes a served folder again with every served file under it. */
  private async restoreUnder(folder: string): Promise<Put> {
    this.ensureFolder(folder);
    let files = 0;
    let failed = 0;
    let seen = 0;
    for (const listed of servedUnder(this.state, folder)) {
      if (++seen % 64 === 0) await yieldNow();
      // Read again: a batch may have replaced or removed it while the walk yielded.
      const row = this.state.served(listed.file);
      if (!row) continue;
      if (this.hooks.isApplying(row.file)) {
        this.hooks.defer(row.file);
        continue;
      }
      const stat = lstatOrNull(this.abs(row.file));
      if (stat === null) {
        files += 1;
        if (this.writeBack(row.file, row) !== true) failed += 1;
      } else if (!stat.isFile() || !holdsServed(this.abs(row.file), row)) this.hooks.enqueue(row.file);
    }
    return { files, failed, folder: true };
  }

  private async missing(rel: string): Promise<void> {
    const row = this.state.served(rel);
    if (!row) {
      if (isExpectedFolder(this.state, rel)) return this.missingFolder(rel);
      return this.prune(parentOf(rel));
    }
    // A folder above it gone (one event for the folder, not one per file), or not a folder.
    const broken = foldersOf(parentOf(rel)).find((folder) => !lstatOrNull(this.abs(folder))?.isDirectory());
    if (broken !== undefined) return lstatOrNull(this.abs(broken)) ? this.check(broken) : this.missingFolder(broken);
    const written = this.writeBack(rel, row);
    const detail =
      written === true
        ? 'the served file was missing: written back from its verified copy'
        : `the served file is missing and cannot be written back: ${written}`;
    this.record('removed', rel, false, detail, null, written === true);
  }

  private async missingFolder(folder: string): Promise<void> {
    this.hooks.unwatch(folder);
    const put = await this.restoreUnder(folder);
    const detail = `the served folder was missing (removed, or renamed away)${putNote(put)}`;
    this.record('directory', folder, true, detail, null, put.failed === 0);
  }

  private servedFile(rel: string, row: ServedRow): void {
    const abs = this.abs(rel);
    if (holdsServed(abs, row)) return;
    const name = this.names.next(this.baseName(rel));
    keepInQuarantine(abs, this.quarantined(name));
    const expected = expectedBytes(this.state, this.layout, row);
    const written = expected.ok ? this.writeBack(rel, row, expected.bytes) : expected.reason;
    if (written !== true) fs.rmSync(abs, { force: true });
    const diff = changeDetail(rel, expected.ok ? expected.bytes : null, this.quarantined(name));
    const detail = written === true ? diff : `${diff}\n(not written back: ${written})`;
    this.record('modified', rel, false, detail, name, written === true);
  }

  private async symlink(rel: string): Promise<void> {
    const target = fs.readlinkSync(this.abs(rel));
    const asFolder = !this.state.served(rel) && isExpectedFolder(this.state, rel);
    this.hooks.unwatch(rel);
    const name = this.quarantine(rel);
    const put = await this.restoreAt(rel);
    this.record('symlink', rel, asFolder, `a symbolic link to ${target}${putNote(put)}`, name, restoredBy(put));
  }

  private async folder(rel: string, stat: fs.Stats): Promise<void> {
    if (isExpectedFolder(this.state, rel)) return this.hooks.ensureWatched(rel, stat.ino);
    this.hooks.unwatch(rel);
    const name = this.quarantine(rel);
    const put = await this.restoreAt(rel);
    const detail = `${folderDetail('a folder not served', this.quarantined(name))}${putNote(put)}`;
    this.record('directory', rel, true, detail, name, restoredBy(put));
  }

  private async foreign(rel: string, stat: fs.Stats): Promise<void> {
    const name = this.quarantine(rel);
    const detail = stat.isFile() ? addedDetail(rel, this.quarantined(name)) : `a ${typeName(stat)}, not a regular file`;
    const put = await this.restoreAt(rel);
    this.record('added', rel, false, `${detail}${putNote(put)}`, name, restoredBy(put));
  }

  /**
   * Removes the empty folders a batch's removals leave (no event: the agent emptied them). A
   * folder that is not empty holds something foreign: it is checked.
   */
  private prune(folder: string): void {
    for (let each = folder; each !== ''; each = parentOf(each)) {
      if (this.hooks.isApplying(each) || isExpectedFolder(this.state, each)) return;
      try {
        fs.rmdirSync(this.abs(each));
        this.hooks.unwatch(each);
      } catch (error) {
        const code = errnoOf(error);
        if (code === 'ENOTEMPTY' || code === 'EEXIST') this.hooks.enqueue(each);
        return;
      }
    }
  }
}
