import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { createTwoFilesPatch } from 'diff';
import { lstatOrNull, readRegular, sha256Of } from './guard-paths.js';

/**
 * What a tamper event says about the foreign thing: a unified diff for text (a `.gz`/`.br`
 * file is compared decompressed: its bytes say nothing to a reader), else a description.
 * Bounded: a planted file larger than 1 MiB is described, not read; a diff is cut at 64 KiB,
 * and one that would take long to compute (two unrelated texts) is described too.
 */
export const DIFF_CAP = 64 * 1024;
const READ_CAP = 1024 * 1024;
const INFLATE_CAP = 4 * 1024 * 1024;
const DIFF_TIMEOUT_MS = 300;

interface Text {
  readonly text: string;
  readonly decompressed: boolean;
}

function textOf(rel: string, bytes: Buffer): Text | null {
  let raw = bytes;
  let decompressed = false;
  try {
    if (rel.endsWith('.gz')) raw = zlib.gunzipSync(bytes, { maxOutputLength: INFLATE_CAP });
    else if (rel.endsWith('.br')) raw = zlib.brotliDecompressSync(bytes, { maxOutputLength: INFLATE_CAP });
    decompressed = raw !== bytes;
  } catch {
    raw = bytes;
  }
  if (raw.includes(0)) return null;
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(raw), decompressed };
  } catch {
    return null;
  }
}

function capped(patch: string): string {
  if (Buffer.byteLength(patch) <= DIFF_CAP) return patch;
  const head = Buffer.from(patch)
    .subarray(0, DIFF_CAP - 100)
    .toString('utf8');
  return `${head.slice(0, head.lastIndexOf('\n') + 1)}\\ (diff cut at 64 KiB)\n`;
}

/** The foreign file's bytes (null when larger than the cap, or no longer a regular file). */
function readFound(file: string): { bytes: Buffer | null; size: number } {
  const stat = lstatOrNull(file);
  const size = stat?.size ?? 0;
  return { bytes: stat?.isFile() && size <= READ_CAP ? readRegular(file, size) : null, size };
}

const described = (what: string, bytes: Buffer | null, size: number): string =>
  bytes ? `${what} ${size} bytes (sha256 ${sha256Of(bytes)})` : `${what} ${size} bytes (not read: over 1 MiB)`;

/** A served file changed: the diff from the served bytes to the bytes found (kept at `foundFile`). */
export function changeDetail(rel: string, expected: Buffer | null, foundFile: string): string {
  const found = readFound(foundFile);
  const before = expected && textOf(rel, expected);
  const after = found.bytes && textOf(rel, found.bytes);
  if (before && after) {
    const note = before.decompressed || after.decompressed ? ' (decompressed)' : '';
    const patch = createTwoFilesPatch(
      `a/${rel}`,
      `b/${rel}`,
      before.text,
      after.text,
      `served${note}`,
      `found${note}`,
      {
        context: 3,
        timeout: DIFF_TIMEOUT_MS,
      },
    );
    if (patch !== undefined) return capped(patch);
  }
  const served = expected ? described('served', expected, expected.length) : 'served bytes unavailable';
  return `binary file changed: ${served}; ${described('found', found.bytes, found.size)}`;
}

/** A file that is not served: its text as a diff from nothing, or a description. */
export function addedDetail(rel: string, foundFile: string): string {
  const found = readFound(foundFile);
  const text = found.bytes && textOf(rel, found.bytes);
  if (text) {
    const patch = createTwoFilesPatch('/dev/null', `b/${rel}`, '', text.text, undefined, undefined, {
      context: 3,
      timeout: DIFF_TIMEOUT_MS,
    });
    if (patch !== undefined) return capped(patch);
  }
  return `a file not served: ${described('', found.bytes, found.size).trim()}`;
}

const LISTED_NAMES = 20;
const COUNTED_ENTRIES = 10_000;

const counted = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** A folder's content, counted up to 10,000 entries, naming the first few in name order. */
export function folderDetail(what: string, folder: string): string {
  let files = 0;
  let folders = 0;
  const names: string[] = [];
  const stack = [''];
  while (stack.length > 0 && files + folders < COUNTED_ENTRIES) {
    const sub = stack.pop() ?? '';
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(folder, sub), { withFileTypes: true });
    } catch {
      continue;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const below: string[] = [];
    for (const entry of entries) {
      const name = sub === '' ? entry.name : `${sub}/${entry.name}`;
      if (entry.isDirectory()) {
        folders += 1;
        below.push(name);
      } else files += 1;
      if (names.length < LISTED_NAMES) names.push(entry.isDirectory() ? `${name}/` : name);
    }
    stack.push(...below.reverse());
  }
  const more = files + folders >= COUNTED_ENTRIES ? ' or more' : '';
  const listed = names.length ? `: ${names.join(', ')}${files + folders > names.length ? ', …' : ''}` : '';
  return `${what}: ${counted(files, 'file', 'files')} and ${counted(folders, 'folder', 'folders')}${more}${listed}`;
}
