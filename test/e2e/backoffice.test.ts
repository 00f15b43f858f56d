import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import { createArticle, currentSite, stepArticle, type ServiceContext } from '../../src/services/index.js';
import { backOfficeInBrowser, type BackOfficeInBrowser } from '../helpers/app.js';
import { contextFor, type TestStore } from '../helpers/store.js';
import { axeViolations, type Browser } from '../helpers/browser.js';
import { actorFor, makeRoleAccounts, TEST_PASSWORD } from '../helpers/backoffice.js';

/** What Word puts on the clipboard for two short paragraphs (trimmed from a real copy). */
const WORD_FRAGMENT = `<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word">
<head><meta name=Generator content="Microsoft Word 15"><style><!-- p.MsoNormal {mso-style-parent:""; font-family:等线;} --></style>
<!--[if gte mso 9]><xml><w:WordDocument><w:View>Normal</w:View></w:WordDocument></xml><![endif]--></head>
<body lang=ZH-CN><!--StartFragment--><p class=MsoNormal style='text-indent:21.0pt;mso-char-indent-count:2.0'><b><span style='font-family:黑体;mso-ascii-font-family:Calibri'>一、提高思想认识</span></b><span lang=EN-US><o:p></o:p></span></p>
<p class=MsoNormal><span style='font-family:仿宋_GB2312'>各单位要把防汛工作摆在突出位置。</span><span lang=EN-US><o:p>&nbsp;</o:p></span></p>
<p class=MsoNormal><o:p>&nbsp;</o:p></p><!--EndFragment--></body></html>`;

