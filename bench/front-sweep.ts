// The sweep part of `npm run bench front`: `make ROOT N BYTES` lays out a front of N served files
// (a thousand per folder, every one recorded as the agent records a pushed page), for an agent
// started on it to sweep.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { FrontState } from '../src/front/agent/state.js';
import { dateBarText } from '../src/domain/index.js';
import { frontLayout, objectFile, todayFile } from '../src/front/layout.js';

const [mode, root = '', countText = '0', bytesText = '2048'] = process.argv.slice(2);
const layout = frontLayout(root);
const PER_FOLDER = 1000;

function make(count: number, bytes: number): void {
  fs.rmSync(root, { recursive: true, force: true });
  const state = new FrontState(layout);
  const started = performance.now();
  // One page's bytes for every file: the sweep reads and hashes each file all the same.
  const filler = '政务公开 '.repeat(Math.ceil(bytes / 13)).slice(0, Math.max(0, bytes - 60));
  const page = Buffer.from(`<!DOCTYPE html><html><body><p>${filler}</p></body></html>\n`);
  const hash = createHash('sha256').update(page).digest('hex');
  fs.mkdirSync(path.dirname(objectFile(layout, hash)), { recursive: true });
  fs.writeFileSync(objectFile(layout, hash), page);
  state.setMeta('sites', JSON.stringify([{ id: 1, hosts: ['bench.example.gov.cn'], timeZone: 'Asia/Shanghai' }]));
  const insertPage = state.db.prepare('insert into page (key, hash, size, seq) values (?, ?, ?, ?)');
  const insertServed = state.db.prepare('insert into served (file, key, hash, size) values (?, ?, ?, ?)');
  for (let start = 0; start < count; start += PER_FOLDER) {
    const folder = `d${String(start / PER_FOLDER).padStart(4, '0')}`;
    fs.mkdirSync(path.join(layout.www, '1', folder), { recursive: true });
    state.db.transaction(() => {
      for (let i = start; i < Math.min(count, start + PER_FOLDER); i++) {
        const key = `/${folder}/t${i}.html`;
        insertPage.run(key, hash, page.length, i + 1);
        insertServed.run(`1${key}`, key, hash, page.length);
        fs.writeFileSync(path.join(layout.www, '1', folder, `t${i}.html`), page);
      }
    })();
  }
  state.setMeta('seq', String(count));
  // Today's date bar already in place: an agent started on this front sweeps, it touches nothing.
  fs.mkdirSync(path.dirname(todayFile(layout, 1)), { recursive: true });
  fs.writeFileSync(todayFile(layout, 1), dateBarText(new Date(), 'Asia/Shanghai'));
  state.close();
  console.log(JSON.stringify({ files: count, seconds: Math.round((performance.now() - started) / 100) / 10 }));
}

if (mode === 'make') make(Number(countText), Number(bytesText));
else {
  console.error('usage: front-sweep.ts make ROOT N BYTES');
  process.exit(2);
}
