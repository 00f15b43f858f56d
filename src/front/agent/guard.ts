import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { TamperEvent } from '../protocol.js';
import type { FrontLayout } from '../layout.js';
import { Checker } from './guard-check.js';
import { absOf, isWithin, joinRel } from './guard-paths.js';
import { isExpectedFolder } from './guard-rows.js';
import { sweepTree } from './guard-sweep.js';
import { FolderWatchers } from './guard-watch.js';
import type { FrontState } from './state.js';

/**
 * 网页防篡改: the front agent's tamper guard. The served tree (www/) may change only through the
 * agent's batches; anything else is put back from the verified objects within a second, the
 * foreign thing kept in quarantine as evidence, and a tamper event recorded for the CMS.
 *
 * Two detectors feed one queue: inotify watches (one per folder), each path checked 25 ms after
 * its first change (a write in several pieces is one check, and a burst is not lost), and a full
 * hash sweep at start and every `sweepEveryMs`, the safety net for what a watch cannot see (a
 * change while the agent was stopped, an inotify queue overflow, a folder past the watch limit).
 * One check runs at a time: two repairs never race each other.
 *
 * The agent's own batches are left alone: a path of the batch in progress (`applying()`: its
 * files; a folder above one counts too) is checked again once the batch is over. The guard polls
 * `applying()` for that, so the agent only has to keep the set current (filled before the batch's
 * rows are committed, emptied after its last rename or removal).
 */
export interface GuardOptions {
  readonly state: FrontState;
  readonly layout: FrontLayout;
  /** How often a full sweep runs (after the one at start). */
  readonly sweepEveryMs: number;
  /** The files (relative to www) of the batch being applied; empty between batches. */
  readonly applying: () => ReadonlySet<string>;
  readonly now: () => Date;
  readonly onEvent?: (event: TamperEvent) => void;
  /** A failure the guard cannot report as an event (a watch limit reached, a disk error). */
  readonly onError?: (error: unknown) => void;
  /** false: no inotify watches, sweeps only (the sweep benchmark; tests of the sweep). Default true. */
  readonly watch?: boolean;
  /** false: no sweep at start (the first one runs after `sweepEveryMs`, or when asked). Default true. */
  readonly sweepAtStart?: boolean;
  /** How long after a path's first change it is checked. Default 25 ms. */
  readonly debounceMs?: number;
}

export interface SweepResult {
  /** Paths compared: every entry of the tree met and every served file looked for. */
  readonly files: number;
  /** Tamper events the sweep's findings made. */
  readonly events: number;
  readonly ms: number;
}

