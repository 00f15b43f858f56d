import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli, useTestSite } from '../helpers/cli.js';
import { SEED_PAGE } from '../helpers/factories.js';

describe('gazette site and --site', () => {
  const site = useTestSite('gazette-site-');
  const env = () => ({ ...site().env, GAZETTE_NOW: '2025-12-01T09:00:00+08:00', GAZETTE_LANG: 'zh' });

  test('add, list, set, archive and remove sites; refusals name what is wrong and change nothing', async () => {
    // The first import makes the demo portal; then the platform grows.
    assert.equal((await runCli(['import', SEED_PAGE], env())).code, 0);
    const added = await runCli(
      [
        'site',
        'add',
        'SWJ.example.gov.cn',
        '--name',
        '区水务局',
        '--code',
        '3205090011',
        '--parent',
        'www.example.gov.cn',
      ],
      env(),
    );
    assert.deepEqual([added.code, added.stdout, added.stderr], [0, 'added site 2 swj.example.gov.cn 区水务局\n', '']);

    const taken = await runCli(['site', 'add', 'www.example.gov.cn', '--name', '重复'], env());
    assert.deepEqual(
      [taken.code, taken.stderr],
      [2, 'gazette: 域名 www.example.gov.cn 已属于站点 示范区人民政府（www.example.gov.cn）\n'],
    );
    const malformed = await runCli(['site', 'add', 'http://bad', '--name', '坏'], env());
    assert.deepEqual(
      [malformed.code, malformed.stderr],
      [2, 'gazette: 域名 http://bad 无效：只能是域名，不能带协议、端口或路径\n'],
    );

    assert.equal((await runCli(['site', 'set', 'swj.example.gov.cn', '--add-host', 'swj.gov.cn'], env())).code, 0);
    assert.equal((await runCli(['site', 'default', 'www.example.gov.cn'], env())).code, 0);
    const listed = await runCli(['site', 'list'], env());
    assert.equal(
      listed.stdout,
      '1\twww.example.gov.cn\tactive,default\t示范区人民政府\t-\t-\n' +
        '2\tswj.example.gov.cn\tactive\t区水务局\tunder www.example.gov.cn\talso swj.gov.cn\n',
    );

    // Two sites: a command that works on a site must be told which.
    const ambiguous = await runCli(['search', '融入式党建'], env());
    assert.deepEqual(
      [ambiguous.code, ambiguous.stderr],
      [
        2,
        'gazette: 平台上有多个站点，请用 --site 指定其一：www.example.gov.cn（示范区人民政府）, swj.example.gov.cn（区水务局）\n',
      ],
    );
    const portal = await runCli(['search', '--json', '融入式党建', '--site', 'www.example.gov.cn'], env());
    assert.equal((JSON.parse(portal.stdout) as { total: number }).total, 1);
    const water = await runCli(['search', '--json', '--site=swj.gov.cn', '融入式党建'], env());
    assert.equal((JSON.parse(water.stdout) as { total: number }).total, 0);
    const unknown = await runCli(['search', '党建', '--site', 'nowhere.example.org'], env());
    assert.deepEqual([unknown.code, unknown.stderr], [2, 'gazette: 站点 nowhere.example.org 不存在\n']);

    // The portal has content: removing it is refused until it is archived.
    const refused = await runCli(['site', 'remove', 'www.example.gov.cn'], env());
    assert.equal(refused.code, 2);
    assert.match(
      refused.stderr,
      /^gazette: 站点 www\.example\.gov\.cn 仍有内容（1 篇文章、\d+ 个栏目），请先归档再删除\n$/,
    );
    assert.equal(
      (await runCli(['site', 'archive', 'swj.example.gov.cn'], env())).stdout,
      'archived site 2 swj.example.gov.cn: kept, no longer served\n',
    );
    assert.equal((await runCli(['site', 'remove', 'swj.gov.cn'], env())).stdout, 'removed site swj.gov.cn\n');
    assert.equal(
      (await runCli(['site', 'list'], env())).stdout,
      '1\twww.example.gov.cn\tactive,default\t示范区人民政府\t-\t-\n',
    );
    // One site again: no --site needed.
    assert.equal((await runCli(['search', '--json', '融入式党建'], env())).code, 0);
  });
});
