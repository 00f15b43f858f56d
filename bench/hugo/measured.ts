import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { exited, log, requireBinary, round, track } from '../support.js';

/**
 * A program run to completion under GNU time, for its wall-clock seconds and its peak resident
 * memory: the kernel's own figure (wait4's ru_maxrss, every thread of the process counted), the
 * same for Gazette's Node process and Hugo's Go one.
 */
export interface MeasuredRun {
  readonly stdout: string;
  readonly seconds: number;
  readonly peakRssMiB: number;
}

/**
 * Runs `command args…` and measures it. The program runs in a process group of its own, so that
 * a run past `timeoutMs` is stopped whole (time, and the program under it). Throws when it fails.
 */
export async function runMeasured(
  command: string,
  args: readonly string[],
  options: { readonly env?: NodeJS.ProcessEnv; readonly timeoutMs: number; readonly label: string },
): Promise<MeasuredRun> {
  const time = requireBinary('time', 'time');
  const report = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-bench-rss-')), 'maxrss');
  try {
    const started = performance.now();
    const child = track(
      spawn(time, ['--format', '%M', '--output', report, command, ...args], {
        env: options.env ?? process.env,
        stdio: ['ignore', 'pipe', 'inherit'],
        detached: true,
      }),
    );
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    const timer = setTimeout(() => {
      log(`  ${options.label} took longer than ${Math.round(options.timeoutMs / 60_000)} min: stopping it`);
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    }, options.timeoutMs);
    const code = await exited(child);
    clearTimeout(timer);
    const seconds = (performance.now() - started) / 1000;
    if (code !== 0) throw new Error(`${options.label} exited with ${code}: ${stdout.trim().slice(-2000)}`);
    // GNU time writes "Command exited…" lines before the figure when the program failed; the last line is %M.
    const kib = Number(fs.readFileSync(report, 'utf8').trim().split('\n').pop());
    if (!Number.isFinite(kib) || kib <= 0) throw new Error(`${options.label}: GNU time reported no peak memory`);
    return { stdout, seconds, peakRssMiB: round(kib / 1024, 0) };
  } finally {
    fs.rmSync(path.dirname(report), { recursive: true, force: true });
  }
}
