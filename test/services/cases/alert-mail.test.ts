import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import {
  addSite,
  addUnit,
  createUser,
  loadMailSettings,
  mailLetterAlerts,
  platformConsole,
  raiseLetterAlerts,
  smtpMailer,
  stepLetter,
  submitLetter,
  updateUnit,
  type Actor,
  type MailSettings,
  type Mailer,
  type ServiceContext,
} from '../../../src/services/index.js';
import { letterWatchTick } from '../../../src/cli/scheduler.js';
import { letters, users } from '../../../src/store/index.js';
import type { Role } from '../../../src/domain/index.js';
import { BACKENDS, contextFor, type TestStore } from '../../helpers/store.js';
import { demoSite } from '../../helpers/factories.js';
import { actorFor, makeUser, TEST_PASSWORD } from '../../helpers/backoffice.js';
import { letterIdOf, letterInput, solvedPow } from '../../helpers/letters.js';
import { closedPort, startSmtpServer, type TestSmtpServer } from '../../helpers/mail.js';

const FROM = '领导信箱 <xinxiang@example.gov.cn>';
const ADMIN_URL = 'https://oa.example.gov.cn/admin/';

/** A logger whose lines the test reads. */
function capturingLog(): { log: ReturnType<typeof pino>; lines: () => string[] } {
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { log: pino({ level: 'info' }, sink), lines: () => chunks.join('').split('\n').filter(Boolean) };
}

