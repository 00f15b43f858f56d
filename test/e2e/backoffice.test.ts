import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import type { FastifyInstance } from 'fastify';
import type { Page } from 'playwright-core';
import { currentSite } from '../../src/services/index.js';
import { demoApp } from '../helpers/app.js';
import { contextFor, sqliteTestStore, type TestStore } from '../helpers/store.js';
import { axeViolations, launchBrowser, type Browser } from '../helpers/browser.js';
import { makeRoleAccounts, TEST_PASSWORD } from '../helpers/backoffice.js';

/** What Word puts on the clipboard for two short paragraphs (trimmed from a real copy). */
const WORD_FRAGMENT = `<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word">
<head><meta name=Generator content="Microsoft Word 15"><style><!-- p.MsoNormal {mso-style-parent:""; font-family:等线;} --></style>
<!--[if gte mso 9]><xml><w:WordDocument><w:View>Normal</w:View></w:WordDocument></xml><![endif]--></head>
<body lang=ZH-CN><!--StartFragment--><p class=MsoNormal style='text-indent:21.0pt;mso-char-indent-count:2.0'><b><span style='font-family:黑体;mso-ascii-font-family:Calibri'>一、提高思想认识</span></b><span lang=EN-US><o:p></o:p></span></p>
<p class=MsoNormal><span style='font-family:仿宋_GB2312'>各单位要把防汛工作摆在突出位置。</span><span lang=EN-US><o:p>&nbsp;</o:p></span></p>
<p class=MsoNormal><o:p>&nbsp;</o:p></p><!--EndFragment--></body></html>`;

