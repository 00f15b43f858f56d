import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { backOfficeInBrowser, type BackOfficeInBrowser } from '../helpers/app.js';
import { axeViolations } from '../helpers/browser.js';
import { makeAccountsFor } from '../helpers/backoffice.js';
import { contextFor } from '../helpers/store.js';

const TITLE = '示范区2025年科技活动周开幕 百余项成果集中亮相';

/** 首页推荐 on the article screen: the publisher ticks 头条 and the home page leads with the article. */
describe('头条 and 图片新闻 on the back office article screen', () => {
  let office: BackOfficeInBrowser;
  let id: number;

  before(async () => {
    office = await backOfficeInBrowser();
    await makeAccountsFor(contextFor(office.store), ['editor', 'publisher']);
    id = (await office.store.db.selectFrom('article').select('id').where('title', '=', TITLE).executeTakeFirstOrThrow())
      .id;
  });
  after(() => office?.close());

  async function openArticle(): Promise<void> {
    await office.page.goto(`${office.base}/admin/articles/${id}`);
    await office.page.locator('#mark-headline').waitFor();
  }

  test('an editor sees the marks, and why they are not theirs to set', async () => {
    await office.signIn('editor');
    await openArticle();
    const { page } = office;
    assert.deepEqual(
      [await page.locator('#mark-headline').isDisabled(), await page.locator('#mark-picture').isDisabled()],
      [true, true],
    );
    assert.equal(await page.locator('#marks-not-allowed').textContent(), '推荐到首页需要本栏目的签发权限。');
    assert.deepEqual(await axeViolations(page), []);
  });

  test('a publisher ticks 头条: saved at once, said aloud, and the home page leads with the article', async () => {
    await office.signIn('publisher');
    await openArticle();
    const { page } = office;
    assert.equal(
      await page.locator('#mark-picture-hint').textContent(),
      '需要封面图片：没有封面图片的文章不会出现在首页图片新闻中。',
    );
    await page.getByLabel('头条').check();
    await page.locator('.article-marks [role="status"]', { hasText: '已保存首页推荐。' }).waitFor();
    assert.equal(await page.locator('#mark-headline').isChecked(), true);
    await office.app.gazette.publisher.idle();
    const home = await (await fetch(`${office.base}/`)).text();
    assert.ok(
      home.includes(`<h3 class="headline-title"><a href="/bqdt/202511/t20251118_${id}.html">${TITLE}</a></h3>`),
    );
    // Marked 图片新闻 without a cover image: the box says what is missing.
    await page.getByLabel('图片新闻').check();
    await page.locator('#mark-picture-hint', { hasText: '本文尚无封面图片' }).waitFor();
    assert.deepEqual(await axeViolations(page), []);
  });
});
