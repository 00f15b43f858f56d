import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { createArticle, currentSite, type ServiceContext } from '../../src/services/index.js';
import { backOfficeInBrowser, type BackOfficeInBrowser } from '../helpers/app.js';
import { contextFor, type TestStore } from '../helpers/store.js';
import { axeViolations } from '../helpers/browser.js';
import { actorFor, makeRoleAccounts } from '../helpers/backoffice.js';

describe('wording check in the back office (Chromium)', () => {
  let store: TestStore;
  let base: string;
  let page: Page;
  let ctx: ServiceContext;
  let accounts: Awaited<ReturnType<typeof makeRoleAccounts>>;
  let channelId: number;

  let office: BackOfficeInBrowser;

  before(async () => {
    office = await backOfficeInBrowser({ pages: false });
    ({ store, base, page } = office);
    ctx = contextFor(store);
    accounts = await makeRoleAccounts(ctx);
    channelId = (await currentSite(store.db)).tree.all().find((c) => c.slug === 'bqdt')?.id ?? 0;
  });
  after(() => office?.close());

  const signIn = (username: string) => office.signIn(username);

  test('the editor marks each finding in the body, explains it, and jumps to it from the list', async () => {
    const draft = await createArticle(ctx, actorFor(accounts.editor), {
      channelId,
      title: '区委理论学习中心组学习会',
      summary: '区委理论学习中心组召开学习会。',
      bodyHtml:
        '<p>会议传达学习了习进平总书记的重要讲话精神。</p><p>要坚定<strong>理论自信</strong>、道路自信、制度自信、文化自信。</p>',
    });
    await signIn('editor');
    await page.goto(`${base}/admin/articles/${draft.id}`);
    const marks = page.locator('.rich-text-content .wording-mark');
    // A mark across <strong> is drawn in pieces: put each finding's pieces back together.
    const markedTexts = () =>
      marks.evaluateAll((nodes) => {
        const byFinding = new Map<string, string>();
        for (const node of nodes)
          byFinding.set(
            node.getAttribute('data-finding') ?? '',
            (byFinding.get(node.getAttribute('data-finding') ?? '') ?? '') + (node.textContent ?? ''),
          );
        return [...byFinding.values()];
      });
    await page.locator('#wording-status', { hasText: '发现 2 处问题，其中严重 2 处' }).waitFor();
    assert.deepEqual(await markedTexts(), ['习进平', '理论自信、道路自信、制度自信、文化自信']);
    assert.equal(
      await marks.first().getAttribute('title'),
      '领导人姓名疑似写错（“近”写成了“进”），应为“习近平”（中共中央总书记、国家主席、中央军委主席） 建议：习近平',
    );
    assert.deepEqual(await page.locator('.wording-findings li button').allTextContents(), [
      '定位“习进平”',
      '定位“理论自信、道路自信、制度自信、文化自信”',
    ]);
    assert.deepEqual(await axeViolations(page), [], 'axe-core on the editor with findings');

    // Keyboard: the jump button selects the words in the body and the caret line explains them.
    await page.locator('.wording-findings li button').first().focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => window.getSelection()?.toString() === '习进平');
    await page.locator('#wording-caret', { hasText: '光标处：领导人姓名疑似写错' }).waitFor();

    // Typing the right name over the selection clears that finding on the next check.
    await page.keyboard.type('习近平');
    await page.locator('#wording-status', { hasText: '发现 1 处问题' }).waitFor();
    assert.deepEqual(await markedTexts(), ['理论自信、道路自信、制度自信、文化自信']);
  });

  test('the dictionary screen lists the shipped entries and lets the site administrator add one', async () => {
    await signIn('siteadmin');
    await page.goto(`${base}/admin/wording`);
    await page.locator('#wording-q').fill('国家卫生健康委员会');
    await page.locator('form[role="search"] button[type="submit"]').click();
    await page.locator('td', { hasText: '国务院组成部门' }).first().waitFor();
    await page.locator('#wording-phrase').fill('示范区管委会');
    await page.locator('#wording-suggestion').fill('示范区管理委员会');
    await page.locator('#wording-add').click();
    await page.locator('#wording-message', { hasText: '已新增词条“示范区管委会”。' }).waitFor();
    assert.deepEqual(await axeViolations(page), [], 'axe-core on the dictionary screen');
  });
});
