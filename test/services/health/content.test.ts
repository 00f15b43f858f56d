import { after, afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { replaceFindings, type HealthReport } from '../../../src/compliance/index.js';
import { GazetteError } from '../../../src/domain/index.js';
import { loadTheme } from '../../../src/theme/index.js';
import {
  computeHealthReport,
  createArticle,
  getArticle,
  updateArticle,
  currentSite,
  putCalendarDays,
  setInterpretationDueDays,
  siteSettings,
  stepArticle,
  systemActor,
  type HealthContext,
} from '../../../src/services/index.js';
import { BACKENDS, PINNED_NOW, contextFor, type TestStore } from '../../helpers/store.js';
import { demoSite } from '../../helpers/factories.js';
import { actorFor, makeRoleAccounts } from '../../helpers/backoffice.js';
import { COMPLETE_GUIDE, COMPLETE_POLICY, publishItem, typedColumn } from '../../helpers/items.js';

const veto = (report: HealthReport, id: string) => report.vetoes.find((v) => v.id === id);
const scoredItem = (report: HealthReport, id: string) => report.scored.find((s) => s.id === id);

const SERVICES_TITLE = '服务不实用（未提供办事服务，或办事指南要素缺失、网上办理链接失效累计超过5个事项）';
const ONLINE = { url: 'https://zwfw.example.gov.cn/banli/1001', text: '网上办理' };

for (const backend of BACKENDS) {
  describe(`health report: 办事服务 and 政策解读 on ${backend.name} (pinned ${PINNED_NOW})`, () => {
    let store: TestStore;
    let ctx: HealthContext;
    let now: Date;
    const outputDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-health-content-'));

    beforeEach(async () => {
      store = await backend.open();
      now = new Date(PINNED_NOW);
      ctx = { ...contextFor(store), clock: { now: () => now }, theme: loadTheme(), outputDir };
      await demoSite(ctx);
    });
    afterEach(() => store.dispose());
    after(() => fs.rmSync(outputDir, { recursive: true, force: true }));

    const report = () => computeHealthReport(ctx);
    /** Publishes on the clock set to `at` (site time), then puts the clock back to the pinned now. */
    async function publishedOn(at: string, publish: () => Promise<{ id: number }>): Promise<number> {
      now = new Date(at);
      try {
        return (await publish()).id;
      } finally {
        now = new Date(PINNED_NOW);
      }
    }

    describe('办事服务 (服务不实用)', () => {
      test('a site without a published 办事指南 fails it, a draft guide changes nothing', async () => {
        const expected = {
          id: 'services',
          title: SERVICES_TITLE,
          state: 'fail',
          count: null,
          threshold: 6,
          detail: '没有已发布的办事指南：未提供办事服务',
          todo: '在“办事指南”类型的栏目中发布本单位的办事指南',
          items: [],
        };
        const before = await report();
        assert.deepEqual(veto(before, 'services'), expected);
        assert.equal(before.passed, false);
        assert.deepEqual(
          before.vetoes.map((v) => v.id),
          ['home', 'stale-columns', 'long-stale-columns', 'empty-columns', 'wording', 'messages', 'services', 'tamper'],
        );
        const column = await typedColumn(ctx, '办事指南', 'bszn', 'guide');
        await createArticle(ctx, systemActor('test'), {
          channelId: column,
          title: '尚未发布的指南',
          bodyHtml: '',
          fields: COMPLETE_GUIDE,
        });
        assert.deepEqual(veto(await report(), 'services'), expected);
      });

      test('a complete published guide passes it', async () => {
        const column = await typedColumn(ctx, '办事指南', 'bszn', 'guide');
        await publishItem(ctx, column, '居民身份证申领', { ...COMPLETE_GUIDE, online: ONLINE });
        assert.deepEqual(veto(await report(), 'services'), {
          id: 'services',
          title: SERVICES_TITLE,
          state: 'pass',
          count: 0,
          threshold: 6,
          detail: '已发布 1 个办事指南，要素齐全，网上办理链接有效',
          todo: '',
          items: [],
        });
      });

      test('a broken 网上办理 link found by the link check is a fault; other findings are not', async () => {
        const column = await typedColumn(ctx, '办事指南', 'bszn', 'guide');
        const guide = await publishItem(ctx, column, '居民身份证申领', { ...COMPLETE_GUIDE, online: ONLINE });
        const other = await publishItem(ctx, column, '户口迁移', COMPLETE_GUIDE);
        const { site } = await currentSite(store.db);
        const guidePage = guide.url ?? '';
        const otherPage = other.url ?? '';
        await replaceFindings(
          store.db,
          site.id,
          'all',
          [
            // The guide's own 网上办理 link: its fault.
            {
              pagePath: guidePage,
              articleId: guide.id,
              url: ONLINE.url,
              kind: 'external',
              status: 404,
              reason: 'HTTP 404',
            },
            // Another link on the guide's page: a broken link, not a 网上办理 fault.
            {
              pagePath: guidePage,
              articleId: guide.id,
              url: '/zwgk/old.html',
              kind: 'internal',
              status: null,
              reason: 'no such page',
            },
            // The same address on another guide's page, where it is not its 网上办理 link.
            {
              pagePath: otherPage,
              articleId: other.id,
              url: ONLINE.url,
              kind: 'external',
              status: 404,
              reason: 'HTTP 404',
            },
          ],
          now,
        );
        const result = await report();
        assert.deepEqual(veto(result, 'services'), {
          id: 'services',
          title: SERVICES_TITLE,
          state: 'warn',
          count: 1,
          threshold: 6,
          detail: '已发布 2 个办事指南，其中 1 个要素缺失或网上办理链接失效',
          todo: '补全这些办事指南的要素，改正失效的网上办理链接',
          items: [`《居民身份证申领》网上办理链接失效：${ONLINE.url} — HTTP 404`],
        });
        assert.equal(result.passed, false, 'the demo site has empty columns');
        assert.deepEqual(
          result.vetoes.filter((v) => v.state === 'fail').map((v) => v.id),
          ['empty-columns'],
        );
      });

      test('six guides with faults (an element lost, a broken link) fail it', async () => {
        const column = await typedColumn(ctx, '办事指南', 'bszn', 'guide');
        const ids: number[] = [];
        for (const n of [1, 2, 3, 4, 5, 6])
          ids.push((await publishItem(ctx, column, `事项${n}`, { ...COMPLETE_GUIDE, online: ONLINE })).id);
        // Values brought in from an old system, not through the editor: a guide without its place and phone.
        const { place: _place, phone: _phone, ...lacking } = COMPLETE_GUIDE;
        await store.db
          .updateTable('article')
          .set({ fields: JSON.stringify({ ...lacking, online: ONLINE }) })
          .where('id', '=', ids[0] ?? 0)
          .execute();
        const { site } = await currentSite(store.db);
        await replaceFindings(
          store.db,
          site.id,
          'all',
          ids.slice(0, 5).map((id, i) => ({
            pagePath: `/bszn/${i}.html`,
            articleId: id,
            url: ONLINE.url,
            kind: 'external' as const,
            status: 502,
            reason: 'HTTP 502',
          })),
          now,
        );
        const fiveFaulty = veto(await report(), 'services');
        assert.deepEqual([fiveFaulty?.state, fiveFaulty?.count], ['warn', 5]);
        await store.db
          .updateTable('article')
          .set({ fields: JSON.stringify(lacking) })
          .where('id', '=', ids[5] ?? 0)
          .execute();
        const result = veto(await report(), 'services');
        assert.deepEqual(result, {
          id: 'services',
          title: SERVICES_TITLE,
          state: 'fail',
          count: 6,
          threshold: 6,
          detail: '已发布 6 个办事指南，其中 6 个要素缺失或网上办理链接失效',
          todo: '补全这些办事指南的要素，改正失效的网上办理链接',
          items: [
            `《事项1》缺少要素：办理地点、咨询电话；网上办理链接失效：${ONLINE.url} — HTTP 502`,
            `《事项2》网上办理链接失效：${ONLINE.url} — HTTP 502`,
            `《事项3》网上办理链接失效：${ONLINE.url} — HTTP 502`,
            `《事项4》网上办理链接失效：${ONLINE.url} — HTTP 502`,
            `《事项5》网上办理链接失效：${ONLINE.url} — HTTP 502`,
            '《事项6》缺少要素：办理地点、咨询电话',
          ],
        });
      });
    });

    describe('政策解读', () => {
      /** The columns of policies and of their 解读. */
      const columns = async () => ({
        policies: await typedColumn(ctx, '规范性文件', 'gfxwj', 'policy'),
        readings: await typedColumn(ctx, '政策解读', 'zcjd', 'interpretation'),
      });
      /** Policy 甲 published Tuesday 2025-11-25 (4 working days before the pinned Monday), 乙 Thursday 2025-11-27 (2). */
      async function twoPolicies(): Promise<{ jia: number; yi: number; readings: number }> {
        const { policies, readings } = await columns();
        const jia = await publishedOn('2025-11-25T10:00:00+08:00', () =>
          publishItem(ctx, policies, '关于甲的办法', COMPLETE_POLICY),
        );
        const yi = await publishedOn('2025-11-27T10:00:00+08:00', () =>
          publishItem(ctx, policies, '关于乙的通知', COMPLETE_POLICY),
        );
        return { jia, yi, readings };
      }

      test('no policy: the item is ok and lists nothing', async () => {
        await columns();
        assert.deepEqual(scoredItem(await report(), 'interpretations'), {
          id: 'interpretations',
          title: '政策文件未及时解读（发布后 3 个工作日内未关联政策解读）',
          state: 'ok',
          count: 0,
          perItem: 1,
          maxPenalty: 5,
          penalty: 0,
          todo: '',
          items: [],
        });
      });

      test('a policy 2 working days old is pending, one 4 working days old warns and takes a point', async () => {
        await twoPolicies();
        const result = await report();
        assert.deepEqual(scoredItem(result, 'interpretations'), {
          id: 'interpretations',
          title: '政策文件未及时解读（发布后 3 个工作日内未关联政策解读）',
          state: 'warning',
          count: 1,
          perItem: 1,
          maxPenalty: 5,
          penalty: 1,
          todo: '为这些政策文件发布解读，并在解读的“解读的政策文件”中关联',
          items: [
            '《关于甲的办法》（2025-11-25 发布，应于 2025-11-28 前关联解读，已超期 1 个工作日）',
            '《关于乙的通知》（2025-11-27 发布，待解读，应于 2025-12-02 前关联）',
          ],
        });
        assert.equal(result.score, 100 - result.scored.reduce((sum, s) => sum + s.penalty, 0));
      });

      test('a policy no longer in force needs no 解读 (regression: the demo’s repealed policy was listed)', async () => {
        const { jia } = await twoPolicies();
        const policy = await getArticle(ctx, systemActor('test'), jia);
        await updateArticle(ctx, systemActor('test'), jia, {
          version: policy.version,
          fields: { validity: '已废止', validityDate: '2025-11-30' },
        });
        assert.deepEqual(scoredItem(await report(), 'interpretations')?.items, [
          '《关于乙的通知》（2025-11-27 发布，待解读，应于 2025-12-02 前关联）',
        ]);
      });

      test('linking a published 解读 clears its policy; a draft one does not', async () => {
        const { jia, yi, readings } = await twoPolicies();
        await publishItem(ctx, readings, '《关于甲的办法》解读', { policies: [jia], form: '文字' });
        const draft = await createArticle(ctx, systemActor('test'), {
          channelId: readings,
          title: '《关于乙的通知》解读',
          bodyHtml: '<p>草稿</p>',
          fields: { policies: [yi], form: '问答' },
        });
        assert.deepEqual(scoredItem(await report(), 'interpretations'), {
          id: 'interpretations',
          title: '政策文件未及时解读（发布后 3 个工作日内未关联政策解读）',
          state: 'ok',
          count: 0,
          perItem: 1,
          maxPenalty: 5,
          penalty: 0,
          todo: '在时限内为这些政策文件发布解读',
          items: ['《关于乙的通知》（2025-11-27 发布，待解读，应于 2025-12-02 前关联）'],
        });
        // Published, the second 解读 clears 乙 too; withdrawn, the first no longer covers 甲.
        const system = systemActor('test');
        let step = await stepArticle(ctx, system, draft.id, 'submit');
        while (step.status === 'submitted') step = await stepArticle(ctx, system, draft.id, 'approve');
        await stepArticle(ctx, system, draft.id, 'publish');
        assert.deepEqual(scoredItem(await report(), 'interpretations')?.items, []);
        const first = await store.db
          .selectFrom('articleRelation')
          .select('articleId')
          .where('targetId', '=', jia)
          .executeTakeFirstOrThrow();
        await stepArticle(ctx, system, first.articleId, 'withdraw', { reason: '内容有误' });
        assert.deepEqual(scoredItem(await report(), 'interpretations')?.items, [
          '《关于甲的办法》（2025-11-25 发布，应于 2025-11-28 前关联解读，已超期 1 个工作日）',
        ]);
      });

      test('the site setting changes the limit, in the title and the due days', async () => {
        await twoPolicies();
        const { admin, editor } = await makeRoleAccounts(ctx);
        await assert.rejects(setInterpretationDueDays(ctx, actorFor(editor), 5), { code: 'PERMISSION_DENIED' });
        for (const bad of [0, 31, 2.5])
          await assert.rejects(setInterpretationDueDays(ctx, actorFor(admin), bad), (error: unknown) => {
            assert.ok(error instanceof GazetteError);
            assert.deepEqual(
              [error.code, error.messageIn('zh'), error.messageIn('en')],
              [
                'FIELD_INVALID',
                '字段 interpretationDueDays 无效：须为 1 到 30 之间的整数（工作日）',
                'Invalid interpretationDueDays: a whole number of working days from 1 to 30',
              ],
            );
            return true;
          });
        assert.equal((await siteSettings(ctx)).interpretationDueDays, 3);
        assert.equal((await setInterpretationDueDays(ctx, actorFor(admin), 5)).interpretationDueDays, 5);
        const lax = scoredItem(await report(), 'interpretations');
        assert.deepEqual(
          [lax?.title, lax?.state, lax?.items],
          [
            '政策文件未及时解读（发布后 5 个工作日内未关联政策解读）',
            'ok',
            [
              '《关于甲的办法》（2025-11-25 发布，待解读，应于 2025-12-02 前关联）',
              '《关于乙的通知》（2025-11-27 发布，待解读，应于 2025-12-04 前关联）',
            ],
          ],
        );
        await setInterpretationDueDays(ctx, actorFor(admin), 1);
        const strict = scoredItem(await report(), 'interpretations');
        assert.deepEqual(
          [strict?.state, strict?.count, strict?.penalty, strict?.items],
          [
            'warning',
            2,
            2,
            [
              '《关于甲的办法》（2025-11-25 发布，应于 2025-11-26 前关联解读，已超期 3 个工作日）',
              '《关于乙的通知》（2025-11-27 发布，应于 2025-11-28 前关联解读，已超期 1 个工作日）',
            ],
          ],
        );
        const audit = await store.db
          .selectFrom('auditLog')
          .select(['action', 'userName', 'details'])
          .where('action', '=', 'site.interpretation-due-days')
          .orderBy('seq')
          .execute();
        assert.deepEqual(
          audit.map((a) => [a.action, a.userName, JSON.parse(a.details) as unknown]),
          [
            ['site.interpretation-due-days', 'siteadmin', { interpretationDueDays: 5, was: 3 }],
            ['site.interpretation-due-days', 'siteadmin', { interpretationDueDays: 1, was: 5 }],
          ],
        );
      });

      test('working days follow the letter desk’s calendar: a day off entered there does not count', async () => {
        await twoPolicies();
        const { platform } = await makeRoleAccounts(ctx);
        await putCalendarDays(ctx, actorFor(platform), [{ day: '2025-11-28', kind: 'holiday', name: '测试假日' }]);
        assert.deepEqual(scoredItem(await report(), 'interpretations')?.items, [
          '《关于甲的办法》（2025-11-25 发布，待解读，应于 2025-12-01 前关联）',
          '《关于乙的通知》（2025-11-27 发布，待解读，应于 2025-12-03 前关联）',
        ]);
      });
    });
  });
}
