import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { GazetteError, routeOf } from '../../domain/index.js';
import { splitSiteKey } from '../../publish/site-output.js';
import { objectFile, servedFiles, servedNames, type FrontLayout } from '../layout.js';
import type { FrontSite, PushHeader } from '../protocol.js';
import { eachLimited, isNoSpace, stagingName, writeDurable } from './files.js';
import type { FrontState, JournalStep } from './state.js';

/** An article whose 浏览次数 file is to be written again. */
export interface ArticleRef {
  readonly siteId: number;
  readonly articleId: number;
  /** The article's served page (relative to www), when known: touched when its count changes. */
  readonly file?: string;
}

/** What applying a push needs besides the push. */
export interface ApplyTarget {
  readonly state: FrontState;
  readonly layout: FrontLayout;
  /** The served names of the batch being applied: the guard leaves them (and their folders) alone meanwhile. */
  readonly applying: Set<string>;
  /** Why the last batch could not be written, kept here too: on a full disk the state file may refuse it. */
  readonly status: { diskFull: string | null };
  /** A push changed the sites: hosts.map and the today files are written again. */
  readonly sitesChanged: (sites: readonly FrontSite[]) => Promise<void>;
  /** These articles' shown counts changed: their views files are written again. */
  readonly viewsChanged: (articles: readonly ArticleRef[]) => Promise<void>;
}

/** One served file of the batch: its new bytes, or null when it is removed. */
interface Change {
  readonly file: string;
  readonly key: string;
  readonly bytes: Buffer | null;
  readonly hash: string;
}

/** Parallel writes while staging: enough to keep the disk busy, few enough not to hold many files open. */
const WRITERS = 16;

/**
 * A test's crash point: the process kills itself after this many renames of a batch, so the
 * journal's roll-forward is tested at an exact place (set only by that test).
 */
const CRASH_AFTER_RENAMES = Number(process.env.GAZETTE_TEST_FRONT_CRASH_AFTER ?? Number.NaN);

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** A served name the push cannot use to leave www/<siteId>/ (`..`, empty or `.` segments). */
function checkName(file: string, key: string): void {
  const parts = file.split('/');
  if (parts.length < 2 || parts.some((part) => part === '' || part === '.' || part === '..'))
    throw new GazetteError('FRONT_BAD_PUSH', { reason: `${key} is not a servable page path` });
}

const articleOf = (key: string): ArticleRef | null => {
  const { siteId, path: urlPath } = splitSiteKey(key);
  const route = routeOf(urlPath);
  return route?.kind === 'article' ? { siteId, articleId: route.id } : null;
};

/** The batch's served files, verified against their hashes; nothing is written before all are checked. */
function changesOf(header: PushHeader, bodies: readonly Buffer[]): Change[] {
  const changes = new Map<string, Change>();
  for (const [i, page] of header.pages.entries()) {
    const bytes = bodies[i] as Buffer;
    if (page.hash !== '' && sha256(bytes) !== page.hash)
      throw new GazetteError('FRONT_HASH_MISMATCH', { key: page.key });
    const files =
      page.hash === ''
        ? servedNames(page.key).map((file) => ({ file, bytes: null }))
        : servedFiles(page.key, bytes).map(({ file, bytes }) => ({ file, bytes }));
    // A page changed twice in the range: its last version wins.
    for (const { file, bytes } of files) {
      checkName(file, page.key);
      changes.set(file, { file, key: page.key, bytes, hash: page.hash });
    }
  }
  return [...changes.values()];
}

/** Removes what a refused batch wrote: staged files, folders it made, objects nothing refers to. */
async function undo(
  target: ApplyTarget,
  staged: readonly string[],
  folders: readonly string[],
  hashes: Iterable<string>,
) {
  await Promise.all(staged.map((file) => fs.unlink(file).catch(ignoreMissing)));
  // Folders this batch made: nothing was renamed into them yet.
  await Promise.all(folders.map((folder) => fs.rm(folder, { recursive: true, force: true })));
  await dropUnreferenced(target, hashes);
}

/** Deletes the objects of these hashes that no page refers to any more (and their folder, once empty). */
async function dropUnreferenced(target: ApplyTarget, hashes: Iterable<string>): Promise<void> {
  const used = target.state.db.prepare('select 1 from page where hash = ? limit 1');
  const unused = [...new Set(hashes)].filter((hash) => hash !== '' && used.get(hash) === undefined);
  await eachLimited(unused, WRITERS, async (hash) => {
    const file = objectFile(target.layout, hash);
    await fs.unlink(file).catch(ignoreMissing);
    await fs.rmdir(path.dirname(file)).catch(() => undefined /* other objects are in it */);
  });
}

