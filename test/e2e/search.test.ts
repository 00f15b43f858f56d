import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { servedDemo } from '../helpers/app.js';
import type { TestStore } from '../helpers/store.js';
import { axeViolations, type Browser } from '../helpers/browser.js';

describe('the search page in Chromium', () => {
  let served: Awaited<ReturnType<typeof servedDemo>>;
  let store: TestStore;
  let base: string;
  let browser: Browser;

  before(async () => {
    served = await servedDemo();
    ({ store, base, browser } = served);
  });
  after(() => served?.close());

  test('a reader searches from the header, narrows by column, pages and follows a result', async (t) => {
    const page = await browser.context.newPage();
    t.after(() => page.close());
    await page.goto(base + '/');
    await page.getByRole('searchbox', { name: '站内搜索' }).fill('营商环境');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/search\?q=/);
    assert.equal(await page.getByRole('status').innerText(), '找到 2 条结果，第 1/1 页');
    const titles = await page.locator('.search-results h2').allInnerTexts();
    assert.deepEqual(titles, [
      '示范区关于进一步优化营商环境的若干措施',
      '百年逐“一”梦 使命“同”担当丨吴江以“融入式党建”新成效向党“表白”',
    ]);
    assert.equal(await page.locator('.search-results h2 mark').first().innerText(), '营商环境');

    await page.getByLabel('栏目', { exact: true }).selectOption({ label: '政务公开' });
    await page.getByRole('button', { name: '搜索', exact: true }).click();
    await page.waitForURL(/channel=/);
    assert.deepEqual(await page.locator('.search-results h2').allInnerTexts(), [
      '示范区关于进一步优化营商环境的若干措施',
    ]);
    assert.equal(await page.getByLabel('栏目', { exact: true }).inputValue(), String(await channelIdOf('政务公开')));

    await page.getByLabel('发布日期从').fill('2025-11-21');
    await page.getByRole('button', { name: '搜索', exact: true }).click();
    await page.waitForURL(/from=2025-11-21/);
    assert.equal(await page.getByRole('status').innerText(), '找到 0 条结果');

    await page.goto(base + '/search?q=' + encodeURIComponent('营商环境'));
    await page.locator('.search-results h2 a').first().click();
    await page.waitForURL(/\/zwgk\/zcwj\/202511\/t20251120_\d+\.html$/);
    assert.equal(await page.locator('h1').innerText(), '示范区关于进一步优化营商环境的若干措施');
  });

  test('pinyin, initials and a did-you-mean link work from the page', async (t) => {
    const page = await browser.context.newPage();
    t.after(() => page.close());
    await page.goto(base + '/search?q=wujiang');
    assert.equal(await page.getByRole('status').innerText(), '找到 1 条结果，第 1/1 页');
    await page.goto(base + '/search?q=' + encodeURIComponent('无江'));
    await page.getByRole('link', { name: '吴江' }).click();
    await page.waitForURL(/q=%E5%90%B4%E6%B1%9F/);
    assert.match(await page.getByRole('status').innerText(), /^找到 1 条结果/);
  });

  test('the search page meets WCAG 2.1 AA (axe-core) with results, with none and with an error', async (t) => {
    const page = await browser.context.newPage();
    t.after(() => page.close());
    for (const url of [
      '/search',
      '/search?q=' + encodeURIComponent('营商环境'),
      '/search?q=' + encodeURIComponent('无江'),
      '/search?q=' + '党'.repeat(201),
    ]) {
      await page.goto(base + url);
      assert.deepEqual(await axeViolations(page), [], url);
    }
  });

  async function channelIdOf(name: string): Promise<number> {
    return (await store.db.selectFrom('channel').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;
  }
});
