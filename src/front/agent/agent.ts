import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import { GazetteError } from '../../domain/index.js';
import { frontLayout } from '../layout.js';
import { decodePush, FRONT_PROTOCOL_VERSION, readTokenFile, type FrontState as FrontStateBody } from '../protocol.js';
import { startLogTail, takeViews } from './access-log.js';
import { applyPush, rollForward, type ApplyTarget } from './apply.js';
import { startGuard } from './guard.js';
import { Includes } from './includes.js';
import { createFrontServer, type TlsFiles } from './server.js';
import { FrontState } from './state.js';

export interface AgentOptions {
  /** The front's folder (see layout.ts). */
  readonly root: string;
  /** `host:port`; port 0 takes a free one. */
  readonly listen: string;
  readonly tokenFile: string;
  /** How often the guard sweeps the whole tree (default 10). */
  readonly sweepMinutes?: number;
  /** PEM files: the server's certificate and key, and with `ca`, the authority clients' certificates must come from. */
  readonly tls?: { readonly cert: string; readonly key: string; readonly ca?: string };
  /** The clock (tests pin it): signatures' age, the date bar, events' times. */
  readonly now?: () => Date;
}

export interface Agent {
  /** `http://127.0.0.1:8700` (https with TLS). */
  readonly address: string;
  close(): Promise<void>;
}

export const DEFAULT_LISTEN = '127.0.0.1:8700';
export const DEFAULT_SWEEP_MINUTES = 10;

/** `host:port`, `[v6]:port`. */
export function parseListen(listen: string): { host: string; port: number } {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]\s]+)):(\d{1,5})$/.exec(listen);
  const port = Number(m?.[3]);
  if (!m || port > 65535) throw new GazetteError('USAGE', { reason: `--listen ${listen} is not host:port` });
  return { host: m[1] ?? m[2] ?? '', port };
}

function readTls(tls: NonNullable<AgentOptions['tls']>): TlsFiles {
  const read = (file: string) => {
    try {
      return fs.readFileSync(file);
    } catch (error) {
      throw new GazetteError('USAGE', {
        reason: `${file} cannot be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      });
    }
  };
  return { cert: read(tls.cert), key: read(tls.key), ...(tls.ca === undefined ? {} : { ca: read(tls.ca) }) };
}

/**
 * Starts the front-server agent: opens its state, finishes a batch a killed agent left open,
 * writes the includes, then tails nginx's log, guards the served tree and takes pushes, one at
 * a time.
 */
export async function startAgent(options: AgentOptions): Promise<Agent> {
  const token = readTokenFile(options.tokenFile);
  const { host, port } = parseListen(options.listen);
  const tls = options.tls && readTls(options.tls);
  const now = options.now ?? (() => new Date());
  const sweepEveryMs = Math.round((options.sweepMinutes ?? DEFAULT_SWEEP_MINUTES) * 60_000);
  const layout = frontLayout(options.root);
  for (const folder of [layout.www, layout.objects, layout.staging, layout.quarantine, layout.include])
    fs.mkdirSync(folder, { recursive: true });
  const state = new FrontState(layout);
  const includes = new Includes(state, layout, now);
  const target: ApplyTarget = {
    state,
    layout,
    applying: new Set(),
    status: { diskFull: state.meta('diskFull') },
    sitesChanged: (sites) => includes.sitesChanged(sites),
    viewsChanged: (articles) => includes.writeViews(articles),
  };
  const opened: { close(): Promise<void> | void }[] = [{ close: () => state.close() }];
  const closeAll = async () => {
    for (const part of opened.reverse()) await part.close();
  };
  try {
    await rollForward(target);
    await includes.start();
    opened.push(includes);
    opened.push(startLogTail(state, layout, target.viewsChanged));
    opened.push(
      startGuard({
        state,
        layout,
        sweepEveryMs,
        applying: () => target.applying,
        now,
        onEvent: (event) =>
          console.log(`gazette front: ${event.kind} ${event.file}: ${event.restored ? 'put back' : 'removed'}`),
        onError: (error) => console.error(`gazette front: the guard failed: ${String(error)}`),
      }),
    );
  } catch (error) {
    await closeAll();
    throw error;
  }

  // One push at a time: each starts from the sequence the previous one left.
  let queue: Promise<unknown> = Promise.resolve();
  const serially = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work);
    queue = run.catch(() => undefined);
    return run;
  };
  const server = createFrontServer({
    token,
    now,
    ...(tls ? { tls } : {}),
    routes: {
      state: (): FrontStateBody => {
        const sweepMs = state.meta('lastSweepMs');
        return {
          version: FRONT_PROTOCOL_VERSION,
          seq: state.seq(),
          sites: state.sites(),
          pages: state.pageCount(),
          lastSweepAt: state.meta('lastSweepAt'),
          lastSweepMs: sweepMs === null ? null : Number(sweepMs),
          sweepEveryMs,
          diskFull: target.status.diskFull,
          lastEventId: state.lastEventId(),
        };
      },
      push: async (body) => {
        const { header, bodies } = decodePush(body);
        return { seq: await serially(() => applyPush(target, header, bodies)) };
      },
      events: (after, limit) => ({ events: state.eventsAfter(after, limit) }),
      views: (ack) => takeViews(state, ack),
    },
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
  } catch (error) {
    await closeAll();
    throw error;
  }
  const bound = server.address() as AddressInfo;
  const shown = bound.family === 'IPv6' ? `[${bound.address}]` : bound.address;
  return {
    address: `${tls ? 'https' : 'http'}://${shown}:${bound.port}`,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await queue;
      await closeAll();
    },
  };
}