const exists = (file: string): Promise<boolean> =>
  fs.stat(file).then(
    () => true,
    () => false,
  );

function ignoreMissing(error: unknown): void {
  if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
}

/** Writes a page's verified bytes to the objects, unless they are there already. */
async function storeObject(layout: FrontLayout, hash: string, bytes: Buffer): Promise<boolean> {
  const file = objectFile(layout, hash);
  if (await exists(file)) return false;
  const temp = stagingName(layout, 'o');
  try {
    await writeDurable(temp, bytes);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.rename(temp, file);
  } catch (error) {
    await fs.unlink(temp).catch(ignoreMissing);
    throw error;
  }
  return true;
}

/** Creates the folders the batch's files go in, before anything is replaced (a full disk stops it here). */
async function makeFolders(layout: FrontLayout, changes: readonly Change[], made: string[]): Promise<void> {
  const folders = new Set(
    changes.filter((c) => c.bytes !== null).map((c) => path.dirname(path.join(layout.www, c.file))),
  );
  for (const folder of [...folders].sort()) {
    const first = await fs.mkdir(folder, { recursive: true });
    if (first !== undefined) made.push(first);
  }
}

/** Records the batch in one transaction: its journal, the pages and served files it changes, the new sequence. */
function commit(
  state: FrontState,
  header: PushHeader,
  changes: readonly Change[],
  steps: readonly JournalStep[],
): number {
  const db = state.db;
  const dropServed = db.prepare('delete from served where key = ?');
  const dropPage = db.prepare('delete from page where key = ?');
  const putPage = db.prepare(
    'insert into page (key, hash, size, seq) values (?, ?, ?, ?) on conflict (key) do update set hash = excluded.hash, size = excluded.size, seq = excluded.seq',
  );
  const putServed = db.prepare('insert into served (file, key, hash, size) values (?, ?, ?, ?)');
  return db.transaction(() => {
    const journal = db
      .prepare('insert into journal (to_seq, steps) values (?, ?)')
      .run(header.toSeq, JSON.stringify(steps));
    for (const page of header.pages) {
      dropServed.run(page.key);
      if (page.hash === '') dropPage.run(page.key);
      else putPage.run(page.key, page.hash, page.size, page.seq);
      const article = page.views === undefined ? null : articleOf(page.key);
      if (article) setShownBase(state, article, page.views ?? 0);
    }
    // A page changed twice in the batch has only its last version's files here.
    for (const change of changes)
      if (change.bytes !== null) putServed.run(change.file, change.key, sha256(change.bytes), change.bytes.length);
    state.setMeta('seq', String(header.toSeq));
    if (header.sites) state.setMeta('sites', JSON.stringify(header.sites));
    state.setMeta('diskFull', null);
    return Number(journal.lastInsertRowid);
  })();
}

/**
 * The CMS's count as pushed becomes the shown base; the front's own reads the CMS has not
 * collected yet stay on top of it (those it collected are in the pushed count already).
 */
function setShownBase(state: FrontState, article: ArticleRef, base: number): void {
  const pending = state.db.prepare('select path, count from views where site_id = ?').all(article.siteId) as {
    path: string;
    count: number;
  }[];
  const local = pending
    .filter((row) => {
      const route = routeOf(row.path);
      return route?.kind === 'article' && route.id === article.articleId;
    })
    .reduce((sum, row) => sum + row.count, 0);
  state.db
    .prepare(
      'insert into views_shown (site_id, article_id, base, local) values (?, ?, ?, ?) on conflict (site_id, article_id) do update set base = excluded.base, local = excluded.local',
    )
    .run(article.siteId, article.articleId, base, local);
}

/** Renames each staged file over its served one and removes the removed ones, in order. */
async function runSteps(layout: FrontLayout, steps: readonly JournalStep[], rollingForward: boolean): Promise<void> {
  let renamed = 0;
  for (const step of steps) {
    const served = path.join(layout.www, step.file);
    try {
      if (step.staged === null) {
        await fs.unlink(served).catch(ignoreMissing);
        continue;
      }
      // Rolling forward, a staged file already renamed is no longer there.
      if (rollingForward && !(await exists(step.staged))) continue;
      await fs.mkdir(path.dirname(served), { recursive: true });
      await fs.rename(step.staged, served);
      if (++renamed === CRASH_AFTER_RENAMES && !rollingForward) process.kill(process.pid, 'SIGKILL');
    } catch (error) {
      // The batch is committed: one file that cannot be placed (a folder planted where it goes)
      // must not stop the others; the guard's sweep finds it and puts it right.
      console.error(`gazette front: ${step.file} could not be placed: ${String(error)}`);
    }
  }
}

/**
 * Writes the batch's objects, folders and staged files (flushed: the journal will name them);
 * answers the journal's steps. What it wrote is listed in `staged` and `folders` as it goes.
 */
