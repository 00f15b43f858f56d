import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { dataProxyAnswer } from './mirrors/hanweb-pages.js';
import { DATA_PROXY_PATH, TOO_LARGE_BYTES, type Mirror, type MirrorFile } from './mirrors/types.js';

// An old site's server for the migration tests: the mirror's files by path and query, its
// robots.txt, Hanweb's data proxy, the planted 521 challenge (a file with that status), and the
// too-large file, which claims 60 MiB and trickles them out so that a client reading it shows.

export interface MirrorServer {
  /** 'http://127.0.0.1:PORT' */
  readonly origin: string;
  /** Requests per path+query as the client sent it (every method). */
  readonly hits: Map<string, number>;
  /**
   * Answers the first `after` requests for any of `paths`, then holds each later one unanswered
   * until release(): a client stuck part way through, at a point the test chose, however slow the
   * machine (a test that kills a client mid-run must not race it to the end).
   */
  holdAfter(paths: ReadonlySet<string>, after: number): void;
  /** Answers every held request and holds no more. */
  release(): void;
  close(): Promise<void>;
}

interface Hold {
  readonly paths: ReadonlySet<string>;
  readonly after: number;
  passed: number;
  readonly held: (() => void)[];
}

const NOT_FOUND = '<html><head><title>404 Not Found</title></head><body><h1>404 Not Found</h1></body></html>';
/** The too-large file's trickle: a chunk every few milliseconds, for as long as the client reads. */
const TRICKLE_CHUNK = 64 * 1024;
const TRICKLE_MS = 20;

/** The file for a request path: as asked, or a folder's index.html. */
function findFile(files: ReadonlyMap<string, MirrorFile>, url: string): MirrorFile | undefined {
  const [pathname = ''] = url.split('?', 1);
  return files.get(url) ?? (pathname.endsWith('/') && pathname === url ? files.get(`${url}index.html`) : undefined);
}

function contentTypeOf(urlPath: string): string {
  const extension = /\.([a-z0-9]+)$/i.exec(urlPath.split('?', 1)[0] ?? '')?.[1]?.toLowerCase();
  return extension === 'zip' ? 'application/zip' : extension === 'pdf' ? 'application/pdf' : 'application/octet-stream';
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Hanweb's data proxy: records startrecord…endrecord of the form's (or query's) columnid. */
async function answerProxy(mirror: Mirror, req: http.IncomingMessage, res: http.ServerResponse, url: URL) {
  const form = new URLSearchParams(req.method === 'POST' ? await readBody(req) : '');
  const param = (name: string) => form.get(name) ?? url.searchParams.get(name);
  const records = mirror.dataProxy?.[param('columnid') ?? ''] ?? [];
  const start = Number(param('startrecord') ?? 1);
  const end = Number(param('endrecord') ?? records.length);
  const body = Buffer.from(dataProxyAnswer(records, start, end));
  res.writeHead(200, { 'content-type': 'text/xml;charset=UTF-8', 'content-length': body.length });
  res.end(body);
}

/** Claims TOO_LARGE_BYTES and sends them slowly; stops when the client goes away. */
function trickle(req: http.IncomingMessage, res: http.ServerResponse, url: string) {
  res.writeHead(200, { 'content-type': contentTypeOf(url), 'content-length': TOO_LARGE_BYTES });
  if (req.method === 'HEAD') return void res.end();
  let sent = 0;
  const chunk = Buffer.alloc(TRICKLE_CHUNK, 0x50);
  const timer = setInterval(() => {
    const size = Math.min(TRICKLE_CHUNK, TOO_LARGE_BYTES - sent);
    sent += size;
    if (sent >= TOO_LARGE_BYTES) {
      clearInterval(timer);
      res.end(chunk.subarray(0, size));
    } else res.write(chunk.subarray(0, size));
  }, TRICKLE_MS);
  res.on('close', () => clearInterval(timer));
}

function send(req: http.IncomingMessage, res: http.ServerResponse, status: number, type: string, body: Buffer) {
  res.writeHead(status, { 'content-type': type, 'content-length': body.length });
  res.end(req.method === 'HEAD' ? undefined : body);
}

export async function serveMirror(mirror: Mirror): Promise<MirrorServer> {
  const files = new Map(mirror.files.map((f) => [f.path, f]));
  const tooLarge = new Set(mirror.failures.filter((f) => f.kind === 'too-large').map((f) => f.path));
  const hits = new Map<string, number>();
  let hold: Hold | null = null;
  const release = () => {
    const held = hold?.held ?? [];
    hold = null;
    for (const answer of held) answer();
  };
  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const raw = req.url ?? '/';
    hits.set(raw, (hits.get(raw) ?? 0) + 1);
    if (hold?.paths.has(raw) && ++hold.passed > hold.after) {
      const held = hold.held;
      await new Promise<void>((resolve) => held.push(resolve));
    }
    const url = new URL(raw, 'http://mirror.invalid');
    if (url.pathname === DATA_PROXY_PATH && mirror.dataProxy) return answerProxy(mirror, req, res, url);
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(req, res, 405, 'text/plain', Buffer.from('405'));
    if (tooLarge.has(raw)) return trickle(req, res, raw);
    const file = findFile(files, raw);
    if (file) return send(req, res, file.status ?? 200, file.contentType, file.body);
    // A folder asked for without its slash: the redirect every web server answers.
    if (!raw.includes('?') && files.has(`${raw}/index.html`)) {
      res.writeHead(301, { location: `${raw}/`, 'content-length': 0 });
      return void res.end();
    }
    send(req, res, 404, 'text/html; charset=utf-8', Buffer.from(NOT_FOUND));
  };
  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    hits,
    holdAfter: (paths, after) => {
      release();
      hold = { paths, after, passed: 0, held: [] };
    },
    release,
    close: () =>
      new Promise<void>((resolve, reject) => {
        release();
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
