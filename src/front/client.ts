import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { GazetteError } from '../domain/index.js';
import {
  FRONT_PROTOCOL_VERSION,
  encodePush,
  readTokenFile,
  signRequest,
  type FrontSite,
  type FrontState,
  type PushHeader,
  type TamperEvent,
  type TamperKind,
  type ViewsBatch,
} from './protocol.js';

/**
 * The CMS's side of the front protocol: signed requests to one front's agent. The token is read
 * from the front's token file when the client is opened (each distribution round), so a rotated
 * token is picked up without a restart; it stays in this closure and is never logged or put in
 * an error. node:http(s) rather than fetch: a front that demands client certificates (the
 * agent's --tls-ca) is reached with the CMS's certificate, which Node's fetch cannot present.
 * Everything a front answers is checked before use: a front sits in the DMZ.
 */
export interface FrontTls {
  readonly cert?: Buffer;
  readonly key?: Buffer;
  /** The authority the front's certificate comes from (else the system's). */
  readonly ca?: Buffer;
}

/** The environment naming the CMS's client certificate and key, and the fronts' authority (PEM files). */
export const FRONT_TLS_VARIABLES = {
  cert: 'GAZETTE_FRONT_TLS_CERT',
  key: 'GAZETTE_FRONT_TLS_KEY',
  ca: 'GAZETTE_FRONT_TLS_CA',
} as const;

/**
 * The CMS's TLS settings for fronts served over https: its client certificate and key (for a
 * front started with --tls-ca) and the authority of the fronts' certificates (else the system's).
 * Undefined when none is set; a file that cannot be read stops the start with CONFIG_INVALID.
 */
