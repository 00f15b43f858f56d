import { createHash } from 'node:crypto';
import fsSync from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { threadId } from 'node:worker_threads';
import zlib from 'node:zlib';
import { GazetteError } from '../domain/index.js';
import { hasIncludes } from './includes.js';
import { processIsAlive } from '../process-alive.js';

const gzip = promisify(zlib.gzip);
const brotli = promisify(zlib.brotliCompress);

/**
 * Fixed compression settings: the same bytes always compress to the same bytes. Level 5, not
 * zlib's default 6: on this theme's article pages 8% less CPU for 0.1% more bytes (4 bytes in
 * 5,300), measured by `npm run bench render`.
 */
const GZIP_OPTIONS: zlib.ZlibOptions = { level: 5 };
/**
 * Brotli's window fits the page (64 KiB at the least, where quality 5 switches to its hasher
 * for small windows, a tenth faster with no loss on a page that fits).
 */
const brotliOptions = (body: Buffer): zlib.BrotliOptions => ({
  params: {
    [zlib.constants.BROTLI_PARAM_QUALITY]: 5,
    [zlib.constants.BROTLI_PARAM_LGWIN]: Math.min(22, Math.max(16, Math.ceil(Math.log2(body.length + 1)))),
    [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length,
  },
});

/** A page's gzip form, as the store keeps it beside the page (the render bench times the same call). */
export const gzipPage = (body: Buffer): Buffer => zlib.gzipSync(body, GZIP_OPTIONS);
/** A page's brotli form, as the store keeps it. */
export const brotliPage = (body: Buffer): Buffer => zlib.brotliCompressSync(body, brotliOptions(body));
/** Both compressed forms, off this thread (libuv's pool): for a page stored or filled while serving. */
export async function compressPage(body: Buffer): Promise<{ gzip: Buffer; br: Buffer }> {
  const [gz, br] = await Promise.all([gzip(body, GZIP_OPTIONS), brotli(body, brotliOptions(body))]);
  return { gzip: gz, br };
}

export type Encoding = 'identity' | 'gzip' | 'br';
const SUFFIX: Readonly<Record<Exclude<Encoding, 'identity'>, string>> = { gzip: '.gz', br: '.br' };

/** The content type of a published file, from its URL path (the output store keeps bytes only). */
export function contentTypeOf(urlPath: string): string {
  if (urlPath.endsWith('/rss.xml')) return 'application/rss+xml; charset=utf-8';
  if (urlPath.endsWith('/atom.xml')) return 'application/atom+xml; charset=utf-8';
  if (urlPath.endsWith('.xml')) return 'application/xml; charset=utf-8';
  if (urlPath.endsWith('.txt')) return 'text/plain; charset=utf-8';
  if (urlPath.endsWith('.css')) return 'text/css; charset=utf-8';
  return 'text/html; charset=utf-8';
}

/** The file under the output folder that holds a URL path: `/bqdt/` → `bqdt/index.html`. */
export function fileOf(urlPath: string): string {
  const relative = urlPath.endsWith('/') ? `${urlPath}index.html` : urlPath;
  return relative.replace(/^\/+/, '');
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Where published pages are kept, shared by every app instance of a site: what the publisher
 * writes and the servers read. OutputStore keeps them in a folder (shared between machines by
 * a network mount); an object store (S3, OSS) can implement the same three operations, with the
 * compressed forms as their own objects.
 */
export interface PageStore {
  /** Stores the page and its compressed forms; a reader sees the old page or the new one, whole. */
  write(urlPath: string, body: Buffer): Promise<void>;
  /** The page in one encoding, or null when it is not stored. */
  read(urlPath: string, encoding?: Encoding): Promise<Buffer | null>;
  /** Whether the page is stored (without reading it). */
  has(urlPath: string): Promise<boolean>;
  remove(urlPath: string): Promise<void>;
  /**
   * Removes what writers that died mid-write left behind (temporary files); answers how many.
   * Safe while others write: only a dead process's leftovers go.
   */
  removeLeftovers(): Promise<number>;
}

/** The output store's folder of temporary files: outside every page's URL, on the same disk. */
export const TEMP_FOLDER = '.tmp';
/** A temporary file older than this is a leftover, whoever wrote it (no write takes an hour). */
const LEFTOVER_AGE_MS = 3_600_000;
/** This machine's name as it goes into a temporary file's name (machines may share the store). */
const HOST = os.hostname().replace(/[^A-Za-z0-9.]/g, '_');

/**
 * Published pages as files, each sent as stored beside its gzip and brotli forms (see
 * keepsForms), written atomically (a
 * temporary file renamed over the old one), so a reader or a killed build never sees half a page.
 * Temporary files are kept in one folder of their own, named by machine, process and thread, so
 * a killed writer's leftovers are found without walking the pages and are never served.
 * Compression settings are fixed, so the same bytes always compress to the same bytes.
 */
export class OutputStore implements PageStore {
  /** Folders known to exist: most pages go where others went before. */
  private readonly folders = new Set<string>();
  private readonly root: string;
  private readonly temps: string;

  constructor(readonly dir: string) {
    this.root = path.resolve(dir);
    this.temps = path.join(this.root, TEMP_FOLDER);
  }

  /** A temporary name no other machine, process or thread writing the store uses now. */
  private tempFile(): string {
    return path.join(this.temps, `${HOST}-${process.pid}-${threadId}-${++temps}`);
  }

  private file(urlPath: string): string {
    const file = path.resolve(this.root, fileOf(urlPath));
    if (!file.startsWith(this.root + path.sep) || file.startsWith(this.temps + path.sep))
      throw new RangeError(`path outside the output store's pages: ${urlPath}`);
    return file;
  }

  /** The folders a write to `file` needs that are not known to exist yet. */
  private foldersToMake(file: string): string[] {
    return [this.temps, path.dirname(file)].filter((folder) => !this.folders.has(folder));
  }

  async write(urlPath: string, body: Buffer): Promise<void> {
    const file = this.file(urlPath);
    for (const folder of this.foldersToMake(file)) {
      await fs.mkdir(folder, { recursive: true });
      this.folders.add(folder);
    }
    const forms = keepsForms(body);
    // Each file's temporary file is written as soon as its bytes are made (the compressed forms
    // side by side); the renames keep filesOf's order, so the page itself is replaced last.
    const planned: readonly (readonly [string, Buffer | Promise<Buffer>])[] = forms
      ? filesOf<Buffer | Promise<Buffer>>(file, body, gzip(body, GZIP_OPTIONS), brotli(body, brotliOptions(body)))
      : [[file, body]];
    const made: string[] = [];
    const temp = async (data: Buffer | Promise<Buffer>) => {
      const name = this.tempFile();
      made.push(name);
      await fs.writeFile(name, await data);
      return name;
    };
    try {
      // Every write is let finish before any is cleaned up: none may land after its removal.
      const settled = await Promise.allSettled(planned.map(([, data]) => temp(data)));
      const failed = settled.find((result) => result.status === 'rejected');
      if (failed) throw failed.reason;
      for (const [i, [target]] of planned.entries()) {
        const written = settled[i];
        if (written?.status === 'fulfilled') await fs.rename(written.value, target);
      }
      if (!forms) await Promise.all(formsOf(file).map((name) => fs.rm(name, { force: true })));
    } catch (error) {
      // A write cut short (a full disk) leaves no temporary file behind to fill the disk further.
      await Promise.all(made.map((name) => fs.rm(name, { force: true })));
      throw noSpaceNamed(error, this.root);
    }
  }

  /**
   * The same write, done on the calling thread: for a render worker, whose thread is there to
   * do exactly this (handing it to libuv's pool would only move it to another thread).
   */
  writeSync(urlPath: string, body: Buffer): void {
    const file = this.file(urlPath);
    for (const folder of this.foldersToMake(file)) {
      fsSync.mkdirSync(folder, { recursive: true });
      this.folders.add(folder);
    }
    const forms = keepsForms(body);
    const placed = forms ? filesOf(file, body, gzipPage(body), brotliPage(body)) : [[file, body] as const];
    for (const [target, data] of placed) {
      const temp = this.tempFile();
      try {
        fsSync.writeFileSync(temp, data);
        fsSync.renameSync(temp, target);
      } catch (error) {
        fsSync.rmSync(temp, { force: true });
        throw noSpaceNamed(error, this.root);
      }
    }
    if (!forms) for (const name of formsOf(file)) removeIfThere(name);
  }

  has(urlPath: string): Promise<boolean> {
    return Promise.resolve(this.hasSync(urlPath));
  }

  hasSync(urlPath: string): boolean {
    return fsSync.statSync(this.file(urlPath), { throwIfNoEntry: false })?.isFile() ?? false;
  }

  async read(urlPath: string, encoding: Encoding = 'identity'): Promise<Buffer | null> {
    const file = this.file(urlPath) + (encoding === 'identity' ? '' : SUFFIX[encoding]);
    try {
      return await fs.readFile(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'EISDIR')
        return null;
      throw error;
    }
  }

  async remove(urlPath: string): Promise<void> {
    const file = this.file(urlPath);
    await Promise.all([file, ...formsOf(file)].map((f) => fs.rm(f, { force: true })));
  }

  async removeLeftovers(now = Date.now()): Promise<number> {
    const names = await fs.readdir(this.temps).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [];
      throw error;
    });
    let removed = 0;
    for (const name of names) {
      const file = path.join(this.temps, name);
      // Gone meanwhile: its writer renamed it into place.
      const stat = await fs.stat(file).catch(() => null);
      if (!stat || !isLeftover(name, stat.mtimeMs, now)) continue;
      await fs.rm(file, { force: true });
      removed++;
    }
    return removed;
  }
}

