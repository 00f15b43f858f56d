import { isGazetteError } from '../domain/index.js';

/**
 * Error codes that mean the database cannot be reached now, not that a query is wrong: a server
 * shutting down or starting (57P01–57P03), a connection refused, cut or timed out (08xxx and the
 * socket errors), too many connections, a SQLite file locked past its timeout.
 */
const UNAVAILABLE_CODES = new Set([
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '53300',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EAI_AGAIN',
  'SQLITE_BUSY',
]);

/** node-postgres says so in words, without a code, when a connection ends under a query. */
const UNAVAILABLE_MESSAGE =
  /Connection terminated|connection error and is not queryable|Client was closed and is not queryable|timeout exceeded when trying to connect/;

/** Whether an error (or one it wraps) means the store is out of reach for the moment: worth a retry, not a bug. */
export function isStoreUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current !== null && typeof current === 'object' && depth < 5; depth++) {
    if (isGazetteError(current) && current.code === 'STORE_UNAVAILABLE') return true;
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
    if (current instanceof Error && UNAVAILABLE_MESSAGE.test(current.message)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
