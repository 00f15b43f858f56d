// Loading data for a screen: the answer, the error, and a way to load again.
import { api } from './api';
import type { ChannelView, Items, Page } from './types';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export interface Loaded<T> {
  data: T | null;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const latest = useRef(0);

  useEffect(() => {
    // Only the newest request may write its answer: filters change faster than the network.
    const ticket = ++latest.current;
    setLoading(true);
    load().then(
      (value) => {
        if (ticket === latest.current) {
          setData(value);
          setError(null);
          setLoading(false);
        }
      },
      (failure: unknown) => {
        if (ticket === latest.current) {
          setError(failure);
          setLoading(false);
        }
      },
    );
  }, [...deps, tick]);

  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data, error, loading, reload };
}

/** The channel tree, flat in tree order, as GET /api/v1/channels gives it. */
export function useChannels(): Loaded<ChannelView[]> {
  return useLoad(() => api.get<Items<ChannelView>>('/api/v1/channels').then((answer) => answer.items), []);
}

/**
 * A filter form: what is typed (`draft`) is only searched for (`applied`) once the form is sent,
 * which also goes back to the first page.
 */
export function useFilters<F extends object>(empty: F) {
  const [draft, setDraft] = useState<F>(empty);
  const [applied, setApplied] = useState<F>(empty);
  const [page, setPage] = useState(1);
  const set = (patch: Partial<F>) => setDraft((current) => ({ ...current, ...patch }));
  const apply = (event: Event) => {
    event.preventDefault();
    setApplied(draft);
    setPage(1);
  };
  return { draft, applied, page, setPage, set, apply };
}

export interface Busy {
  busy: boolean;
  error: unknown;
  setError: (error: unknown) => void;
  /** Runs `work` with `busy` set and the last error cleared; a failure is kept in `error` (and gives undefined). */
  run: <T>(work: () => Promise<T>) => Promise<T | undefined>;
}

/** One request at a time from a form or button, and what went wrong with the last one. */
export function useBusy(): Busy {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = async <T>(work: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setError(null);
    try {
      return await work();
    } catch (failure) {
      setError(failure);
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, run };
}

/**
 * A case list filtered by status (and any other filters the screen applies) and paged (letters,
 * requests): changing the status goes back to the first page.
 */
export function useStatusPage<S extends string, T>(
  url: string,
  filters: Record<string, string | boolean | undefined> = {},
) {
  const [status, setStatus] = useState<S | ''>('');
  const [page, setPage] = useState(1);
  const filterKey = JSON.stringify(filters);
  const list = useLoad(
    () => api.get<Page<T>>(url, { ...filters, status: status || undefined, page }),
    [status, page, filterKey],
  );
  const chooseStatus = (next: S | '') => {
    setStatus(next);
    setPage(1);
  };
  return { status, chooseStatus, setPage, list };
}
