import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { exclusively, manifest, type Store } from '../store/index.js';
import { Limiter } from '../limiter.js';
import { TEMP_FOLDER, fileOf, keepsForms, sha256 } from './output.js';
import { storePage } from './page-job.js';
import { PUBLISH_LOCK, type Publisher } from './publisher.js';
import { resolvePublicPath } from './render.js';
import { ROOT_SITE_ID, siteKeyPrefix, siteOutputDir, splitSiteKey } from './site-output.js';

const gunzip = promisify(zlib.gunzip);
const unbrotli = promisify(zlib.brotliDecompress);

export interface VerifyOutputOptions {
  readonly store: Store;
  /** The output store's folder (GAZETTE_DATA/public), every site's pages under it. */
  readonly publicDir: string;
  /** Only this site's pages and folder; absent, the whole output store. */
  readonly siteId?: number;
  /** Write missing and changed pages again, and move unknown files aside. */
  readonly repair?: boolean;
  /** The publisher of a site's pages, which renders a page again (needed to repair). */
  readonly publisherFor?: (siteId: number) => Publisher;
  /**
   * Where this run moves what it takes out of the output store (GAZETTE_DATA/quarantine/<time>):
   * unknown files, and the changed bytes of a page it writes again. Needed to repair; made only
   * when something goes there.
   */
  readonly quarantineDir?: string;
}

/**
 * What the output store holds against the manifest. Pages are named by manifest key (`/bqdt/`,
 * `/site_2/bqdt/`), unknown files by their path under the output store (`/bqdt/x.html`); each
 * list is sorted. `repaired` names what was put right: pages written again (or removed, when the
 * path is no page any more) and unknown files moved to `quarantine`.
 */
export interface OutputCheck {
  /** Pages of the manifest checked. */
  readonly checked: number;
  readonly missing: string[];
  readonly different: string[];
  readonly unknown: string[];
  readonly repaired: string[];
  /** The folder things were moved to, or null when nothing was. */
  readonly quarantine: string | null;
}

/** A page's files whose bytes are not the manifest's (and whether any is missing). */
interface PageState {
  readonly missing: boolean;
  /** Files present with other bytes (or not plain files: a symlink, a folder). */
  readonly changed: readonly string[];
}

/** Pages read from the manifest at once, and files of the walk looked up in it at once. */
const BATCH = 500;
/** Pages hashed at once (reads and decompression run on libuv's threads). */
const PARALLEL = 8;
/** A site's folder in the output store (the root site's holds the others'). */
const SITE_FOLDER = /^site_\d+$/;

/**
 * Hashes every page the manifest records against its file in the output store, with the file's
 * .gz and .br forms where it has them (decompressed: a reader is sent those as often as the
 * page), and lists the files the manifest does not know (outside each folder's .tmp/). With
 * `repair`, a missing or changed page is rendered again by its site's publisher (the same
 * content renders to the same bytes, so it hashes to the manifest again) and a file nobody
 * published is moved to the quarantine folder, kept for evidence. A page found wrong is looked
 * at again against a fresh manifest row before it is reported, and repaired under the publish
 * lock, so a run writing it meanwhile is neither reported nor undone.
 */
export async function verifyOutput(options: VerifyOutputOptions): Promise<OutputCheck> {
  const { store, publicDir, siteId } = options;
  if (options.repair && (!options.publisherFor || !options.quarantineDir))
    throw new RangeError('verifyOutput: repairing needs publisherFor and quarantineDir');
  const quarantine = new Quarantine(options.quarantineDir ?? '');
  const file = (key: string) => path.join(publicDir, fileOf(key));
  const found = { missing: [] as string[], different: [] as string[], unknown: [] as string[] };
  const repaired: string[] = [];
  const limiter = new Limiter(PARALLEL);

  let checked = 0;
  const prefix = siteId === undefined ? null : siteKeyPrefix(siteId);
  for (let after = ''; ;) {
    const rows =
      prefix === null
        ? await manifest.pagesAfter(store.db, after, BATCH)
        : (await manifest.sitePagesAfter(store.db, prefix, after, BATCH)).map((row) => ({
            ...row,
            path: prefix + row.path,
          }));
    if (rows.length === 0) break;
    after = (rows[rows.length - 1]?.path ?? '').slice(prefix?.length ?? 0);
    checked += rows.length;
    const wrong = await Promise.all(
      rows.map((row) =>
        limiter.run(async () => {
          const state = await settledState(store, file(row.path), row.path, row.hash);
          return state && { key: row.path, state };
        }),
      ),
    );
    for (const finding of wrong) {
      if (!finding) continue;
      found[finding.state.changed.length > 0 ? 'different' : 'missing'].push(finding.key);
      if (
        options.repair &&
        options.publisherFor &&
        (await repairPage(store, options.publisherFor, quarantine, publicDir, finding.key))
      )
        repaired.push(finding.key);
    }
  }

  for await (const batch of unknownFiles(store, publicDir, siteId)) {
    for (const name of batch) {
      found.unknown.push(name);
      if (options.repair && (await moveUnknown(store, quarantine, publicDir, name))) repaired.push(name);
    }
  }

  const sorted = (list: string[]) => list.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    checked,
    missing: sorted(found.missing),
    different: sorted(found.different),
    unknown: sorted(found.unknown),
    repaired: sorted(repaired),
    quarantine: quarantine.made,
  };
}

