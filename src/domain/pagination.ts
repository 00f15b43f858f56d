/**
 * Channel lists paginated from the oldest end, so that a new article changes only the newest
 * pages. Chunk k (`index_k.html`) always holds the articles at positions (k-1)·size+1 … k·size
 * counted from the oldest; its address and content stay put while new articles arrive. The
 * front page (`/bqdt/`) shows the newest chunk, and the one before it too when the newest is not
 * full, so that readers always see at least a full page and no article twice across pages.
 */
export const LIST_PAGE_SIZE = 20;

/** Which chunk the article at this position (1 = oldest) falls in. */
export function chunkOf(position: number, size = LIST_PAGE_SIZE): number {
  return Math.max(1, Math.ceil(position / size));
}

export function chunkCount(total: number, size = LIST_PAGE_SIZE): number {
  return Math.ceil(total / size);
}

export interface ListLayout {
  readonly total: number;
  readonly chunks: number;
  /** Chunks on the front page, newest first. */
  readonly front: readonly number[];
  /** The newest chunk not on the front page (the front page's "older" link), if any. */
  readonly olderThanFront: number | null;
}

export function listLayout(total: number, size = LIST_PAGE_SIZE): ListLayout {
  const chunks = chunkCount(total, size);
  if (chunks === 0) return { total, chunks, front: [], olderThanFront: null };
  const newestFull = total % size === 0;
  const front = newestFull || chunks === 1 ? [chunks] : [chunks, chunks - 1];
  const oldestShown = front[front.length - 1] ?? 1;
  return { total, chunks, front, olderThanFront: oldestShown > 1 ? oldestShown - 1 : null };
}

/** Positions (1 = oldest) a chunk covers; the newest chunk may be partial. */
export function chunkPositions(chunk: number, total: number, size = LIST_PAGE_SIZE): { first: number; last: number } {
  return { first: (chunk - 1) * size + 1, last: Math.min(total, chunk * size) };
}

/** The items in runs of `size`, in order: a long `in (…)` list sent as several statements. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let at = 0; at < items.length; at += size) out.push(items.slice(at, at + size));
  return out;
}
