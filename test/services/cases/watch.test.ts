import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadTheme } from '../../../src/theme/index.js';
import {
  addUnit,
  computeHealthReport,
  letterDesk,
  raiseLetterAlerts,
  stepLetter,
  submitLetter,
  updateLetterDesk,
  type Actor,
  type HealthContext,
} from '../../../src/services/index.js';
import type { HealthReport } from '../../../src/compliance/index.js';
import { BACKENDS, contextFor, type TestStore } from '../../helpers/store.js';
import { demoSite } from '../../helpers/factories.js';
import { actorFor, makeRoleAccounts } from '../../helpers/backoffice.js';
import { letterIdOf, letterInput, solvedPow } from '../../helpers/letters.js';

const vetoOf = (report: HealthReport) => report.vetoes.find((v) => v.id === 'messages');
const lateOf = (report: HealthReport) => report.scored.find((s) => s.id === 'late-letters');

for (const backend of BACKENDS) {
  describe(`the letter watch on ${backend.name}: the 3-month veto and the deadline alerts`, () => {
    let store: TestStore;
    let now: Date;
    let ctx: HealthContext;
    let office: Actor, admin: Actor;
    const outputDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-watch-'));
    const at = (iso: string) => {
      now = new Date(iso);
    };
    const idOf = (queryCode: string) => letterIdOf(store.db, queryCode);

    before(async () => {
      store = await backend.open();
      at('2025-08-01T10:00:00+08:00');
      ctx = { ...contextFor(store), clock: { now: () => now }, theme: loadTheme(), outputDir };
      await demoSite(ctx);
      const accounts = await makeRoleAccounts(ctx);
      office = actorFor(accounts.office);
      admin = actorFor(accounts.admin);
    });
    after(async () => {
      await store.dispose();
      fs.rmSync(outputDir, { recursive: true, force: true });
    });

    test('a letter left unanswered from 2025-08-01 warns on 2025-10-20 and fails the veto on 2025-12-01', async () => {
      const receipt = await submitLetter(
        ctx,
        { ...letterInput({ title: '关于黎里镇老街排水不畅的求助', type: 'help' }), altcha: await solvedPow(ctx) },
        '203.0.113.9',
      );
      at('2025-09-01T10:00:00+08:00');
      assert.deepEqual(vetoOf(await computeHealthReport(ctx)), {
        id: 'messages',
        title: '互动回应差（超过3个月未回应的留言）',
        state: 'pass',
        count: 0,
        threshold: 1,
        detail: '过去一年内没有超过3个月未答复的有效留言',
        todo: '',
        items: [],
      });
      at('2025-10-20T10:00:00+08:00');
      assert.deepEqual(vetoOf(await computeHealthReport(ctx)), {
        id: 'messages',
        title: '互动回应差（超过3个月未回应的留言）',
        state: 'warn',
        count: 0,
        threshold: 1,
        detail: '1 件留言已超过60天未答复，满3个月即单项否决',
        todo: '尽快答复这些留言',
        items: [
          `${receipt.queryCode} 关于黎里镇老街排水不畅的求助（2025-08-01 收到，已 80 天未答复，2025-11-01 满3个月）`,
        ],
      });
      at('2025-12-01T09:00:00+08:00');
      const report = await computeHealthReport(ctx);
      assert.equal(report.passed, false);
      assert.deepEqual(vetoOf(report), {
        id: 'messages',
        title: '互动回应差（超过3个月未回应的留言）',
        state: 'fail',
        count: 1,
        threshold: 1,
        detail: '过去一年内有有效留言超过3个月未答复',
        todo: '立即答复这些留言',
        items: [`${receipt.queryCode} 关于黎里镇老街排水不畅的求助（2025-08-01 收到，已 122 天未答复）`],
      });
      // Declining it (不予受理) makes it no longer a valid letter.
      await stepLetter(ctx, office, await idOf(receipt.queryCode), 'reject', { reason: '内容不明确或联系方式不真实' });
      assert.equal(vetoOf(await computeHealthReport(ctx))?.state, 'pass');
    });

    test('deadline alerts at 50%, 80% and 100% of the working days, and the veto alerts at 60, 80 and 90 days, each once', async () => {
      at('2025-09-26T10:00:00+08:00');
      const unit = await addUnit(ctx, admin, { name: '区水务局' });
      const receipt = await submitLetter(
        ctx,
        {
          ...letterInput({ title: '关于同里镇河道漂浮垃圾的投诉', type: 'complaint', phone: '13912345670' }),
          altcha: await solvedPow(ctx),
        },
        '203.0.113.10',
      );
      const id = await idOf(receipt.queryCode);
      // 投诉: 10 working days from Fri 26 Sep: Sep 28, 29, 30, Oct 9, 10, 11, 13, 14, 15, 16.
      assert.equal((await stepLetter(ctx, office, id, 'accept', {})).dueDay, '2025-10-16');
      await stepLetter(ctx, office, id, 'assign', { unitId: unit.id });
      const alertsOn = async (iso: string) => {
        at(iso);
        return (await raiseLetterAlerts(store.db, now)).filter((a) => a.letterId === id).map((a) => a.alert);
      };
      assert.deepEqual(await alertsOn('2025-10-08T09:00:00+08:00'), []); // 3 of 10
      assert.deepEqual(await alertsOn('2025-10-11T09:00:00+08:00'), ['deadline-50']); // 6 of 10
      assert.deepEqual(await alertsOn('2025-10-11T18:00:00+08:00'), []);
      assert.deepEqual(await alertsOn('2025-10-14T09:00:00+08:00'), ['deadline-80']); // 8 of 10
      assert.deepEqual(await alertsOn('2025-10-17T09:00:00+08:00'), ['deadline-100']); // 11 of 10
      const late = lateOf(await computeHealthReport(ctx));
      assert.deepEqual(late?.items, [
        `${receipt.queryCode} 关于同里镇河道漂浮垃圾的投诉（应于 2025-10-16 前答复，已超期 1 个工作日）`,
      ]);
      assert.deepEqual([late?.state, late?.penalty], ['problem', 1]);
      assert.deepEqual(await alertsOn('2025-11-25T09:00:00+08:00'), ['veto-60']);
      assert.deepEqual(await alertsOn('2025-12-25T09:00:00+08:00'), ['veto-80', 'veto-90']);
      assert.deepEqual(await alertsOn('2025-12-26T09:00:00+08:00'), []);
    });

    test('a site whose desk is closed has no working 咨询建言 channel: the veto fails', async () => {
      const desk = await letterDesk(ctx, admin);
      await updateLetterDesk(ctx, admin, { ...desk, open: false });
      const veto = vetoOf(await computeHealthReport(ctx));
      assert.deepEqual([veto?.state, veto?.detail], ['fail', '没有可用的咨询建言渠道：网上信箱未开通']);
      await updateLetterDesk(ctx, admin, desk);
    });
  });
}
