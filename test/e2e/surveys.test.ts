import { after, before, describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { Clock } from '../../src/clock.js';
import { backOfficeInBrowser, type BackOfficeInBrowser } from '../helpers/app.js';
import { makeRoleAccounts } from '../helpers/backoffice.js';
import { axeViolations, launchBrowser, type Browser } from '../helpers/browser.js';
import { answerOf } from '../helpers/letters.js';
import { PINNED_NOW } from '../helpers/store.js';

/**
 * 网上调查 in Chromium: the office writes a survey with the three kinds of question in the back
 * office and publishes it; one citizen answers with JavaScript (the proof of work solved in the
 * page), another with JavaScript off (the text question); the clock passes the last day and the
 * results page shows the tables and the chart. axe-core checks every public page on the way.
 */
describe('网上调查 in Chromium: written in the back office, answered with and without JavaScript, results once closed', () => {
  let office: BackOfficeInBrowser;
  let noScript: Browser;
  let now = new Date(PINNED_NOW);
  const clock: Clock = { now: () => new Date(now) };
  let surveyPath = '';

  before(async () => {
    office = await backOfficeInBrowser({ pages: false, clock });
    await makeRoleAccounts(office.app.gazette.context);
    noScript = await launchBrowser({ javaScriptEnabled: false });
  });
  after(async () => {
    await noScript?.close();
    await office?.close();
  });

  async function open(t: TestContext, browser: Browser, path: string): Promise<Page> {
    const page = await browser.context.newPage();
    t.after(() => page.close());
    await page.goto(office.base + path);
    return page;
  }

  test('the office creates the survey with a single, a multiple and a text question, and publishes it', async () => {
    const { page } = office;
    await office.signIn('office');
    await page.getByRole('link', { name: '网上调查', exact: true }).click();
    await page.getByRole('link', { name: '新建调查' }).click();
    await page.getByLabel('调查标题').fill('政务服务满意度调查');
    // The description is rich text (TipTap), typed like an article's body.
    await page.getByRole('textbox', { name: '调查说明', exact: true }).click();
    await page.keyboard.type('请根据您的办事体验填写。');
    await page.getByLabel('开始日期').fill('2025-12-01');
    await page.getByLabel('结束日期').fill('2025-12-07');
    await page.getByLabel('第 1 题题目').fill('您对本区政务服务的总体评价');
    await page.getByLabel('第 1 题选项（每行一个）').fill('满意\n基本满意\n不满意');
    await page.getByRole('button', { name: '添加题目' }).click();
    await page.getByLabel('第 2 题题型').selectOption('multiple');
    await page.getByLabel('第 2 题题目').fill('您常用的办事渠道');
    await page.getByLabel('第 2 题选项（每行一个）').fill('网上办事大厅\n政务服务中心窗口\n12345热线');
    await page.getByLabel('第 2 题最多选择项数').fill('2');
    await page.getByRole('button', { name: '添加题目' }).click();
    await page.getByLabel('第 3 题题型').selectOption('text');
    await page.getByLabel('第 3 题题目').fill('您的意见和建议');
    await page.getByLabel('第 3 题为必答题').uncheck();
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByRole('status').filter({ hasText: '已保存。' }).waitFor();
    await page.getByRole('button', { name: '发布' }).click();
    await page.getByRole('status').filter({ hasText: '已发布。' }).waitFor();
    assert.equal(await page.getByText('状态：进行中，答卷 0 份').count(), 1);
    assert.deepEqual(await axeViolations(page), []);
    const id = /\/admin\/surveys\/(\d+)$/.exec(page.url())?.[1];
    assert.ok(id, page.url());
    surveyPath = `/wsdc/${id}`;
  });

  test('a citizen answers with JavaScript: the list, the form (proof of work in the page), the thank-you page', async (t) => {
    const page = await open(t, office.browser, '/wsdc/');
    assert.deepEqual(await axeViolations(page), []);
    await page.getByRole('link', { name: '政务服务满意度调查' }).click();
    await page
      .locator('[data-pow-status]')
      .filter({ hasText: '已完成自动验证，可以提交。' })
      .waitFor({ timeout: 20_000 });
    assert.equal(await page.locator('[data-challenge]').isVisible(), false);
    assert.deepEqual(await axeViolations(page), []);
    await page.getByLabel('满意', { exact: true }).check();
    await page.getByLabel('网上办事大厅').check();
    await page.getByLabel('12345热线').check();
    await page.getByLabel(/您的意见和建议/).fill('希望周末也能办理部分业务');
    await page.getByLabel('手机号码').fill('13800138000');
    await page.getByRole('button', { name: '提交答卷' }).click();
    await page.getByRole('heading', { level: 1, name: '感谢您参与本次调查' }).waitFor();
    assert.deepEqual(await axeViolations(page), []);
  });

  test('a citizen without JavaScript answers the text question instead', async (t) => {
    const page = await open(t, noScript, surveyPath);
    const question = await page.locator('label[for="survey-answer"]').innerText();
    await page.getByLabel('基本满意').check();
    await page.getByLabel('政务服务中心窗口').check();
    await page.getByLabel('12345热线').check();
    await page.getByLabel('手机号码').fill('13900139000');
    await page.locator('#survey-answer').fill(String(answerOf(question)));
    await page.getByRole('button', { name: '提交答卷' }).click();
    await page.getByRole('heading', { level: 1, name: '感谢您参与本次调查' }).waitFor();
    assert.equal(await page.getByText('结果将于调查结束后（2025-12-07 之后）公布。').count(), 1);
  });

  test('while it is open the office reads the results: a chart per question, its table, the masked texts', async () => {
    const { page } = office;
    await page.getByRole('link', { name: '结果' }).click();
    await page.locator('figure[id^="chart-q"] svg').first().waitFor();
    assert.equal(await page.locator('figure[id^="chart-q"] svg').count(), 2);
    assert.deepEqual(await page.locator('table').first().locator('tbody tr').allInnerTexts(), [
      '满意\t1\t50.0%',
      '基本满意\t1\t50.0%',
      '不满意\t0\t0.0%',
    ]);
    assert.deepEqual(await page.locator('ol.survey-texts li').allInnerTexts(), ['希望周末也能办理部分业务']);
    assert.equal(
      await page.getByRole('link', { name: '导出统计表（CSV）' }).getAttribute('href'),
      `/api/v1/surveys/${surveyPath.slice('/wsdc/'.length)}/results.csv`,
    );
    assert.deepEqual(await axeViolations(page), []);
  });

  test('past the last day the form is gone and the results show as tables and a chart', async (t) => {
    now = new Date('2025-12-08T09:00:00+08:00');
    const page = await open(t, office.browser, surveyPath);
    assert.equal(await page.locator('form.survey-form').count(), 0);
    const rows = await page.locator('table.survey-table tr').allInnerTexts();
    assert.deepEqual(
      rows.map((row) => row.replace(/\s+/g, ' ').trim()),
      [
        '选项 人数 占本题答案比例',
        '满意 1 50.0%',
        '基本满意 1 50.0%',
        '不满意 0 0.0%',
        '选项 人数 占答题人数比例',
        '网上办事大厅 1 50.0%',
        '政务服务中心窗口 1 50.0%',
        '12345热线 2 100.0%',
      ],
    );
    assert.equal(await page.locator('svg[role="img"] rect').count(), 6);
    assert.equal(
      await page.locator('svg[role="img"] title').first().textContent(),
      '第 1 题 您对本区政务服务的总体评价：各选项人数',
    );
    assert.equal(await page.getByText('本题共收到文字意见 1 条，不对外公布。').count(), 1);
    assert.deepEqual(await axeViolations(page), []);
  });
});
