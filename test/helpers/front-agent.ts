import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { servedFiles } from '../../src/front/layout.js';
import {
  encodePush,
  FRONT_PROTOCOL_VERSION,
  signRequest,
  type FrontSite,
  type PushHeader,
} from '../../src/front/protocol.js';
import { ROOT } from './factories.js';

/** A token as `openssl rand -hex 32` makes one. */
export const FRONT_TOKEN = 'f0'.repeat(32);
export const SITES: readonly FrontSite[] = [
  { id: 1, hosts: ['www.example.gov.cn', 'example.gov.cn'], timeZone: 'Asia/Shanghai' },
  { id: 2, hosts: ['jyj.example.gov.cn'], timeZone: 'Asia/Shanghai' },
];

/**
 * A front's folder and its token file, removed after the test; with `tmpfsSize` (as root) the
 * folder is a tmpfs of that size, to fill.
 */
export function frontFolder(t: TestContext, tmpfsSize?: string): { root: string; tokenFile: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-front-'));
  const tokenFile = path.join(dir, 'token');
  fs.writeFileSync(tokenFile, `${FRONT_TOKEN}\n`);
  const root = path.join(dir, 'front');
  fs.mkdirSync(root);
  if (tmpfsSize !== undefined)
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${tmpfsSize}`, 'gazette-test-front', root]);
  t.after(() => {
    if (tmpfsSize !== undefined) execFileSync('umount', ['-l', root]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return { root, tokenFile };
}

export const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** A page as the CMS would push it: its key and bytes, or null for a removal; `views` for an article. */
export interface TestPage {
  readonly key: string;
  readonly body: Buffer | null;
  readonly views?: number;
}

/** A push of these pages after `fromSeq`, one manifest sequence each. */
export function pushOf(
  fromSeq: number,
  pages: readonly TestPage[],
  sites?: readonly FrontSite[],
): { header: PushHeader; bodies: Buffer[] } {
  const header: PushHeader = {
    version: FRONT_PROTOCOL_VERSION,
    fromSeq,
    toSeq: fromSeq + pages.length,
    ...(sites ? { sites } : {}),
    pages: pages.map((page, i) => ({
      key: page.key,
      hash: page.body ? sha256(page.body) : '',
      size: page.body?.length ?? 0,
      seq: fromSeq + i + 1,
      ...(page.views === undefined ? {} : { views: page.views }),
    })),
  };
  return { header, bodies: pages.map((page) => page.body ?? Buffer.alloc(0)) };
}

export interface Answer<T> {
  readonly status: number;
  readonly body: T;
}

/** A signed request to an agent (with another token or time to test refusals). */
export async function frontCall<T = Record<string, unknown>>(
  base: string,
  method: string,
  pathWithQuery: string,
  body: Buffer = Buffer.alloc(0),
  { token = FRONT_TOKEN, now = new Date() }: { token?: string; now?: Date } = {},
): Promise<Answer<T>> {
  const response = await fetch(`${base}${pathWithQuery}`, {
    method,
    headers: signRequest(token, method, pathWithQuery, body, now),
    ...(method === 'GET' ? {} : { body: Uint8Array.from(body) }),
  });
  return { status: response.status, body: (await response.json()) as T };
}

export function pushTo(
  base: string,
  push: { header: PushHeader; bodies: Buffer[] },
  options?: { token?: string; now?: Date },
): Promise<Answer<Record<string, unknown>>> {
  return frontCall(base, 'POST', '/_front/push', encodePush(push.header, push.bodies), options);
}

/** Every file under a folder (relative name → bytes), and nothing else: a symlink or empty folder shows too. */
export function treeOf(dir: string): Map<string, Buffer> {
  const tree = new Map<string, Buffer>();
  const walk = (folder: string, prefix: string) => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      const name = `${prefix}${entry.name}`;
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) {
        const before = tree.size;
        walk(full, `${name}/`);
        if (tree.size === before) tree.set(`${name}/`, Buffer.alloc(0));
      } else if (entry.isFile()) tree.set(name, fs.readFileSync(full));
      else tree.set(`${name} (${entry.isSymbolicLink() ? 'symlink' : 'special'})`, Buffer.alloc(0));
    }
  };
  if (fs.existsSync(dir)) walk(dir, '');
  return new Map([...tree.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** The served tree the pages should give, by the layout's own rule. */
export function expectedTree(pages: ReadonlyMap<string, Buffer>): Map<string, Buffer> {
  const tree = new Map<string, Buffer>();
  for (const [key, body] of pages) for (const { file, bytes } of servedFiles(key, body)) tree.set(file, bytes);
  return new Map([...tree.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** The pages after applying a list of changes (a null body removes). */
export function applied(pages: ReadonlyMap<string, Buffer>, changes: readonly TestPage[]): Map<string, Buffer> {
  const next = new Map(pages);
  for (const change of changes) {
    if (change.body) next.set(change.key, change.body);
    else next.delete(change.key);
  }
  return next;
}

/** A page with the serve-time markers, as the CMS renders one. */
export function htmlPage(title: string, filler = ''): Buffer {
  return Buffer.from(
    `<!doctype html><html><head><title>${title}</title></head><body><p><!--gz:today--></p><h1>${title}</h1>` +
      `<p>浏览次数：<!--gz:views--></p>${filler}</body></html>\n`,
  );
}

/** `gazette front …` as a process of its own (through tsx: the tests' sources, as they are). */
export interface AgentProcess {
  readonly child: ChildProcess;
  readonly url: string;
  output(): string;
  exited(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startAgentProcess(args: readonly string[], env: Record<string, string> = {}): Promise<AgentProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(ROOT, 'src', 'cli', 'main.ts'), 'front', ...args],
      {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
      child.once('exit', (code, signal) => done({ code, signal })),
    );
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the agent did not start within 30 s:\n${output}`));
    }, 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /is listening at (https?:\/\/\S+?)\/?\n/.exec(output);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve({ child, url: m[1], output: () => output, exited: () => exit });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exit.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`the agent exited (${code ?? signal}):\n${output}`));
    });
  });
}
