import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { TEMP_FOLDER } from '../../src/publish/index.js';
import { BIN, newTestSite, runCli } from '../helpers/cli.js';
import { assertWhole, siteWith } from '../helpers/sites.js';

test('a build killed part way leaves every written page whole, and the next build carries on', async () => {
  const site = await siteWith(1200, 'gazette-build-');
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
