// Loading data for a screen: the answer, the error, and a way to load again.
import { api } from './api';
import type { ChannelView, Items } from './types';
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
      (value) => { if (ticket === latest.current) { setData(value); setError(null); setLoading(false); } },
      (failure: unknown) => { if (ticket === latest.current) { setError(failure); setLoading(false); } },
    );
  }, [...deps, tick]);

  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data, error, loading, reload };
}

/** The channel tree, flat in tree order, as GET /api/v1/channels gives it. */
export function useChannels(): Loaded<ChannelView[]> {
  return useLoad(() => api.get<Items<ChannelView>>('/api/v1/channels').then((answer) => answer.items), []);
}
