import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import {
  addUnit,
  stepLetter,
  submitLetter,
  updateUnit,
  type NewLetter,
  type ServiceContext,
  type UserView,
} from '../../src/services/index.js';
import { backOfficeInBrowser, type BackOfficeInBrowser } from '../helpers/app.js';
import { axeViolations } from '../helpers/browser.js';
import { actorFor, makeRoleAccounts, makeUser } from '../helpers/backoffice.js';
import { letterIdOf, letterInput, solvedPow } from '../helpers/letters.js';
import { contextFor, pinnedClock } from '../helpers/store.js';

const TITLE = '关于松陵镇中山路路灯不亮的咨询';
const LATE_TITLE = '关于区图书馆周末开放时间的咨询';
const DUPLICATE_TITLE = '关于松陵镇中山路路灯不亮的再次咨询';
const WORDING_TITLE = '关于国家旅游局旧标牌仍未更换的建议';
const REPLY = '您好，已安排维修，预计本周内修复。';

describe('互动交流 in Chromium: the office screens and routes a letter, the unit answers, two reviews, published', () => {
  let office: BackOfficeInBrowser;
  let page: Page;
  let base: string;
  let accounts: Awaited<ReturnType<typeof makeRoleAccounts>>;
  let leader: UserView;
  const ids = { main: 0, late: 0, duplicate: 0, wording: 0 };

  before(async () => {
    office = await backOfficeInBrowser({ pages: false });
    ({ page, base } = office);
    const ctx: ServiceContext = { ...contextFor(office.store), siteId: 1 };
    accounts = await makeRoleAccounts(ctx);
    leader = await makeUser(ctx, 'bureau-head', [{ role: 'handler' }]);
    const admin = actorFor(accounts.admin);
    const bureau = await addUnit(ctx, admin, { name: '区住建局' });
    await updateUnit(ctx, admin, bureau.id, {
      members: [
        { userId: leader.id, leader: true },
        { userId: accounts.handler.id, leader: false },
      ],
    });
    let ip = 0;
    const send = async (at: ServiceContext, overrides: Partial<NewLetter>) => {
      const receipt = await submitLetter(
        at,
        { ...letterInput(overrides), altcha: await solvedPow(at) },
        `203.0.113.${++ip}`,
      );
      return letterIdOf(office.store.db, receipt.queryCode);
    };
    // Accepted four weeks ago: 5 working days from Monday 3 November ran out on the 10th.
    const earlier = { ...ctx, clock: pinnedClock('2025-11-03T09:00:00+08:00') };
    ids.late = await send(earlier, { title: LATE_TITLE, phone: '13900000001' });
    await stepLetter(earlier, actorFor(accounts.office), ids.late, 'accept', {});
    ids.main = await send(ctx, {});
    ids.duplicate = await send(ctx, { title: DUPLICATE_TITLE, phone: '13900000002' });
    ids.wording = await send(ctx, {
      type: 'suggestion',
      title: WORDING_TITLE,
      phone: '13900000003',
      body: '区文化馆门口仍挂着国家旅游局的旧标牌，机构改革后早已更名，建议尽快更换，以免误导来访群众。',
    });
  });
  after(async () => {
    await office?.app.gazette.publisher.idle();
    await office?.close();
  });

  async function cells(row: string): Promise<string[]> {
    return page.locator(row).locator('th, td').allInnerTexts();
  }

  async function openLetter(id: number): Promise<void> {
    await page.goto(`${base}/admin/letters/${id}`);
    await page.locator('#letter-status').waitFor();
    await page.locator('#letter-actions-title').waitFor();
  }

  /** The step buttons the screen offers, in order. */
  function stepButtons(): Promise<string[]> {
    return page.locator('button[id^="step-"]').allInnerTexts();
  }

  async function takeStep(step: string, said: string): Promise<void> {
    await page.locator(`#step-${step}`).click();
    const status = page.locator('#letter-step-status');
    await status.filter({ hasText: said }).waitFor();
    assert.equal(await status.innerText(), said);
  }

  const text = (selector: string) => page.locator(selector).innerText();

  test('the inbox: deadlines in working days, late ones marked in words, flags, and a status filter', async () => {
    await office.signIn('office');
    await page.goto(`${base}/admin/letters`);
    const rows = page.locator('table.letters-table tbody tr');
    await rows.nth(3).waitFor();
    assert.deepEqual(await cells(`table.letters-table tr:has(a:text-is("${TITLE}"))`), [
      TITLE,
      '咨询',
      '待审查',
      '—',
      '2025-12-01',
      '—',
      '',
    ]);
    const late = `table.letters-table tr:has(a:text-is("${LATE_TITLE}"))`;
    assert.deepEqual(await cells(late), [
      LATE_TITLE,
      '咨询',
      '已受理',
      '—',
      '2025-11-03',
      '⚠ 2025-11-10（超期 15 个工作日）',
      '',
    ]);
    assert.equal(await page.locator(late).getAttribute('class'), 'late');
    assert.equal(
      (await cells(`table.letters-table tr:has(a:text-is("${DUPLICATE_TITLE}"))`))[6],
      `疑似重复（#${ids.main}）`,
    );
    assert.equal((await cells(`table.letters-table tr:has(a:text-is("${WORDING_TITLE}"))`))[6], '敏感词：国家旅游局');
    assert.deepEqual(await axeViolations(page), [], 'axe-core on the inbox');

    // Only the overdue: the late letter alone; then back to all. Regression (a checked filter box
    // was sent as 1, which the API's booleans refuse: the articles' 只看我的 failed the same way).
    await page.locator('#letters-overdue').check();
    await page.locator('#letters-search').click();
    await page.waitForFunction(() => document.querySelectorAll('table.letters-table tbody tr').length === 1);
    assert.equal(await rows.first().locator('th').innerText(), LATE_TITLE);
    await page.locator('#letters-overdue').uncheck();
    await page.locator('#letters-search').click();
    await rows.nth(3).waitFor();

    await page.locator('#letters-tab-accepted').click();
    await page.waitForFunction(() => document.querySelectorAll('table.letters-table tbody tr').length === 1);
    assert.equal(await rows.first().locator('th').innerText(), LATE_TITLE);
    assert.equal(await page.locator('#letters-tab-accepted').getAttribute('aria-pressed'), 'true');
    assert.equal(await page.locator('table.letters-table caption').textContent(), '来信列表：已受理');

    await page.getByRole('button', { name: 'English' }).click();
    await page.locator('h1', { hasText: 'Letters' }).waitFor();
    assert.deepEqual(await cells('table.letters-table tbody tr'), [
      LATE_TITLE,
      'Enquiry',
      'Accepted',
      '—',
      '2025-11-03',
      '⚠ 2025-11-10 (15 working days late)',
      '',
    ]);
    await page.getByRole('button', { name: '中文' }).click();
    await page.locator('h1', { hasText: '互动交流' }).waitFor();
  });

  test('received → accepted → assigned by the office; the writer’s details only on request, and audited', async () => {
    await page.locator('#letters-tab-all').click();
    await page.getByRole('link', { name: TITLE, exact: true }).click();
    await page.locator('#letter-actions-title').waitFor();
    assert.equal(await page.locator('h1').innerText(), TITLE);
    assert.equal(await text('#letter-status'), '待审查');
    assert.deepEqual(await stepButtons(), ['受理', '不予受理', '合并重复件']);
    assert.equal(await page.locator('#letter-writer').count(), 0);

    await page.locator('#letter-writer-show').click();
    await page.locator('#letter-writer').waitFor();
    assert.deepEqual(await page.locator('#letter-writer dd').allInnerTexts(), [
      '张三丰',
      '13812345678',
      'zhang@example.com',
      '江苏省苏州市吴江区松陵镇中山路88号',
    ]);
    const reads = await office.store.db
      .selectFrom('auditLog')
      .select(['userName'])
      .where('action', '=', 'letter.personal-read')
      .where('targetId', '=', String(ids.main))
      .execute();
    assert.deepEqual(reads, [{ userName: 'office' }]);
    assert.deepEqual(await axeViolations(page), [], 'axe-core on a received letter');
    await page.locator('#letter-writer-hide').click();
    await page.locator('#letter-writer').waitFor({ state: 'detached' });

    await takeStep('accept', '“受理”已完成，当前状态：已受理');
    assert.equal(await text('#letter-status'), '已受理');
    assert.equal(await text('#letter-due'), '2025-12-08（剩 5 个工作日）');
    assert.deepEqual(await stepButtons(), ['合并重复件', '转办']);

    await page.locator('#step-assign-unit option', { hasText: '区住建局' }).waitFor({ state: 'attached' });
    await page.locator('#step-assign-unit').selectOption({ label: '区住建局' });
    await page.locator('#step-assign-note').fill('请区住建局办理');
    await takeStep('assign', '“转办”已完成，当前状态：办理中');
    assert.equal(await text('#letter-unit'), '区住建局');
    assert.deepEqual(await stepButtons(), ['收回', '转办']);
  });

  test('the unit’s handler replies, its leader and then the office approve, the office publishes', async () => {
    await office.signIn('handler');
    await page.goto(`${base}/admin/letters`);
    await page.locator('table.letters-table tbody tr').first().waitFor();
    assert.deepEqual(await page.locator('table.letters-table tbody th').allInnerTexts(), [TITLE]);
    await openLetter(ids.main);
    assert.deepEqual(await stepButtons(), ['退回', '提交答复']);
    const editor = page.getByRole('textbox', { name: '答复内容' });
    await editor.waitFor();
    assert.deepEqual(await axeViolations(page), [], 'axe-core on the reply form');
    await editor.fill(REPLY);
    await takeStep('reply', '“提交答复”已完成，当前状态：审核中');
    assert.equal(await text('#letter-status'), '审核中 第 1/2 级审核');
    assert.equal(await text('.letter-reply'), REPLY);
    assert.deepEqual(await stepButtons(), []);
    assert.equal(await text('#letter-actions-title + p'), '您目前不能对这封信件进行操作。');

    await office.signIn('bureau-head');
    await openLetter(ids.main);
    assert.deepEqual(await stepButtons(), ['审核通过', '答复退回修改']);
    await page.locator('#step-approve-note').fill('同意');
    await takeStep('approve', '“审核通过”已完成，当前状态：审核中');
    assert.equal(await text('#letter-status'), '审核中 第 2/2 级审核');

    await office.signIn('office');
    await openLetter(ids.main);
    assert.deepEqual(await stepButtons(), ['收回', '审核通过', '答复退回修改']);
    await takeStep('approve', '“审核通过”已完成，当前状态：已答复');
    assert.equal(await text('#letter-answered'), '2025-12-01 09:00');
    assert.equal(await text('#letter-due'), '2025-12-08');
    assert.deepEqual(await stepButtons(), ['公开']);
    await takeStep('publish', '“公开”已完成，当前状态：已公开');
    assert.equal(await text('#letter-status'), '已公开');
    assert.deepEqual(await stepButtons(), ['撤销公开']);
    const published = page.locator('section[aria-labelledby="letter-published-title"]');
    assert.equal(await published.locator('h3').innerText(), TITLE);
    assert.equal(
      await published.locator('.letter-body').innerText(),
      '我住在吴江区，门口路灯已经坏了两周，晚上出行很不方便。我的电话是138****5678，请尽快修理。',
    );
    assert.equal(await published.locator('.letter-reply').innerText(), REPLY);
    assert.equal(await published.locator('.meta').innerText(), '答复单位：区住建局');
    const history = await page
      .locator('table.letter-steps tbody tr')
      .evaluateAll((rows) =>
        rows.map((row) => [1, 2, 3].map((i) => (row.children[i] as HTMLElement | undefined)?.innerText ?? '')),
      );
    assert.deepEqual(history, [
      ['提交', '待审查', '公众'],
      ['受理', '待审查 → 已受理', 'office'],
      ['转办', '已受理 → 办理中', 'office'],
      ['提交答复', '办理中 → 审核中', 'handler'],
      ['审核通过', '审核中 → 审核中', 'bureau-head'],
      ['审核通过', '审核中 → 已答复', 'office'],
      ['公开', '已答复 → 已公开', 'office'],
    ]);
    assert.deepEqual(await axeViolations(page), [], 'axe-core on a published letter');
  });

  test('a near duplicate is merged (the earlier letter prefilled, a wrong one refused); another is declined', async () => {
    await openLetter(ids.duplicate);
    const target = page.locator('#step-merge-target');
    assert.equal(await target.inputValue(), String(ids.main));
    await target.fill(String(ids.duplicate));
    await page.locator('#step-merge').click();
    const alert = page.locator('#letter-step-error');
    await alert.filter({ hasText: '填写有误' }).waitFor();
    assert.equal(await alert.innerText(), '重复的信件填写有误：应为本站更早的、未被合并的信件');
    assert.equal(await alert.getAttribute('role'), 'alert');
    await target.fill(String(ids.main));
    await takeStep('merge', '“合并重复件”已完成，当前状态：重复件已合并');
    assert.equal(await text('#letter-body-title + p + p'), `已合并到：#${ids.main}`);
    assert.deepEqual(await stepButtons(), []);

    await openLetter(ids.wording);
    await page.locator('#step-reject-reason').selectOption({ label: '其他' });
    await page.locator('#step-reject-own').fill('请通过 12345 热线反映');
    await takeStep('reject', '“不予受理”已完成，当前状态：不予受理');
    assert.equal(await text('#letter-body-title + p + p'), '不予受理理由：请通过 12345 热线反映');
  });

  test('信件统计: the year’s figures by type, unit and month, with the months’ chart', async () => {
    await page.goto(`${base}/admin/letters/stats`);
    const summary = page.locator('#letter-stats-summary');
    await summary.waitFor();
    assert.equal(await summary.innerText(), '2025 年共收到来信 4 封，受理 2 封，办结 1 封，超期 1 封。');
    await page.locator('#chart-letters svg').waitFor();
    assert.deepEqual(await cells('table:has(caption:text-is("按承办单位")) tbody tr:first-child'), [
      '区住建局',
      '1',
      '1',
      '0',
      '1',
      '100.0%',
      '100.0%',
      '0',
      '0',
      '1',
      '—',
    ]);
    assert.deepEqual(await axeViolations(page), []);
  });

  test('the site administrator sets up the desk and its units', async () => {
    await office.signIn('siteadmin');
    await page.goto(`${base}/admin/letters/desk`);
    const name = page.locator('#desk-name');
    await name.waitFor();
    assert.equal(await name.inputValue(), '领导信箱');
    const bureau = 'table.units-table tr:has(th:text-is("区住建局"))';
    await page.locator(bureau).waitFor();
    assert.deepEqual((await cells(bureau)).slice(0, 4), ['区住建局', '0', '在用', 'bureau-head（负责人）、handler']);
    await name.fill('区长信箱');
    await page.locator('#desk-days-consult').fill('3');
    await page.locator('#desk-save').click();
    await page.locator('#desk-status', { hasText: '信箱设置已保存' }).waitFor();
    await page.reload();
    await page.locator('#desk-name').waitFor();
    assert.equal(await page.locator('#desk-name').inputValue(), '区长信箱');
    assert.equal(await page.locator('#desk-days-consult').inputValue(), '3');

    await page.locator('#unit-new-name').fill('区交通运输局');
    await page.locator('#unit-add').click();
    await page.locator('#desk-status', { hasText: '已添加承办单位：区交通运输局' }).waitFor();
    const transport = 'table.units-table tr:has(th:text-is("区交通运输局"))';
    await page.locator(transport).waitFor();
    await page.getByRole('button', { name: '管理“区交通运输局”的成员' }).click();
    // Members are chosen among the site's handlers, by name: the editor and the office are not offered.
    const handlers = page.locator('#member-user-id option');
    await handlers.nth(1).waitFor({ state: 'attached' });
    assert.deepEqual(await handlers.allInnerTexts(), ['—', 'bureau-head', 'handler']);
    await page.locator('#member-user-id').selectOption({ label: 'handler' });
    await page.locator('#member-leader').check();
    await page.locator('#member-add').click();
    await page.locator('#members-save').click();
    await page.locator('#desk-status', { hasText: '已保存：区交通运输局' }).waitFor();
    await page.locator(`${transport} td:text-is("handler（负责人）")`).waitFor();

    // 12345: the link cannot be switched on before a secret exists; the secret is shown once.
    assert.equal(
      await page.locator('#hotline-state').innerText(),
      `对接未开启。 热线回传地址：${base}/api/v1/public/hotline/callback`,
    );
    await page.locator('#hotline-url').fill('https://12345.example.gov.cn/hooks/gazette');
    await page.locator('#hotline-enabled').check();
    await page.locator('#hotline-save').click();
    await page.locator('#hotline [role="alert"]', { hasText: '启用前请先生成共享密钥' }).waitFor();
    await page.locator('#hotline-secret-make').click();
    await page.locator('#hotline-secret-value').waitFor();
    assert.match(await page.locator('#hotline-secret-value').innerText(), /^\S{32,}$/);
    await page.locator('#hotline-save').click();
    await page.locator('#desk-status', { hasText: '12345 对接已保存并开启' }).waitFor();
    assert.equal(await page.locator('#hotline-secret-make').innerText(), '重新生成密钥');
    assert.equal(await page.locator('#hotline .empty').innerText(), '没有推送记录。');
    assert.deepEqual(await axeViolations(page), [], 'axe-core on the desk settings');
    await page.locator('#hotline-enabled').uncheck();
    await page.locator('#hotline-save').click();
    await page.locator('#desk-status', { hasText: '12345 对接已保存（未开启）' }).waitFor();
  });

  test('the calendar: everyone reads it, the platform administrator enters next year’s days', async () => {
    const coverage = page.locator('#calendar-coverage');
    const show = async (year: number, said: string) => {
      await page.locator('#calendar-year').fill(String(year));
      await page.locator('#calendar-show').click();
      await coverage.filter({ hasText: said }).waitFor();
      assert.equal(await coverage.innerText(), said);
    };
    await page.goto(`${base}/admin/calendar`);
    await show(2025, '2025 年节假日安排已录入。');
    assert.deepEqual(await cells('table.calendar-table tr:has(th:text-is("2025-10-01"))'), [
      '2025-10-01',
      '周三',
      '放假',
      '国庆节',
      '随系统提供',
    ]);
    assert.equal(await page.locator('#calendar-lines').count(), 0);

    await office.signIn('platformadmin');
    await page.goto(`${base}/admin/calendar`);
    await show(2027, '⚠ 2027 年节假日安排尚未录入，期限仅按周末计算');
    await page.locator('#calendar-lines').fill('2027-01-01 放假 元旦');
    await page.locator('#calendar-save').click();
    await page.locator('#calendar-status', { hasText: '已保存 1 天' }).waitFor();
    // One day entered is not the year's schedule: the warning stays until the year is marked.
    assert.equal(await coverage.innerText(), '⚠ 2027 年节假日安排尚未录入，期限仅按周末计算');
    await page.getByRole('button', { name: '标记 2027 年安排已完整录入' }).click();
    await page.locator('#calendar-status', { hasText: '已标记 2027 年安排已完整录入' }).waitFor();
    await coverage.filter({ hasText: '2027 年节假日安排已录入。' }).waitFor();
    assert.deepEqual(await cells('table.calendar-table tr:has(th:text-is("2027-01-01"))'), [
      '2027-01-01',
      '周五',
      '放假',
      '元旦',
      '本平台修改',
      '撤销 2027-01-01 的修改',
    ]);
    assert.deepEqual(await axeViolations(page), [], 'axe-core on the calendar');
    await page.getByRole('button', { name: '撤销 2027-01-01 的修改' }).click();
    await page.locator('#calendar-status', { hasText: '已撤销 2027-01-01 的修改' }).waitFor();
    await page.getByRole('button', { name: '撤销 2027 年的完整标记' }).click();
    await page.locator('#calendar-status', { hasText: '已撤销 2027 年的完整标记' }).waitFor();
    await coverage.filter({ hasText: '尚未录入' }).waitFor();
    assert.equal(await page.locator('table.calendar-table').count(), 0);
  });
});