/** A full disk (or quota) is named, with the folder; any other failure is passed on as it is. */
function noSpaceNamed(error: unknown, dir: string): unknown {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT'
    ? new GazetteError('OUTPUT_NO_SPACE', { dir }, undefined, error)
    : error;
}

/** A page's three files in the order they are put in place: when the page appears, its compressed forms are there. */
const filesOf = <T>(file: string, body: T, gz: T, br: T): readonly (readonly [string, T])[] => [
  [`${file}${SUFFIX.gzip}`, gz],
  [`${file}${SUFFIX.br}`, br],
  [file, body],
];

/** The compressed forms' files beside a page's file. */
const formsOf = (file: string): readonly string[] => [`${file}${SUFFIX.gzip}`, `${file}${SUFFIX.br}`];

/**
 * Whether a page is kept with its compressed forms: only when it is sent as stored. A page with
 * serve-time includes (every themed HTML page: the date bar) is compressed after it is filled,
 * by the server (static-pages.ts) or by nginx after SSI on a front; forms of it would never be
 * read, and making them was most of a build's work (twice the render's time per article page).
 * Forms an older version left beside such a page are taken away when it is written.
 */
export function keepsForms(body: Buffer): boolean {
  return !hasIncludes(body);
}

/**
 * Removes a file when it is there. Most pages have no forms to take away, and asking first costs
 * a fifth of what rmSync's failed lstat and exception cost (7 µs against 34 µs a file).
 */
function removeIfThere(file: string): void {
  if (fsSync.existsSync(file)) fsSync.rmSync(file, { force: true });
}

/** Whether a temporary file's writer is gone: a process of this machine that has ended, or an hour passed. */
function isLeftover(name: string, modifiedMs: number, now: number): boolean {
  if (now - modifiedMs > LEFTOVER_AGE_MS) return true;
  const writer = /^(.+)-(\d+)-\d+-\d+$/.exec(name);
  if (!writer || writer[1] !== HOST) return false;
  return !processIsAlive(Number(writer[2]));
}

/** Temporary files made by this thread so far: the last part of their names. */
let temps = 0;
