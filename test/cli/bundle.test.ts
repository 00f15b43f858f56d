import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { bundle, chunksOf } from '../../bin/bundle.js';
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
