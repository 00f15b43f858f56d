import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultLook, type SiteLook } from '../../src/domain/index.js';
import { buildSite, OutputStore, Publisher, type PageStore } from '../../src/publish/index.js';
import { PROGRESS_FROM, RUN_GROUP } from '../../src/publish/publisher.js';
import { actorFor, makeRoleAccounts } from '../helpers/backoffice.js';
import { currentSite, importPage, saveLook, type ServiceContext } from '../../src/services/index.js';
import { manifest } from '../../src/store/index.js';
import { loadTheme } from '../../src/theme/index.js';
import { contextFor, testStore } from '../helpers/store.js';
import { demoSite, makePage } from '../helpers/factories.js';

/**
 * The output store, with a gate before each page a run stores: every page goes through `write`
 * (new bytes) or `has` (the same bytes again) exactly once. The gate can hold the run at the
 * n-th page, to look at what is served and what the run recorded meanwhile.
 */
class GatedStore implements PageStore {
  calls = 0;
  private holdAt = 0;
  private held: { reached: () => void; release: Promise<void> } | null = null;
  /** Lets every hold go (a failed test must not leave the run waiting, holding its lock). */
  readonly releases: (() => void)[] = [];
  constructor(readonly inner: OutputStore) {}

  /**
   * Holds the n-th page stored from now on (the others of its group go on, a few at a time):
   * `reached` resolves when it comes, `release()` lets it go on.
   */
  holdBefore(n: number): { reached: Promise<void>; release: () => void } {
    this.holdAt = this.calls + n;
    let release = () => {};
    let reached = () => {};
    const reachedPromise = new Promise<void>((resolve) => (reached = resolve));
    this.held = { reached: () => reached(), release: new Promise<void>((resolve) => (release = resolve)) };
    this.releases.push(() => release());
    return { reached: reachedPromise, release: () => release() };
  }

  private async pass(): Promise<void> {
    this.calls++;
    const held = this.held;
    if (held && this.calls === this.holdAt) {
      this.held = null;
      held.reached();
      await held.release;
    }
  }

  async write(urlPath: string, body: Buffer): Promise<void> {
    await this.pass();
    return this.inner.write(urlPath, body);
  }
  async has(urlPath: string): Promise<boolean> {
    await this.pass();
    return this.inner.has(urlPath);
  }
  read(...args: Parameters<PageStore['read']>) {
    return this.inner.read(...args);
  }
  remove(urlPath: string) {
    return this.inner.remove(urlPath);
  }
  removeLeftovers() {
    return this.inner.removeLeftovers();
  }
}

test('a new logo re-renders every page in the background: progress is recorded, and every page serves throughout', async (t) => {
  const store = await testStore();
  const outputDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-look-progress-'));
  const output = new GatedStore(new OutputStore(outputDir));
  const base = contextFor(store);
  const publisher = new Publisher(store, loadTheme(), output, base.clock);
  t.after(async () => {
    for (const release of output.releases) release();
    await publisher.idle();
    await store.dispose();
    fs.rmSync(outputDir, { recursive: true, force: true });
  });
  const ctx: ServiceContext = { ...base, events: { durable: true, emit: (e, id) => publisher.handle(e, id) } };
  await demoSite(ctx);
  const { admin } = await makeRoleAccounts(ctx);
  for (let i = 1; i <= 60; i++)
    await importPage(ctx, makePage({ title: `动态${i}`, publishedAt: new Date(Date.UTC(2025, 0, 1, i)) }));
  await publisher.idle();
  await buildSite(publisher);

  const paths = (await manifest.sitePagesAfter(store.db, '', '', 10_000)).map((row) => row.path);
  const html = paths.filter((p) => p.endsWith('/') || p.endsWith('.html'));
  // The run stores the column front pages and the home page first (RUN_GROUP at a time), then
  // the article pages as one group, then the rest.
  const fronts = html.filter((p) => p.endsWith('/'));
  const articlePages = html.filter((p) => /_\d+\.html$/.test(p) && !/\/index_\d+\.html$/.test(p));
  assert.ok(html.length > PROGRESS_FROM, `${html.length} pages`);
  assert.ok(fronts.length > 1 && fronts.length <= RUN_GROUP, `${fronts.length} front pages, one group`);
  assert.ok(articlePages.length >= 60 && articlePages.length < html.length, `${articlePages.length} article pages`);
  const before = new Map(await Promise.all(html.map(async (p) => [p, await output.read(p)] as const)));

  const everyPageServes = async () => {
    for (const p of html) assert.ok((await output.read(p))?.length, `${p} is served`);
  };
  const task = () => store.db.selectFrom('publishTask').select(['id', 'progressDone', 'progressTotal']).execute();

  // The run is held before its first page, then before the first page after the front pages.
  const callsBefore = output.calls;
  const first = output.holdBefore(1);
  const look: SiteLook = {
    ...defaultLook((await currentSite(store.db)).tree),
    logo: { url: '/media/img/abc/original.png', alt: '示范区人民政府' },
  };
  const saving = saveLook(ctx, actorFor(admin), look, 0);
  await first.reached;
  await saving;
  const [running] = await task();
  assert.ok(running);
  assert.deepEqual(await task(), [{ id: running.id, progressDone: 0, progressTotal: html.length }]);
  await everyPageServes();

  // Held, the first page's group went on without it; the first page after that group is held next.
  const second = output.holdBefore(callsBefore + fronts.length + 1 - output.calls);
  first.release();
  await second.reached;
  assert.deepEqual(await task(), [{ id: running.id, progressDone: fronts.length, progressTotal: html.length }]);
  await everyPageServes();
  second.release();
  await publisher.idle();
  assert.deepEqual(publisher.failures, []);
  assert.deepEqual(await task(), [], 'the task is done');
  await everyPageServes();
  // Each page went through the run once, and each shows the logo now (it is in every masthead).
  assert.equal(output.calls - callsBefore, html.length);
  const logo = 'src="/media/img/abc/original.png"';
  for (const p of html) {
    assert.equal(before.get(p)?.toString().includes(logo), false, p);
    assert.equal((await output.read(p))?.toString().includes(logo), true, p);
  }
});