for (const backend of BACKENDS) {
  describe(`the letter alerts by mail on ${backend.name}: a real SMTP server on loopback`, () => {
    let store: TestStore;
    let now: Date;
    let ctx: ServiceContext;
    let smtp: TestSmtpServer;
    let settings: MailSettings;
    let mailer: Mailer;
    let office: Actor;
    let letterA: { id: number; queryCode: string };
    let letterB: { id: number; queryCode: string };
    let letterC: { id: number; queryCode: string };
    const at = (iso: string) => {
      now = new Date(iso);
    };

    /** An account with a display name and, optionally, an address. */
    async function account(username: string, displayName: string, role: Role, email?: string, siteId = 1) {
      return createUser({ ...ctx, siteId }, 'console', {
        username,
        displayName,
        password: TEST_PASSWORD,
        roles: [{ role, channelId: null }],
        mustChangePassword: false,
        ...(email !== undefined && { email }),
      });
    }

    async function letter(title: string, type: 'help' | 'complaint', phone: string) {
      const receipt = await submitLetter(
        ctx,
        { ...letterInput({ title, type, phone }), altcha: await solvedPow(ctx) },
        `203.0.113.${phone.slice(-2)}`,
      );
      return { id: await letterIdOf(store.db, receipt.queryCode), queryCode: receipt.queryCode };
    }

    const unmailed = async () => (await letters.unmailedAlerts(store.db)).map((a) => a.alert).sort();

    before(async () => {
      store = await backend.open();
      smtp = await startSmtpServer();
      at('2025-08-01T10:00:00+08:00');
      ctx = { ...contextFor(store), clock: { now: () => now } };
      await demoSite(ctx);
      ctx = { ...ctx, siteId: 1 };
      const admin = actorFor(await makeUser(ctx, 'siteadmin', [{ role: 'admin' }]));
      const other = await addSite(ctx, platformConsole('test'), { host: 'swj.example.gov.cn', name: '示范区水务局' });
      // The office of this site, with an address: every alert of the site's letters.
      office = actorFor(await account('wangsl', '王受理', 'office', 'wang@example.gov.cn'));
      // The office of another site: none of this site's alerts.
      await account('sunsl', '孙受理', 'office', 'sun@example.gov.cn', other.id);
      // 区水务局's handlers: one with an address, one without, one with an address but disabled.
      const li = await account('licb', '李承办', 'handler', 'li@example.gov.cn');
      const zhao = await account('zhaocb', '赵承办', 'handler');
      const qian = await account('qiancb', '钱承办', 'handler', 'qian@example.gov.cn');
      await users.updateUser(store.db, qian.id, { disabled: 1 }, now);
      // 区教育局's handler: only that unit's letters.
      const zhou = await account('zhoucb', '周承办', 'handler', 'zhou@example.gov.cn');
      const water = await addUnit(ctx, admin, { name: '区水务局' });
      const schools = await addUnit(ctx, admin, { name: '区教育局' });
      await updateUnit(ctx, admin, water.id, {
        members: [li, zhao, qian].map((u, i) => ({ userId: u.id, leader: i === 0 })),
      });
      await updateUnit(ctx, admin, schools.id, { members: [{ userId: zhou.id, leader: true }] });

      // B: a request for help left unanswered (not even screened) since 1 August.
      letterB = await letter('关于黎里镇老街排水不畅的求助', 'help', '13912345601');
      // A: a complaint given to 区水务局 on Fri 26 September, due in 10 working days (16 October).
      at('2025-09-26T10:00:00+08:00');
      letterA = await letter('关于同里镇河道漂浮垃圾的投诉', 'complaint', '13912345602');
      assert.equal((await stepLetter(ctx, office, letterA.id, 'accept', {})).dueDay, '2025-10-16');
      await stepLetter(ctx, office, letterA.id, 'assign', { unitId: water.id });
      // C: a complaint given to 区教育局 on Mon 13 October, due on the 27th.
      at('2025-10-13T10:00:00+08:00');
      letterC = await letter('关于松陵实验小学门口交通拥堵的投诉', 'complaint', '13912345603');
      assert.equal((await stepLetter(ctx, office, letterC.id, 'accept', {})).dueDay, '2025-10-27');
      await stepLetter(ctx, office, letterC.id, 'assign', { unitId: schools.id });

      settings =
        loadMailSettings({ GAZETTE_SMTP_URL: smtp.url, GAZETTE_MAIL_FROM: FROM, GAZETTE_ADMIN_URL: ADMIN_URL }) ??
        assert.fail('mail settings');
      mailer = smtpMailer(settings);
    });
    after(async () => {
      mailer?.close();
      await smtp?.close();
      await store?.dispose();
    });

    test('one mail per recipient, to the unit’s handlers and the site’s office, naming each letter with its query code, due day and link', async () => {
      at('2025-10-14T09:00:00+08:00');
      const raised = await raiseLetterAlerts(store.db, now);
      assert.deepEqual(
        raised.map((r) => [r.letterId, r.alert]),
        [
          [letterB.id, 'veto-60'],
          [letterA.id, 'deadline-50'],
          [letterA.id, 'deadline-80'],
        ],
      );
      const report = await mailLetterAlerts(ctx, mailer, { adminUrl: settings.adminUrl });
      assert.deepEqual(report, { sent: 2, marked: 3, failed: [] });
      assert.deepEqual(
        smtp.received.map((m) => [m.user, m.mailFrom, m.rcptTo, m.from, m.to, m.subject]),
        [
          [
            'gazette',
            'xinxiang@example.gov.cn',
            ['wang@example.gov.cn'],
            '领导信箱 <xinxiang@example.gov.cn>',
            '王受理 <wang@example.gov.cn>',
            '【互动交流】来信办理提醒（2件）',
          ],
          [
            'gazette',
            'xinxiang@example.gov.cn',
            ['li@example.gov.cn'],
            '领导信箱 <xinxiang@example.gov.cn>',
            '李承办 <li@example.gov.cn>',
            '【互动交流】来信办理提醒（1件）',
          ],
        ],
      );
      const blockA = [
        '关于同里镇河道漂浮垃圾的投诉',
        `   查询码：${letterA.queryCode}`,
        '   提醒：办理期限已用去80%',
        '   承办单位：区水务局',
        '   办理期限：2025-10-16',
        `   办理：https://oa.example.gov.cn/admin/letters/${letterA.id}`,
      ];
      assert.deepEqual(
        smtp.received[0]?.text.split('\n'),
        [
          '王受理，您好：',
          '',
          '以下 2 件来信需要关注，请及时办理：',
          '',
          '1. 关于黎里镇老街排水不畅的求助',
          `   查询码：${letterB.queryCode}`,
          '   提醒：已60天未答复',
          '   承办单位：尚未转办',
          '   办理期限：尚未确定',
          `   办理：https://oa.example.gov.cn/admin/letters/${letterB.id}`,
          '',
          `2. ${blockA.join('\n')}`.split('\n'),
          '',
          '这些提醒也显示在后台的工作台上。本邮件由系统自动发送，请勿回复。',
          '',
        ].flat(),
      );
      assert.deepEqual(
        smtp.received[1]?.text.split('\n'),
        [
          '李承办，您好：',
          '',
          '以下 1 件来信需要关注，请及时办理：',
          '',
          `1. ${blockA.join('\n')}`.split('\n'),
          '',
          '这些提醒也显示在后台的工作台上。本邮件由系统自动发送，请勿回复。',
          '',
        ].flat(),
      );
      assert.deepEqual(await unmailed(), []);
      // Nothing new: nothing sent again.
      assert.deepEqual(await mailLetterAlerts(ctx, mailer, { adminUrl: null }), { sent: 0, marked: 0, failed: [] });
      assert.equal(smtp.received.length, 2);
    });

    test('a server that is down: the failure is logged (without the password) and the alerts stay unmailed until it is back', async () => {
      at('2025-10-16T09:00:00+08:00');
      const down = smtpMailer(
        loadMailSettings({
          GAZETTE_SMTP_URL: `smtp://gazette:S3cret%3Ap%40ss%2Fword@127.0.0.1:${await closedPort()}`,
          GAZETTE_MAIL_FROM: FROM,
        }) ?? assert.fail('mail settings'),
      );
      const { log, lines } = capturingLog();
      await letterWatchTick(ctx, log, { mailer: down, adminUrl: null })();
      down.close();
      assert.deepEqual(await unmailed(), ['deadline-100']);
      const logged = lines().map((line) => JSON.parse(line) as { level: number; msg: string; kind?: string });
      assert.deepEqual(
        logged.map((l) => [l.level, l.msg, l.kind]),
        [
          [30, 'letter deadline alerts raised', undefined],
          [40, 'letter alert mail not sent: its alerts stay unmailed and are sent at the next watch', 'unavailable'],
        ],
      );
      assert.match(lines()[1] ?? '', /ECONNREFUSED|connect/);
      assert.ok(!lines().join('\n').includes('S3cret'), 'the password is never logged');
      assert.equal(smtp.received.length, 2);

      // The next watch, with the server up: the same alerts go out, once.
      await letterWatchTick(ctx, log, { mailer, adminUrl: null })();
      assert.deepEqual(await unmailed(), []);
      assert.deepEqual(
        smtp.received.slice(2).map((m) => [m.rcptTo, m.subject]),
        [
          [['wang@example.gov.cn'], '【互动交流】来信办理提醒（1件）'],
          [['li@example.gov.cn'], '【互动交流】来信办理提醒（1件）'],
        ],
      );
      // Without GAZETTE_ADMIN_URL the link is the back office on the letter's site.
      assert.ok(
        smtp.received[2]?.text.includes(
          `   提醒：已到办理期限\n   承办单位：区水务局\n   办理期限：2025-10-16\n   办理：https://www.example.gov.cn/admin/letters/${letterA.id}\n`,
        ),
        smtp.received[2]?.text,
      );
    });

    test('without SMTP nothing is tried and the alerts wait; an address the server refuses for good is not tried again', async () => {
      at('2025-10-20T09:00:00+08:00');
      const { log, lines } = capturingLog();
      await letterWatchTick(ctx, log, null)();
      // B at 80 days; C, 区教育局's, at 5 of its 10 working days.
      assert.deepEqual(await unmailed(), ['deadline-50', 'veto-80']);
      assert.equal(smtp.received.length, 4);
      assert.deepEqual(
        lines().map((line) => (JSON.parse(line) as { msg: string }).msg),
        ['letter deadline alerts raised'],
      );

      const strict = await startSmtpServer({ refuse: ['wang@example.gov.cn'] });
      const strictMailer = smtpMailer(
        loadMailSettings({ GAZETTE_SMTP_URL: strict.url, GAZETTE_MAIL_FROM: FROM }) ?? assert.fail('mail settings'),
      );
      try {
        const report = await mailLetterAlerts(ctx, strictMailer, { adminUrl: ADMIN_URL });
        assert.deepEqual([report.sent, report.marked, report.failed.map((f) => f.kind)], [1, 2, ['recipient-refused']]);
        assert.match(report.failed[0]?.error ?? '', /550/);
        assert.deepEqual(await unmailed(), []);
        // 区教育局's handler hears of C alone.
        assert.deepEqual(
          strict.received.map((m) => [m.rcptTo, m.subject, m.text.split('\n').slice(4, 10)]),
          [
            [
              ['zhou@example.gov.cn'],
              '【互动交流】来信办理提醒（1件）',
              [
                '1. 关于松陵实验小学门口交通拥堵的投诉',
                `   查询码：${letterC.queryCode}`,
                '   提醒：办理期限已过半',
                '   承办单位：区教育局',
                '   办理期限：2025-10-27',
                `   办理：https://oa.example.gov.cn/admin/letters/${letterC.id}`,
              ],
            ],
          ],
        );
      } finally {
        strictMailer.close();
        await strict.close();
      }
    });
  });
}
