import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli, useTestSite } from '../helpers/cli.js';
import { openStore } from '../../src/store/index.js';
import { setDisclosure, systemActor } from '../../src/services/index.js';
import { contextFor } from '../helpers/store.js';
import { SEED_PAGE } from '../helpers/factories.js';

describe('gazette disclosure report', () => {
  const site = useTestSite('gazette-disclosure-');

  test('prints the year’s counts as a table, and as JSON with --json', async () => {
    assert.equal((await runCli(['import', SEED_PAGE], site().env)).code, 0);
    const store = await openStore(site().location);
    try {
      // The seed article was published on 2021-05-20.
      await setDisclosure(contextFor(store), systemActor('test'), 1, {
        topic: '民政、扶贫、救灾',
        organizationCode: '113205090141600114',
        documentNo: '吴政发〔2021〕12号',
      });
    } finally {
      await store.close();
    }
    const plain = await runCli(['disclosure', 'report', '--year', '2021'], site().env);
    assert.equal(plain.stderr, '');
    assert.equal(plain.code, 0);
    const lines = plain.stdout.split('\n');
    assert.equal(lines[0], '政府信息公开 2021 年度统计：共发布 1 条，其中已撤销 0 条');
    assert.deepEqual(lines.slice(2, 5), [
      '主题分类                        发布  其中撤销',
      '综合政务                           0         0',
      '国民经济管理、国有资产监管         0         0',
    ]);
    assert.ok(lines.includes('民政、扶贫、救灾                   1         0'), plain.stdout);
    assert.deepEqual(lines.slice(-7, -1), [
      '公开方式      发布  其中撤销',
      '主动公开         1         0',
      '依申请公开       0         0',
      '',
      '发布机构                                      发布  其中撤销',
      '示范区人民政府办公室（113205090141600114）       1         0',
    ]);

    const json = await runCli(['disclosure', 'report', '--year', '2021', '--json'], site().env);
    assert.equal(json.code, 0);
    const report = JSON.parse(json.stdout) as { year: number; total: number; byOrganization: unknown[] };
    assert.equal(report.year, 2021);
    assert.equal(report.total, 1);
    assert.deepEqual(report.byOrganization, [
      { organization: '示范区人民政府办公室', organizationCode: '113205090141600114', total: 1, withdrawn: 0 },
    ]);

    // No --year: this year on the clock.
    const now = await runCli(['disclosure', 'report', '--json'], {
      ...site().env,
      GAZETTE_NOW: '2022-03-01T09:00:00+08:00',
    });
    assert.deepEqual((JSON.parse(now.stdout) as { year: number }).year, 2022);
    assert.equal((JSON.parse(now.stdout) as { total: number }).total, 0);
  });

  test('bad use exits 2 with the usage', async () => {
    const result = await runCli(['disclosure', 'report', '--year', '21'], site().env);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--year "21" is not a year\ngazette disclosure report \[--year YYYY\] \[--json\]/);
    assert.equal((await runCli(['disclosure', 'list'], site().env)).code, 2);
  });
});
