import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startAgent } from '../../src/front/agent/index.js';
import type { FrontState } from '../../src/front/protocol.js';
import type { FrontStatus } from '../../src/services/index.js';
import { fronts, openStore } from '../../src/store/index.js';
import { runCli, startServer, useTestSite } from '../helpers/cli.js';
import { SEED_PAGE } from '../helpers/factories.js';
import { frontCall, FRONT_TOKEN } from '../helpers/front-agent.js';
import { eventually } from '../helpers/http.js';

describe('gazette front add, list and remove', () => {
  const site = useTestSite('gazette-front-cli-');
  const env = () => ({ ...site().env, GAZETTE_LANG: 'zh', GAZETTE_NOW: '2025-12-01T09:00:00+08:00' });
  const tokenFile = () => path.join(site().dataDir, 'front.token');
  const cli = async (args: readonly string[]) => {
    const result = await runCli(args, env());
    return [result.code, result.stdout, result.stderr];
  };

  test('add, list and remove fronts, with exact output; refusals say what is wrong and change nothing', async () => {
    fs.writeFileSync(tokenFile(), `${FRONT_TOKEN}\n`, { mode: 0o600 });
    assert.equal((await runCli(['import', SEED_PAGE], env())).code, 0);
    assert.equal((await runCli(['site', 'add', 'jyj.example.gov.cn', '--name', '区教育局'], env())).code, 0);

    assert.deepEqual(await cli(['front', 'list']), [0, 'no front servers: the CMS serves every site itself\n', '']);
    assert.deepEqual(
      await cli(['front', 'add', 'http://127.0.0.1:8700', '--name', 'front1', '--token-file', tokenFile()]),
      [
        0,
        'added front front1 http://127.0.0.1:8700 serving every site; gazette serve pushes to it from its next round\n',
        '',
      ],
    );
    assert.deepEqual(
      await cli([
        'front',
        'add',
        'https://front2.example.gov.cn:8700/',
        '--name',
        'front2',
        '--token-file',
        tokenFile(),
        '--sites',
        'jyj.example.gov.cn',
      ]),
      [
        0,
        'added front front2 https://front2.example.gov.cn:8700 serving jyj.example.gov.cn; gazette serve pushes to it from its next round\n',
        '',
      ],
    );

    const refusals = [
      [['http://127.0.0.1:8701', '--name', 'front1', '--token-file', tokenFile()], '前端服务器名称 front1 已被使用'],
      [
        ['http://127.0.0.1:8701', '--name', 'front3', '--token-file', '/nonexistent/token'],
        '前端服务器令牌文件 /nonexistent/token 无法使用：ENOENT',
      ],
      [
        ['http://127.0.0.1:8701/agent', '--name', 'front3', '--token-file', tokenFile()],
        '字段 url 无效：须为前端服务器代理程序的地址，如 https://front1.example.gov.cn:8700（不含路径）',
      ],
      [
        ['http://127.0.0.1:8701', '--name', 'front3', '--token-file', tokenFile(), '--sites', 'nosuch.example.gov.cn'],
        '站点 nosuch.example.gov.cn 不存在',
      ],
      [['http://127.0.0.1:8701', '--name', 'front3'], `用法错误：--name and --token-file are required\n${usage()}`],
    ] as const;
    for (const [args, message] of refusals)
      assert.deepEqual(await cli(['front', 'add', ...args]), [2, '', `gazette: ${message}\n`]);
    fs.writeFileSync(tokenFile() + '.short', 'short\n');
    assert.deepEqual(
      await cli(['front', 'add', 'http://127.0.0.1:8701', '--name', 'front3', '--token-file', `${tokenFile()}.short`]),
      [
        2,
        '',
        `gazette: 前端服务器令牌文件 ${tokenFile()}.short 无法使用：the token must be one word of at least 32 characters (e.g. openssl rand -hex 32)\n`,
      ],
    );

    // Pinned clock: the changes the import published are as old as the clock says, 0 s.
    const behind = await behindText();
    assert.deepEqual(await cli(['front', 'list']), [
      0,
      `front1\thttp://127.0.0.1:8700\tnew\tacked -\t${behind}\tcontact never\tsweep never\tevery site\t-\n` +
        `front2\thttps://front2.example.gov.cn:8700\tnew\tacked -\t${behind}\tcontact never\tsweep never\tjyj.example.gov.cn\t-\n`,
      '',
    ]);
    const [, json] = await cli(['front', 'list', '--json']);
    const listed = JSON.parse(String(json)) as FrontStatus[];
    assert.deepEqual(
      listed.map((f) => [
        f.id,
        f.name,
        f.url,
        f.state,
        f.allSites,
        f.sites.map((s) => s.domain),
        f.ackedSeq,
        f.failures,
      ]),
      [
        [1, 'front1', 'http://127.0.0.1:8700', 'new', true, ['www.example.gov.cn', 'jyj.example.gov.cn'], null, 0],
        [2, 'front2', 'https://front2.example.gov.cn:8700', 'new', false, ['jyj.example.gov.cn'], null, 0],
      ],
    );

    assert.deepEqual(await cli(['front', 'remove', 'front2']), [
      0,
      'removed front front2: nothing is pushed to it any more; its tamper events are kept\n',
      '',
    ]);
    assert.deepEqual(await cli(['front', 'remove', 'front2']), [2, '', 'gazette: 前端服务器 front2 不存在\n']);
    assert.deepEqual((await cli(['front', 'list']))[1]?.toString().split('\n').length, 2);

    const store = await openStore(site().location);
    try {
      const entries = await store.db
        .selectFrom('auditLog')
        .select(['action', 'userName', 'details'])
        .where('action', 'like', 'front.%')
        .orderBy('seq')
        .execute();
      assert.deepEqual(
        entries.map((e) => [e.action, e.userName, JSON.parse(e.details) as unknown]),
        [
          [
            'front.add',
            'gazette front',
            { name: 'front1', sites: 'all', tokenFile: tokenFile(), url: 'http://127.0.0.1:8700' },
          ],
          [
            'front.add',
            'gazette front',
            { name: 'front2', sites: [2], tokenFile: tokenFile(), url: 'https://front2.example.gov.cn:8700' },
          ],
          ['front.remove', 'gazette front', { name: 'front2', url: 'https://front2.example.gov.cn:8700' }],
        ],
      );
    } finally {
      await store.close();
    }

    /** How far a new front is behind: every change the manifest holds. */
    async function behindText(): Promise<string> {
      const opened = await openStore(site().location);
      try {
        const { changes } = await fronts.lagAfter(opened.db, 0);
        return changes === 0 ? 'up to date' : `behind ${changes} change${changes === 1 ? '' : 's'} (0 s)`;
      } finally {
        await opened.close();
      }
    }
  });

  test('a running gazette serve pushes to a front added from the command line, without a restart', async (t) => {
    // A pinned clock too: the distributor signs on the machine's time, which the agent checks.
    const server = await startServer({ ...env(), GAZETTE_DEMO: 'off' });
    t.after(() => server.child.kill('SIGTERM'));
    const agent = await startAgent({
      root: path.join(site().dataDir, 'front'),
      tokenFile: tokenFile(),
      listen: '127.0.0.1:0',
    });
    t.after(() => agent.close());
    assert.equal((await runCli(['front', 'remove', 'front1'], env())).code, 0);
    const added = await runCli(
      ['front', 'add', agent.address, '--name', 'live', '--token-file', tokenFile()],
      site().env,
    );
    assert.equal(added.code, 0, added.stderr);
    const state = async () => (await frontCall<FrontState>(agent.address, 'GET', '/_front/state')).body;
    await eventually(
      'the running server pushes to the new front',
      async () => (await state()).sites.length === 2,
      10_000,
    );
    assert.deepEqual(
      (await state()).sites.map((s) => s.hosts[0]),
      ['www.example.gov.cn', 'jyj.example.gov.cn'],
    );
  });
});

function usage(): string {
  return [
    'gazette front add URL --name NAME --token-file FILE [--sites HOST,HOST…]   (every site without --sites)',
    '       gazette front list [--json]',
    '       gazette front remove NAME',
  ].join('\n');
}