/**
 * A page's state when it is wrong, looked at twice: a publish may have written the page after
 * its row was read, so a wrong page is checked again against the row as it is now (null when it
 * is right, or no page any more: the walk for unknown files then judges its file).
 */
async function settledState(store: Store, file: string, key: string, hash: string): Promise<PageState | null> {
  const first = await pageState(file, hash);
  if (!first) return null;
  const row = await manifest.findPage(store.db, key);
  if (!row) return null;
  return row.hash === hash ? first : pageState(file, row.hash);
}

/** One file of a page against the page's hash: its bytes (decoded) when they are the page's. */
async function fileState(
  name: string,
  hash: string,
  decode: (bytes: Buffer) => Promise<Buffer>,
): Promise<{ readonly state: 'absent' | 'changed' } | { readonly state: 'right'; readonly bytes: Buffer }> {
  const stat = await fs.lstat(name).catch(notFound);
  if (!stat) return { state: 'absent' };
  if (!stat.isFile()) return { state: 'changed' };
  const bytes = await fs
    .readFile(name)
    .then(decode)
    .catch(() => null);
  return bytes && sha256(bytes) === hash ? { state: 'right', bytes } : { state: 'changed' };
}

/**
 * The page's file and its .gz and .br forms against its hash; null when all are right. The
 * forms are missing only beside a page kept with them (keepsForms: one without serve-time
 * includes); beside any other, a form that is there must still hold the page.
 */
async function pageState(file: string, hash: string): Promise<PageState | null> {
  const page = await fileState(file, hash, (bytes) => Promise.resolve(bytes));
  const forms = [
    { name: `${file}.gz`, ...(await fileState(`${file}.gz`, hash, gunzip)) },
    { name: `${file}.br`, ...(await fileState(`${file}.br`, hash, unbrotli)) },
  ];
  const formsNeeded = page.state === 'right' && keepsForms(page.bytes);
  const missing = page.state === 'absent' || (formsNeeded && forms.some((form) => form.state === 'absent'));
  const changed = [{ name: file, ...page }, ...forms]
    .filter((entry) => entry.state === 'changed')
    .map((entry) => entry.name);
  return missing || changed.length > 0 ? { missing, changed } : null;
}

/**
 * Writes a page again through its site's publisher, under the publish lock, after moving its
 * changed files aside. The repair is recorded as the page's newest change even when the bytes
 * are the manifest's: a running server may hold the changed bytes in memory, and a new change
 * number is what makes it (and the distributor to the front servers) take the page again.
 * A path that is no page any more is removed, as a publish would. False when it could not be
 * repaired (its site is gone).
 */
async function repairPage(
  store: Store,
  publisherFor: (siteId: number) => Publisher,
  quarantine: Quarantine,
  publicDir: string,
  key: string,
): Promise<boolean> {
  const { siteId, path: urlPath } = splitSiteKey(key);
  const publisher = publisherFor(siteId);
  return exclusively(store, PUBLISH_LOCK, async () => {
    const row = await manifest.findPage(store.db, key);
    const file = path.join(publicDir, fileOf(key));
    const state = row ? await pageState(file, row.hash) : null;
    if (!state) return true;
    const view = await publisher.site();
    if (!view) return false;
    for (const name of state.changed) await quarantine.take(publicDir, name);
    const resolved = await resolvePublicPath(store.db, view, urlPath);
    if (resolved.kind !== 'page') {
      await publisher.removePath(urlPath, siteKeyPrefix(siteId));
      return true;
    }
    const stored = await storePage(publisher.theme, view, publisher.output, {
      path: urlPath,
      source: resolved.source,
      knownHash: null,
    });
    await manifest.recordPage(store, {
      path: key,
      hash: stored.hash,
      size: stored.size,
      updatedAt: publisher.clock.now().toISOString(),
    });
    return true;
  });
}

