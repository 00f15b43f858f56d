import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { TEMP_FOLDER } from '../../src/publish/index.js';
import { openStore } from '../../src/store/index.js';
import { runCli, startServer } from '../helpers/cli.js';
import { api, eventually, signIn, text } from '../helpers/http.js';
import { assertWhole, manifestMismatches, siteWith } from '../helpers/sites.js';

const PASSWORD = 'Disk-Full-Test-2025';

/** Writes into `file` until the disk says it is full (ENOSPC); returns the bytes written. */
function fillDisk(file: string): number {
  const fd = fs.openSync(file, 'w');
  let written = 0;
  try {
    for (const size of [1 << 20, 1 << 12, 1]) {
      const chunk = Buffer.alloc(size, 0x61);
      for (;;) {
        try {
          written += fs.writeSync(fd, chunk);
        } catch (error) {
          assert.equal((error as NodeJS.ErrnoException).code, 'ENOSPC');
          break;
        }
      }
    }
  } finally {
    fs.closeSync(fd);
  }
  return written;
}

// The output store on a small tmpfs mounted by the test (the machine's tests run as root).
test('a disk that fills during a publish: the old pages are served, the run fails saying why, and completes once there is space', async (t) => {
  const site = await siteWith(40, 'gazette-disk-');
  const output = path.join(site.dataDir, 'public');
  let mounted = false;
  t.after(async () => {
    if (mounted) execFileSync('umount', ['-l', output]);
    await site.dispose();
  });
  fs.mkdirSync(output, { recursive: true });
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'gazette-test-output', output]);
  mounted = true;
  const env = { ...site.env };
  assert.equal((await runCli(['build'], env)).code, 0);
  const made = await runCli(['user', 'add', 'chief', '--role', 'admin', '--keep-password'], env, `${PASSWORD}\n`);
  assert.equal(made.code, 0, made.stderr);
  const server = await startServer(env);
  t.after(() => void (server.child.exitCode === null && server.child.kill('SIGKILL')));
  const store = await openStore(site.location);
  t.after(() => store.close());
  const session = await signIn(server.url, 'chief', PASSWORD);
  const before = await text(`${server.url}/bqdt/index_2.html`);
  assert.equal(before.status, 200);

  const filler = path.join(output, 'filler');
  assert.ok(fillDisk(filler) > 0);
  const channels = await api<{ items: { id: number; slug: string }[] }>(server.url, session, 'GET', '/api/v1/channels');
  const column = channels.body.items.find((c) => c.slug === 'bqdt');
  assert.ok(column);
  // The change itself is committed: the store is not on the full disk.
  const renamed = await api(server.url, session, 'PATCH', `/api/v1/channels/${column.id}`, { name: '本区要闻' });
  assert.equal(renamed.status, 200, JSON.stringify(renamed.body));

  await eventually('the run failed and the log says why', async () =>
    Promise.resolve(/"code":"OUTPUT_NO_SPACE"/.test(server.output())),
  );
  assert.match(server.output(), /publish run failed; it is tried again in 5 s/);
  assert.match(server.output(), new RegExp(`The disk of the output store ${output} is full`));
  // The old pages are still served, whole, and no cut-short temporary file is left filling the disk.
  const during = await text(`${server.url}/bqdt/index_2.html`);
  assert.deepEqual([during.status, during.body], [200, before.body]);
  assertWhole(output);
  await eventually('no temporary file is left', () =>
    Promise.resolve(fs.readdirSync(path.join(output, TEMP_FOLDER)).length === 0),
  );
  assert.equal((await store.db.selectFrom('publishTask').select('id').execute()).length, 1, 'the task waits');

  fs.rmSync(filler);
  await eventually(
    'the run completed once there was space',
    async () => (await text(`${server.url}/bqdt/index_2.html`)).body.includes('本区要闻'),
    30_000,
  );
  await eventually(
    'the task is closed',
    async () => (await store.db.selectFrom('publishTask').select('id').execute()).length === 0,
  );
  assertWhole(output);
  assert.deepEqual(await manifestMismatches(store.db, output), []);
});
