import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  BENCH_DIR,
  GAZETTE_BIN,
  bodyCharsFor,
  diskBytes,
  freePort,
  gazetteEnv,
  getIdentity,
  log,
  makeSyntheticSite,
  mib,
  optionReader,
  removeTemp,
  requireBinary,
  round,
  runGazette,
  revisionTracker,
  skipTonightsHealthCheck,
  startServer,
  stopChild,
  tempDir,
  track,
  waitForOk,
} from './support.js';

/**
 * `npm run bench serve [-- --articles N --seconds S --connections C]`: one article page of a
 * synthetic site, served at C connections for S seconds by `gazette serve`, by Debian's nginx
 * (one worker, the same bytes from disk) and by a bare Node `http` server (the same bytes from
 * memory), all on 127.0.0.1, in turn for --rounds rounds. The median over the rounds of
 * Gazette's requests/s over nginx's is the figure (target ≥ 0.6); Gazette's peak RSS under the
 * load is the other.
 * Other options: --rounds 5, --threads 2 (wrk), --warmup-seconds 2, --body-chars C,
 * --build-max 100000 (larger sites skip `gazette build`). Needs Debian's nginx and wrk.
 */

interface ServeOptions {
  readonly articles: number;
  readonly seconds: number;
  readonly connections: number;
  readonly threads: number;
  /** A short run first, so that each server is measured warm (JIT, caches, page in memory). */
  readonly warmupSeconds: number;
  /**
   * Runs of the three servers in turn; the medians are reported. On a small shared machine one
   * 10 s run of nginx can differ from the next by half: interleaving spreads that over all three.
   */
  readonly rounds: number;
  /** Body length of the generated articles (default: the generator's, 500 from a million up). */
  readonly bodyChars: number | undefined;
  /** Sites up to this size are built in full first; larger ones render the measured page on its first read. */
  readonly buildMax: number;
}

interface Load {
  readonly rps: number;
  readonly p50ms: number;
  readonly p99ms: number;
  readonly requests: number;
  /** Socket errors and non-2xx/3xx answers: a fast server that fails is not fast. */
  readonly errors: number;
}

/** A server under test: the child process we started, and where it listens. */
export interface Server {
  readonly child: ChildProcess;
  readonly base: string;
}

const TARGET_RATIO = 0.6;
const BUILD_TIMEOUT_MS = 30 * 60_000;
const execFileAsync = promisify(execFile);

function readOptions(args: readonly string[]): ServeOptions {
  const option = optionReader(args);
  return {
    articles: option.number('articles', 20_000),
    seconds: option.number('seconds', 10),
    connections: option.number('connections', 50),
    threads: option.number('threads', 2),
    warmupSeconds: option.number('warmup-seconds', 2),
    rounds: Math.max(1, option.number('rounds', 5)),
    bodyChars: option.raw('body-chars') === undefined ? undefined : option.number('body-chars', 0),
    buildMax: option.number('build-max', 100_000),
  };
}

/** wrk prints latencies as `812.00us`, `1.23ms` or `1.02s`. */
function toMs(text: string): number {
  const match = /^([\d.]+)(us|ms|s|m)$/.exec(text.trim());
  if (!match) throw new Error(`unreadable wrk latency "${text}"`);
  const value = Number(match[1]);
  return match[2] === 'us'
    ? value / 1000
    : match[2] === 'ms'
      ? value
      : match[2] === 's'
        ? value * 1000
        : value * 60_000;
}

export function parseWrk(output: string): Load {
  const number = (pattern: RegExp): number => Number(pattern.exec(output)?.[1] ?? NaN);
  const latency = (p: string): number => {
    const text = new RegExp(`^\\s*${p}%\\s+(\\S+)`, 'm').exec(output)?.[1];
    if (!text) throw new Error(`wrk printed no ${p}% latency (was --latency given?):\n${output}`);
    return toMs(text);
  };
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  const socketErrors = socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0;
  const rps = number(/Requests\/sec:\s+([\d.]+)/);
  if (!Number.isFinite(rps)) throw new Error(`wrk printed no Requests/sec:\n${output}`);
  return {
    rps: round(rps, 0),
    p50ms: round(latency('50')),
    p99ms: round(latency('99')),
    requests: number(/(\d+) requests in/),
    errors: socketErrors + (number(/Non-2xx or 3xx responses: (\d+)/) || 0),
  };
}