/** Moves an unknown file aside, unless a publish recorded it meanwhile (under the lock, so none is mid-way). */
async function moveUnknown(store: Store, quarantine: Quarantine, publicDir: string, name: string): Promise<boolean> {
  return exclusively(store, PUBLISH_LOCK, async () => {
    if ((await knownNames(store, [name])).has(name)) return true;
    await quarantine.take(publicDir, path.join(publicDir, name));
    return true;
  });
}

/**
 * The files of the output store (or of one site's folder) the manifest does not know, in
 * batches: a walk holding one folder's listing at a time, each batch of files looked up in the
 * manifest at once. Folders of temporary files are skipped; with a site named, so are the other
 * sites' folders. A file found unknown is looked up once more at the end of its batch: a publish
 * writes a page's files just before it records them.
 */
async function* unknownFiles(store: Store, publicDir: string, siteId: number | undefined): AsyncGenerator<string[]> {
  const top = siteId === undefined ? publicDir : siteOutputDir(publicDir, siteId);
  // Each site's folder has its .tmp/; the root site's folder holds the others' folders.
  const skipped = (relative: string): boolean => {
    const [first = '', second, ...rest] = relative.split('/');
    if (second === undefined) return first === TEMP_FOLDER || (siteId === ROOT_SITE_ID && SITE_FOLDER.test(first));
    return rest.length === 0 && second === TEMP_FOLDER && SITE_FOLDER.test(first);
  };
  let pending: string[] = [];
  const flush = async (): Promise<string[]> => {
    const names = pending;
    pending = [];
    const known = await knownNames(store, names);
    const unknown = names.filter((name) => !known.has(name));
    if (unknown.length === 0) return [];
    const second = await knownNames(store, unknown);
    return unknown.filter((name) => !second.has(name));
  };
  const walk = async function* (dir: string): AsyncGenerator<string[]> {
    const entries = await fs.readdir(dir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [];
      throw error;
    });
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      const relative = path.relative(publicDir, full).split(path.sep).join('/');
      if (entry.isDirectory()) {
        if (!skipped(relative)) yield* walk(full);
        continue;
      }
      // Files, and anything else planted in the tree (symlinks, pipes): the manifest knows them or not.
      pending.push(`/${relative}`);
      if (pending.length >= BATCH) yield await flush();
    }
  };
  yield* walk(top);
  yield await flush();
}

/**
 * Which of these files (by path under the output store) hold a page the manifest records, or
 * its .gz or .br form. `x/index.html` is the file of `/x/` (and of `/x/index.html`).
 */
async function knownNames(store: Store, names: readonly string[]): Promise<Set<string>> {
  const keysOf = (name: string): string[] => {
    const page = name.replace(/\.(gz|br)$/, '');
    const keys = name === page ? [page] : [page, name];
    if (page.endsWith('/index.html')) keys.push(page.slice(0, -'index.html'.length));
    return keys;
  };
  const hashes = await manifest.knownHashes(store.db, [...new Set(names.flatMap(keysOf))]);
  return new Set(names.filter((name) => keysOf(name).some((key) => hashes.has(key))));
}

/**
 * This run's quarantine folder, made when the first thing is moved there (another name beside it
 * when a run of the same instant made it already); the files keep their paths under it.
 */
class Quarantine {
  made: string | null = null;

  constructor(private readonly dir: string) {}

  private async folder(): Promise<string> {
    for (let n = 1; this.made === null; n++) {
      const dir = n === 1 ? this.dir : `${this.dir}-${n}`;
      await fs.mkdir(path.dirname(dir), { recursive: true });
      const made = await fs.mkdir(dir).then(
        () => true,
        (error: NodeJS.ErrnoException) => {
          if (error.code === 'EEXIST') return false;
          throw error;
        },
      );
      if (made) this.made = dir;
    }
    return this.made;
  }

  /** Moves a file (or whatever is at its place) aside; gone meanwhile, there is nothing to move. */
  async take(publicDir: string, file: string): Promise<void> {
    const target = path.join(await this.folder(), path.relative(publicDir, file));
    await fs.mkdir(path.dirname(target), { recursive: true });
    try {
      await fs.rename(file, target);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return;
      // The output store on a disk of its own (a network mount): copied, then removed.
      if (code !== 'EXDEV') throw error;
      await fs.cp(file, target, { recursive: true, verbatimSymlinks: true });
      await fs.rm(file, { recursive: true, force: true });
    }
  }
}

function notFound(error: NodeJS.ErrnoException): undefined {
  if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
  throw error;
}