describe('the back office in Chromium: write, review, publish, withdraw', () => {
  let store: TestStore;
  let app: FastifyInstance;
  let base: string;
  let browser: Browser;
  let page: Page;
  let channelId: number;

  before(async () => {
    store = await sqliteTestStore();
    app = await demoApp(store);
    await makeRoleAccounts(contextFor(store));
    channelId = (await currentSite(store.db)).tree.all().find((c) => c.slug === 'bqdt')?.id ?? 0;
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchBrowser({ bypassCSP: true });
    page = await browser.context.newPage();
    page.on('dialog', (dialog) => void dialog.accept());
  });
  after(async () => {
    await browser?.close();
    await app?.close();
    await store?.dispose();
  });

  async function signIn(username: string): Promise<void> {
    await page.goto(`${base}/admin/`);
    await page.locator('#username').fill(username);
    await page.locator('#password').fill(TEST_PASSWORD);
    await page.locator('#login').click();
    await page.locator('#logout').waitFor();
  }

  async function signOut(): Promise<void> {
    await page.locator('#logout').click();
    await page.locator('#username').waitFor();
  }

  async function openArticle(id: number): Promise<void> {
    await page.goto(`${base}/admin/articles/${id}`);
    await page.locator('#article-status').waitFor();
  }

  async function expectStatus(text: string): Promise<void> {
    await page.locator('#article-status', { hasText: text }).waitFor();
  }

  async function noAxeViolations(what: string): Promise<void> {
    assert.deepEqual(await axeViolations(page), [], `axe-core on ${what}`);
  }

  test('an article goes from the editor to the public site and off it again, its history kept', async () => {
    // The editor writes: a title, a typed paragraph, a Word fragment pasted, an image with alt text.
    await signIn('editor');
    await noAxeViolations('the dashboard');
    await page.goto(`${base}/admin/articles/new`);
    await page.locator('#title').fill('区政府召开防汛工作会议（初稿）');
    await page.locator('#channel').selectOption(String(channelId));
    const body = page.getByRole('textbox', { name: '正文' });
    await body.click();
    await page.keyboard.type('会议要求各部门做好防汛准备。');
    await page.keyboard.press('Enter');
    await body.evaluate((element, html) => {
      const data = new DataTransfer();
      data.setData('text/html', html);
      data.setData('text/plain', '一、提高思想认识\n各单位要把防汛工作摆在突出位置。');
      element.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    }, WORD_FRAGMENT);
    await page.locator('#tool-image').click();
    const png = await sharp({ create: { width: 1280, height: 720, channels: 3, background: '#1d4e89' } }).png().toBuffer();
    await page.locator('#image-file').setInputFiles({ name: 'flood.png', mimeType: 'image/png', buffer: png });
    await page.locator('#image-alt').fill('防汛会议现场');
    await page.locator('#image-insert').click();
    await body.locator('img[alt="防汛会议现场"]').waitFor();
    await noAxeViolations('the editor');
    await page.locator('#save').click();
    await page.locator('#save-status', { hasText: '已保存' }).waitFor();
    await page.waitForURL(/\/admin\/articles\/\d+$/);
    const id = Number(/(\d+)$/.exec(page.url())?.[1]);
    const saved = await store.db.selectFrom('article').select(['bodyHtml', 'status']).where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(saved.status, 'draft');
    assert.match(saved.bodyHtml, /^<p>会议要求各部门做好防汛准备。<\/p><p><strong>一、提高思想认识<\/strong><\/p><p>各单位要把防汛工作摆在突出位置。<\/p>/);
    assert.doesNotMatch(saved.bodyHtml, /mso|Mso|o:p|style=|class=|<span|font-family/);
    assert.match(saved.bodyHtml, /<img src="\/media\/img\/[0-9a-f]{24}\/960\.png" alt="防汛会议现场" \/>/);
    await page.locator('#submit').click();
    await expectStatus('待审核');
    await signOut();

    // The reviewer sends it back with a comment.
    await signIn('reviewer');
    await page.goto(`${base}/admin/review`);
    await page.getByRole('link', { name: '区政府召开防汛工作会议（初稿）' }).click();
    await expectStatus('待审核');
    await page.locator('#review-comment').fill('标题去掉“初稿”二字');
    await page.locator('#reject').click();
    await expectStatus('草稿');
    await signOut();

    // The editor reads the comment, fixes the title and submits again.
    await signIn('editor');
    await openArticle(id);
    await page.getByText('标题去掉“初稿”二字').waitFor();
    await page.locator('#title').fill('区政府召开防汛工作会议');
    await page.locator('#save').click();
    await page.locator('#save-status', { hasText: '已保存' }).waitFor();
    await page.locator('#submit').click();
    await expectStatus('待审核');
    await signOut();

    // The reviewer approves; the publisher previews and publishes.
    await signIn('reviewer');
    await openArticle(id);
    await page.locator('#approve').click();
    await expectStatus('已审核');
    await signOut();
    await signIn('publisher');
    await openArticle(id);
    const preview = await page.context().newPage();
    await preview.goto(`${base}/admin/preview/${id}`);
    assert.equal(await preview.locator('h1').innerText(), '区政府召开防汛工作会议');
    await preview.close();
    await page.locator('#publish').click();
    await expectStatus('已发布');

    // Readers see it, with the pasted text clean and the image loaded.
    const published = await store.db.selectFrom('article').select(['publishedAt', 'channelId']).where('id', '=', id).executeTakeFirstOrThrow();
    assert.ok(published.publishedAt);
    const publicUrl = `${base}/bqdt/202512/t20251201_${id}.html`;
    const reader = await page.context().newPage();
    const response = await reader.goto(publicUrl);
    assert.equal(response?.status(), 200);
    assert.equal(await reader.locator('h1').innerText(), '区政府召开防汛工作会议');
    assert.equal(await reader.locator('article strong', { hasText: '一、提高思想认识' }).count(), 1);
    assert.ok(await reader.locator('img[alt="防汛会议现场"]').evaluate((img) => (img as HTMLImageElement).naturalWidth === 960));

    // The publisher withdraws it: the page is gone, the history stays.
    await page.locator('#withdraw-reason').fill('信息需要更新');
    await page.locator('#withdraw').click();
    await expectStatus('已撤稿');
    const gone = await reader.goto(publicUrl);
    assert.equal(gone?.status(), 410);
    await reader.close();
    await page.goto(`${base}/admin/articles/${id}/revisions`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    const history = await store.db.selectFrom('articleRevision').select(['number', 'action']).where('articleId', '=', id).orderBy('number').execute();
    assert.deepEqual(history.map((r) => r.action), ['create', 'edit', 'publish']);
    await page.getByRole('cell', { name: '区政府召开防汛工作会议（初稿）' }).first().waitFor();
    await noAxeViolations('the revisions screen');
    await signOut();
  });

  test('the sign-in works from the keyboard alone, and the login screen passes axe-core', async () => {
    await browser.context.clearCookies();
    await page.goto(`${base}/admin/`);
    await page.locator('#username').waitFor();
    await noAxeViolations('the sign-in screen');
    await page.keyboard.press('Tab');
    const firstFocus = await page.evaluate(() => document.activeElement?.textContent ?? '');
    assert.equal(firstFocus.trim(), '跳到主要内容');
    await page.locator('#username').focus();
    await page.keyboard.type('auditor');
    await page.keyboard.press('Tab');
    await page.keyboard.type(TEST_PASSWORD);
    await page.keyboard.press('Enter');
    await page.locator('#logout').waitFor();
    await page.goto(`${base}/admin/audit`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.locator('table tbody tr').first().waitFor();
    await noAxeViolations('the audit log');
    await page.locator('#audit-verify').click();
    await page.locator('#audit-verify-status', { hasText: /\d+/ }).waitFor();
    await signOut();
  });
});
