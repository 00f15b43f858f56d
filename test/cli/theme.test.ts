import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { importOverrides, systemActor } from '../../src/services/index.js';
import { openStore, themeOverrides, type Store } from '../../src/store/index.js';
import { DEFAULT_THEME_DIR, themeFiles } from '../../src/theme/index.js';
import { runCli, useTestSite, type TestSite } from '../helpers/cli.js';
import { demoSite } from '../helpers/factories.js';
import { contextFor, PINNED_NOW } from '../helpers/store.js';

const HOST = 'www.example.gov.cn';
const files = themeFiles(DEFAULT_THEME_DIR);
const FOOTER = `<p class="own-footer">本站页脚</p>\n${files.source('footer') ?? ''}`;
const HEADLINE = `<!-- 本站头条 -->\n${files.source('blocks/headline') ?? ''}`;

/** Runs work on a test site's store, opened for it and closed after. */
async function onStore<T>(site: TestSite, work: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(site.location);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

describe('gazette theme export|import: a site’s templates between installations', () => {
  const from = useTestSite('gazette-theme-from-');
  const to = useTestSite('gazette-theme-to-');
  const cli = async (site: TestSite, args: readonly string[]) => {
    const result = await runCli(['theme', ...args], { ...site.env, GAZETTE_LANG: 'en', GAZETTE_NOW: PINNED_NOW });
    return [result.code, result.stdout, result.stderr];
  };
  let dir: string;

  before(async () => {
    dir = path.join(from().dataDir, 'exported');
    await onStore(from(), async (store) => {
      const ctx = { ...contextFor(store), mediaDir: path.join(from().dataDir, 'media') };
      await demoSite(ctx);
      await importOverrides(ctx, systemActor('test'), [
        { name: 'footer', source: FOOTER },
        { name: 'blocks/headline', source: HEADLINE },
      ]);
    });
    await onStore(to(), (store) => demoSite({ ...contextFor(store), mediaDir: path.join(to().dataDir, 'media') }));
  });

  test('export writes one file per template, folders for partials, and the manifest', async () => {
    assert.deepEqual(await cli(from(), ['export', '--site', HOST, dir]), [
      0,
      `${path.join(dir, 'blocks/headline.liquid')}\n${path.join(dir, 'footer.liquid')}\nexported 2 templates to ${dir}\n`,
      '',
    ]);
    assert.equal(fs.readFileSync(path.join(dir, 'footer.liquid'), 'utf8'), FOOTER);
    assert.equal(fs.readFileSync(path.join(dir, 'blocks', 'headline.liquid'), 'utf8'), HEADLINE);
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(dir, 'gazette-theme.json'), 'utf8')), {
      format: 'gazette-theme-overrides',
      version: 1,
      site: HOST,
      exportedAt: '2025-12-01T01:00:00.000Z',
      templates: [
        { name: 'blocks/headline', file: 'blocks/headline.liquid' },
        { name: 'footer', file: 'footer.liquid' },
      ],
    });
  });

  test('a bad file: nothing changes, a non-zero exit naming the file and the line', async () => {
    const bad = fs.mkdtempSync(path.join(from().dataDir, 'bad-'));
    fs.cpSync(dir, bad, { recursive: true });
    fs.writeFileSync(path.join(bad, 'blocks', 'headline.liquid'), '<section>\n  {{ block.title | shout }}\n</section>');
    const file = path.join(bad, 'blocks/headline.liquid');
    assert.deepEqual(await cli(to(), ['import', '--site', HOST, bad]), [
      2,
      '',
      `gazette: ${file}:2: blocks/headline.liquid line 2: unknown filter "shout"\n`,
    ]);
    fs.rmSync(path.join(bad, 'gazette-theme.json'));
    assert.deepEqual(await cli(to(), ['import', '--site', HOST, bad]), [
      2,
      '',
      `gazette: ${path.join(bad, 'gazette-theme.json')} is not a manifest written by gazette theme export: ENOENT: no such file or directory, open '${path.join(bad, 'gazette-theme.json')}'\n`,
    ]);
    await onStore(to(), async (store) => {
      assert.deepEqual(await themeOverrides.overrideSources(store.db, 1), {});
      assert.deepEqual(await store.db.selectFrom('themeRevision').select('id').execute(), []);
    });
  });

  test('import: every template in one transaction, revisions "import", audited; the same again changes nothing', async () => {
    assert.deepEqual(await cli(to(), ['import', '--site', HOST, dir]), [
      0,
      'imported 2 templates: blocks/headline, footer\n',
      '',
    ]);
    await onStore(to(), async (store) => {
      assert.deepEqual(await themeOverrides.overrideSources(store.db, 1), {
        'blocks/headline': HEADLINE,
        footer: FOOTER,
      });
      const revisions = await store.db
        .selectFrom('themeRevision')
        .select(['name', 'action', 'createdBy'])
        .orderBy('id')
        .execute();
      assert.deepEqual(revisions, [
        { name: 'blocks/headline', action: 'import', createdBy: null },
        { name: 'footer', action: 'import', createdBy: null },
      ]);
      const audit = await store.db
        .selectFrom('auditLog')
        .select(['action', 'userName', 'targetId'])
        .where('action', '=', 'theme.import')
        .orderBy('seq')
        .execute();
      assert.deepEqual(audit, [
        { action: 'theme.import', userName: 'gazette theme import', targetId: 'blocks/headline' },
        { action: 'theme.import', userName: 'gazette theme import', targetId: 'footer' },
      ]);
    });
    assert.deepEqual(await cli(to(), ['import', '--site', HOST, dir]), [0, 'imported 0 templates\n', '']);
  });

  test('usage', async () => {
    const [code, stdout, stderr] = await cli(to(), ['export']);
    assert.deepEqual([code, stdout], [2, '']);
    assert.match(
      String(stderr),
      /^gazette: Usage: DIR is required\ngazette theme export\|import \[--site HOST\] DIR\n$/,
    );
  });
});
