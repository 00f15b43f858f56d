// One HTTP request and its answer, read up to a limit, through Node's fetch (undici, keep-alive by
// default). Failures without an answer become SourceErrors that say what went wrong in words.
import { SourceError, type SourceFailure } from './types.js';

export interface Request {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly form?: Readonly<Record<string, string>>;
}

export type Body =
  { readonly tooLarge: false; readonly bytes: Buffer } | { readonly tooLarge: true; readonly size: number | null };

export interface Answer {
  readonly status: number;
  readonly contentType: string | null;
  readonly location: string | null;
  /** Retry-After in milliseconds, when the server gave it in seconds. */
  readonly retryAfterMs: number | null;
  readonly body: Body;
}

export interface ExchangeSettings {
  readonly userAgent: string;
  readonly timeoutMs: number;
}

export async function exchange(request: Request, settings: ExchangeSettings, limit: number): Promise<Answer> {
  try {
    const response = await fetch(request.url, {
      method: request.method,
      redirect: 'manual',
      headers: {
        'user-agent': settings.userAgent,
        accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
        'accept-language': 'zh-CN,zh;q=0.9',
      },
      ...(request.form && { body: new URLSearchParams(request.form) }),
      // The timeout covers reading the body too: the signal stays with the response.
      signal: AbortSignal.timeout(settings.timeoutMs),
    });
    const retryAfter = Number(response.headers.get('retry-after'));
    return {
      status: response.status,
      contentType: response.headers.get('content-type'),
      location: response.headers.get('location'),
      retryAfterMs: Number.isInteger(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : null,
      body: await readBody(response, limit),
    };
  } catch (error) {
    throw asSourceError(error, request.url, settings.timeoutMs);
  }
}

/** The body up to `limit` bytes; past it, the connection is dropped rather than read on. */
async function readBody(response: Response, limit: number): Promise<Body> {
  const declared = response.headers.get('content-length');
  const size = declared === null ? null : Number(declared);
  if (size !== null && Number.isFinite(size) && size > limit) {
    await response.body?.cancel();
    return { tooLarge: true, size };
  }
  if (!response.body) return { tooLarge: false, bytes: Buffer.alloc(0) };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let read = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    read += value.byteLength;
    if (read > limit) {
      await reader.cancel();
      // A compressed answer's Content-Length is not the size of what it unpacks to.
      return { tooLarge: true, size: null };
    }
    chunks.push(value);
  }
  return { tooLarge: false, bytes: Buffer.concat(chunks, read) };
}

const CONNECT_REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_CONNECT_TIMEOUT: 'connect timeout',
};

const NETWORK_REASONS: Readonly<Record<string, string>> = {
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed',
  UND_ERR_SOCKET: 'connection closed before the answer was complete',
  UND_ERR_HEADERS_TIMEOUT: 'no headers in time',
  UND_ERR_BODY_TIMEOUT: 'body stalled',
};

function asSourceError(error: unknown, url: string, timeoutMs: number): SourceError {
  if (error instanceof SourceError) return error;
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return new SourceError(url, 'timeout', `no answer within ${timeoutMs} ms`);
  }
  const code = errorCode(error);
  const [failure, reason] = describe(code, error);
  return new SourceError(url, failure, reason);
}

function describe(code: string | undefined, error: unknown): [SourceFailure, string] {
  if (code !== undefined) {
    const connect = CONNECT_REASONS[code];
    if (connect) return ['connect', connect];
    const network = NETWORK_REASONS[code];
    if (network) return ['network', network];
    if (/CERT|TLS|SSL|SELF_SIGNED|VERIFY/.test(code)) return ['tls', `TLS: ${code}`];
  }
  const message = error instanceof Error ? (causeOf(error)?.message ?? error.message) : String(error);
  if (error instanceof TypeError && /invalid url|failed to parse url/i.test(error.message)) {
    return ['invalid-url', 'not a valid URL'];
  }
  return ['network', code ? `${code}: ${message}` : message];
}

function causeOf(error: Error): Error | undefined {
  return error.cause instanceof Error ? error.cause : undefined;
}

/** The system or undici code behind fetch's generic "fetch failed" (Happy Eyeballs nests it once more). */
function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const code = (current as NodeJS.ErrnoException).code;
    if (typeof code === 'string') return code;
    current = current instanceof AggregateError && current.errors.length > 0 ? current.errors[0] : current.cause;
  }
  return undefined;
}
