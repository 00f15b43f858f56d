import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './factories.js';

// `gazette` as a child process. Apart from cli.ts (which re-exports these) because cli.ts picks the
// run's backend: a suite that starts the command on a store of its own choosing stays backend-free.

export const BIN = path.join(ROOT, 'bin', 'gazette.js');

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `gazette ARGS…` to completion with this environment on top of a minimal one. */
export function runCli(args: readonly string[], env: Record<string, string>, input?: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env },
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    if (input !== undefined) child.stdin?.end(input);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * How long `gazette serve` may take to print its address. It starts in about a second; on a
 * machine of two cores running four test files, Chromium and PostgreSQL at once, a first start
 * that creates the demo sites was seen to pass 30 s.
 */
const SERVE_START_MS = 90_000;

/** Starts `gazette serve` and resolves with its address once it prints it. */
export function startServer(
  env: Record<string, string>,
): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'serve'], {
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', PORT: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`gazette serve did not start within ${SERVE_START_MS / 1000} s:\n${output}`));
    }, SERVE_START_MS);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /serving .* at (http:\/\/\S+?)\/?\n/.exec(output);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve({ child, url: m[1], output: () => output });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`gazette serve exited with ${code}:\n${output}`));
    });
  });
}
