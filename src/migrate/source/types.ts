// What a migration's source promises the crawl: one interface whether the site is live over HTTP
// or saved on disk by wget, so the crawl, its tests and the benchmark do not care which.
import type { Fetched } from '../types.js';

export interface SourceOptions {
  /** Requests per second; 0 = no limit. Default 2. Applies to HTTP only. */
  readonly rate: number;
  /** Most requests in flight at once (the crawl's --concurrency). */
  readonly concurrency: number;
  readonly userAgent: string;
  /** Retries of a failed request (network error, 429, 5xx except 521), backoff 0.5 s, 1 s, 2 s… */
  readonly retries: number;
  /** For a directory source: the site's original origin (absolute links to it are internal). */
  readonly origin?: string;
  /** Largest page body read, in bytes; a bigger answer is cut off and reported as too large. */
  readonly maxPageBytes: number;
  /** Per request, including reading the body. */
  readonly timeoutMs: number;
  /** Waits between retries and between paced requests (tests record them instead of waiting). */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** A file (attachment or image), or word that it is over the limit it was asked for with. */
export type FetchedFile =
  | {
      readonly tooLarge: false;
      readonly url: string;
      /** Where the bytes came from after redirects within the host; an off-host redirect's target. */
      readonly finalUrl: string;
      readonly status: number;
      readonly contentType: string | null;
      readonly bytes: Buffer;
    }
  | {
      readonly tooLarge: true;
      /** The size the server declared (Content-Length, or the saved file's size); null when it declared none. */
      readonly size: number | null;
    };

export interface Source {
  /** The site's origin, e.g. 'http://127.0.0.1:8123' (or the directory's origin). */
  readonly origin: string;
  readonly kind: 'http' | 'directory';
  /** Site maps robots.txt names (absolute URLs as written there). */
  readonly sitemaps: readonly string[];
  /** What the operator should hear about the source (robots.txt unreadable, a crawl delay). */
  readonly notes: readonly string[];
  /** Whether robots.txt lets Gazette's user agent fetch this URL (always true for a directory). */
  allowed(url: string): boolean;
  /** Whether the URL is on the source's host (scheme, host and port equal to the origin's). */
  isOwn(url: string): boolean;
  /**
   * GET a page. 4xx/5xx come back with their status (after retries for 429/5xx); redirects are
   * followed within the host (at most 5), one off the host comes back as its 3xx with
   * `finalUrl` = the Location. Throws SourceError when no answer came (after retries), for an
   * off-host URL and for a body over `maxPageBytes`.
   */
  get(url: string): Promise<Fetched>;
  /** POST a form (Hanweb's data proxy). A directory source answers status 404. */
  postForm(url: string, form: Readonly<Record<string, string>>): Promise<Fetched>;
  /** A file up to `maxBytes`, never reading past the limit (Content-Length first, then counting). */
  getFile(url: string, maxBytes: number): Promise<FetchedFile>;
  close(): Promise<void>;
}

export type SourceFailure =
  /** No connection: refused, host not found, unreachable, connect timeout. */
  | 'connect'
  /** The connection broke during the exchange. */
  | 'network'
  | 'timeout'
  /** The server's certificate or TLS handshake was refused. */
  | 'tls'
  | 'too-large'
  | 'redirects'
  | 'off-host'
  | 'invalid-url';

/** No usable answer for one URL: the crawl records it against the page and carries on. */
export class SourceError extends Error {
  constructor(
    readonly url: string,
    readonly failure: SourceFailure,
    /** English, for the report: 'connection refused', 'no answer within 30000 ms'… */
    readonly reason: string,
  ) {
    super(`${url}: ${reason}`);
    this.name = 'SourceError';
  }

  /** Whether asking again may help. */
  get retryable(): boolean {
    return this.failure === 'connect' || this.failure === 'network' || this.failure === 'timeout';
  }
}
