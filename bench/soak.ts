import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { openStore, type Store } from '../src/store/index.js';
import { procStatusKiB } from './serve.js';
import {
  GAZETTE_BIN,
  freePort,
  gazetteEnv,
  log,
  mib,
  optionReader,
  percentile,
  removeTemp,
  requireBinary,
  revisionTracker,
  round,
  runGazette,
  skipTonightsHealthCheck,
  startServer,
  stopChild,
  tempDir,
} from './support.js';

/**
 * `npm run bench soak [-- --minutes 10 --articles 3000 --postgres URL]`: a long run of everything
 * at once on two instances over one PostgreSQL store — readers under wrk on a mix of pages,
 * editors writing, reviewing, publishing, scheduling, editing and withdrawing through the API,
 * searches, and the scheduler's jobs — printing requests, errors, p99s and RSS per minute.
 * Afterwards every acknowledged change is looked for in the store and on the pages.
 * Targets: RSS flat (no growth over the last half beyond 10%), zero 5xx, nothing lost.
 */

const execFileAsync = promisify(execFile);
const PASSWORD = 'Soak-Bench-2025!';
const DATABASE = 'gazette_bench_soak';
/** Pause between one reader connection's pages (ms): 4 connections per instance make ~1,000 pages/s each. */
const READER_PAUSE_MS = 4;

interface Session {
  readonly cookie: string;
  readonly csrf: string;
}

interface Call {
  readonly status: number;
  readonly ms: number;
  readonly body: Record<string, unknown>;
}

/** What an editor was told was done, and so must be so at the end. */
interface Acknowledged {
  readonly id: number;
  title: string;
  status: 'published' | 'withdrawn';
  url: string;
  /** A scheduled publication: published at this time (ms), not at once. */
  dueAt: number | null;
}

/** One minute's figures, summed over both instances. */
interface Minute {
  minute: number;
  reads: number;
  readsPerSecond: number;
  readP99ms: number;
  read5xx: number;
  saves: number;
  saveP99ms: number;
  save5xx: number;
  searches: number;
  searchP99ms: number;
  search5xx: number;
  rssMiB: number[];
  pendingTasks: number;
}

async function signIn(base: string, username: string): Promise<Session> {
  const response = await fetch(`${base}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  if (response.status !== 200) throw new Error(`sign-in of ${username} failed: ${response.status}`);
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return { cookie, csrf: ((await response.json()) as { csrfToken: string }).csrfToken };
}

async function call(base: string, session: Session, method: string, route: string, body?: unknown): Promise<Call> {
  const started = performance.now();
  const response = await fetch(`${base}${route}`, {
    method,
    headers: {
      cookie: session.cookie,
      'x-csrf-token': session.csrf,
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    ms: performance.now() - started,
    body: (text ? JSON.parse(text) : {}) as Record<string, unknown>,
  };
}

/** A seeded generator, so two runs make the same mix of work. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Saves and searches of the current minute, per instance. */
class Tally {
  saves: number[] = [];
  save5xx = 0;
  searches: number[] = [];
  search5xx = 0;
  /** Answers that were neither what was asked nor a 5xx (a 409, a 429): printed, they should not happen. */
  readonly odd: string[] = [];
  take(): { saves: number[]; save5xx: number; searches: number[]; search5xx: number } {
    const taken = { saves: this.saves, save5xx: this.save5xx, searches: this.searches, search5xx: this.search5xx };
    this.saves = [];
    this.save5xx = 0;
    this.searches = [];
    this.search5xx = 0;
    return taken;
  }
}

/**
 * An editor and a publisher on one instance: each round writes an article and takes it through
 * review, then publishes it now (most rounds) or on a schedule, edits a published one, or
 * withdraws one. Paced to stay under the back office's write limit per session (120 a minute).
 */
async function editorialLoop(
  base: string,
  editor: Session,
  publisher: Session,
  channelIds: readonly number[],
  ledger: Acknowledged[],
  tally: Tally,
  name: string,
  going: () => boolean,
): Promise<void> {
  const next = random(name.charCodeAt(0));
  const record = (answer: Call, expected: number): boolean => {
    tally.saves.push(answer.ms);
    if (answer.status >= 500) tally.save5xx++;
    else if (answer.status !== expected) tally.odd.push(`${name}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.status === expected;
  };
  for (let round = 0; going(); round++) {
    const started = performance.now();
    await editorialRound(round);
    // About one round a second and a half per instance, whatever the round did.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 1500 - (performance.now() - started))));
  }

  async function editorialRound(round: number): Promise<void> {
    const roll = next();
    const mine = ledger.filter((a) => a.status === 'published' && a.dueAt === null && a.title.startsWith(name));
    const target = mine[Math.floor(next() * mine.length)];
    if (roll < 0.1 && target) {
      const current = await call(base, publisher, 'GET', `/api/v1/articles/${target.id}`);
      const title = `${name}修改稿${round}`;
      const edited = await call(base, publisher, 'PATCH', `/api/v1/articles/${target.id}`, {
        version: current.body.version,
        title,
      });
      if (record(edited, 200)) target.title = title;
    } else if (roll < 0.18 && target) {
      const withdrawn = await call(base, publisher, 'POST', `/api/v1/articles/${target.id}/withdraw`, {
        reason: '浸泡测试撤稿',
      });
      if (record(withdrawn, 200)) target.status = 'withdrawn';
    } else {
      const title = `${name}浸泡稿${round}`;
      const channelId = channelIds[round % channelIds.length] ?? 0;
      const made = await call(base, editor, 'POST', '/api/v1/articles', {
        channelId,
        title,
        bodyHtml: `<p>${title}：浸泡测试的正文，第${round}轮。</p>`,
      });
      if (!record(made, 201)) return;
      const id = Number(made.body.id);
      let view = await call(base, editor, 'POST', `/api/v1/articles/${id}/submit`, {});
      record(view, 200);
      while (view.status === 200 && view.body.status === 'submitted') {
        view = await call(base, publisher, 'POST', `/api/v1/articles/${id}/approve`, {});
        record(view, 200);
      }
      if (view.status !== 200) return;
      const scheduled = roll > 0.9;
      const dueAt = scheduled ? Date.now() + 30_000 : null;
      const published = await call(
        base,
        publisher,
        'POST',
        `/api/v1/articles/${id}/publish`,
        dueAt === null ? {} : { at: new Date(dueAt).toISOString() },
      );
      if (record(published, 200))
        ledger.push({
          id,
          title,
          status: 'published',
          url: typeof published.body.url === 'string' ? published.body.url : '',
          dueAt,
        });
    }
  }
}