describe('the back office in Chromium: write, review, publish, withdraw', () => {
  let store: TestStore;
  let base: string;
  let browser: Browser;
  let page: Page;
  let channelId: number;
  let ctx: ServiceContext;
  let accounts: Awaited<ReturnType<typeof makeRoleAccounts>>;

  let office: BackOfficeInBrowser;

  before(async () => {
    office = await backOfficeInBrowser();
    ({ store, base, browser, page } = office);
    ctx = contextFor(store);
    accounts = await makeRoleAccounts(ctx);
    channelId = (await currentSite(store.db)).tree.all().find((c) => c.slug === 'bqdt')?.id ?? 0;
    page.on('dialog', (dialog) => void dialog.accept());
  });
  after(() => office?.close());

  const signIn = (username: string) => office.signIn(username);

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

  /** Saves in the editor and waits until nothing is left unsaved. */
  async function saveInEditor(): Promise<void> {
    await page.locator('#save').click();
    await page.locator('#save-status', { hasText: '已保存' }).waitFor();
    await page.locator('.dirty-flag', { hasText: '有未保存的修改' }).waitFor({ state: 'detached' });
  }

  /** A new draft (a title in the test channel) written in the editor; its id. */
  async function newDraft(title: string): Promise<number> {
    await page.goto(`${base}/admin/articles/new`);
    await page.locator('#title').fill(title);
    await page.locator('#channel').selectOption(String(channelId));
    await saveInEditor();
    await page.waitForURL(/\/admin\/articles\/\d+$/);
    return Number(/(\d+)$/.exec(page.url())?.[1]);
  }

  test('an article goes from the editor to the public site and off it again, its history kept', async (t) => {
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
    const png = await sharp({ create: { width: 1280, height: 720, channels: 3, background: '#1d4e89' } })
      .png()
      .toBuffer();
    await page.locator('#image-file').setInputFiles({ name: 'flood.png', mimeType: 'image/png', buffer: png });
    await page.locator('#image-alt').fill('防汛会议现场');
    await page.locator('#image-insert').click();
    await body.locator('img[alt="防汛会议现场"]').waitFor();
    await noAxeViolations('the editor');
    await page.locator('#save').click();
    await page.locator('#save-status', { hasText: '已保存' }).waitFor();
    await page.waitForURL(/\/admin\/articles\/\d+$/);
    const id = Number(/(\d+)$/.exec(page.url())?.[1]);
    const saved = await store.db
      .selectFrom('article')
      .select(['bodyHtml', 'status'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    assert.equal(saved.status, 'draft');
    assert.match(
      saved.bodyHtml,
      /^<p>会议要求各部门做好防汛准备。<\/p><p><strong>一、提高思想认识<\/strong><\/p><p>各单位要把防汛工作摆在突出位置。<\/p>/,
    );
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
    t.after(() => preview.close());
    await preview.goto(`${base}/admin/preview/${id}`);
    assert.equal(await preview.locator('h1').innerText(), '区政府召开防汛工作会议');
    await preview.close();
    await page.locator('#publish').click();
    await expectStatus('已发布');

    // Readers see it, with the pasted text clean and the image loaded.
    const published = await store.db
      .selectFrom('article')
      .select(['publishedAt', 'channelId'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    assert.ok(published.publishedAt);
    const publicUrl = `${base}/bqdt/202512/t20251201_${id}.html`;
    const reader = await page.context().newPage();
    t.after(() => reader.close());
    const response = await reader.goto(publicUrl);
    assert.equal(response?.status(), 200);
    assert.equal(await reader.locator('h1').innerText(), '区政府召开防汛工作会议');
    assert.equal(await reader.locator('article strong', { hasText: '一、提高思想认识' }).count(), 1);
    assert.ok(
      await reader.locator('img[alt="防汛会议现场"]').evaluate((img) => (img as HTMLImageElement).naturalWidth === 960),
    );

    // The publisher withdraws it: the page is gone, the history stays.
    await page.locator('#withdraw-reason').fill('信息需要更新');
    await page.locator('#withdraw').click();
    await expectStatus('已撤稿');
    const gone = await reader.goto(publicUrl);
    assert.equal(gone?.status(), 410);
    await reader.close();
    await page.goto(`${base}/admin/articles/${id}/revisions`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    const history = await store.db
      .selectFrom('articleRevision')
      .select(['number', 'action'])
      .where('articleId', '=', id)
      .orderBy('number')
      .execute();
    assert.deepEqual(
      history.map((r) => r.action),
      ['create', 'edit', 'publish'],
    );
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

  test('a single-page channel with a body, deleting a draft, a scheduled withdrawal and a cover image', async (t) => {
    // The site administrator makes a 单页 channel with its own text; readers see it at /{slug}/.
    await signIn('siteadmin');
    await page.goto(`${base}/admin/channels`);
    await page.locator('#new-channel-name').fill('机构职能');
    await page.locator('#new-channel-slug').fill('jgzn');
    await page.locator('#new-channel-type').selectOption('page');
    const newBody = page.getByRole('textbox', { name: '栏目正文' });
    await newBody.click();
    await page.keyboard.type('负责全区防汛抗旱的组织协调工作。');
    await noAxeViolations('the channels screen with the page body editor');
    await page.locator('#new-channel-save').click();
    await page.getByRole('status').filter({ hasText: '已创建栏目“机构职能”' }).waitFor();
    const made = await store.db
      .selectFrom('channel')
      .select(['id', 'type', 'bodyHtml'])
      .where('slug', '=', 'jgzn')
      .executeTakeFirstOrThrow();
    assert.equal(made.type, 'page');
    assert.equal(made.bodyHtml, '<p>负责全区防汛抗旱的组织协调工作。</p>');
    await page.getByRole('textbox', { name: '栏目正文' }).waitFor({ state: 'detached' }); // the create form is reset to 列表
    const reader = await page.context().newPage();
    t.after(() => reader.close());
    const shown = await reader.goto(`${base}/jgzn/`);
    assert.equal(shown?.status(), 200);
    await reader.locator('.article-body', { hasText: '负责全区防汛抗旱的组织协调工作。' }).waitFor();

    // Editing it starts from the text it has, and saving sends the new text.
    await page.locator(`#edit-channel-${made.id}`).click();
    const editBody = page.getByRole('textbox', { name: '栏目正文' });
    await editBody.filter({ hasText: '负责全区防汛抗旱的组织协调工作。' }).waitFor();
    await editBody.click();
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('联系电话：12345。');
    await page.locator(`#edit-${made.id}-save`).click();
    await page.getByRole('status').filter({ hasText: '已保存栏目“机构职能”' }).waitFor();
    const edited = await store.db
      .selectFrom('channel')
      .select('bodyHtml')
      .where('id', '=', made.id)
      .executeTakeFirstOrThrow();
    assert.equal(edited.bodyHtml, '<p>负责全区防汛抗旱的组织协调工作。</p><p>联系电话：12345。</p>');
    await reader.close();
    await signOut();

    // An editor may not delete someone else's draft (that needs article.publish): the server says why.
    const othersDraft = await createArticle(ctx, actorFor(accounts.reviewer), {
      channelId,
      title: '审核员的草稿',
      bodyHtml: '<p>正文</p>',
    });
    await signIn('editor');
    await openArticle(othersDraft.id);
    await page.locator('#delete-article').click();
    await page.locator('#confirm-delete-article').click();
    await page.locator('#save-error', { hasText: '没有权限' }).waitFor();
    assert.ok(await store.db.selectFrom('article').select('id').where('id', '=', othersDraft.id).executeTakeFirst());

    // Their own draft goes, after a confirmation, and the article list says so.
    const draftId = await newDraft('一篇要删除的草稿');
    await page.locator('#delete-article').click();
    await page.locator('#confirm-delete-article').waitFor();
    await noAxeViolations('the editor asking to confirm a deletion');
    await page.locator('#confirm-delete-article').click();
    await page.waitForURL(/\/admin\/articles$/);
    await page.locator('#articles-status', { hasText: '已删除文章“一篇要删除的草稿”' }).waitFor();
    assert.equal(
      await store.db.selectFrom('article').select('id').where('id', '=', draftId).executeTakeFirst(),
      undefined,
    );

    // The editor picks a cover image from the media library (uploaded there first) and saves it.
    await page.goto(`${base}/admin/media`);
    const png = await sharp({ create: { width: 800, height: 600, channels: 3, background: '#2e7d32' } })
      .png()
      .toBuffer();
    await page.locator('#media-file').setInputFiles({ name: 'cover.png', mimeType: 'image/png', buffer: png });
    await page.locator('#media-alt').fill('防汛演练现场');
    await page.locator('#media-upload').click();
    await page.getByRole('status').filter({ hasText: '已上传“cover.png”' }).waitFor();
    const coverId = await newDraft('带封面图片的文章');
    await page.locator('#cover-choose').click();
    const option = page.locator('.cover-option', { hasText: '防汛演练现场' });
    await option.waitFor();
    await noAxeViolations('the editor with the cover image dialog open');
    await option.click();
    await page.locator('#cover-url').waitFor();
    await page.waitForFunction(() => document.activeElement?.id === 'cover-choose'); // focus back on the opener
    const chosen = await page.locator('#cover-url').innerText();
    assert.match(chosen, /^\/media\/img\/[0-9a-f]{24}\/[\w.-]+\.png$/);
    await saveInEditor();
    const withCover = await store.db
      .selectFrom('article')
      .select('coverImage')
      .where('id', '=', coverId)
      .executeTakeFirstOrThrow();
    assert.equal(withCover.coverImage, chosen);
    await page.locator('#cover-remove').click();
    await page.locator('#cover-url').waitFor({ state: 'detached' });
    await saveInEditor();
    const removed = await store.db
      .selectFrom('article')
      .select('coverImage')
      .where('id', '=', coverId)
      .executeTakeFirstOrThrow();
    assert.ok(!removed.coverImage, 'no cover image (the API stores the null it is sent as an empty string)');
    await signOut();

    // A publisher schedules the withdrawal of a published article: it stays up, the time is shown.
    const writer = actorFor(accounts.editor);
    const scheduled = await createArticle(ctx, writer, { channelId, title: '定时撤稿的文章', bodyHtml: '<p>正文</p>' });
    await stepArticle(ctx, writer, scheduled.id, 'submit');
    await stepArticle(ctx, actorFor(accounts.reviewer), scheduled.id, 'approve');
    await stepArticle(ctx, actorFor(accounts.publisher), scheduled.id, 'publish');
    await signIn('publisher');
    await openArticle(scheduled.id);
    await expectStatus('已发布');
    await page.locator('#withdraw-reason').fill('活动结束后撤下');
    await page.locator('#withdraw-at').fill('2025-12-31T18:00');
    await page.locator('#withdraw').click();
    await page.locator('#save-status', { hasText: '已定时撤稿' }).waitFor();
    await page.locator('.status-line', { hasText: '定时撤稿2025-12-31 18:00' }).waitFor();
    await expectStatus('已发布');
    const job = await store.db
      .selectFrom('job')
      .select(['kind', 'runAt', 'status'])
      .where('articleId', '=', scheduled.id)
      .executeTakeFirstOrThrow();
    assert.equal(job.kind, 'withdraw');
    assert.equal(new Date(job.runAt).toISOString(), '2025-12-31T10:00:00.000Z');
    const still = await store.db
      .selectFrom('article')
      .select('status')
      .where('id', '=', scheduled.id)
      .executeTakeFirstOrThrow();
    assert.equal(still.status, 'published');
    await signOut();
  });
});
