import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { ServiceContext } from '../../src/services/index.js';
import { backOfficeInBrowser, type BackOfficeInBrowser } from '../helpers/app.js';
import { makeRoleAccounts } from '../helpers/backoffice.js';
import { axeViolations } from '../helpers/browser.js';
import { PINNED_NOW, contextFor } from '../helpers/store.js';

/**
 * 意见征集 end to end in Chromium: the office drafts a consultation in the back office (the period
 * warning as it types the dates) and publishes it; a citizen comments on its page with JavaScript
 * (the proof of work solved in the page); the office decides the comment; the clock moves past the
 * end day; the office publishes the 反馈, which the public page then shows. The public pages have
 * no accessibility violations (axe-core).
 */
describe('意见征集 in Chromium: drafted and published by the office, commented on, decided, closed and answered', () => {
  const clock = { at: new Date(PINNED_NOW), now: () => new Date(clock.at) };
  let office: BackOfficeInBrowser;
  let page: Page;
  let base: string;
  let path = '';

  before(async () => {
    office = await backOfficeInBrowser({ pages: false, clock });
    ({ page, base } = office);
    const ctx: ServiceContext = { ...contextFor(office.store), siteId: 1 };
    await makeRoleAccounts(ctx);
  });
  after(async () => {
    await office?.close();
  });

  const typeInto = async (label: string, text: string) => {
    const box = page.getByRole('textbox', { name: label, exact: true });
    await box.click();
    await page.keyboard.type(text);
  };

  test('the office drafts it, sees the period warning, and publishes it', async () => {
    await office.signIn('office');
    await page.getByRole('link', { name: '意见征集', exact: true }).click();
    await page.locator('#consultation-new').click();
    await page.getByLabel('标题').fill('示范区促进中小企业发展若干措施（征求意见稿）');
    await page.getByLabel('草案类别').selectOption('normative');
    await page.getByLabel('起草单位').fill('示范区发展和改革局');
    await page.getByLabel('开始日期').fill('2025-12-01');
    await page.getByLabel('截止日期').fill('2025-12-05');
    const period = page.locator('#consultation-period');
    await period.filter({ hasText: '短于要求' }).waitFor();
    assert.equal(
      await period.innerText(),
      '⚠ 征求意见期限为 5 个工作日，短于要求：行政规范性文件征求意见期限不少于 7 个工作日。如确需缩短，请在起草说明中说明理由。',
    );
    await page.getByLabel('截止日期').fill('2025-12-10');
    await period.filter({ hasText: '符合要求' }).waitFor();
    assert.equal(await period.innerText(), '征集期限 10 日（8 个工作日），符合要求。');
    await typeInto('征求意见稿', '第一条 为促进中小企业健康发展，制定本措施。');
    await typeInto('起草说明', '为落实中小企业促进法，起草本措施。');
    await page.getByLabel('联系人或处室').fill('区发展改革局法规科');
    await page.getByLabel('联系电话').fill('0512-63001234');
    await page.getByLabel('在页面上选登公众意见（隐去个人信息）').check();
    await page.locator('#consultation-save').click();
    await page.locator('#consultation-status').filter({ hasText: '已保存。' }).waitFor();
    await page.waitForURL(/\/admin\/consultations\/\d+$/);
    const id = Number(/(\d+)$/.exec(page.url())?.[1]);
    path = `/yjzj/${id}.html`;
    assert.equal(await page.locator('#consultation-phase').innerText(), '草稿');
    await page.locator('#consultation-publish').click();
    await page.locator('#consultation-status').filter({ hasText: '已发布。' }).waitFor();
    assert.equal(await page.locator('#consultation-phase').innerText(), '征集中');
  });

  test('a citizen comments on the page with JavaScript and gets the confirmation', async () => {
    const citizen = await office.browser.context.newPage();
    try {
      await citizen.goto(`${base}/yjzj/`);
      assert.deepEqual(await axeViolations(citizen), []);
      await citizen.getByRole('link', { name: '示范区促进中小企业发展若干措施（征求意见稿）' }).click();
      await citizen.waitForURL(base + path);
      await citizen
        .locator('[data-pow-status]')
        .filter({ hasText: '已完成自动验证，可以提交。' })
        .waitFor({ timeout: 20_000 });
      assert.equal(await citizen.locator('[data-challenge]').isVisible(), false);
      assert.deepEqual(await axeViolations(citizen), []);
      await citizen.getByLabel('涉及条款').fill('第一条');
      await citizen.getByLabel('意见内容').fill('建议明确“中小企业”的认定标准，并附认定流程图。');
      await citizen.getByLabel('姓名').fill('张三');
      await citizen.getByLabel('联系电话').fill('13812345678');
      await citizen.getByRole('button', { name: '提交意见' }).click();
      await citizen.getByRole('heading', { level: 1, name: '意见已提交' }).waitFor();
      assert.match(await citizen.locator('[data-receipt-code]').innerText(), /^20251201[2-9A-Z]{6}$/);
      assert.deepEqual(await axeViolations(citizen), []);
    } finally {
      await citizen.close();
    }
  });

  test('the office decides the comment; past the end day it publishes the 反馈, shown on the page', async () => {
    await page.reload();
    const decision = page.locator('select[id$="-decision"]');
    await decision.waitFor();
    assert.equal(
      await page.locator('.consultation-comment .letter-note').innerText(),
      '建议明确“中小企业”的认定标准，并附认定流程图。',
    );
    await decision.selectOption('adopted');
    await page.locator('input[id$="-shown"]').check();
    await page.getByRole('button', { name: '保存采纳情况' }).click();
    await page.locator('#consultation-comments-status').filter({ hasText: '的采纳情况' }).waitFor();

    // The midnight after the end day: closed. The office signs in again (its session has lapsed).
    clock.at = new Date('2025-12-11T00:00:00+08:00');
    const url = page.url();
    await office.signIn('office');
    await page.goto(url);
    await page.locator('#consultation-phase').filter({ hasText: '已结束' }).waitFor();
    await page.getByLabel('反馈内容').fill('经认真研究，采纳了关于认定标准的意见。');
    await page.locator('#consultation-feedback-save').click();
    await page.locator('#consultation-feedback-status').filter({ hasText: '已保存。' }).waitFor();
    await page.locator('#consultation-feedback-publish').click();
    await page.locator('#consultation-feedback').waitFor();
    assert.equal(
      await page.locator('#consultation-feedback').innerText(),
      '共收到意见 1 条，采纳 1 条，部分采纳 0 条，不予采纳 0 条。\n\n经认真研究，采纳了关于认定标准的意见。',
    );

    const reader = await office.browser.context.newPage();
    try {
      await reader.goto(base + path);
      const feedback = reader.locator('section.consultation-feedback');
      assert.equal(
        await feedback.locator('[data-feedback-headline]').innerText(),
        '共收到意见 1 条，采纳 1 条，部分采纳 0 条，不予采纳 0 条。',
      );
      assert.ok((await feedback.innerText()).includes('经认真研究，采纳了关于认定标准的意见。'));
      assert.equal(await reader.locator('[data-phase]').innerText(), '已结束');
      assert.ok((await reader.locator('section.consultation-comments').innerText()).includes('张**'));
      assert.equal(await reader.getByRole('button', { name: '提交意见' }).count(), 0);
      assert.deepEqual(await axeViolations(reader), []);
    } finally {
      await reader.close();
    }
  });
});
