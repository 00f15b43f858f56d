import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { isGazetteError } from '../../src/domain/index.js';
import {
  decodePush,
  FRONT_PROTOCOL_VERSION,
  verifyRequest,
  type FrontSite,
  type PushHeader,
  type TamperEvent,
  type ViewsBatch,
} from '../../src/front/protocol.js';

/**
 * A front agent in a few lines: the protocol's four endpoints over an in-memory copy, with every
 * request signed and every push checked as the real agent does (sequence, hashes), and faults a
 * test can inject: an answer dropped before or after the work, a status instead of the work. The
 * real agent (src/front/agent) is tested on its own; this one makes the CMS's side's fault cases
 * exact and fast.
 */
export type FakeRoute = 'state' | 'push' | 'events' | 'views';
/** `drop`: the connection is cut before anything is done; `drop-after`: the work is done, the answer lost. */
export type Fault = 'drop' | 'drop-after' | number;

export interface FakeFront {
  readonly url: string;
  /** The token requests must be signed with (a test rotates it). */
  token: string;
  seq: number;
  sites: FrontSite[];
  /** The pages held, by manifest key. */
  readonly pages: Map<string, Buffer>;
  /** The views base of each pushed article page, by key. */
  readonly views: Map<string, number>;
  /** Every push applied, in order. */
  readonly pushes: PushHeader[];
  /** Every request, as `METHOD /path` (signed or not). */
  readonly requests: string[];
  events: TamperEvent[];
  /** Counted reads not yet in a batch; batches not yet acknowledged. */
  readonly pending: Map<string, { siteId: number; path: string; count: number }>;
  readonly batches: { batch: number; counts: ViewsBatch['counts'] }[];
  lastSweepAt: string | null;
  sweepEveryMs: number;
  diskFull: string | null;
  /** Decides a request's fault (called once per request), or none. */
  fault: ((route: FakeRoute, body: Buffer) => Fault | null) | null;
  /** Counts reads of a page (GET, status 200, as nginx logs them). */
  read(siteId: number, path: string, times?: number): void;
  /** Stops listening (the front is down); `start` listens again on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

function errorBody(code: string, message: string, params: Record<string, unknown> = {}) {
  return { ...params, code, message, messageEn: message };
}

export async function startFakeFront(options: { token: string; now: () => Date }): Promise<FakeFront> {
  let nextBatch = 1;
  const front: Omit<FakeFront, 'url' | 'stop' | 'start'> = {
    token: options.token,
    seq: 0,
    sites: [],
    pages: new Map(),
    views: new Map(),
    pushes: [],
    requests: [],
    events: [],
    pending: new Map(),
    batches: [],
    lastSweepAt: null,
    sweepEveryMs: 600_000,
    diskFull: null,
    fault: null,
    read(siteId, path, times = 1) {
      const key = `${siteId} ${path}`;
      const entry = this.pending.get(key) ?? { siteId, path, count: 0 };
      this.pending.set(key, { ...entry, count: entry.count + times });
    },
  };

  const route = (name: FakeRoute, url: URL, body: Buffer): [number, unknown] => {
    switch (name) {
      case 'state':
        return [
          200,
          {
            version: FRONT_PROTOCOL_VERSION,
            seq: front.seq,
            sites: front.sites,
            pages: front.pages.size,
            lastSweepAt: front.lastSweepAt,
            lastSweepMs: front.lastSweepAt === null ? null : 5,
            sweepEveryMs: front.sweepEveryMs,
            diskFull: front.diskFull,
            lastEventId: Math.max(0, ...front.events.map((event) => event.id)),
          },
        ];
      case 'push': {
        const { header, bodies } = decodePush(body);
        if (header.fromSeq !== front.seq)
          return [409, errorBody('FRONT_SEQUENCE', 'out of order', { seq: front.seq, fromSeq: header.fromSeq })];
        for (const [i, page] of header.pages.entries())
          if (page.hash !== '' && sha256(bodies[i] ?? Buffer.alloc(0)) !== page.hash)
            return [422, errorBody('FRONT_HASH_MISMATCH', 'hash', { key: page.key })];
        for (const [i, page] of header.pages.entries()) {
          if (page.hash === '') front.pages.delete(page.key);
          else front.pages.set(page.key, bodies[i] ?? Buffer.alloc(0));
          if (page.views !== undefined) front.views.set(page.key, page.views);
        }
        if (header.sites) front.sites = [...header.sites];
        front.seq = header.toSeq;
        front.diskFull = null;
        front.pushes.push(header);
        return [200, { seq: front.seq }];
      }
      case 'events': {
        const after = Number(url.searchParams.get('after') ?? '0');
        const limit = Number(url.searchParams.get('limit') ?? '500');
        return [200, { events: front.events.filter((event) => event.id > after).slice(0, limit) }];
      }
      case 'views': {
        const { ack } = JSON.parse(body.toString('utf8')) as { ack: number | null };
        if (ack !== null) front.batches.splice(0, front.batches.length, ...front.batches.filter((b) => b.batch > ack));
        if (front.batches.length === 0 && front.pending.size > 0) {
          front.batches.push({ batch: nextBatch++, counts: [...front.pending.values()] });
          front.pending.clear();
        }
        const oldest = front.batches[0];
        return [200, oldest ? { batch: oldest.batch, counts: oldest.counts } : { batch: null, counts: [] }];
      }
    }
  };

  const ROUTES: Readonly<Record<string, FakeRoute>> = {
    'GET /_front/state': 'state',
    'POST /_front/push': 'push',
    'GET /_front/events': 'events',
    'POST /_front/views': 'views',
  };

  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const target = request.url ?? '/';
      const url = new URL(target, 'http://front');
      const method = request.method ?? 'GET';
      front.requests.push(`${method} ${url.pathname}`);
      const answer = (status: number, json: unknown) => {
        const bytes = Buffer.from(JSON.stringify(json));
        response.writeHead(status, { 'content-type': 'application/json', 'content-length': bytes.length });
        response.end(bytes);
      };
      if (!verifyRequest(front.token, method, target, body, request.headers, options.now()))
        return answer(401, errorBody('FRONT_AUTH', 'signature'));
      const name = ROUTES[`${method} ${url.pathname}`];
      if (!name) return answer(404, errorBody('NOT_FOUND', 'no such route'));
      const fault = front.fault?.(name, body) ?? null;
      if (fault === 'drop') return void request.socket.destroy();
      if (typeof fault === 'number')
        return answer(fault, errorBody(fault === 507 ? 'FRONT_DISK_FULL' : 'INTERNAL', 'fault'));
      let result: [number, unknown];
      try {
        result = route(name, url, body);
      } catch (error) {
        if (!isGazetteError(error)) throw error;
        result = [error.status, errorBody(error.code, error.message)];
      }
      if (fault === 'drop-after') return void request.socket.destroy();
      answer(...result);
    });
  });
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
    });
  const port = await listen(0);
  return Object.assign(front, {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
    start: async () => {
      await listen(port);
    },
  });
}