/**
 * One wrk run: bounded by `seconds` (and wrk's own 2 s request timeout), loopback only; `host`,
 * when given, is sent as the Host header (a front's nginx finds the site by it).
 */
export async function wrk(
  binary: string,
  url: string,
  options: Pick<ServeOptions, 'threads' | 'connections'>,
  seconds: number,
  host?: string,
): Promise<Load> {
  if (!url.startsWith('http://127.0.0.1:')) throw new Error(`load tests stay on 127.0.0.1, not ${url}`);
  const args = [`-t${options.threads}`, `-c${options.connections}`, `-d${seconds}s`, '--latency'];
  if (host !== undefined) args.push('-H', `Host: ${host}`);
  args.push(url);
  const { stdout } = await execFileAsync(binary, args, { timeout: (seconds + 30) * 1000 });
  return parseWrk(stdout);
}

async function measure(
  binary: string,
  name: string,
  url: string,
  options: ServeOptions,
  warmUp: boolean,
): Promise<Load> {
  if (warmUp && options.warmupSeconds > 0) await wrk(binary, url, options, options.warmupSeconds);
  log(`  wrk ${name}: ${options.connections} connections, ${options.seconds} s`);
  const load = await wrk(binary, url, options, options.seconds);
  log(`  ${name}: ${load.rps} requests/s, p99 ${load.p99ms} ms${load.errors ? `, ${load.errors} errors` : ''}`);
  return load;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** Each figure's median over the rounds; requests and errors are totals. */
function medianLoad(loads: readonly Load[]): Load {
  const of = (pick: (load: Load) => number) => loads.map(pick);
  const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);
  return {
    rps: round(median(of((l) => l.rps)), 0),
    p50ms: round(median(of((l) => l.p50ms))),
    p99ms: round(median(of((l) => l.p99ms))),
    requests: sum(of((l) => l.requests)),
    errors: sum(of((l) => l.errors)),
  };
}

/** KiB figures from /proc/PID/status (VmRSS now, VmHWM the peak so far). */
export function procStatusKiB(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** Polls a process's resident memory every 100 ms; stop() gives the peak seen, in KiB. */
export function watchRss(pid: number): { stop(): number } {
  let peak = procStatusKiB(pid, 'VmRSS');
  const timer = setInterval(() => (peak = Math.max(peak, procStatusKiB(pid, 'VmRSS'))), 100);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, procStatusKiB(pid, 'VmRSS'));
    },
  };
}

/**
 * A synthetic site in `dataDir`, published by `gazette build` so the output store is complete.
 * Past --build-max the build is skipped (a million pages take hours): the one page measured is
 * rendered into the output store on its first read, and served from there like any other.
 */
async function prepareSite(dataDir: string, options: ServeOptions) {
  log(`serve: generating ${options.articles} articles`);
  const generated = await makeSyntheticSite(
    dataDir,
    options.articles,
    bodyCharsFor(options.articles, options.bodyChars),
  );
  let buildSeconds: number | null = null;
  if (options.articles <= options.buildMax) {
    log('serve: gazette build');
    const build = await runGazette(['build'], gazetteEnv(dataDir), BUILD_TIMEOUT_MS);
    log(`  ${build.stdout.trim().split('\n').pop() ?? ''}`);
    buildSeconds = round(build.seconds, 1);
  }
  return { generateSeconds: round(generated.seconds, 1), buildSeconds, diskMiB: mib(diskBytes(dataDir)) };
}

