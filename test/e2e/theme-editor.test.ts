import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { backOfficeInBrowser, type BackOfficeInBrowser } from '../helpers/app.js';
import { makeAccountsFor } from '../helpers/backoffice.js';
import { axeViolations, clickInView } from '../helpers/browser.js';

/**
 * 模板编辑 in Chromium: the site administrator opens the article template, types a mistake and
 * sees it with its line before saving, previews a real article with the fix, saves (the article
 * pages change), compares the revision and restores the default; an editor has no such screen.
 */
describe('模板编辑 in Chromium', () => {
  let office: BackOfficeInBrowser;
  let page: Page;

  before(async () => {
    office = await backOfficeInBrowser();
    page = office.page;
    await makeAccountsFor(office.app.gazette.context, ['admin', 'editor']);
  });
  after(() => office?.close());

  /** Replaces the text box's text as typing would (the screen checks it as it changes). */
  async function typeSource(text: string): Promise<void> {
    await page.locator('#theme-source').fill(text);
  }

  test('a mistake is shown with its line before saving; the preview and the save use the fix', async () => {
    await office.signIn('siteadmin');
    await page.getByRole('link', { name: '模板编辑', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: '模板编辑' }).waitFor();
    // The first check gets no answer: the screen says so and checks again by itself.
    let refused = 0;
    await page.route('**/validate', (route) => (refused++ === 0 ? route.abort() : route.fallback()));
    await page.getByRole('button', { name: 'article', exact: true }).click();
    const box = page.getByLabel('模板源代码（article）');
    await box.waitFor();
    const original = await box.inputValue();
    assert.ok(original.includes("{% layout 'layout'"));
    await page.locator('#theme-problems', { hasText: '暂时无法检查，稍后自动重试。' }).waitFor();
    await page.locator('#theme-problems', { hasText: '检查通过：没有发现问题。' }).waitFor();
    await page.unroute('**/validate');
    assert.equal(refused, 2);

    const lines = original.split('\n');
    const broken = [...lines.slice(0, 2), '<p class="own">{{ article.title | shout }}</p>', ...lines.slice(2)].join(
      '\n',
    );
    await typeSource(broken);
    await page.locator('#theme-problems', { hasText: 'article.liquid 第 3 行：未知的过滤器 "shout"' }).waitFor();
    assert.equal(await page.locator('#theme-save').isDisabled(), true);
    assert.equal(await box.getAttribute('aria-invalid'), 'true');
    await page.getByRole('button', { name: '跳到第 3 行' }).click();
    assert.equal(
      await box.evaluate((el: HTMLTextAreaElement) => el.selectionStart),
      lines[0]!.length + lines[1]!.length + 2,
    );

    // Tab indents inside the box.
    await box.press('End');
    await box.press('Tab');
    assert.ok((await box.inputValue()).split('\n')[2]?.endsWith('</p>  '));

    const fixed = [...lines.slice(0, 2), '<p class="own">本站文章页</p>', ...lines.slice(2)].join('\n');
    await typeSource(fixed);
    await page.locator('#theme-problems', { hasText: '检查通过' }).waitFor();

    const article = (await page.locator('#theme-preview-path option').allTextContents()).find((o) =>
      o.startsWith('文章：'),
    );
    assert.ok(article, 'a recent article is offered for the preview');
    await page.getByLabel('预览页面').selectOption({ label: article });
    await page.getByRole('button', { name: '生成预览' }).click();
    const frame = page.frameLocator('#theme-preview-frame');
    await frame.locator('p.own', { hasText: '本站文章页' }).waitFor();

    await page.getByRole('button', { name: '保存并发布' }).click();
    await page.locator('#theme-status', { hasText: '已保存 article' }).waitFor();
    await page.getByRole('button', { name: 'article（已修改）' }).waitFor();
    await office.app.gazette.publisher.idle();
    const path = await page.locator('#theme-preview-path').inputValue();
    assert.ok((await office.app.inject(path)).body.includes('<p class="own">本站文章页</p>'));
    assert.deepEqual(await axeViolations(page), []);
  });

  test('the revision’s diff, then back to the default; an editor has no such screen', async () => {
    const diffButton = page.getByRole('button', { name: /^查看差异（修订 #\d+）$/ }).first();
    await clickInView(diffButton);
    await page.locator('#theme-diff ins', { hasText: '<p class="own">本站文章页</p>' }).waitFor();
    await clickInView(page.getByRole('button', { name: '恢复默认模板' }));
    await clickInView(page.getByRole('button', { name: '确定恢复默认' }));
    await page.locator('#theme-status', { hasText: 'article 已恢复为默认主题的版本。' }).waitFor();
    assert.ok(!(await page.getByLabel('模板源代码（article）').inputValue()).includes('class="own"'));
    assert.deepEqual(await axeViolations(page), []);

    await office.signIn('editor');
    assert.equal(await page.getByRole('link', { name: '模板编辑', exact: true }).count(), 0);
  });
});
