import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { servedDemo } from '../helpers/app.js';
import { axeViolations, type Browser } from '../helpers/browser.js';
import { contextFor } from '../helpers/store.js';
import { setDisclosure, systemActor } from '../../src/services/index.js';

describe('the 信息公开目录 in Chromium', () => {
  let served: Awaited<ReturnType<typeof servedDemo>>;
  let base: string;
  let browser: Browser;

  before(async () => {
    served = await servedDemo();
    ({ base, browser } = served);
    const ctx = contextFor(served.store);
    const actor = systemActor('test');
    await setDisclosure(ctx, actor, 1, {
      topic: '综合政务',
      organizationCode: '113205090141600114',
      documentNo: '吴政发〔2021〕12号',
      writtenOn: '2021-05-18',
    });
    await setDisclosure(ctx, actor, 2, {
      topic: '科技、教育',
      organization: '示范区教育局',
      organizationCode: '91350100M000100Y43',
    });
  });
  after(() => served?.close());

  test('a reader finds it from the footer, filters by keyboard, and the pages meet WCAG 2.1 AA (axe-core)', async (t) => {
    const page = await browser.context.newPage();
    t.after(() => page.close());
    await page.goto(base + '/');
    await page.getByRole('contentinfo').getByRole('link', { name: '政府信息公开目录' }).click();
    await page.waitForURL(/\/xxgk\.html$/);
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), '政府信息公开目录');
    assert.equal(await page.getByRole('status').innerText(), '共 2 条，第 1/1 页');
    assert.deepEqual(await axeViolations(page), [], 'catalogue');

    await page.getByLabel('主题分类').selectOption('科技、教育');
    await page.getByLabel('标题或文号').focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/topic=/);
    assert.equal(await page.getByRole('status').innerText(), '共 1 条，第 1/1 页');
    assert.equal(await page.locator('.disclosure-list tbody tr td:nth-child(4)').innerText(), '示范区教育局');

    await page.goto(base + '/xxgk.html?q=' + encodeURIComponent('没有这样的文件'));
    assert.equal(await page.locator('.empty').innerText(), '没有符合条件的公开信息。');
    assert.deepEqual(await axeViolations(page), [], 'catalogue without results');

    const bad = await page.goto(base + '/xxgk.html?year=abc');
    assert.equal(bad?.status(), 400);
    assert.deepEqual(await axeViolations(page), [], 'catalogue with a bad filter');

    await page.goto(base + '/xxgk.html');
    await page.getByRole('link', { name: /融入式党建/ }).click();
    await page.waitForURL(/t20210520_1\.html$/);
    const table = page.getByRole('table', { name: '政府信息公开' });
    assert.equal(await table.getByRole('row', { name: /文号/ }).innerText(), '文号\t吴政发〔2021〕12号');
    assert.deepEqual(await axeViolations(page), [], 'disclosed article page');
  });
});
