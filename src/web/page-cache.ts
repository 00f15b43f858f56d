import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { fillIncludes, type Encoding } from '../publish/index.js';

const gzip = promisify(zlib.gzip);
const brotli = promisify(zlib.brotliCompress);

/** A published page held in memory, in the forms it is sent in. */
export interface Representation {
  readonly body: Buffer;
  readonly gzip: Buffer;
  readonly br: Buffer;
  /** Strong validator of the identity bytes; encoded forms add a suffix. */
  readonly etag: string;
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
  filled: { readonly key: string; readonly at: number; readonly representation: Representation } | null;
}

/** How long a filled view count is shown before it is filled again (ms). */
export const VIEWS_REFRESH_MS = 5_000;

export function etagOf(bytes: Buffer): string {
  return `"${createHash('sha1').update(bytes).digest('base64url')}"`;
}

export async function representation(body: Buffer, precompressed?: { gzip: Buffer; br: Buffer }): Promise<Representation> {
  const [gz, br] = precompressed
    ? [precompressed.gzip, precompressed.br]
    : await Promise.all([gzip(body, { level: 6 }), brotli(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } })]);
  return { body, gzip: gz, br, etag: etagOf(body) };
}

/**
 * The bytes to send for a page now: pages with includes are filled and compressed once, then
 * reused until the date changes or, for the view count, a few seconds pass — so a hot page
 * costs one fill and two compressions every few seconds, not per request.
 */
export async function currentRepresentation(page: CachedPage, today: string, nowMs: number, viewsRefreshMs = VIEWS_REFRESH_MS): Promise<Representation> {
  const ready = readyRepresentation(page, today, nowMs, viewsRefreshMs);
  if (ready) return ready;
  const views = page.articleId === null ? undefined : page.views;
  const body = Buffer.from(fillIncludes(page.stored.toString('utf8'), { today, views }));
  const next = await representation(body);
  page.filled = { key: `${today}|${views ?? ''}`, at: nowMs, representation: next };
  return next;
}

/** The representation to send now if it needs no work (no fill, no compression), else null. */
export function readyRepresentation(page: CachedPage, today: string, nowMs: number, viewsRefreshMs = VIEWS_REFRESH_MS): Representation | null {
  if (page.fixed) return page.fixed;
  const filled = page.filled;
  const fresh = filled && filled.key.startsWith(`${today}|`) && (page.articleId === null || nowMs - filled.at < viewsRefreshMs);
  return filled && fresh ? filled.representation : null;
}

/** The best encoding the client accepts: brotli, then gzip, else the bytes as they are. */
export function negotiate(acceptEncoding: string | undefined): Encoding {
  if (!acceptEncoding) return 'identity';
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

/** A least-recently-used map bounded by the bytes its pages hold. */
export class PageCache {
  private readonly pages = new Map<string, CachedPage>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  get(path: string): CachedPage | undefined {
    const page = this.pages.get(path);
    if (page) {
      // Re-inserting moves it to the young end of the Map's order.
      this.pages.delete(path);
      this.pages.set(path, page);
    }
    return page;
  }

  set(page: CachedPage): void {
    this.delete(page.path);
    const size = sizeOf(page);
    if (size > this.maxBytes) return;
    this.pages.set(page.path, page);
    this.bytes += size;
    for (const [path, old] of this.pages) {
      if (this.bytes <= this.maxBytes) break;
      this.pages.delete(path);
      this.bytes -= sizeOf(old);
    }
  }

  delete(path: string): void {
    const page = this.pages.get(path);
    if (!page) return;
    this.pages.delete(path);
    this.bytes -= sizeOf(page);
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
