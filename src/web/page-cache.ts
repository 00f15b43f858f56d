import { createHash } from 'node:crypto';
import { compressPage, fillIncludes, sha256, type Encoding } from '../publish/index.js';

/** Header lines of one answer, as name/value pairs in the order they are sent (`writeHead`'s raw form). */
export type RawHeaders = readonly string[];

/** A page's answers in one encoding: a 200 with its body, and a 304. */
export interface AnswerHeaders {
  readonly etag: string;
  readonly ok: RawHeaders;
  readonly notModified: RawHeaders;
}

/** A published page held in memory, in the forms it is sent in. */
export interface Representation {
  readonly body: Buffer;
  readonly gzip: Buffer;
  readonly br: Buffer;
  /** Strong validator of the identity bytes; encoded forms add a suffix. */
  readonly etag: string;
  /**
   * The headers of each answer, made once per CDN lifetime (which changes only in the reader's
   * last hour before midnight): a read then costs no header building at all.
   */
  headers: { readonly sharedMaxAge: number; readonly byEncoding: Map<Encoding, AnswerHeaders> } | null;
}

export interface CachedPage {
  readonly path: string;
  readonly contentType: string;
  readonly lastModified: string;
  /** The article whose page this is, for the 浏览次数 counter. */
  readonly articleId: number | null;
  /** The stored bytes hold serve-time include markers (the date bar, the view count). */
  readonly dynamic: boolean;
  readonly stored: Buffer;
  /** The stored bytes as sent when they carry no includes (the precompressed files). */
  readonly fixed: Representation | null;
  /** Reads since this entry was loaded, on top of the count it was loaded with. */
  views: number;
  filled: { readonly today: string; readonly at: number; readonly representation: Representation } | null;
  /** The fill under way, if any: one per page, however many readers arrive meanwhile. */
  refill: Promise<Representation> | null;
  /** Read since the cache last looked for pages to evict (the clock algorithm's reference bit). */
  used: boolean;
}

/** How long a filled view count is shown before it is filled again (ms). */
export const VIEWS_REFRESH_MS = 5_000;

export function etagOf(bytes: Buffer): string {
  return `"${createHash('sha1').update(bytes).digest('base64url')}"`;
}

export async function representation(
  body: Buffer,
  precompressed?: { gzip: Buffer; br: Buffer },
): Promise<Representation> {
  const { gzip, br } = precompressed ?? (await compressPage(body));
  return { body, gzip, br, etag: etagOf(body), headers: null };
}

/** The stored page with its includes filled for now, compressed. */
async function fill(page: CachedPage, today: string, nowMs: number): Promise<Representation> {
  const views = page.articleId === null ? undefined : page.views;
  const next = await representation(Buffer.from(fillIncludes(page.stored.toString('utf8'), { today, views })));
  page.filled = { today, at: nowMs, representation: next };
  return next;
}

/** One fill at a time per page, shared by every reader that arrives meanwhile. */
function refill(page: CachedPage, today: string, nowMs: number): Promise<Representation> {
  page.refill ??= fill(page, today, nowMs).finally(() => {
    page.refill = null;
  });
  return page.refill;
}

/**
 * What to send for a page now without waiting, or null when nothing sendable is at hand (the
 * page was never filled, or was filled on another day). A view count older than the refresh
 * interval is still sent while its successor is filled in the background: a hot article costs
 * one fill and two compressions every few seconds, never one per reader, and no reader waits.
 */
export function readyRepresentation(
  page: CachedPage,
  today: string,
  nowMs: number,
  viewsRefreshMs = VIEWS_REFRESH_MS,
): Representation | null {
  if (page.fixed) return page.fixed;
  const filled = page.filled;
  if (filled?.today !== today || (viewsRefreshMs <= 0 && page.articleId !== null)) return null;
  if (page.articleId !== null && nowMs - filled.at >= viewsRefreshMs && !page.refill) {
    // A failed fill leaves the current one in place; the next read tries again.
    refill(page, today, nowMs).catch(() => {});
  }
  return filled.representation;
}

/** The bytes to send for a page now: at hand, or filled for today first. */
export async function currentRepresentation(
  page: CachedPage,
  today: string,
  nowMs: number,
  viewsRefreshMs = VIEWS_REFRESH_MS,
): Promise<Representation> {
  // With no refresh interval every read of an article fills its own count (tests of the counter).
  if (viewsRefreshMs <= 0 && page.articleId !== null && !page.fixed) return fill(page, today, nowMs);
  return readyRepresentation(page, today, nowMs, viewsRefreshMs) ?? refill(page, today, nowMs);
}

const negotiated = new Map<string, Encoding>();
const NEGOTIATED_MAX = 256;

