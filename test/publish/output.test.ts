import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { OutputStore, TEMP_FOLDER, keepsForms } from '../../src/publish/index.js';

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});
function outputDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-output-store-'));
  dirs.push(dir);
  return dir;
}
const host = os.hostname().replace(/[^A-Za-z0-9.]/g, '_');

test('a page is written beside its compressed forms, and no temporary file stays', async () => {
  const dir = outputDir();
  const store = new OutputStore(dir);
  const body = Buffer.from('<!doctype html><p>本区动态</p>\n');
  await store.write('/bqdt/', body);
  store.writeSync('/bqdt/2.html', body);
  assert.deepEqual((fs.readdirSync(dir, { recursive: true }) as string[]).sort(), [
    TEMP_FOLDER,
    'bqdt',
    'bqdt/2.html',
    'bqdt/2.html.br',
    'bqdt/2.html.gz',
    'bqdt/index.html',
    'bqdt/index.html.br',
    'bqdt/index.html.gz',
  ]);
  assert.equal(zlib.gunzipSync(fs.readFileSync(path.join(dir, 'bqdt/index.html.gz'))).toString(), body.toString());
  assert.equal(
    zlib.brotliDecompressSync(fs.readFileSync(path.join(dir, 'bqdt/2.html.br'))).toString(),
    body.toString(),
  );
  await assert.rejects(store.read(`/${TEMP_FOLDER}/x`), /outside the output store's pages: \/\.tmp\/x/);
});

test('a page with serve-time includes is stored alone, and takes away the forms an earlier page left beside it', async () => {
  const dir = outputDir();
  const store = new OutputStore(dir);
  const plain = Buffer.from('<!doctype html><p>本区动态</p>\n');
  const filled = Buffer.from('<!doctype html><p class="today"><!--gz:today--></p>\n');
  const listing = () => fs.readdirSync(path.join(dir, 'bqdt')).sort();
  // Sent as stored: beside its forms; then the same address with a date bar, on either path.
  await store.write('/bqdt/', plain);
  store.writeSync('/bqdt/2.html', plain);
  assert.deepEqual(listing(), ['2.html', '2.html.br', '2.html.gz', 'index.html', 'index.html.br', 'index.html.gz']);
  await store.write('/bqdt/', filled);
  store.writeSync('/bqdt/2.html', filled);
  store.writeSync('/bqdt/3.html', filled);
  assert.deepEqual(listing(), ['2.html', '3.html', 'index.html']);
  assert.deepEqual(fs.readFileSync(path.join(dir, 'bqdt/index.html')), filled);
  assert.deepEqual(await store.read('/bqdt/2.html'), filled);
  assert.equal(await store.read('/bqdt/2.html', 'gzip'), null);
  assert.equal(await store.read('/bqdt/', 'br'), null);
  assert.deepEqual(fs.readdirSync(path.join(dir, TEMP_FOLDER)), []);
  assert.equal(keepsForms(plain), true);
  assert.equal(keepsForms(filled), false);
});

test("removeLeftovers takes a dead writer's temporary files and an hour-old one, and keeps the living writers'", async () => {
  const dir = outputDir();
  const store = new OutputStore(dir);
  await store.write('/', Buffer.from('<p>首页</p>\n'));
  const temps = path.join(dir, TEMP_FOLDER);
  // A process of this machine that has ended.
  const ended = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
  const files = {
    dead: `${host}-${ended}-0-7`,
    living: `${host}-${process.pid}-1-3`,
    otherMachine: 'portal-2-4242-0-9',
    otherMachineOld: 'portal-2-4243-0-1',
  };
  for (const name of Object.values(files)) fs.writeFileSync(path.join(temps, name), 'half a page');
  const hourAgo = new Date(Date.now() - 3_601_000);
  fs.utimesSync(path.join(temps, files.otherMachineOld), hourAgo, hourAgo);

  assert.equal(await store.removeLeftovers(), 2);
  assert.deepEqual(fs.readdirSync(temps).sort(), [files.living, files.otherMachine].sort());
  assert.equal(fs.readFileSync(path.join(dir, 'index.html'), 'utf8'), '<p>首页</p>\n');
  assert.equal(await new OutputStore(outputDir()).removeLeftovers(), 0, 'a store never written has none');
});
