import { after, afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadTheme } from '../../src/theme/index.js';
import { importFiles, pagesIn } from '../../src/importers/index.js';
import {
  createChannel,
  currentSite,
  healthOverview,
  importPage,
  runHealthCheck,
  systemActor,
  updateChannel,
  type HealthContext,
} from '../../src/services/index.js';
import type { HealthReport } from '../../src/compliance/index.js';
import { DEMO_PAGES, demoSite, makePage } from '../helpers/factories.js';
import { contextFor, pinnedClock, testStore, type TestStore } from '../helpers/store.js';
import { actorFor, makeRoleAccounts } from '../helpers/backoffice.js';
import { COMPLETE_GUIDE, publishItem, typedColumn } from '../helpers/items.js';

const system = systemActor('test');
const at = (iso: string) => new Date(iso);
const veto = (report: HealthReport, id: string) => report.vetoes.find((v) => v.id === id);
const scoredItem = (report: HealthReport, id: string) => report.scored.find((s) => s.id === id);
const failed = (report: HealthReport) => report.vetoes.filter((v) => v.state === 'fail').map((v) => v.id);

describe('column freshness and the health report (pinned clock 2025-12-01 09:00 +08:00)', () => {
  let store: TestStore;
  let ctx: HealthContext;
  const outputDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-health-'));

  beforeEach(async () => {
    store = await testStore();
    ctx = { ...contextFor(store, pinnedClock()), theme: loadTheme(), outputDir };
    await demoSite(ctx);
  });
  afterEach(() => store.dispose());
  after(() => fs.rmSync(outputDir, { recursive: true, force: true }));

  /** A complete 办事指南 (服务不实用 passes), published long before: it moves no date these tests look at. */
  async function guide(): Promise<void> {
    const early = { ...ctx, clock: pinnedClock('2025-01-06T10:00:00+08:00') };
    await publishItem(early, await typedColumn(early, '办事指南', 'bszn', 'guide'), '居民身份证申领', COMPLETE_GUIDE);
  }

  /** Fresh content in every demo column except those given, which get the given dates; and a guide. */
  async function content(dates: Partial<Record<string, string>> = {}): Promise<void> {
    await guide();
    const fresh: Record<string, string> = {
      本区动态: '2025-11-28T10:00:00+08:00',
      通知公告: '2025-11-27T10:00:00+08:00',
      部门动态: '2025-11-26T10:00:00+08:00',
      政策文件: '2025-11-20T10:00:00+08:00',
      人事信息: '2025-03-01T10:00:00+08:00',
    };
    const chains: Record<string, string[]> = {
      本区动态: ['本区动态'],
      通知公告: ['通知公告'],
      部门动态: ['政务公开', '部门动态'],
      政策文件: ['政务公开', '政策文件'],
      人事信息: ['政务公开', '人事信息'],
    };
    for (const [name, chain] of Object.entries(chains)) {
      const when = dates[name] ?? fresh[name];
      if (when) await importPage(ctx, makePage({ columns: chain, publishedAt: at(when) }));
    }
  }

  test('a stale dynamic column and five empty columns are reported as veto items', async () => {
    await content({ 本区动态: '2025-11-10T10:00:00+08:00' });
    for (const n of [1, 2, 3, 4, 5])
      await createChannel(ctx, system, { name: `空栏目${n}`, slug: `k${n}`, updateRule: 'dynamic' });
    const report = await runHealthCheck(ctx, system);
    assert.equal(report.passed, false);
    assert.deepEqual(failed(report), ['empty-columns']);
    assert.deepEqual(veto(report, 'empty-columns')?.items, [
      '空栏目1 (/k1/)',
      '空栏目2 (/k2/)',
      '空栏目3 (/k3/)',
      '空栏目4 (/k4/)',
      '空栏目5 (/k5/)',
    ]);
    assert.equal(veto(report, 'empty-columns')?.count, 5);
    assert.deepEqual(veto(report, 'stale-columns'), {
      id: 'stale-columns',
      title: '栏目不更新（动态要闻类超过2周、通知公告和政策文件类超过6个月未更新，累计5个及以上）',
      state: 'pass',
      count: 1,
      threshold: 5,
      detail: '按各栏目的更新要求计算',
      todo: '更新这些栏目，或把不再维护的栏目更新要求设为“无”并调整栏目设置',
      items: ['本区动态 (/bqdt/) 20 天未更新'],
    });
    assert.deepEqual(
      report.columns.find((c) => c.path === '/bqdt/'),
      {
        channelId: report.columns.find((c) => c.path === '/bqdt/')?.channelId,
        name: '本区动态',
        path: '/bqdt/',
        rule: 'dynamic',
        lastUpdate: '2025-11-10T02:00:00.000Z',
        ageDays: 20,
        limitDays: 14,
        state: 'stale',
      },
    );
    // 政务公开 has nothing of its own, but its sub-columns have content: not a 空白栏目.
    assert.equal(report.columns.find((c) => c.path === '/zwgk/')?.state, 'exempt');
    // Scored: one stale column (5) and five empty columns (capped at 20).
    assert.equal(report.score, 100 - 5 - 20);
    assert.equal(veto(report, 'wording')?.state, 'not-checked');
    assert.equal(veto(report, 'messages')?.state, 'pass');
  });

  test('five stale columns fail the stale-columns veto item', async () => {
    await content({
      本区动态: '2025-11-10T10:00:00+08:00',
      部门动态: '2025-11-01T10:00:00+08:00',
      通知公告: '2025-05-01T10:00:00+08:00',
      政策文件: '2025-04-01T10:00:00+08:00',
    });
    const tree = (await currentSite(store.db)).tree;
    const rsxx = tree.all().find((c) => c.slug === 'rsxx');
    assert.ok(rsxx);
    await updateChannel(ctx, system, rsxx.id, { updateRule: 'notice' });
    await importPage(ctx, makePage({ columns: ['走马观花'], publishedAt: at('2025-11-29T10:00:00+08:00') }));
    const report = await runHealthCheck(ctx, system);
    assert.deepEqual(failed(report), ['stale-columns']);
    assert.deepEqual(veto(report, 'stale-columns')?.items, [
      '本区动态 (/bqdt/) 20 天未更新',
      '通知公告 (/tzgg/) 213 天未更新',
      '部门动态 (/zwgk/bmdt/) 29 天未更新',
      '政策文件 (/zwgk/zcwj/) 243 天未更新',
      '人事信息 (/zwgk/rsxx/) 274 天未更新',
    ]);
  });

  test('a column near its limit is a warning, not a veto; so is the home page at 10 days', async () => {
    await content({
      本区动态: '2025-11-20T10:00:00+08:00',
      通知公告: '2025-06-20T10:00:00+08:00',
      部门动态: '2025-11-21T08:00:00+08:00',
      政策文件: '2025-11-19T10:00:00+08:00',
    });
    const report = await runHealthCheck(ctx, system);
    assert.equal(report.passed, true);
    assert.deepEqual(failed(report), []);
    assert.deepEqual(
      report.columns.filter((c) => c.state === 'warning').map((c) => [c.name, c.ageDays]),
      [
        ['本区动态', 10],
        ['通知公告', 163],
        ['部门动态', 10],
      ],
    );
    assert.deepEqual(report.home, {
      lastUpdate: '2025-11-21T00:00:00.000Z',
      ageDays: 10,
      limitDays: 14,
      state: 'warning',
    });
    assert.deepEqual(scoredItem(report, 'warning-columns')?.items, [
      '本区动态 (/bqdt/) 10 天未更新',
      '通知公告 (/tzgg/) 163 天未更新',
      '部门动态 (/zwgk/bmdt/) 10 天未更新',
    ]);
    assert.equal(scoredItem(report, 'warning-columns')?.state, 'warning');
    assert.equal(report.score, 100 - 3 * 2 - 5);
  });

  test('a home page silent for more than 14 days fails; a column silent for over a year is long stale', async () => {
    await content({
      本区动态: '2024-10-01T10:00:00+08:00',
      通知公告: '2025-11-10T10:00:00+08:00',
      部门动态: '2025-11-12T10:00:00+08:00',
      政策文件: '2025-11-15T08:00:00+08:00',
    });
    const report = await runHealthCheck(ctx, system);
    assert.deepEqual(failed(report), ['home']);
    assert.equal(veto(report, 'home')?.count, 16);
    assert.deepEqual(veto(report, 'long-stale-columns')?.items, ['本区动态 (/bqdt/) 425 天未更新']);
    assert.equal(veto(report, 'long-stale-columns')?.state, 'pass');
  });

  test('wording findings, when given, fail the wording veto item on a serious one', async () => {
    await content();
    const report = await runHealthCheck(ctx, system, {
      wordingFindings: [
        {
          severity: 'serious',
          articleId: null,
          where: '《测试》',
          text: '中华人民共合国',
          suggestion: '中华人民共和国',
        },
        { severity: 'suspect', articleId: null, where: '《测试》', text: '某词' },
      ],
    });
    assert.deepEqual(failed(report), ['wording']);
    assert.deepEqual(veto(report, 'wording')?.items, ['《测试》: 中华人民共合国 → 中华人民共和国']);
    assert.equal(scoredItem(report, 'wording-suspect')?.penalty, 1);
    assert.deepEqual(report.wording, {
      checked: true,
      serious: 1,
      suspect: 1,
      custom: 0,
      findings: [
        {
          severity: 'serious',
          articleId: null,
          where: '《测试》',
          text: '中华人民共合国',
          suggestion: '中华人民共和国',
          editUrl: null,
        },
        { severity: 'suspect', articleId: null, where: '《测试》', text: '某词', suggestion: '', editUrl: null },
      ],
    });
  });

  test('clean content reports nothing: the demo site with its pages, on the pinned clock', async () => {
    await importFiles(ctx, await pagesIn(DEMO_PAGES), 'Asia/Shanghai');
    await guide();
    const report = await runHealthCheck(ctx, system, { sweep: true });
    assert.equal(report.passed, true);
    assert.deepEqual(
      report.vetoes.map((v) => [v.id, v.state]),
      [
        ['home', 'pass'],
        ['stale-columns', 'pass'],
        ['long-stale-columns', 'pass'],
        ['empty-columns', 'pass'],
        ['wording', 'pass'],
        ['messages', 'pass'],
        ['services', 'pass'],
        ['tamper', 'pass'],
      ],
    );
    assert.deepEqual(report.wording, { checked: true, serious: 0, suspect: 0, custom: 0, findings: [] });
    assert.deepEqual(report.links.findings, []);
    assert.deepEqual(
      report.scored.filter((s) => s.state === 'problem'),
      [],
    );
    assert.deepEqual(
      report.columns.map((c) => [c.name, c.state]),
      [
        ['本区动态', 'warning'],
        ['通知公告', 'ok'],
        ['政务公开', 'exempt'],
        ['部门动态', 'ok'],
        ['政策文件', 'ok'],
        ['人事信息', 'exempt'],
        ['办事指南', 'exempt'],
      ],
    );
  });

  test('runs are stored; reading needs health.read and running needs site.manage', async () => {
    await content();
    const accounts = await makeRoleAccounts(ctx);
    await assert.rejects(runHealthCheck(ctx, actorFor(accounts.editor)), { code: 'PERMISSION_DENIED' });
    await assert.rejects(healthOverview(ctx, actorFor(accounts.auditor)), { code: 'PERMISSION_DENIED' });
    const report = await runHealthCheck(ctx, actorFor(accounts.admin));
    const overview = await healthOverview(ctx, actorFor(accounts.editor));
    assert.deepEqual(overview.latest, report);
    assert.deepEqual(
      overview.history.map((h) => [h.score, h.vetoes, h.nightly]),
      [[report.score, 0, false]],
    );
    assert.equal(overview.weekly.weeks.length, 26);
    assert.equal(overview.weekly.weeks[25], '2025-12-01');
    assert.equal(overview.weekly.weeks[0], '2025-06-09');
    const bqdt = overview.weekly.series.find((s) => s.name === '本区动态');
    // 2025-11-28 falls in the week of Monday 2025-11-24, the one before the last.
    assert.deepEqual(bqdt?.counts.slice(-3), [0, 1, 0]);
    // 人事信息's only article (2025-03-01) is older than the 26 weeks shown.
    assert.equal(
      overview.weekly.series.find((s) => s.name === '人事信息')?.counts.reduce((a, b) => a + b, 0),
      0,
    );
    assert.deepEqual(overview.weekly.series.find((s) => s.name === '政策文件')?.counts.slice(-3), [1, 0, 0]);
  });
});
