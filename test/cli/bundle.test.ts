import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundle, bundleTests, chunksOf } from '../../bin/bundle.js';
import { ROOT } from '../helpers/factories.js';

test('the command runs a bundle named by the state of the sources: made again when one changes, else reused', async () => {
  const source = path.join(ROOT, 'src', 'publish', 'feeds.ts');
  // A whole millisecond, which utimes can set back exactly (an editor leaves nanoseconds).
  const { atime } = fs.statSync(source);
  const mtime = new Date(Math.floor(fs.statSync(source).mtimeMs));
  fs.utimesSync(source, atime, mtime);
  const first = await bundle();
  for (const file of Object.values(first)) assert.ok(fs.existsSync(file), file);
  const made = fs.statSync(first.gazette).mtimeMs;
  assert.deepEqual(await bundle(), first, 'the same sources, the same bundle');
  assert.equal(fs.statSync(first.gazette).mtimeMs, made, 'not made again');
  // The bundle starts its render workers from the bundled worker beside it (the publisher's code
  // is in a chunk the command loads when it publishes), and every chunk it loads is there.
  const chunks = chunksOf(first.gazette);
  assert.ok(chunks.length > 0, 'commands are loaded from chunks of their own');
  assert.ok(chunks.some((chunk) => fs.readFileSync(chunk, 'utf8').includes(JSON.stringify(first['render-worker']))));

  try {
    fs.utimesSync(source, atime, new Date(mtime.getTime() + 60_000));
    const changed = await bundle();
    assert.notEqual(changed.gazette, first.gazette, 'a changed source gives another bundle');
    for (const file of Object.values(changed)) assert.ok(fs.existsSync(file), file);
  } finally {
    fs.utimesSync(source, atime, mtime);
  }
  assert.deepEqual(await bundle(), first, 'back to the first state: its bundle is still there');
});

test("npm test's bundles: each test module keeps its own URL; any other property of the module's meta is refused, by file", async (t) => {
  // Inside the project (its libraries resolve from there), in a folder git and the linters ignore.
  const dir = path.join('dist', `bundle-probe-${process.pid}`);
  fs.mkdirSync(path.join(ROOT, dir), { recursive: true });
  t.after(() => fs.rmSync(path.join(ROOT, dir), { recursive: true, force: true }));
  // Spelt in parts: this file is bundled too, and the bundler reads the words in its text,
  // strings included (it would rewrite the first and refuse the second).
  const [url, dirname] = ['url', 'dirname'].map((name) => ['import', 'meta', name].join('.'));
  const own = `${dir}/own.test.ts`;
  fs.writeFileSync(path.join(ROOT, own), `console.log(${url});\n`);
  const made = await bundleTests([own], path.join(ROOT, dir, 'out'));
  const bundled = made[own] ?? '';
  assert.equal(bundled, path.join(ROOT, dir, 'out', dir, 'own.test.mjs'));
  const run = spawnSync(process.execPath, [bundled], { encoding: 'utf8' });
  assert.equal(run.stdout, `${pathToFileURL(path.join(ROOT, own)).href}\n`, run.stderr);

  const other = `${dir}/other.test.ts`;
  fs.writeFileSync(path.join(ROOT, other), `console.log(${dirname});\n`);
  await assert.rejects(bundleTests([other], path.join(ROOT, dir, 'out2')), {
    message: `Build failed with 1 error:\nerror: ${dirname} would name the bundle, not ${other}: use ${url} (fileURLToPath(new URL('.', ${url})) for the folder)`,
  });
});