async function startGazette(dataDir: string): Promise<Server> {
  await skipTonightsHealthCheck({ databaseUrl: null, sqliteFile: path.join(dataDir, 'gazette.db') });
  const port = await freePort();
  const env = gazetteEnv(dataDir, { PORT: String(port), HOST: '127.0.0.1' });
  const child = await startServer(process.execPath, [GAZETTE_BIN, 'serve'], env, /Gazette is serving/);
  return { child, base: `http://127.0.0.1:${port}` };
}

/** The newest article on the home page: a page readers would flood after an announcement. */
async function pickArticlePath(base: string): Promise<string> {
  const home = await getIdentity(`${base}/`);
  const found = /href="(\/[^"]*\/t\d{8}_\d+\.html)"/.exec(home.body.toString('utf8'))?.[1];
  if (home.status !== 200 || !found) throw new Error(`no article link on Gazette's home page (status ${home.status})`);
  return found;
}

/**
 * The reference nginx (bench/nginx/nginx.conf) serving `bytes` at `urlPath` from a root under
 * `dir`, with `workers` worker processes (the template's one unless told).
 */
export async function startNginx(
  binary: string,
  dir: string,
  urlPath: string,
  bytes: Buffer,
  workers: number | string = 1,
): Promise<Server> {
  const prefix = path.join(dir, 'nginx');
  const root = path.join(prefix, 'root');
  const file = path.join(root, urlPath);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, bytes);
  // nginx's worker runs as nobody when started by root: it must be able to read the page.
  for (let at = file; at.startsWith(dir); at = path.dirname(at))
    fs.chmodSync(at, fs.statSync(at).isDirectory() ? 0o755 : 0o644);
  const port = await freePort();
  const template = fs.readFileSync(path.join(BENCH_DIR, 'nginx', 'nginx.conf'), 'utf8');
  const conf = path.join(prefix, 'nginx.conf');
  fs.writeFileSync(
    conf,
    template
      .replace('worker_processes 1;', `worker_processes ${workers};`)
      .replaceAll('{{PREFIX}}', prefix)
      .replaceAll('{{ROOT}}', root)
      .replaceAll('{{PORT}}', String(port)),
  );
  const child = track(
    spawn(binary, ['-p', prefix, '-c', conf, '-e', path.join(prefix, 'error.log')], {
      stdio: ['ignore', 'ignore', 'inherit'],
    }),
  );
  const base = `http://127.0.0.1:${port}`;
  await waitForOk(`${base}${urlPath}`);
  if (!(await getIdentity(`${base}${urlPath}`)).body.equals(bytes))
    throw new Error('nginx does not send the bytes Gazette sent');
  return { child, base };
}

/** The bare Node reference: the same bytes from memory, with nothing else done per request. */
const BARE_NODE = `
const body = require('node:fs').readFileSync(process.env.BODY_FILE);
const headers = { 'content-type': 'text/html; charset=utf-8', 'content-length': body.length };
require('node:http')
  .createServer((req, res) => { res.writeHead(200, headers); res.end(body); })
  .listen(Number(process.env.PORT), '127.0.0.1', () => console.log('ready'));
`;

async function startBareNode(dir: string, bytes: Buffer): Promise<Server> {
  const bodyFile = path.join(dir, 'bare-node-page.html');
  fs.writeFileSync(bodyFile, bytes);
  const port = await freePort();
  const env = { ...process.env, BODY_FILE: bodyFile, PORT: String(port) };
  const child = await startServer(process.execPath, ['-e', BARE_NODE], env, /ready/);
  return { child, base: `http://127.0.0.1:${port}` };
}

/** Gazette's page for `urlPath` as sent without Accept-Encoding: the bytes the others will send. */
async function identityBytes(gazette: Server, urlPath: string): Promise<Buffer> {
  const page = await getIdentity(`${gazette.base}${urlPath}`);
  if (page.status !== 200 || page.headers['content-encoding'])
    throw new Error(`${urlPath}: status ${page.status}, encoding ${page.headers['content-encoding'] ?? 'identity'}`);
  log(`serve: ${urlPath} (${page.body.length} bytes)`);
  return page.body;
}

