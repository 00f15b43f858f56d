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
    const forms = lines.indexOf('公开方式      发布  其中撤销');
    assert.deepEqual(lines.slice(forms, forms + 6), [
      '公开方式      发布  其中撤销',
      '主动公开         1         0',
      '依申请公开       0         0',
      '',
      '发布机构                                      发布  其中撤销',
      '示范区人民政府办公室（113205090141600114）       1         0',
    ]);
    // Table three of the annual report: no requests yet, every row there, balanced.
    const table = lines.slice(lines.findIndex((l) => l.startsWith('收到和处理政府信息公开申请情况'))).filter(Boolean);
    assert.deepEqual(table.slice(0, 5), [
      '收到和处理政府信息公开申请情况                                                 自然人  商业企业  科研机构  社会公益组织  法律服务机构  其他  总计',
      '一、本年新收政府信息公开申请数量                                                    0         0         0             0             0     0     0',
      '二、上年结转政府信息公开申请数量                                                    0         0         0             0             0     0     0',
      '三、本年度办理结果',
      '（一）予以公开                                                                      0         0         0             0             0     0     0',
    ]);
    assert.deepEqual(table.slice(-4), [
      '  3. 其他                                                                           0         0         0             0             0     0     0',
      '（七）总计                                                                          0         0         0             0             0     0     0',
      '四、结转下年度继续办理                                                              0         0         0             0             0     0     0',
      '核对：各列 新收 + 上年结转 = 办理结果总计 + 结转下年度，相符',
    ]);
    assert.equal(table.length, 32);

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