export function loadFrontTls(env: Readonly<Record<string, string | undefined>>): FrontTls | undefined {
  const read = (name: string): Buffer | undefined => {
    const file = env[name];
    if (file === undefined || file === '') return undefined;
    try {
      return fs.readFileSync(file);
    } catch (error) {
      throw new GazetteError('CONFIG_INVALID', {
        name,
        reason: `${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      });
    }
  };
  const cert = read(FRONT_TLS_VARIABLES.cert);
  const key = read(FRONT_TLS_VARIABLES.key);
  const ca = read(FRONT_TLS_VARIABLES.ca);
  if ((cert === undefined) !== (key === undefined))
    throw new GazetteError('CONFIG_INVALID', {
      name: cert === undefined ? FRONT_TLS_VARIABLES.cert : FRONT_TLS_VARIABLES.key,
      reason: `${FRONT_TLS_VARIABLES.cert} and ${FRONT_TLS_VARIABLES.key} are set together`,
    });
  if (cert === undefined && ca === undefined) return undefined;
  return { ...(cert && { cert }), ...(key && { key }), ...(ca && { ca }) };
}

export interface FrontClientOptions {
  /** The clock signatures are dated by (the agent checks them against its own). */
  readonly now: () => Date;
  /** How long a request may take in all (default 10 s; a push: pushTimeoutMs, default 60 s). */
  readonly timeoutMs?: number;
  readonly pushTimeoutMs?: number;
  readonly tls?: FrontTls;
}

export interface FrontClient {
  state(): Promise<FrontState>;
  /** Pushes a batch; answers the sequence the front is at afterwards. */
  push(header: PushHeader, bodies: readonly Buffer[]): Promise<number>;
  events(after: number, limit: number): Promise<TamperEvent[]>;
  views(ack: number | null): Promise<ViewsBatch>;
}

/**
 * Why a request to a front failed: no answer (`status` null: refused, reset, timed out), an error
 * answer (its status and the catalogue code the agent gave, with its parameters), or an answer
 * that is not what the protocol says (`malformed`).
 */
export class FrontRequestError extends Error {
  constructor(
    readonly status: number | null,
    readonly code: string | null,
    message: string,
    readonly params: Readonly<Record<string, unknown>> = {},
    readonly malformed = false,
  ) {
    super(message);
    this.name = 'FrontRequestError';
  }
}

/** The most a front's answer may hold (a page of events with their diffs fits many times over). */
const MAX_ANSWER_BYTES = 128 * 1024 * 1024;

/**
 * Connections kept open between rounds. An idle one is closed after 4 s, before the agent's own
 * server would (5 s): a request never goes out on a connection the other end is closing.
 */
const agents = {
  http: new http.Agent({ keepAlive: true, maxSockets: 4, timeout: 4_000 }),
  https: new https.Agent({ keepAlive: true, maxSockets: 4, timeout: 4_000 }),
};

function send(
  base: URL,
  method: string,
  pathWithQuery: string,
  headers: Record<string, string>,
  body: Buffer,
  timeoutMs: number,
  tls: FrontTls | undefined,
): Promise<{ status: number; body: Buffer }> {
  const secure = base.protocol === 'https:';
  const where = `${method} ${base.origin}${pathWithQuery.replace(/\?.*$/, '')}`;
  return new Promise((resolve, reject) => {
    const options: https.RequestOptions = {
      method,
      host: base.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: base.port === '' ? (secure ? 443 : 80) : Number(base.port),
      path: pathWithQuery,
      headers: { ...headers, 'content-length': String(body.length) },
      agent: secure ? agents.https : agents.http,
      ...(secure && tls ? { cert: tls.cert, key: tls.key, ca: tls.ca } : {}),
    };
    const request = (secure ? https : http).request(options, (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_ANSWER_BYTES) request.destroy(new Error(`the answer is larger than ${MAX_ANSWER_BYTES} bytes`));
        else chunks.push(chunk);
      });
      response.on('end', () => {
        clearTimeout(timer);
        resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks) });
      });
      response.on('error', (error) => {
        clearTimeout(timer);
        reject(new FrontRequestError(null, null, `${where}: ${error.message}`));
      });
    });
    const timer = setTimeout(() => request.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    request.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(new FrontRequestError(null, error.code ?? null, `${where}: ${error.message}`));
    });
    request.end(body);
  });
}

function malformed(what: string): FrontRequestError {
  return new FrontRequestError(200, null, `the front's answer is not as the protocol says: ${what}`, {}, true);
}

const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;
const isText = (value: unknown): value is string => typeof value === 'string';
const orNull = <T>(value: unknown, is: (v: unknown) => v is T): value is T | null => value === null || is(value);
const KINDS: readonly TamperKind[] = ['modified', 'removed', 'added', 'symlink', 'directory'];

function readState(value: unknown): FrontState {
  const s = (value ?? {}) as Record<string, unknown>;
  if (
    !isCount(s.seq) ||
    !Array.isArray(s.sites) ||
    !isCount(s.pages) ||
    !orNull(s.lastSweepAt, isText) ||
    !orNull(s.lastSweepMs, isCount) ||
    !isCount(s.sweepEveryMs) ||
    !orNull(s.diskFull, isText) ||
    !isCount(s.lastEventId)
  )
    throw malformed('state');
  return {
    version: Number(s.version),
    seq: s.seq,
    sites: s.sites as FrontSite[],
    pages: s.pages,
    lastSweepAt: s.lastSweepAt,
    lastSweepMs: s.lastSweepMs,
    sweepEveryMs: s.sweepEveryMs,
    diskFull: s.diskFull,
    lastEventId: s.lastEventId,
  };
}

function readEvent(value: unknown): TamperEvent {
  const e = (value ?? {}) as Record<string, unknown>;
  if (
    !isCount(e.id) ||
    !isText(e.at) ||
    Number.isNaN(Date.parse(e.at)) ||
    !isText(e.file) ||
    !isCount(e.siteId) ||
    !isText(e.path) ||
    !KINDS.includes(e.kind as TamperKind) ||
    !isText(e.detail) ||
    !orNull(e.quarantine, isText) ||
    typeof e.restored !== 'boolean'
  )
    throw malformed('events');
  return {
    id: e.id,
    at: new Date(e.at).toISOString(),
    file: e.file,
    siteId: e.siteId,
    path: e.path,
    kind: e.kind as TamperKind,
    detail: e.detail,
    quarantine: e.quarantine,
    restored: e.restored,
  };
}

function readViews(value: unknown): ViewsBatch {
  const v = (value ?? {}) as Record<string, unknown>;
  if (!orNull(v.batch, isCount) || !Array.isArray(v.counts)) throw malformed('views');
  const counts = v.counts.map((item: unknown) => {
    const c = (item ?? {}) as Record<string, unknown>;
    if (!isCount(c.siteId) || !isText(c.path) || !isCount(c.count)) throw malformed('views');
    return { siteId: c.siteId, path: c.path, count: c.count };
  });
  return { batch: v.batch, counts };
}

/** A client for the front at `url`, signing with the token its token file holds now (FRONT_TOKEN_FILE if it cannot be used). */
export function openFrontClient(
  front: { readonly url: string; readonly tokenFile: string },
  options: FrontClientOptions,
): FrontClient {
  const token = readTokenFile(front.tokenFile);
  const base = new URL(front.url);
  const call = async (method: string, pathWithQuery: string, body: Buffer, type: string | null, timeoutMs: number) => {
    const headers = {
      ...signRequest(token, method, pathWithQuery, body, options.now()),
      accept: 'application/json',
      ...(type ? { 'content-type': type } : {}),
    };
    const answer = await send(base, method, pathWithQuery, headers, body, timeoutMs, options.tls);
    let json: unknown;
    try {
      json = JSON.parse(answer.body.toString('utf8'));
    } catch {
      json = undefined;
    }
    if (answer.status !== 200) {
      const error = (json ?? {}) as Record<string, unknown>;
      const code = isText(error.code) ? error.code : null;
      const message = isText(error.message) ? error.message : `HTTP ${answer.status}`;
      throw new FrontRequestError(
        answer.status,
        code,
        `${method} ${pathWithQuery}: ${answer.status} ${message}`,
        error,
      );
    }
    if (json === undefined) throw malformed(`${pathWithQuery} is not JSON`);
    return json;
  };
  const timeoutMs = options.timeoutMs ?? 10_000;
  const none = Buffer.alloc(0);
  return {
    async state() {
      return readState(await call('GET', '/_front/state', none, null, timeoutMs));
    },
    async push(header, bodies) {
      const body = encodePush({ ...header, version: FRONT_PROTOCOL_VERSION }, bodies);
      const answer = (await call(
        'POST',
        '/_front/push',
        body,
        'application/octet-stream',
        options.pushTimeoutMs ?? 60_000,
      )) as Record<string, unknown>;
      if (!isCount(answer.seq)) throw malformed('push');
      return answer.seq;
    },
    async events(after, limit) {
      const answer = (await call('GET', `/_front/events?after=${after}&limit=${limit}`, none, null, timeoutMs)) as {
        events?: unknown;
      };
      if (!Array.isArray(answer.events)) throw malformed('events');
      return answer.events.map(readEvent);
    },
    async views(ack) {
      const body = Buffer.from(JSON.stringify({ ack }));
      return readViews(await call('POST', '/_front/views', body, 'application/json', timeoutMs));
    },
  };
}