export interface Guard {
  /** Runs a full sweep now (or joins the one running) and resolves once what it found is repaired. */
  sweep(): Promise<SweepResult>;
  /** Checks these paths (relative to www) now, e.g. a batch's files once it is applied. */
  recheck(files: Iterable<string>): void;
  /** Resolves once nothing is waiting: the start, a sweep, changes seen and not yet checked. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

/** Where the queue stops a sweep until the checks catch up (its memory stays bounded). */
const QUEUE_HIGH = 1000;
const QUEUE_LOW = 100;
/** How often paths left for a batch are looked at again. */
const DEFER_POLL_MS = 20;
/** setTimeout's longest delay. */
const MAX_DELAY_MS = 2 ** 31 - 1;
/** Queue keys of "names that are not UTF-8 in this folder" start with NUL, which no path holds. */
const ODD = '\0';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function startGuard(options: GuardOptions): Guard {
  const { state, layout, applying, now } = options;
  const debounceMs = options.debounceMs ?? 25;
  const report = (error: unknown): void => options.onError?.(error);
  fs.mkdirSync(layout.quarantine, { recursive: true });
  fs.mkdirSync(layout.staging, { recursive: true });

  let closed = false;
  /** Paths (or ODD + folder) to check, in order; the value: whether a sweep asked. */
  const pending = new Map<string, boolean>();
  /** Paths seen changing, with when each is due for its check; one timer for all (a burst costs no timer each). */
  const debounce = new Map<string, number>();
  let debounceTimer: NodeJS.Timeout | null = null;
  const deferred = new Set<string>();
  let deferTimer: NodeJS.Timeout | null = null;
  let working: Promise<void> | null = null;
  let fromSweep = false;
  let sweepEvents = 0;
  let sweeping: Promise<SweepResult> | null = null;
  let sweepTimer: NodeJS.Timeout | null = null;

  const isApplying = (rel: string): boolean => {
    const files = applying();
    if (files.size === 0) return false;
    if (files.has(rel)) return true;
    for (const file of files) if (file !== rel && isWithin(file, rel)) return true;
    return false;
  };

  const enqueue = (key: string, bySweep = false): void => {
    if (closed) return;
    pending.set(key, pending.get(key) === true || bySweep);
    kick();
  };

  function kick(): void {
    if (working || pending.size === 0 || closed) return;
    working = work().finally(() => {
      working = null;
      kick();
    });
  }

  const changed = (key: string): void => {
    if (closed || debounce.has(key)) return;
    debounce.set(key, performance.now() + debounceMs);
    debounceTimer ??= setTimeout(flushChanged, debounceMs);
  };

  function flushChanged(): void {
    debounceTimer = null;
    const time = performance.now();
    // In the order seen, so the first still waiting is the next due.
    for (const [key, due] of debounce) {
      if (due > time) {
        debounceTimer = setTimeout(flushChanged, Math.ceil(due - time));
        return;
      }
      debounce.delete(key);
      enqueue(key);
    }
  }

  const pollDeferred = (): void => {
    deferTimer = null;
    for (const rel of deferred)
      if (!isApplying(rel)) {
        deferred.delete(rel);
        enqueue(rel);
      }
    if (deferred.size > 0 && !closed) deferTimer = setTimeout(pollDeferred, DEFER_POLL_MS);
  };

  const watchers = new FolderWatchers(layout, { changed, oddName: (folder) => changed(ODD + folder), error: report });
  const watching = options.watch !== false;

  const checker = new Checker(state, layout, now, {
    isApplying,
    defer: (rel) => {
      deferred.add(rel);
      deferTimer ??= setTimeout(pollDeferred, DEFER_POLL_MS);
    },
    enqueue: (rel) => enqueue(rel, fromSweep),
    record: (event) => {
      if (fromSweep) sweepEvents += 1;
      options.onEvent?.(event);
    },
    watch: (folder) => {
      if (watching) watchers.watch(folder);
    },
    ensureWatched: (folder, ino) => {
      if (!watching || watchers.isWatched(folder, ino)) return;
      // A folder that appeared (made again, or moved back): what it holds was not watched until now.
      watchers.watch(folder);
      try {
        for (const name of fs.readdirSync(absOf(layout, folder))) enqueue(joinRel(folder, name));
        enqueue(ODD + folder);
      } catch (error) {
        report(error);
      }
    },
    unwatch: (folder) => watchers.unwatch(folder),
    error: report,
  });

  async function work(): Promise<void> {
    while (pending.size > 0 && !closed) {
      const [key, bySweep] = pending.entries().next().value as [string, boolean];
      pending.delete(key);
      fromSweep = bySweep;
      try {
        if (key.startsWith(ODD)) checker.oddNames(key.slice(1));
        else await checker.check(key);
      } catch (error) {
        report(error);
      } finally {
        fromSweep = false;
      }
    }
  }

  /** Resolves when no check is queued or running. */
  const drained = async (): Promise<void> => {
    while (working) await working;
  };

  const flag = async (key: string): Promise<void> => {
    enqueue(key, true);
    if (pending.size < QUEUE_HIGH) return;
    while (pending.size > QUEUE_LOW && working && !closed) await sleep(5);
  };

  const runSweep = (): Promise<SweepResult> => {
    if (sweeping) return sweeping;
    if (sweepTimer) clearTimeout(sweepTimer);
    sweepTimer = null;
    sweeping = (async () => {
      const started = performance.now();
      sweepEvents = 0;
      const files = await sweepTree({
        state,
        layout,
        flag,
        flagOddNames: (folder) => flag(ODD + folder),
        stopped: () => closed,
      });
      await drained();
      const ms = Math.round(performance.now() - started);
      if (!closed) {
        state.setMeta('lastSweepAt', now().toISOString());
        state.setMeta('lastSweepMs', String(ms));
      }
      return { files, events: sweepEvents, ms };
    })().finally(() => {
      sweeping = null;
      if (!closed) {
        sweepTimer = setTimeout(() => void runSweep().catch(report), Math.min(options.sweepEveryMs, MAX_DELAY_MS));
        sweepTimer.unref();
      }
    });
    return sweeping;
  };

  const startup = (async () => {
    if (watching) await watchers.start((folder) => isExpectedFolder(state, folder));
    if (closed) return;
    if (options.sweepAtStart === false) {
      sweepTimer = setTimeout(() => void runSweep().catch(report), Math.min(options.sweepEveryMs, MAX_DELAY_MS));
      sweepTimer.unref();
    } else await runSweep();
  })().catch(report);

  return {
    sweep: async () => {
      await startup;
      return runSweep();
    },
    recheck: (files) => {
      for (const file of files) enqueue(file);
    },
    settled: async () => {
      await startup;
      while (!closed && (debounce.size > 0 || pending.size > 0 || working || sweeping)) {
        await sweeping;
        await drained();
        if (debounce.size > 0) await sleep(debounceMs);
      }
    },
    close: async () => {
      closed = true;
      if (debounceTimer) clearTimeout(debounceTimer);
      debounce.clear();
      if (deferTimer) clearTimeout(deferTimer);
      if (sweepTimer) clearTimeout(sweepTimer);
      watchers.close();
      await startup;
      await sweeping?.catch(() => undefined);
      await drained();
    },
  };
}
