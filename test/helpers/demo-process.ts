import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { runCli, startServer } from './gazette-process.js';

export interface DemoProcess {
  /** The portal's address, e.g. http://localhost:41234. */
  readonly base: string;
  close(): Promise<void>;
}

/** A 通知公告 page in the page-text format, dated day `n` of January 2024 (before every demo notice). */
function olderNotice(n: number): string {
  const day = String(n).padStart(2, '0');
  return [
    '首页 > 通知公告 > 正文',
    `关于做好第${n}批政务服务事项办理工作的通知`,
    `来源: 区政府办公室       发布时间:2024-01-${day} 09:00`,
    '',
    `     各镇人民政府、街道办事处，区各委办局：现将第${n}批政务服务事项办理工作有关事项通知如下。`,
    '',
  ].join('\n');
}

/**
 * `gazette serve` as a reader meets it after `npm start`: the demo platform made by its first
 * start (articles, letters, surveys, consultations, typed items, the other sites), in a fresh
 * SQLite data folder, the clock pinned at `now`. `olderNotices` more 通知公告, older than the
 * demo's, are imported by `gazette import` beside the running server (it picks up the pages the
 * import publishes), so that the column has older list pages; the home page does not show them.
 */
export async function demoProcess(options: { now: string; olderNotices: number }): Promise<DemoProcess> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-demo-process-'));
  const env = { GAZETTE_DATA: dataDir, GAZETTE_NOW: options.now, HOST: '127.0.0.1' };
  const removeData = () => fs.rmSync(dataDir, { recursive: true, force: true });
  const server = await startServer(env).catch((error: unknown) => {
    removeData();
    throw error;
  });
  const close = async () => {
    // A server that stopped by itself (a crash the suite reports) has no exit left to wait for.
    if (server.child.exitCode === null && server.child.signalCode === null) {
      const exited = once(server.child, 'exit');
      server.child.kill('SIGTERM');
      await exited;
    }
    removeData();
  };
  if (options.olderNotices === 0) return { base: server.url, close };
  try {
    const notices = path.join(dataDir, 'older-notices');
    fs.mkdirSync(notices);
    const files = Array.from({ length: options.olderNotices }, (_, i) => {
      const file = path.join(notices, `${String(i + 1).padStart(2, '0')}.txt`);
      fs.writeFileSync(file, olderNotice(i + 1));
      return file;
    });
    const imported = await runCli(['import', '--site', 'www.example.gov.cn', ...files], env);
    if (imported.code !== 0) throw new Error(`gazette import failed:\n${imported.stderr}`);
  } catch (error) {
    await close();
    throw error;
  }
  return { base: server.url, close };
}
