import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { runCli, useTestSite } from '../helpers/cli.js';
import { openStore } from '../../src/store/index.js';
import { parseDemoArgs } from '../../src/cli/demo.js';
import { isGazetteError } from '../../src/domain/index.js';

const NOW = '2025-12-01T09:00:00+08:00';
const NOT_INDEXED =
  'The new articles are not in the search index yet: run `gazette search reindex` to add them (or pass --search next time).';

describe('gazette demo', () => {
  const site = useTestSite('gazette-demo-');

  test('fills a new site with published articles, with progress and a summary line', async (t) => {
    const env = { ...site().env, GAZETTE_NOW: NOW, GAZETTE_LANG: 'en' };
    const result = await runCli(['demo', '--articles', '300'], env);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^generated 300 articles in 6 channels in \d+\.\d s \(\d+ articles\/s\)\n/);
    assert.deepEqual(result.stdout.split('\n').slice(1), [NOT_INDEXED, '']);
    // Not a terminal: a line per tenth, from 0% to 100%.
    assert.match(
      result.stderr,
      /^demo: 0% 0\/300 \d+\/s\n(demo: \d+% \d+\/300 \d+\/s\n)*demo: 100% 300\/300 \d+\/s\n$/,
    );

    // Not indexed yet: a word of the first title finds nothing until --search reindexes.
    const search = async (q: string) =>
      JSON.parse((await runCli(['search', '--json', q], env)).stdout) as { total: number };
    const store = await openStore(site().location);
    t.after(() => store.close());
    const { title } = await store.db
      .selectFrom('article')
      .select('title')
      .orderBy('id')
      .limit(1)
      .executeTakeFirstOrThrow();
    const { count } = await store.db
      .selectFrom('article')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('status', '=', 'published')
      .executeTakeFirstOrThrow();
    await store.close();
    assert.equal(count, 300);
    assert.equal((await search(title)).total, 0);

    const more = await runCli(
      ['demo', '--articles', '20', '--channels', '8', '--seed', '5', '--body-chars', '300', '--search'],
      env,
    );
    assert.equal(more.code, 0, more.stderr);
    // 320 articles and the one single-page channel (走进本区).
    assert.match(
      more.stdout,
      /^generated 20 articles in 8 channels in \d+\.\d s \(\d+ articles\/s\)\nIndexed 321 pages, removed 0 stale entries\n$/,
    );
    assert.ok((await search(title)).total >= 1);

    // Once pages are built, a run says that the built lists lag behind.
    assert.equal((await runCli(['build'], env)).code, 0);
    const after = await runCli(['demo', '--articles', '1'], env);
    assert.equal(after.code, 0, after.stderr);
    assert.deepEqual(after.stdout.split('\n').slice(1), [
      NOT_INDEXED,
      'Pages published before this run do not list the new articles yet: run `gazette build` to bring them up to date.',
      '',
    ]);

    const verified = await runCli(['audit', 'verify', '--json'], env);
    assert.equal(verified.code, 0);
    assert.equal((JSON.parse(verified.stdout) as { entries: number }).entries, 3, 'one entry per run');
  });

  test('bad values exit 2 naming the option, before anything is created', async () => {
    const fresh = path.join(site().dataDir, 'never-created');
    const cases: [string[], string][] = [
      [['--articles', '0'], '--articles must be a whole number from 1 to 10000000'],
      [['--articles', 'abc'], '--articles must be a whole number from 1 to 10000000'],
      [['--articles', '10', '--channels', '-1'], '--channels must be a whole number from 1 to 1000'],
    ];
    for (const [args, reason] of cases) {
      const result = await runCli(['demo', ...args], { GAZETTE_DATA: fresh, GAZETTE_LANG: 'en' });
      assert.deepEqual(
        [result.code, result.stdout, result.stderr],
        [2, '', `gazette: Usage: ${reason}\n`],
        args.join(' '),
      );
    }
    assert.equal(fs.existsSync(fresh), false);
  });

  test('the arguments, parsed in process', () => {
    const usage = 'gazette demo --articles N [--channels M] [--seed S] [--body-chars C] [--search]';
    assert.deepEqual(parseDemoArgs(['--articles', '1000000', '--body-chars', '500']), {
      articles: 1_000_000,
      channels: undefined,
      seed: undefined,
      bodyChars: 500,
      search: false,
    });
    assert.deepEqual(parseDemoArgs(['--articles=5', '--channels=12', '--seed', '0', '--search']), {
      articles: 5,
      channels: 12,
      seed: 0,
      bodyChars: undefined,
      search: true,
    });
    const cases: [string[], string][] = [
      [['--articles', '10000001'], '--articles must be a whole number from 1 to 10000000'],
      [['--articles', '1e3'], '--articles must be a whole number from 1 to 10000000'],
      [['--articles', '10', '--channels', '1001'], '--channels must be a whole number from 1 to 1000'],
      [['--articles', '10', '--seed', '1.5'], '--seed must be a whole number from 0 to 4294967295'],
      [['--articles', '10', '--seed', '4294967296'], '--seed must be a whole number from 0 to 4294967295'],
      [['--articles=10', '--body-chars', '99'], '--body-chars must be a whole number from 100 to 100000'],
      [['--articles'], `Option '--articles <value>' argument missing; ${usage}`],
      [[], `--articles is required: ${usage}`],
      [['--articles', '10', '--pages', '3'], `Unknown option '--pages'; ${usage}`],
      [
        ['--articles', '10', 'extra'],
        `Unexpected argument 'extra'. This command does not take positional arguments; ${usage}`,
      ],
    ];
    for (const [args, reason] of cases) {
      assert.throws(
        () => parseDemoArgs(args),
        (error) => isGazetteError(error) && error.code === 'USAGE' && error.messageIn('en') === `Usage: ${reason}`,
        args.join(' '),
      );
    }
  });
});
