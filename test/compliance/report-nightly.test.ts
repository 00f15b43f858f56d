import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { loadTheme } from '../../src/theme/index.js';
import { OutputStore, Publisher } from '../../src/publish/index.js';
import { importPage, type HealthContext } from '../../src/services/index.js';
import { nightlyHealthTick, startScheduler } from '../../src/cli/scheduler.js';
import { demoSite, makePage } from '../helpers/factories.js';
import { contextFor, pinnedClock, testStore, type TestStore } from '../helpers/store.js';

describe('the nightly health run', () => {
  let store: TestStore;
  const outputDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-nightly-'));
  const log = pino({ level: 'silent' });
  const contextAt = (iso: string): HealthContext => ({
    ...contextFor(store, pinnedClock(iso)),
    theme: loadTheme(),
    outputDir,
  });
  const runs = () => store.db.selectFrom('healthRun').select(['slot', 'at', 'report']).orderBy('id').execute();

  before(async () => {
    store = await testStore();
    const ctx = contextAt('2025-12-01T09:00:00+08:00');
    await demoSite(ctx);
    await importPage(ctx, makePage({ columns: ['本区动态'], publishedAt: new Date('2025-11-28T10:00:00+08:00') }));
  });
  after(async () => {
    await store?.dispose();
    fs.rmSync(outputDir, { recursive: true, force: true });
  });

  test('before 02:00 site time nothing runs', async () => {
    await nightlyHealthTick(contextAt('2025-12-01T01:59:00+08:00'), log)();
    assert.deepEqual(await runs(), []);
  });

  test('two instances, two ticks each: the night runs exactly once', async () => {
    const ctx = contextAt('2025-12-01T02:30:00+08:00');
    const a = nightlyHealthTick(ctx, log);
    const b = nightlyHealthTick(ctx, log);
    await Promise.all([a(), b()]);
    await Promise.all([a(), b()]);
    const stored = await runs();
    assert.deepEqual(
      stored.map((r) => [r.slot, r.at]),
      [['2025-12-01', '2025-11-30T18:30:00.000Z']],
    );
    assert.equal((JSON.parse(stored[0]?.report ?? '{}') as { passed?: boolean }).passed, false);
  });

  test("the server's scheduler runs the next night once across two instances", async () => {
    const ctx = contextAt('2025-12-02T03:00:00+08:00');
    const publisher = new Publisher(store, ctx.theme, new OutputStore(outputDir), ctx.clock);
    // Each scheduler ticks at once when started; stop() waits for that tick to finish.
    const first = startScheduler(ctx, publisher, log, 60_000);
    const second = startScheduler(ctx, publisher, log, 60_000);
    await Promise.all([first.stop(), second.stop()]);
    const again = startScheduler(ctx, publisher, log, 60_000);
    await again.stop();
    assert.deepEqual(
      (await runs()).map((r) => r.slot),
      ['2025-12-01', '2025-12-02'],
    );
  });
});
