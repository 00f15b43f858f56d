// `npm test`'s two passes, the SQLite one and the PostgreSQL one, side by side: they share nothing
// (each test file makes its own store, temp folders and loopback ports; PostgreSQL databases are
// named by process id and a random suffix), and each pass spends most of its time waiting on one
// process at a time, so on a machine of two cores the two together take little longer than one.
// Within a pass the files still run one at a time (--test-concurrency=1), in the same order as
// `npm run test:sqlite` and `npm run test:postgres`. The one suite that restarts the machine's
// PostgreSQL runs alone once both passes are over: the SQLite pass uses PostgreSQL too (the
// store copy between backends), and a restart would break its connections.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './helpers/factories.js';

/** Restarts the machine's PostgreSQL: after both passes, on PostgreSQL (it does nothing on SQLite). */
const ALONE_ON_POSTGRES = ['test/faults/postgres-restart.test.ts'];
/**
 * Sets a source file's time to make the command's bundle again: the other pass, starting the same
 * files at the same moment, would see the source change under it. Backend-independent: run once,
 * after both passes.
 */
const ALONE_ONCE = ['test/cli/bundle.test.ts'];

/** Every test file under test/, in bytewise order of their paths. */
function testFiles(dir = 'test'): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const name = `${dir}/${entry.name}`;
    if (entry.isDirectory()) found.push(...testFiles(name));
    else if (entry.name.endsWith('.test.ts')) found.push(name);
  }
  return found.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

const running = new Set<ReturnType<typeof spawn>>();

/** One pass over these files, its output as whole lines each starting with the pass's name. */
function pass(backend: 'sqlite' | 'postgres', files: readonly string[], label: string): Promise<number> {
  // Without files, `node --test` would look for tests everywhere.
  if (files.length === 0) return Promise.resolve(0);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--test',
        '--test-concurrency=1',
        '--test-timeout=600000',
        '--test-force-exit',
        // The spec reporter whatever the output is: the passes' lines are interleaved, each marked.
        '--test-reporter=spec',
        ...files,
      ],
      { cwd: ROOT, env: { ...process.env, GAZETTE_TEST_BACKEND: backend }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    running.add(child);
    for (const stream of [child.stdout, child.stderr]) {
      let partial = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        const lines = (partial + chunk).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) process.stdout.write(`[${label}] ${line}\n`);
      });
      stream.on('end', () => partial !== '' && process.stdout.write(`[${label}] ${partial}\n`));
    }
    child.on('error', reject);
    child.on('close', (code, signal) => {
      running.delete(child);
      const minutes = ((Date.now() - started) / 60_000).toFixed(1);
      process.stdout.write(`[${label}] pass ended: ${signal ?? `exit ${code}`} after ${minutes} min\n`);
      resolve(code ?? 1);
    });
  });
}

for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    for (const child of running) child.kill(signal);
    process.exit(1);
  });

const files = testFiles();
const apart = new Set([...ALONE_ON_POSTGRES, ...ALONE_ONCE]);
const codes = await Promise.all([
  pass(
    'sqlite',
    files.filter((file) => !ALONE_ONCE.includes(file)),
    'sqlite',
  ),
  pass(
    'postgres',
    files.filter((file) => !apart.has(file)),
    'postgres',
  ),
]);
codes.push(
  await pass(
    'postgres',
    files.filter((file) => ALONE_ON_POSTGRES.includes(file)),
    'postgres, alone',
  ),
  await pass(
    'sqlite',
    files.filter((file) => ALONE_ONCE.includes(file)),
    'once, alone',
  ),
);
process.exitCode = codes.every((code) => code === 0) ? 0 : 1;