/** The best encoding the client accepts: brotli, then gzip, else the bytes as they are. */
export function negotiate(acceptEncoding: string | undefined): Encoding {
  if (!acceptEncoding) return 'identity';
  // Browsers send a handful of distinct headers; each is read once.
  const known = negotiated.get(acceptEncoding);
  if (known) return known;
  const encoding = parseAcceptEncoding(acceptEncoding);
  if (negotiated.size >= NEGOTIATED_MAX) negotiated.clear();
  negotiated.set(acceptEncoding, encoding);
  return encoding;
}

function parseAcceptEncoding(acceptEncoding: string): Encoding {
  const accepted = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    accepted.set(name, q === undefined ? 1 : Number(q));
  }
  const weight = (name: string) => accepted.get(name) ?? (accepted.has('*') ? (accepted.get('*') ?? 0) : 0);
  if (weight('br') > 0) return 'br';
  if (weight('gzip') > 0) return 'gzip';
  return 'identity';
}

/** A load of one page under way (PageCache.startLoad). */
export interface PageLoad {
  readonly path: string;
  dropped: boolean;
}

/**
 * A map bounded by the bytes its pages hold, evicting with the clock algorithm: a read only sets
 * the page's `used` bit (no reordering on the hot path); eviction passes over used pages once,
 * clearing their bit, and drops the first page not read since.
 */
export class PageCache {
  private readonly pages = new Map<string, CachedPage>();
  private bytes = 0;
  /** Loads under way, by path (see startLoad). */
  private readonly loading = new Map<string, Set<PageLoad>>();

  constructor(private readonly maxBytes: number) {}

  get(path: string): CachedPage | undefined {
    const page = this.pages.get(path);
    if (page) page.used = true;
    return page;
  }

  /**
   * Marks the start of a load of the page at `path` from the output store. A page dropped while
   * it loads (its run wrote new bytes and said so meanwhile) is not kept unless the loader has
   * checked again and cleared the mark: the bytes it read may be the old ones, and nothing would
   * drop them again.
   */
  startLoad(path: string): PageLoad {
    const load: PageLoad = { path, dropped: false };
    const loads = this.loading.get(path) ?? new Set<PageLoad>();
    loads.add(load);
    this.loading.set(path, loads);
    return load;
  }

  /** Ends a load, whether its page was kept or not. */
  endLoad(load: PageLoad): void {
    const loads = this.loading.get(load.path);
    loads?.delete(load);
    if (loads?.size === 0) this.loading.delete(load.path);
  }

  /** Keeps a page; with the load that read it, only when nothing dropped the page meanwhile. */
  set(page: CachedPage, load?: PageLoad): void {
    if (load?.dropped) return;
    this.delete(page.path);
    const size = sizeOf(page);
    if (size > this.maxBytes) return;
    this.pages.set(page.path, page);
    this.bytes += size;
    page.used = false;
    this.evict();
  }

  private evict(): void {
    while (this.bytes > this.maxBytes) {
      const oldest = this.pages.values().next().value;
      if (!oldest) return;
      this.pages.delete(oldest.path);
      if (oldest.used) {
        // A second chance: to the young end, unmarked.
        oldest.used = false;
        this.pages.set(oldest.path, oldest);
      } else {
        this.bytes -= sizeOf(oldest);
      }
    }
  }

  delete(path: string): void {
    this.markLoadsDropped(path);
    const page = this.pages.get(path);
    if (!page) return;
    this.pages.delete(path);
    this.bytes -= sizeOf(page);
  }

  /**
   * Drops the page unless its stored bytes are the ones the manifest now records (`hash`, the
   * sha256 of the stored file). The manifest watcher also sees the changes of this process's own
   * runs, whose pages the publisher has already dropped, and catches up after start on changes
   * made before its first look. Dropping a page that is current again only refills it, and an
   * article page refilled with a newer view count gets a new ETag: a reader's revalidation then
   * answered 200, not 304. Loads under way are marked dropped either way (see startLoad).
   */
  dropUnlessCurrent(path: string, hash: string): void {
    const page = this.pages.get(path);
    if (page && hash !== '' && sha256(page.stored) === hash) this.markLoadsDropped(path);
    else this.delete(path);
  }

  private markLoadsDropped(path: string): void {
    for (const load of this.loading.get(path) ?? []) load.dropped = true;
  }

  get size(): { pages: number; bytes: number } {
    return { pages: this.pages.size, bytes: this.bytes };
  }
}

function sizeOf(page: CachedPage): number {
  const fixed = page.fixed ? page.fixed.gzip.length + page.fixed.br.length : 0;
  // A filled page holds about its stored size again, compressed forms included.
  return page.stored.length * (page.dynamic ? 2 : 1) + fixed + 512;
}