async function searchLoop(base: string, words: readonly string[], tally: Tally, going: () => boolean): Promise<void> {
  for (let i = 0; going(); i++) {
    const started = performance.now();
    const response = await fetch(`${base}/search?q=${encodeURIComponent(words[i % words.length] ?? '会议')}`);
    await response.arrayBuffer();
    tally.searches.push(performance.now() - started);
    if (response.status >= 500) tally.search5xx++;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** wrk's Lua script: random pages from the list; 5xx answers counted and printed at the end. */
function wrkScript(dir: string, paths: readonly string[]): string {
  const file = path.join(dir, 'soak.lua');
  fs.writeFileSync(
    file,
    [
      `local paths = { ${paths.map((p) => JSON.stringify(p)).join(',\n')} }`,
      'local threads = {}',
      'function setup(thread) table.insert(threads, thread) end',
      'function init() fivexx = 0; math.randomseed(os.time() + math.random(1000)) end',
      'function request() return wrk.format("GET", paths[math.random(#paths)]) end',
      'function response(status) if status >= 500 then fivexx = fivexx + 1 end end',
      // Readers, not a flood: each connection waits a few ms between pages, so the editors and
      // searches beside them get the processor too (this is a soak, not a throughput bench).
      `function delay() return ${READER_PAUSE_MS} end`,
      'function done()',
      '  local total = 0',
      '  for _, t in ipairs(threads) do total = total + t:get("fivexx") end',
      '  io.write(string.format("5xx: %d\\n", total))',
      'end',
      '',
    ].join('\n'),
  );
  return file;
}

interface WrkMinute {
  requests: number;
  p99ms: number;
  fivexx: number;
}

async function wrkMinute(binary: string, base: string, script: string, seconds: number): Promise<WrkMinute> {
  if (!base.startsWith('http://127.0.0.1:')) throw new Error(`load tests stay on 127.0.0.1, not ${base}`);
  const { stdout } = await execFileAsync(
    binary,
    ['-t1', '-c4', `-d${seconds}s`, '--latency', '-s', script, `${base}/`],
    { timeout: (seconds + 30) * 1000 },
  );
  const p99 = /^\s*99%\s+([\d.]+)(us|ms|s)$/m.exec(stdout);
  const scale = p99?.[2] === 'us' ? 0.001 : p99?.[2] === 's' ? 1000 : 1;
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(stdout);
  return {
    requests: Number(/(\d+) requests in/.exec(stdout)?.[1] ?? 0),
    p99ms: round(Number(p99?.[1] ?? NaN) * scale),
    // A request that timed out or was cut is counted with the 5xx: a reader got no page.
    fivexx:
      Number(/^5xx: (\d+)$/m.exec(stdout)?.[1] ?? 0) +
      (socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0),
  };
}

async function adminQuery(server: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** The pages readers ask for: the home page, column pages and article pages, from the manifest. */
async function readerPaths(store: Store): Promise<string[]> {
  const rows = await store.db
    .selectFrom('pageManifest')
    .select('path')
    .where('hash', '!=', '')
    .where('path', 'like', '%.html')
    .orderBy('path')
    .execute();
  const pages = rows.map((r) => r.path);
  const articles = pages.filter((p) => /\/t\d{8}_\d+\.html$/.test(p));
  const lists = pages.filter((p) => /\/index(_\d+)?\.html$/.test(p));
  const step = Math.max(1, Math.floor(articles.length / 300));
  return ['/', '/', '/', ...lists.slice(0, 60), ...articles.filter((_, i) => i % step === 0)];
}

/** Every acknowledged change, in the store and on the pages; the ones that are not, described. */
async function findLost(
  store: Store,
  base: string,
  session: Session,
  ledger: readonly Acknowledged[],
): Promise<string[]> {
  const lost: string[] = [];
  for (const entry of ledger) {
    const row = await store.db
      .selectFrom('article')
      .select(['title', 'status'])
      .where('id', '=', entry.id)
      .executeTakeFirst();
    if (!row || row.title !== entry.title || row.status !== entry.status) {
      lost.push(`article ${entry.id}: stored ${JSON.stringify(row)}, acknowledged ${entry.status} "${entry.title}"`);
      continue;
    }
    // A scheduled publication had no address when it was asked for: it has one now.
    const url = entry.url || String((await call(base, session, 'GET', `/api/v1/articles/${entry.id}`)).body.url);
    const page = await fetch(`${base}${url}`);
    const text = await page.text();
    if (entry.status === 'published' ? page.status !== 200 || !text.includes(entry.title) : page.status < 400)
      lost.push(`article ${entry.id}: page ${url} answers ${page.status} for ${entry.status} "${entry.title}"`);
  }
  return lost;
}

export async function benchSoak(args: readonly string[]): Promise<object> {
  const option = optionReader(args);
  const minutes = option.number('minutes', 10);
  const articles = option.number('articles', 3000);
  const server = option.raw('postgres') ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  if (minutes < 2) throw new Error('--minutes must be at least 2 (the last half is compared with the first)');
  const wrkBinary = requireBinary('wrk', 'wrk');
  const revision = revisionTracker();
  const databaseUrl = new URL(server);
  databaseUrl.pathname = `/${DATABASE}`;
  await adminQuery(server, `drop database if exists ${DATABASE}`);
  await adminQuery(server, `create database ${DATABASE}`);
  const dataDir = tempDir('soak');
  // gazetteEnv leaves DATABASE_URL out (a bench chooses its store): this one is on PostgreSQL.
  const env = { ...gazetteEnv(dataDir), DATABASE_URL: databaseUrl.toString() };
  const children: Awaited<ReturnType<typeof startServer>>[] = [];
  let store: Store | null = null;
  try {
    log(`soak: ${articles} articles on PostgreSQL, built, two accounts`);
    await runGazette(['demo', '--articles', String(articles), '--search'], env, 600_000);
    await runGazette(['build'], env, 600_000);
    for (const [name, role] of [
      ['soak-editor', 'editor'],
      ['soak-publisher', 'publisher'],
    ] as const) {
      const made = spawnSync(process.execPath, [GAZETTE_BIN, 'user', 'add', name, '--role', role, '--keep-password'], {
        env,
        input: `${PASSWORD}\n`,
        encoding: 'utf8',
      });
      if (made.status !== 0) throw new Error(`user add ${name} failed: ${made.stderr}`);
    }
    await skipTonightsHealthCheck({ databaseUrl: databaseUrl.toString(), sqliteFile: '' });
    store = await openStore({ databaseUrl: databaseUrl.toString(), sqliteFile: '' });
    const bases: string[] = [];
    for (let i = 0; i < 2; i++) {
      const port = await freePort();
      const child = await startServer(
        process.execPath,
        [GAZETTE_BIN, 'serve'],
        { ...env, PORT: String(port), HOST: '127.0.0.1' },
        /Gazette is serving/,
        120_000,
      );
      children.push(child);
      bases.push(`http://127.0.0.1:${port}`);
    }
    const pids = children.map((c) => c.pid ?? 0);
    const channelRows = await store.db.selectFrom('channel').select('id').where('type', '=', 'list').execute();
    const channelIds = channelRows.map((c) => c.id);
    const script = wrkScript(dataDir, await readerPaths(store));
    const words = ['会议', '通知', '经济', '教育', '乡村振兴', '疫情防控', '营商环境', '医疗', '交通', '养老'];

    const ledger: Acknowledged[] = [];
    const tallies = bases.map(() => new Tally());
    let going = true;
    const loops: Promise<void>[] = [];
    for (const [i, base] of bases.entries()) {
      const tally = tallies[i] ?? new Tally();
      const [editor, publisher] = [await signIn(base, 'soak-editor'), await signIn(base, 'soak-publisher')];
      const name = i === 0 ? '甲' : '乙';
      loops.push(editorialLoop(base, editor, publisher, channelIds, ledger, tally, name, () => going));
      loops.push(searchLoop(base, words, tally, () => going));
    }

    const perMinute: Minute[] = [];
    log(`soak: ${minutes} minutes of readers (wrk), editors, searches and the scheduler on two instances`);
    for (let minute = 1; minute <= minutes; minute++) {
      const reads = await Promise.all(bases.map((base) => wrkMinute(wrkBinary, base, script, 60)));
      const taken = tallies.map((t) => t.take());
      const saves = taken.flatMap((t) => t.saves).sort((a, b) => a - b);
      const searches = taken.flatMap((t) => t.searches).sort((a, b) => a - b);
      const pending = await store.db.selectFrom('publishTask').select('id').execute();
      const row: Minute = {
        minute,
        reads: reads.reduce((sum, r) => sum + r.requests, 0),
        readsPerSecond: round(reads.reduce((sum, r) => sum + r.requests, 0) / 60, 0),
        readP99ms: Math.max(...reads.map((r) => r.p99ms)),
        read5xx: reads.reduce((sum, r) => sum + r.fivexx, 0),
        saves: saves.length,
        saveP99ms: round(percentile(saves, 99)),
        save5xx: taken.reduce((sum, t) => sum + t.save5xx, 0),
        searches: searches.length,
        searchP99ms: round(percentile(searches, 99)),
        search5xx: taken.reduce((sum, t) => sum + t.search5xx, 0),
        rssMiB: pids.map((pid) => mib(procStatusKiB(pid, 'VmRSS') * 1024)),
        pendingTasks: pending.length,
      };
      perMinute.push(row);
      log(
        `  minute ${minute}: reads ${row.reads} (${row.readsPerSecond}/s, p99 ${row.readP99ms} ms, 5xx ${row.read5xx}) · ` +
          `API calls ${row.saves} (p99 ${row.saveP99ms} ms, 5xx ${row.save5xx}) · ` +
          `searches ${row.searches} (p99 ${row.searchP99ms} ms, 5xx ${row.search5xx}) · ` +
          `RSS ${row.rssMiB.join(' / ')} MiB · publish tasks ${row.pendingTasks}`,
      );
    }
    going = false;
    await Promise.all(loops);

    // The scheduled publications fall due, and every publish task is finished, before the check.
    const lastDue = Math.max(0, ...ledger.map((a) => a.dueAt ?? 0));
    const until = Math.max(Date.now(), lastDue) + 60_000;
    const settled = async () =>
      (await store?.db.selectFrom('publishTask').select('id').execute())?.length === 0 &&
      (await store?.db.selectFrom('job').select('id').where('status', '=', 'pending').execute())?.length === 0;
    while (Date.now() < Math.max(lastDue + 6_000, 0) || !(await settled())) {
      if (Date.now() > until) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const checker = bases[1] ?? '';
    const lost = await findLost(store, checker, await signIn(checker, 'soak-publisher'), ledger);
    const odd = tallies.flatMap((t) => t.odd);

    const half = perMinute.slice(Math.floor(minutes / 2));
    const rssGrowth = pids.map((_, i) => {
      const first = half[0]?.rssMiB[i] ?? 0;
      const last = half.at(-1)?.rssMiB[i] ?? 0;
      return round(first === 0 ? 0 : ((last - first) / first) * 100, 1);
    });
    const fivexx = perMinute.reduce((sum, m) => sum + m.read5xx + m.save5xx + m.search5xx, 0);
    return {
      bench: 'soak',
      revision: revision(),
      minutes,
      articles,
      instances: 2,
      perMinute,
      totals: {
        reads: perMinute.reduce((sum, m) => sum + m.reads, 0),
        apiCalls: perMinute.reduce((sum, m) => sum + m.saves, 0),
        searches: perMinute.reduce((sum, m) => sum + m.searches, 0),
        acknowledgedChanges: ledger.length,
        scheduled: ledger.filter((a) => a.dueAt !== null).length,
        withdrawn: ledger.filter((a) => a.status === 'withdrawn').length,
        fivexx,
        oddAnswers: odd.slice(0, 20),
      },
      rssGrowthOverLastHalfPct: rssGrowth,
      lost,
      verdict: {
        rssFlat: rssGrowth.every((g) => g <= 10),
        zero5xx: fivexx === 0,
        nothingLost: lost.length === 0,
      },
    };
  } finally {
    for (const child of children) await stopChild(child);
    await store?.close();
    removeTemp(dataDir);
    await adminQuery(server, `drop database if exists ${DATABASE}`).catch(() => undefined);
  }
}
