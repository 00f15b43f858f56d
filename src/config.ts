import { isIP } from 'node:net';
import path from 'node:path';
import { GazetteError, type Lang } from './domain/index.js';
import { isValidTimeZone } from './domain/index.js';
import { fixedClock, systemClock, type Clock } from './clock.js';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** Everything the environment decides, validated once at start and frozen. */
export interface Config {
  readonly port: number;
  readonly host: string;
  /** Folder for the SQLite file, media and output (GAZETTE_DATA). */
  readonly dataDir: string;
  /** `postgres://…` selects PostgreSQL; null means the embedded SQLite file in dataDir. */
  readonly databaseUrl: string | null;
  /**
   * A read replica of that PostgreSQL (DATABASE_READ_URL) for the public side's own queries
   * (search, pages rendered on a reader's request); null reads from the primary. Publishing
   * and the back office always use the primary: they must see what was just written.
   */
  readonly readDatabaseUrl: string | null;
  /** The pinned instant from GAZETTE_NOW, or null to follow the system clock. */
  readonly now: Date | null;
  /** Default time zone of new sites. */
  readonly timeZone: string;
  readonly logLevel: LogLevel;
  /** Language of CLI messages: from GAZETTE_LANG, else LANG (zh_* → zh), else en. */
  readonly lang: Lang;
  /** Told (POST, JSON) the pages each publish changed, so a CDN can purge exactly those. */
  readonly purgeUrl: string | null;
  /**
   * The proxies whose X-Forwarded-For and X-Forwarded-Proto are believed (GAZETTE_TRUST_PROXY:
   * addresses, CIDR ranges, or loopback/linklocal/uniquelocal, comma-separated); null believes
   * none. Behind a TLS-terminating proxy it makes answers HTTPS ones: HSTS, Secure cookies.
   */
  readonly trustProxy: string | null;
}

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;

type Env = Readonly<Record<string, string | undefined>>;

function invalid(name: string, reason: string): GazetteError {
  return new GazetteError('CONFIG_INVALID', { name, reason });
}

function readPort(env: Env): number {
  const raw = env.PORT ?? '3000';
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port > 65535) throw invalid('PORT', `"${raw}" is not a port number 0-65535`);
  return port;
}

function readNow(env: Env): Date | null {
  const raw = env.GAZETTE_NOW;
  if (raw === undefined || raw === '') return null;
  const instant = new Date(raw);
  if (!ISO_WITH_ZONE.test(raw) || Number.isNaN(instant.getTime())) {
    throw invalid('GAZETTE_NOW', `"${raw}" is not an ISO 8601 time with a zone, e.g. 2025-12-01T09:00:00+08:00`);
  }
  return instant;
}

function readDatabaseUrl(env: Env): string | null {
  const raw = env.DATABASE_URL;
  if (raw === undefined || raw === '') return null;
  if (!/^postgres(ql)?:\/\//.test(raw)) throw invalid('DATABASE_URL', 'only postgres:// URLs are supported');
  return raw;
}

function readReplicaUrl(env: Env, primary: string | null): string | null {
  const raw = env.DATABASE_READ_URL;
  if (raw === undefined || raw === '') return null;
  if (!/^postgres(ql)?:\/\//.test(raw)) throw invalid('DATABASE_READ_URL', 'only postgres:// URLs are supported');
  if (primary === null)
    throw invalid('DATABASE_READ_URL', 'a read replica needs DATABASE_URL to name its PostgreSQL primary');
  return raw;
}

function readPurgeUrl(env: Env): string | null {
  const raw = env.GAZETTE_PURGE_URL;
  if (raw === undefined || raw === '') return null;
  if (!URL.canParse(raw) || !/^https?:\/\//.test(raw))
    throw invalid('GAZETTE_PURGE_URL', `"${raw}" is not an http(s) URL`);
  return raw;
}

const PROXY_KEYWORDS = new Set(['loopback', 'linklocal', 'uniquelocal']);

function readTrustProxy(env: Env): string | null {
  const raw = env.GAZETTE_TRUST_PROXY;
  if (raw === undefined || raw.trim() === '') return null;
  const entries = raw.split(',').map((entry) => entry.trim());
  for (const entry of entries) {
    const [address = '', bits, extra] = entry.split('/');
    const width = isIP(address) === 4 ? 32 : isIP(address) === 6 ? 128 : 0;
    const cidrOk = bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= width);
    if (PROXY_KEYWORDS.has(entry) || (width > 0 && cidrOk && extra === undefined)) continue;
    throw invalid(
      'GAZETTE_TRUST_PROXY',
      `"${entry}" is not an address, a CIDR range or one of ${[...PROXY_KEYWORDS].join(', ')} (trusting every sender would let any client claim HTTPS or another address)`,
    );
  }
  return entries.join(',');
}

function readLang(env: Env): Lang {
  const raw = env.GAZETTE_LANG ?? env.LC_ALL ?? env.LANG ?? '';
  return raw.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): Config {
  const timeZone = env.GAZETTE_TZ ?? 'Asia/Shanghai';
  if (!isValidTimeZone(timeZone)) throw invalid('GAZETTE_TZ', `"${timeZone}" is not an IANA time zone`);
  const logLevel = (env.LOG_LEVEL ?? 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) throw invalid('LOG_LEVEL', `use one of ${LOG_LEVELS.join(', ')}`);
  const databaseUrl = readDatabaseUrl(env);
  return Object.freeze({
    port: readPort(env),
    host: env.HOST ?? '127.0.0.1',
    // An empty value is no value (as for the other settings), never the current folder.
    dataDir: path.resolve(cwd, env.GAZETTE_DATA || './data'),
    databaseUrl,
    readDatabaseUrl: readReplicaUrl(env, databaseUrl),
    now: readNow(env),
    timeZone,
    logLevel,
    lang: readLang(env),
    purgeUrl: readPurgeUrl(env),
    trustProxy: readTrustProxy(env),
  });
}

export function clockFor(config: Config): Clock {
  return config.now ? fixedClock(config.now) : systemClock;
}
