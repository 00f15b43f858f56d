import { describe, test, before, after, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { putReplyDocument, stepInfoRequest, type Actor, type ServiceContext } from '../../src/services/index.js';
import { servedDemo } from '../helpers/app.js';
import { makeRoleAccounts, actorFor } from '../helpers/backoffice.js';
import { axeViolations, launchBrowser, type Browser } from '../helpers/browser.js';
import { answerOf } from '../helpers/letters.js';
import { requestIdOf } from '../helpers/info-requests.js';
import { pdfOfSize } from '../helpers/uploads.js';

/**
 * 依申请公开 as an applicant uses it, in Chromium: a company's request with JavaScript (the proof
 * of work, the organisation's variant of the form), a citizen's without (the question), then the
 * follow-up with the notices and the reply document. axe-core checks each page.
 */
describe('依申请公开 in Chromium: the form’s two variants, with and without JavaScript, and the follow-up', () => {
  let served: Awaited<ReturnType<typeof servedDemo>>;
  let ctx: ServiceContext;
  let office: Actor;
  let noScript: Browser;

  before(async () => {
    served = await servedDemo();
    ctx = served.app.gazette.context;
    office = actorFor((await makeRoleAccounts(ctx)).office);
    noScript = await launchBrowser({ javaScriptEnabled: false });
  });
  after(async () => {
    await noScript?.close();
    await served?.close();
  });

  async function open(t: TestContext, browser: Browser, path: string): Promise<Page> {
    const page = await browser.context.newPage();
    t.after(() => page.close());
    await page.goto(served.base + path);
    return page;
  }

  async function receiptOf(page: Page): Promise<{ queryCode: string; password: string }> {
    await page.getByRole('heading', { level: 1, name: '申请已提交' }).waitFor();
    return {
      queryCode: await page.locator('[data-query-code]').innerText(),
      password: await page.locator('[data-query-password]').innerText(),
    };
  }

  test('with JavaScript: a company’s request shows the organisation’s fields only, and goes in on the proof of work', async (t) => {
    const page = await open(t, served.browser, '/ysqgk/shenqing');
    await page
      .locator('[data-pow-status]')
      .filter({ hasText: '已完成自动验证，可以提交。' })
      .waitFor({ timeout: 20_000 });
    assert.equal(await page.locator('#req-legal').isVisible(), false, 'a citizen sees no 法定代表人');
    assert.deepEqual(await axeViolations(page), []);
    await page.getByLabel('申请人类型').selectOption('business');
    assert.equal(await page.locator('#req-legal').isVisible(), true);
    assert.equal(await page.locator('#req-id-type').isVisible(), false);
    await page.getByLabel('姓名或单位名称').fill('苏州某某建设有限公司');
    await page.getByLabel('证件号码或统一社会信用代码').fill('91350100M000100Y43');
    await page.getByLabel('法定代表人（法人或其他组织）').fill('王五');
    await page.getByLabel('联系人（法人或其他组织必填）').fill('赵六');
    await page.getByLabel('联系电话').fill('0512-63001234');
    await page.getByLabel('通信地址').fill('江苏省苏州市吴江区开平路300号');
    await page.getByLabel('名称、文号或特征性描述').fill('2025年区级工程招标项目目录');
    await page.getByRole('button', { name: '提交申请' }).click();
    const receipt = await receiptOf(page);
    assert.match(receipt.queryCode, /^20251201[2-9A-Z]{6}$/);
    assert.deepEqual(await axeViolations(page), []);
    const stored = await served.store.db
      .selectFrom('infoRequest')
      .select(['applicantClass', 'deliveryWay', 'status'])
      .where('queryCode', '=', receipt.queryCode)
      .executeTakeFirstOrThrow();
    assert.deepEqual(stored, { applicantClass: 'business', deliveryWay: '邮寄', status: 'submitted' });
  });

  test('without JavaScript: a citizen’s request on the question, followed through 补正, an extension and the answer', async (t) => {
    const page = await open(t, noScript, '/ysqgk/shenqing');
    await page.getByLabel('姓名或单位名称').fill('李四');
    await page.getByLabel('证件号码或统一社会信用代码').fill('11010519491231002X');
    await page.getByLabel('联系电话').fill('13912345678');
    await page.getByLabel('电子邮箱').fill('lisi@example.com');
    await page.getByLabel('名称、文号或特征性描述').fill('松陵镇中山路道路改造工程的立项批复');
    await page.getByLabel('获取信息的形式').selectOption('电子邮件');
    await page.getByLabel('获取信息的方式').selectOption('电子邮件');
    const question = await page.locator('label[for="req-answer"]').innerText();
    await page.getByLabel(/验证问题/).fill(String(answerOf(question)));
    await page.getByRole('button', { name: '提交申请' }).click();
    const receipt = await receiptOf(page);

    const id = await requestIdOf(served.store.db, receipt.queryCode);
    await stepInfoRequest(ctx, office, id, 'confirm', {});
    await stepInfoRequest(ctx, office, id, 'ask-correction', { note: '请补充工程项目名称' });
    await stepInfoRequest(ctx, office, id, 'corrected', {});
    await stepInfoRequest(ctx, office, id, 'extend', { days: 10, note: '需调取历史档案' });
    await putReplyDocument(ctx, office, id, { filename: '答复告知书.pdf', data: pdfOfSize(4096, 'e2e') });
    await stepInfoRequest(ctx, office, id, 'answer', { outcome: 'partial', note: '涉及第三方的部分不予公开' });

    await page.getByLabel('查询密码').fill(receipt.password);
    await page.getByRole('button', { name: '查询' }).click();
    assert.equal(await page.locator('[data-status]').innerText(), '已答复');
    assert.equal(await page.locator('[data-outcome]').innerText(), '部分公开');
    const steps = (await page.locator('ol.letter-steps li').allInnerTexts()).map((s) => s.replace(/^\S+ \S+ /, ''));
    assert.deepEqual(steps, [
      '提交申请',
      '确认收到',
      '告知补正：请补充工程项目名称',
      '收到补正',
      '延期答复：需调取历史档案',
      '答复：部分公开：涉及第三方的部分不予公开',
    ]);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: /下载答复文书/ }).click();
    assert.equal((await download).suggestedFilename(), '答复告知书.pdf');

    const js = await open(t, served.browser, '/ysqgk/chaxun');
    assert.deepEqual(await axeViolations(js), []);
  });
});