interface Servers {
  readonly nginx: Server;
  readonly gazette: Server;
  readonly bare: Server;
}

/**
 * The three servers in turn, `rounds` times, with Gazette's resident memory before the load, at
 * its peak under load (polled), and over the process's life (VmHWM, startup included).
 */
async function measureRounds(wrkBinary: string, servers: Servers, urlPath: string, options: ServeOptions) {
  const pid = servers.gazette.child.pid ?? 0;
  const beforeKiB = procStatusKiB(pid, 'VmRSS');
  let peakKiB = 0;
  const rounds: { nginx: Load; gazette: Load; bareNode: Load; ratio: number }[] = [];
  for (let r = 0; r < options.rounds; r++) {
    log(`serve: round ${r + 1} of ${options.rounds}`);
    const nginx = await measure(wrkBinary, 'nginx', `${servers.nginx.base}${urlPath}`, options, r === 0);
    const rss = watchRss(pid);
    const gazette = await measure(wrkBinary, 'gazette', `${servers.gazette.base}${urlPath}`, options, r === 0);
    peakKiB = Math.max(peakKiB, rss.stop());
    const bareNode = await measure(wrkBinary, 'bare node', `${servers.bare.base}${urlPath}`, options, r === 0);
    rounds.push({ nginx, gazette, bareNode, ratio: round(gazette.rps / Math.max(1, nginx.rps), 3) });
  }
  const memory = {
    rssBeforeLoadMiB: round(beforeKiB / 1024, 1),
    peakRssMiB: round(peakKiB / 1024, 1),
    vmHwmMiB: round(procStatusKiB(pid, 'VmHWM') / 1024, 1),
  };
  return {
    nginx: medianLoad(rounds.map((x) => x.nginx)),
    gazette: { ...medianLoad(rounds.map((x) => x.gazette)), ...memory },
    bareNode: medianLoad(rounds.map((x) => x.bareNode)),
    rounds,
  };
}

export async function benchServe(args: readonly string[]): Promise<object> {
  const options = readOptions(args);
  const revision = revisionTracker();
  const tools = { nginx: requireBinary('nginx', 'nginx'), wrk: requireBinary('wrk', 'wrk') };
  const dir = tempDir('serve');
  const servers: Server[] = [];
  const started = <T extends Server>(server: T): T => (servers.push(server), server);
  try {
    const site = await prepareSite(path.join(dir, 'data'), options);
    const gazette = started(await startGazette(path.join(dir, 'data')));
    const urlPath = await pickArticlePath(gazette.base);
    const bytes = await identityBytes(gazette, urlPath);
    const nginx = started(await startNginx(tools.nginx, dir, urlPath, bytes));
    const bare = started(await startBareNode(dir, bytes));
    const loads = await measureRounds(tools.wrk, { nginx, gazette, bare }, urlPath, options);
    // The median of the rounds' own ratios: the machine's speed drifts over minutes, and each
    // round measures the three servers within half a minute of each other.
    const ratio = round(median(loads.rounds.map((r) => r.ratio)), 3);
    return {
      bench: 'serve',
      machine: { cpus: os.cpus().length, memoryGiB: Math.round(os.totalmem() / 2 ** 30) },
      source: revision(),
      options,
      articles: options.articles,
      site,
      path: urlPath,
      bytes: bytes.length,
      nginx: loads.nginx,
      gazette: loads.gazette,
      bareNode: loads.bareNode,
      ratio,
      bareRatio: round(median(loads.rounds.map((r) => r.bareNode.rps / Math.max(1, r.nginx.rps))), 3),
      target: { ratio: TARGET_RATIO, met: ratio >= TARGET_RATIO },
      rounds: loads.rounds,
    };
  } finally {
    for (const server of servers.reverse()) await stopChild(server.child);
    removeTemp(dir);
  }
}
