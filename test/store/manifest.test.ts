import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { manifest } from '../../src/store/index.js';
import { BACKENDS, type TestStore } from '../helpers/store.js';

for (const backend of BACKENDS) {
  describe(`the page manifest on ${backend.name}`, () => {
    let store: TestStore;
    before(async () => {
      store = await backend.open();
    });
    after(() => store.dispose());

    const row = (path: string, hash: string) => ({
      path,
      hash,
      size: hash.length,
      updatedAt: '2025-12-01T01:00:00.000Z',
    });

    test('a batch of pages is recorded as changes in its order, after every change before it', async () => {
      await manifest.recordPage(store, row('/', 'h0'));
      const start = await manifest.latestChange(store.db);
      await manifest.recordPages(store, [row('/a/', 'h1'), row('/b/', 'h2'), row('/', 'h3')]);
      const changes = await manifest.changesSince(store.db, start, 10);
      assert.deepEqual(
        changes.map((c) => c.path),
        ['/a/', '/b/', '/'],
      );
      const seqs = changes.map((c) => c.seq);
      assert.deepEqual(
        [...seqs].sort((x, y) => x - y),
        seqs,
        'numbers grow in the order given',
      );
      assert.equal(new Set(seqs).size, 3);
      assert.ok((seqs[0] ?? 0) > start);
      // The page written again holds its new hash, under one row.
      assert.equal((await manifest.findPage(store.db, '/'))?.hash, 'h3');
      assert.deepEqual([...(await manifest.knownHashes(store.db, ['/', '/a/', '/nowhere/']))].sort(), [
        ['/', 'h3'],
        ['/a/', 'h1'],
      ]);
      await manifest.recordPages(store, []);
      assert.equal(await manifest.latestChange(store.db), seqs[2]);
    });

    test('a removed page is not known, though its change is there for followers', async () => {
      await manifest.forgetPage(store, '/b/', new Date('2025-12-01T02:00:00Z'));
      assert.deepEqual([...(await manifest.knownHashes(store.db, ['/b/']))], []);
      assert.equal(await manifest.findPage(store.db, '/b/'), undefined);
    });
  });
}
