import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { openStore } from '../../src/store/index.js';
import { articles } from '../../src/store/index.js';
import { ensureSite } from '../../src/services/index.js';
import { TEMP_FOLDER } from '../../src/publish/index.js';
import { BIN, newTestSite, runCli, type TestSite } from '../helpers/cli.js';
import { pinnedClock } from '../helpers/store.js';

/** A data folder with the demo site and `count` published articles. */
async function siteWith(count: number): Promise<TestSite> {
  const testSite = await newTestSite('gazette-build-');
  try {
    const store = await openStore(testSite.location);
    try {
      const { site } = await ensureSite(
        { store, clock: pinnedClock(), mediaDir: path.join(testSite.dataDir, 'media') },
        'Asia/Shanghai',
      );
      const channel = await store.db
        .selectFrom('channel')
        .select('id')
        .where('slug', '=', 'bqdt')
        .executeTakeFirstOrThrow();
      await store.db.transaction().execute(async (trx) => {
        for (let i = 0; i < count; i++) {
          await articles.insertArticle(
            trx,
            {
              siteId: site.id,
              channelId: channel.id,
              title: `构建测试${i}`,
              subtitle: '',
              source: null,
              author: '',
              responsibleEditor: '',
              publishedAt: new Date(Date.UTC(2020, 0, 1) + i * 3_600_000).toISOString(),
              bodyHtml: `<p>第${i}篇的正文。</p>`,
              summary: '',
              keywords: '',
              coverImage: null,
              attachments: [],
              status: 'published',
              importKey: null,
              createdBy: null,
            },
            new Date('2025-01-01T00:00:00Z'),
          );
        }
      });
    } finally {
      await store.close();
    }
  } catch (error) {
    // Until the caller has the site, removing it is up to this function.
    await testSite.dispose();
    throw error;
  }
  return testSite;
}

/** Every served file is whole: pages end as they should, compressed forms decompress. */
function assertWhole(dir: string): number {
  let files = 0;
  for (const name of fs.readdirSync(dir, { recursive: true }) as string[]) {
    const file = path.join(dir, name);
    // A killed writer's temporary files are not pages (they are never served).
    if (!fs.statSync(file).isFile() || name.startsWith(`${TEMP_FOLDER}/`)) continue;
    const bytes = fs.readFileSync(file);
    const text = name.endsWith('.gz')
      ? zlib.gunzipSync(bytes).toString()
      : name.endsWith('.br')
        ? zlib.brotliDecompressSync(bytes).toString()
        : bytes.toString();
    const page = name.replace(/\.(gz|br)$/, '');
    if (page.endsWith('.html')) assert.ok(text.endsWith('</html>\n'), `${name} is cut short`);
    else if (page.endsWith('.xml')) assert.ok(text.trimEnd().endsWith('>'), `${name} is cut short`);
    files++;
  }
  return files;
}

test('a build killed part way leaves every written page whole, and the next build carries on', async () => {
  const site = await siteWith(1200);
  const env = { ...site.env, GAZETTE_NOW: '2025-12-01T09:00:00+08:00' };
  try {
    const child = spawn(process.execPath, [BIN, 'build'], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let progress = '';
    await new Promise<void>((resolve) => {
      child.stderr.on('data', (chunk: Buffer) => {
        progress += chunk.toString();
        if (/build: [1-9]\d% /.test(progress)) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.on('exit', () => resolve());
    });
    await new Promise((resolve) => child.once('close', resolve));
    assert.equal(child.signalCode, 'SIGKILL', `the build was killed mid-way:\n${progress}`);
    const output = path.join(site.dataDir, 'public');
    const before = assertWhole(output);
    assert.ok(before > 0 && before < 3 * 1300, `${before} files written before the kill`);

    const resumed = await runCli(['build'], env);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(
      resumed.stdout,
      /^resumed and built \d+ pages in [\d.]+ s \(\d+ pages\/s\): \d+ written, \d+ unchanged, in /,
    );
    const pages = Number(/built (\d+) pages/.exec(resumed.stdout)?.[1]);
    assert.ok(pages > 0 && pages < 1200 + 100, `carried on rather than starting over (${pages} pages)`);
    const files = assertWhole(output);
    assert.deepEqual(
      fs.readdirSync(path.join(output, TEMP_FOLDER)),
      [],
      "the killed build's temporary files were removed",
    );
    // 1,200 articles, 60 chunks of the column and its front page, home, feeds, sitemap…: every page built.
    const fresh = await runCli(['build'], env);
    assert.match(fresh.stdout, /^built \d+ pages in [\d.]+ s \(\d+ pages\/s\): 0 written, \d+ unchanged/);
    assert.equal(assertWhole(output), files);
  } finally {
    await site.dispose();
  }
});

test('gazette build --workers takes a number of render threads; anything else is a usage error that touches nothing', async () => {
  const site = await newTestSite('gazette-build-usage-');
  try {
    for (const [args, message] of [
      [['--workers', 'two'], /--workers takes a whole number from 0 to 64, not "two"/],
      [['--workers', '65'], /--workers takes a whole number from 0 to 64, not "65"/],
      [['--workers'], /--workers takes a whole number from 0 to 64, not ""/],
      [['--fast'], /unknown argument "--fast"/],
    ] as const) {
      const result = await runCli(['build', ...args], site.env);
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, message);
    }
    assert.equal(fs.existsSync(path.join(site.dataDir, 'gazette.db')), false, 'no store was opened');
  } finally {
    await site.dispose();
  }
});
