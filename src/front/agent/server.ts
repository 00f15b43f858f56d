import { randomBytes } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { GazetteError, isGazetteError } from '../../domain/index.js';
import { MAX_PUSH_BYTES, verifyRequest, type FrontState, type TamperEvent, type ViewsBatch } from '../protocol.js';

/** What the four endpoints do; the server only checks, reads and answers. */
export interface FrontRoutes {
  state(): FrontState;
  push(body: Buffer): Promise<{ seq: number }>;
  events(after: number, limit: number): { events: TamperEvent[] };
  views(ack: number | null): ViewsBatch;
}

/** Certificates as PEM: the server's, and with `ca`, the authority a client's certificate must come from (mutual TLS). */
export interface TlsFiles {
  readonly cert: Buffer;
  readonly key: Buffer;
  readonly ca?: Buffer;
}

export interface FrontServerOptions {
  readonly token: string;
  readonly now: () => Date;
  readonly routes: FrontRoutes;
  readonly tls?: TlsFiles;
}

const MAX_EVENTS = 1000;
const DEFAULT_EVENTS = 500;

/** An answer's JSON: the error's code, its message (Chinese and English) and its parameters (FRONT_SEQUENCE's `seq`). */
export function frontErrorBody(error: GazetteError): Record<string, unknown> {
  return { ...error.params, code: error.code, message: error.messageIn('zh'), messageEn: error.messageIn('en') };
}

class TooLarge extends Error {}

/** The request's body, refused past the push limit (a declared length past it is refused before any is read). */
function readBody(request: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    if (Number(request.headers['content-length'] ?? 0) > MAX_PUSH_BYTES) return reject(new TooLarge());
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_PUSH_BYTES) {
        request.pause();
        reject(new TooLarge());
      } else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function send(response: http.ServerResponse, status: number, body: unknown): void {
  const json = Buffer.from(JSON.stringify(body));
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': json.length,
    'cache-control': 'no-store',
  });
  response.end(json);
}

const badRequest = (reason: string) => new GazetteError('BAD_REQUEST', { reason });

function count(value: string | null, name: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === null) return fallback;
  if (!/^\d{1,15}$/.test(value) || Number(value) > max) throw badRequest(`${name} must be a whole number up to ${max}`);
  return Number(value);
}

function viewsAck(body: Buffer): number | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw badRequest('the body is not JSON');
  }
  const ack = (parsed as { ack?: unknown } | null)?.ack;
  if (ack === null || (Number.isSafeInteger(ack) && (ack as number) >= 0)) return ack as number | null;
  throw badRequest('ack must be a batch number or null');
}

async function route(routes: FrontRoutes, method: string, url: URL, body: Buffer): Promise<unknown> {
  switch (`${method} ${url.pathname}`) {
    case 'GET /_front/state':
      return routes.state();
    case 'POST /_front/push':
      return routes.push(body);
    case 'GET /_front/events': {
      const after = count(url.searchParams.get('after'), 'after', 0);
      const limit = count(url.searchParams.get('limit'), 'limit', DEFAULT_EVENTS, MAX_EVENTS);
      return routes.events(after, limit);
    }
    case 'POST /_front/views':
      return routes.views(viewsAck(body));
    default:
      throw new GazetteError('NOT_FOUND');
  }
}

/**
 * The agent's HTTP(S) server. Every request is read (up to the push limit), then its signature
 * checked before anything else is looked at: an unsigned request learns nothing, not even which
 * paths exist. Errors answer `{code, message, messageEn, …params}`; an unexpected one answers a
 * reference, which is in the agent's log beside the error.
 */
export function createFrontServer(options: FrontServerOptions): http.Server {
  const handle = async (request: http.IncomingMessage, response: http.ServerResponse): Promise<void> => {
    const method = request.method ?? 'GET';
    const target = request.url ?? '/';
    try {
      const body = await readBody(request);
      if (!verifyRequest(options.token, method, target, body, request.headers, options.now()))
        throw new GazetteError('FRONT_AUTH');
      send(response, 200, await route(options.routes, method, new URL(target, 'http://front'), body));
    } catch (error) {
      if (error instanceof TooLarge) {
        // The rest of the body is not read: the connection ends with the answer.
        response.setHeader('connection', 'close');
        response.once('finish', () => request.destroy());
        send(response, 413, frontErrorBody(new GazetteError('FRONT_TOO_LARGE', { max: MAX_PUSH_BYTES })));
      } else if (isGazetteError(error)) send(response, error.status, frontErrorBody(error));
      else {
        const reference = randomBytes(6).toString('hex');
        console.error(
          `gazette front: ${method} ${new URL(target, 'http://front').pathname} failed (reference ${reference}):`,
          error,
        );
        send(response, 500, frontErrorBody(new GazetteError('INTERNAL', { reference })));
      }
    }
  };
  const listener = (request: http.IncomingMessage, response: http.ServerResponse) => void handle(request, response);
  if (!options.tls) return http.createServer(listener);
  const { cert, key, ca } = options.tls;
  return https.createServer(
    // With requestCert, Node refuses a client whose certificate the CA did not sign (its default).
    ca ? { cert, key, ca, requestCert: true } : { cert, key },
    listener,
  );
}