async function stage(
  target: ApplyTarget,
  header: PushHeader,
  bodies: readonly Buffer[],
  changes: readonly Change[],
  staged: string[],
  folders: string[],
): Promise<JournalStep[]> {
  const { layout } = target;
  await makeFolders(layout, changes, folders);
  const steps = changes.map((change): JournalStep => {
    const file = change.bytes === null ? null : stagingName(layout, `b${header.toSeq}`);
    if (file !== null) staged.push(file);
    return { file: change.file, staged: file };
  });
  // Objects and staged files are written side by side: a publish's few pages wait for the slowest
  // write, not the sum. Only the objects are flushed: they are the verified copies everything is
  // put back from. A staged file is made again from its object (the start's sweep restores a served
  // file a power cut left short); a killed agent loses nothing either way, renames being whole.
  const writes: (() => Promise<unknown>)[] = [
    ...header.pages.map(
      (page, i) => () => (page.hash === '' ? Promise.resolve() : storeObject(layout, page.hash, bodies[i] as Buffer)),
    ),
    ...changes.map((change, i) => () => {
      const file = steps[i]?.staged;
      return change.bytes && file ? fs.writeFile(file, change.bytes) : Promise.resolve();
    }),
  ];
  await eachLimited(writes, WRITERS, (write) => write().then(() => undefined));
  return steps;
}

/** Records why the batch was refused: in the state file, and in memory in case the full disk refuses that too. */
function diskFull(target: ApplyTarget, error: unknown): GazetteError {
  const reason = `${(error as NodeJS.ErrnoException).code ?? 'ENOSPC'}: no space left under ${target.layout.root}`;
  target.status.diskFull = reason;
  try {
    target.state.setMeta('diskFull', reason);
  } catch (failure) {
    console.error(`gazette front: the full disk is reported from memory only: ${String(failure)}`);
  }
  return new GazetteError('FRONT_DISK_FULL', { reason });
}

/**
 * Applies a push: every hash verified before anything is written; the pages' objects and served
 * files written to staging; then one transaction records the journal, the new pages and the new
 * sequence; then the staged files are renamed over the served ones in order. A reader sees each
 * file old or new, whole; a front killed during the renames finishes them when it starts again.
 * A full disk stops the batch before anything is replaced.
 */
export async function applyPush(target: ApplyTarget, header: PushHeader, bodies: readonly Buffer[]): Promise<number> {
  const { state, layout } = target;
  const seq = state.seq();
  if (header.fromSeq !== seq) throw new GazetteError('FRONT_SEQUENCE', { seq, fromSeq: header.fromSeq });
  const changes = changesOf(header, bodies);
  const oldHashes = header.pages.map((page) => state.page(page.key)?.hash ?? '');
  const newHashes = header.pages.map((page) => page.hash);
  for (const change of changes) target.applying.add(change.file);
  const staged: string[] = [];
  const folders: string[] = [];
  try {
    try {
      const steps = await stage(target, header, bodies, changes, staged, folders);
      const journal = commit(state, header, changes, steps);
      target.status.diskFull = null;
      await runSteps(layout, steps, false);
      state.closeJournal(journal);
    } catch (error) {
      // Committed: the batch is the front's now, and the next start finishes it.
      if (state.journal() !== undefined) throw error;
      await undo(target, staged, folders, newHashes);
      if (!isNoSpace(error)) throw error;
      throw diskFull(target, error);
    }
  } finally {
    target.applying.clear();
  }
  await dropUnreferenced(target, [...oldHashes, ...newHashes]);
  if (header.sites) await target.sitesChanged(header.sites);
  const articles = header.pages.filter((page) => page.views !== undefined).map((page) => articleOf(page.key));
  await target.viewsChanged(articles.filter((article) => article !== null));
  return header.toSeq;
}

/**
 * Finishes the batch a killed agent left open: its remaining renames and removals, then the
 * articles' views files; then staging is emptied (what a batch refused or cut short left there).
 */
export async function rollForward(target: ApplyTarget): Promise<void> {
  const { state, layout } = target;
  const journal = state.journal();
  if (journal) {
    await runSteps(layout, journal.steps, true);
    state.closeJournal(journal.id);
    const articles = new Map<string, ArticleRef>();
    for (const step of journal.steps) {
      const key = state.served(step.file)?.key;
      const article = key === undefined ? null : articleOf(key);
      if (article) articles.set(`${article.siteId}/${article.articleId}`, article);
    }
    await target.viewsChanged([...articles.values()]);
  }
  await fs.rm(layout.staging, { recursive: true, force: true });
  await fs.mkdir(layout.staging, { recursive: true });
}
