import { describe, test, before, after, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import {
  addUnit,
  letterDetail,
  letterWriterFile,
  stepLetter,
  updateUnit,
  type Actor,
  type ServiceContext,
} from '../../src/services/index.js';
import { servedDemo } from '../helpers/app.js';
import { makeRoleAccounts, actorFor } from '../helpers/backoffice.js';
import { axeViolations, launchBrowser, type Browser } from '../helpers/browser.js';
import { answerOf, letterIdOf } from '../helpers/letters.js';
import { pdfOfSize } from '../helpers/uploads.js';

/**
 * The letter desk as a writer uses it, in Chromium: with JavaScript the proof of work is solved
 * in the page and the question goes away; without it the question is the check. Then the
 * follow-up, the published letter, and the rating. axe-core checks every page on the way.
 */
describe('the letter desk in Chromium: writing with and without JavaScript, following, reading, rating', () => {
  let served: Awaited<ReturnType<typeof servedDemo>>;
  let base: string;
  let ctx: ServiceContext;
  let office: Actor, handler: Actor;
  let unitId: number;
  let noScript: Browser;

  before(async () => {
    served = await servedDemo();
    base = served.base;
    ctx = served.app.gazette.context;
    const accounts = await makeRoleAccounts(ctx);
    office = actorFor(accounts.office);
    handler = actorFor(accounts.handler);
    const admin = actorFor(accounts.admin);
    unitId = (await addUnit(ctx, admin, { name: '区交通运输局' })).id;
    await updateUnit(ctx, admin, unitId, { members: [{ userId: accounts.handler.id, leader: true }] });
    noScript = await launchBrowser({ javaScriptEnabled: false });
  });
  after(async () => {
    await noScript?.close();
    await served?.close();
  });

  async function open(t: TestContext, browser: Browser, path: string): Promise<Page> {
    const page = await browser.context.newPage();
    t.after(() => page.close());
    await page.goto(base + path);
    return page;
  }

  async function fill(page: Page, title: string, phone: string): Promise<void> {
    await page.getByLabel('信件类型').selectOption('consult');
    await page.getByLabel('写信给').selectOption({ label: '区交通运输局' });
    await page.getByLabel('标题').fill(title);
    await page.getByLabel('内容').fill('吴江汽车站到同里的公交车班次太少，高峰时段要等四十分钟，能否增加班次？');
    await page.locator('#letter-name').fill('孙悦');
    await page.getByLabel('联系电话').fill(phone);
  }

  async function receiptOf(page: Page): Promise<{ queryCode: string; password: string }> {
    await page.getByRole('heading', { level: 1, name: '信件已提交' }).waitFor();
    return {
      queryCode: await page.locator('[data-query-code]').innerText(),
      password: await page.locator('[data-query-password]').innerText(),
    };
  }

  test('with JavaScript: the proof of work is solved in the page, the question is hidden, the letter goes in', async (t) => {
    const page = await open(t, served.browser, '/xinxiang/xiexin');
    await page
      .locator('[data-pow-status]')
      .filter({ hasText: '已完成自动验证，可以提交。' })
      .waitFor({ timeout: 20_000 });
    assert.equal(await page.locator('[data-challenge]').isVisible(), false);
    assert.deepEqual(await axeViolations(page), []);
    await fill(page, '关于增加汽车站至同里公交班次的建议', '13611112222');
    // The writer attaches a PDF: the form posts it as multipart/form-data, and the office sees it.
    const pdf = pdfOfSize(2000, 'timetable');
    await page
      .locator('#letter-attachments')
      .setInputFiles({ name: '班次表.pdf', mimeType: 'application/pdf', buffer: pdf });
    await page.getByRole('button', { name: '提交信件' }).click();
    const receipt = await receiptOf(page);
    assert.match(receipt.queryCode, /^20251201[2-9A-Z]{6}$/);
    const id = await letterIdOf(served.store.db, receipt.queryCode);
    const [file] = (await letterDetail(ctx, office, id)).writerAttachments;
    assert.deepEqual([file?.fileName, file?.size], ['附件1', 2000]);
    const opened = await letterWriterFile(ctx, office, id, file?.id ?? 0);
    assert.equal(opened.fileName, '班次表.pdf');
    assert.ok(Buffer.compare(opened.data, pdf) === 0);
    assert.deepEqual(await axeViolations(page), []);
    await page.getByLabel('查询密码').fill(receipt.password);
    await page.getByRole('button', { name: '查询' }).click();
    await page.locator('[data-status]').filter({ hasText: '待审查' }).waitFor();
    assert.deepEqual(await axeViolations(page), []);
    const list = await open(t, served.browser, '/xinxiang/');
    assert.deepEqual(await axeViolations(list), []);
    const stats = await open(t, served.browser, '/xinxiang/tongji');
    await stats.getByRole('heading', { level: 1 }).waitFor();
    assert.deepEqual(await axeViolations(stats), []);
  });

  test('without JavaScript: the question is the check; a wrong answer keeps the letter and says why', async (t) => {
    const page = await open(t, noScript, '/xinxiang/xiexin');
    const label = await page.locator('label[for="letter-answer"]').innerText();
    await fill(page, '关于吴江汽车站公交站台增设雨棚的建议', '13622223333');
    await page.getByLabel(/验证问题/).fill('99');
    await page.getByRole('button', { name: '提交信件' }).click();
    assert.equal(await page.getByRole('alert').innerText(), '提交未成功：人机验证未通过：答案不正确');
    assert.equal(await page.getByLabel('标题').inputValue(), '关于吴江汽车站公交站台增设雨棚的建议');
    // The phone is kept too; the new question is answered right this time.
    const again = await page.locator('label[for="letter-answer"]').innerText();
    assert.notEqual(again, '');
    await page.getByLabel(/验证问题/).fill(String(answerOf(again)));
    await page.getByRole('button', { name: '提交信件' }).click();
    const receipt = await receiptOf(page);
    assert.ok(label.includes('请计算：'));

    // The writer follows it: the code is already in the form, the password is typed.
    await page.getByLabel('查询密码').fill(receipt.password);
    await page.getByRole('button', { name: '查询' }).click();
    assert.equal(await page.locator('[data-status]').innerText(), '待审查');

    // Answered and published by the office; the writer reads it on the site and rates it.
    const id = await letterIdOf(served.store.db, receipt.queryCode);
    await stepLetter(ctx, office, id, 'accept', {});
    await stepLetter(ctx, office, id, 'assign', { unitId });
    await stepLetter(ctx, handler, id, 'reply', { reply: '<p>已协调公交公司在雨季前完成站台雨棚建设。</p>' });
    await stepLetter(ctx, handler, id, 'approve', {});
    await stepLetter(ctx, office, id, 'approve', {});
    await stepLetter(ctx, office, id, 'publish', {});
    await served.app.gazette.publisher.idle();

    const list = await open(t, noScript, '/xinxiang/');
    await list.getByRole('link', { name: '关于吴江汽车站公交站台增设雨棚的建议' }).click();
    assert.equal(await list.getByRole('heading', { level: 1 }).innerText(), '关于吴江汽车站公交站台增设雨棚的建议');
    const meta = await list.locator('table.letter-meta').innerText();
    assert.ok(meta.includes('孙*') && !meta.includes('孙悦'), meta);
    assert.equal(
      await list.locator('.letter-reply .article-body').innerText(),
      '已协调公交公司在雨季前完成站台雨棚建设。',
    );
    // axe-core runs in the page: the published letter is checked in the browser with JavaScript.
    assert.deepEqual(await axeViolations(await open(t, served.browser, new URL(list.url()).pathname)), []);

    const follow = await open(t, noScript, '/xinxiang/chaxun');
    await follow.getByLabel('查询码').fill(receipt.queryCode);
    await follow.getByLabel('查询密码').fill(receipt.password);
    await follow.getByRole('button', { name: '查询' }).click();
    assert.equal(await follow.locator('[data-status]').innerText(), '已公开');
    await follow.getByLabel('非常满意').check();
    await follow.getByRole('button', { name: '提交评价' }).click();
    assert.equal(await follow.getByRole('status').first().innerText(), '感谢您的评价。');
    assert.ok((await follow.locator('table.letter-meta').innerText()).includes('您的评价\t非常满意'));
  });
});
