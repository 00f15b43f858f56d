import { isIP } from 'node:net';
import path from 'node:path';
import { GazetteError, type Lang } from './domain/index.js';
import { isValidTimeZone } from './domain/index.js';
import { fixedClock, systemClock, type Clock } from './clock.js';
import type { ClamdAddress } from './services/content/virus-scan.js';
import { loadDataKeyring, type DataKeyring } from './services/cases/personal-data.js';
import { loadMailSettings, type MailSettings } from './services/cases/mailer.js';

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
  /**
   * The installation's secret key (GAZETTE_SECRET_KEY, base64 of at least 32 bytes); null keeps
   * it in `secret.key` in the data folder, made at first start. Instances sharing a store must
   * share it. Never logged.
   */
  readonly secretKey: Buffer | null;
  /**
   * The key sealing the personal data of letters and requests from the public (GAZETTE_DATA_KEY,
   * 64 hex characters; GAZETTE_DATA_KEY_PREVIOUS while rotating). Null: the public forms are off.
   */
  readonly dataKeys: DataKeyring | null;
  /** Whether the first `serve` on an empty store fills it with the demo platform (GAZETTE_DEMO=on|off, default on). */
  readonly demo: boolean;
  /**
   * Whether administrative accounts (admin, security, platform) must use a second factor
   * (GAZETTE_ADMIN_MFA=required|optional, default required). `optional` is for a back office
   * reached only through a gateway that already asks for one.
   */
  readonly adminMfa: 'required' | 'optional';
  /**
   * The ClamAV daemon every upload is also scanned by (GAZETTE_CLAMD: `tcp://host:port` or the
   * absolute path of its unix socket); null runs the built-in check alone. Once set, an upload
   * it cannot scan is refused (503), never taken unscanned.
   */
  readonly clamd: ClamdAddress | null;
  /**
   * Where the letter desk's deadline alerts are mailed from (GAZETTE_SMTP_URL, GAZETTE_MAIL_FROM,
   * GAZETTE_ADMIN_URL for the links); null: the alerts show on the dashboard only. The password
   * stays behind a function, out of JSON and logs.
   */
  readonly mail: MailSettings | null;
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

function readClamd(env: Env): ClamdAddress | null {
  const raw = env.GAZETTE_CLAMD;
  if (raw === undefined || raw === '') return null;
  if (path.isAbsolute(raw)) return { path: raw };
  // A host name, an IPv4 address or a bracketed IPv6 one (given to the socket without brackets).
  const match = /^tcp:\/\/(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/.exec(raw);
  const port = Number(match?.[3]);
  const host = match?.[1] ?? match?.[2];
  if (!host || !(port > 0 && port <= 65535))
    throw invalid('GAZETTE_CLAMD', `"${raw}" is neither tcp://host:port nor the absolute path of a unix socket`);
  return { host, port };
}

function readDemo(env: Env): boolean {
  const raw = env.GAZETTE_DEMO ?? 'on';
  if (raw !== 'on' && raw !== 'off') throw invalid('GAZETTE_DEMO', `"${raw}" is neither on nor off`);
  return raw === 'on';
}

function readAdminMfa(env: Env): 'required' | 'optional' {
  const raw = env.GAZETTE_ADMIN_MFA ?? 'required';
  if (raw !== 'required' && raw !== 'optional')
    throw invalid('GAZETTE_ADMIN_MFA', `"${raw}" is neither required nor optional`);
  return raw;
}

function readSecretKey(env: Env): Buffer | null {
  const raw = env.GAZETTE_SECRET_KEY;
  if (raw === undefined || raw === '') return null;
  const key = Buffer.from(raw, 'base64');
  // The value itself never goes into the message.
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(raw) || key.length < 32)
    throw invalid('GAZETTE_SECRET_KEY', 'not base64 of at least 32 bytes (make one with: openssl rand -base64 32)');
  return key;
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
    secretKey: readSecretKey(env),
    dataKeys: loadDataKeyring(env),
    demo: readDemo(env),
    adminMfa: readAdminMfa(env),
    clamd: readClamd(env),
    mail: loadMailSettings(env),
  });
}

export function clockFor(config: Config): Clock {
  return config.now ? fixedClock(config.now) : systemClock;
}
