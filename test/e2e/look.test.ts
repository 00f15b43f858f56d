import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { buildSite } from '../../src/publish/index.js';
import { addSite, platformConsole, setDefaultSite } from '../../src/services/index.js';
import { manifest } from '../../src/store/index.js';
import { backOfficeInBrowser, type BackOfficeInBrowser } from '../helpers/app.js';
import { makeAccountsFor } from '../helpers/backoffice.js';
import { clickInView } from '../helpers/browser.js';
import { contextFor } from '../helpers/store.js';

/** Every page the output store holds (every site's), by manifest key, with its hash. */
async function publishedPages(office: BackOfficeInBrowser): Promise<Map<string, string>> {
  const pages = new Map<string, string>();
  for (let after = ''; ;) {
    const batch = await manifest.pagesAfter(office.store.db, after, 1000);
    if (batch.length === 0) return pages;
    for (const row of batch) pages.set(row.path, row.hash);
    after = batch[batch.length - 1]?.path ?? after;
  }
}

/** The keys whose hash differs between two snapshots (added and removed pages included), sorted. */
function changedKeys(before: Map<string, string>, now: Map<string, string>): string[] {
  const keys = new Set([...before.keys(), ...now.keys()]);
  return [...keys].filter((key) => before.get(key) !== now.get(key)).sort();
}

/** The demo portal's article pages (`/bqdt/202105/t20210520_1.html`), not other sites' (`/site_2/…`). */
const isPortalArticle = (key: string) => !key.startsWith('/site_') && /\/t\d{8}_\d+\.html$/.test(key);

/**
 * The "done when" in one sitting: the portal's administrator changes the main colour,
 * swaps two home page blocks and overrides the article template in the back office; each save
 * changes exactly the published pages the dependency map names (the stylesheet and the home
 * page; then every article page and nothing else), and going back to the default template
 * brings every article page back to its earlier bytes.
 */
describe('站点外观 and 模板编辑 in Chromium: the published pages change exactly as the dependency map says', () => {
  let office: BackOfficeInBrowser;
  let page: Page;

  before(async () => {
    office = await backOfficeInBrowser();
    page = office.page;
    await makeAccountsFor(office.app.gazette.context, ['admin']);
    // Every site of the platform as `gazette build` leaves it: each page in the output store and
    // the manifest, so that a change to the portal is seen to leave the other sites' pages alone.
    const ctx = { ...contextFor(office.store), siteId: 1 };
    const water = await addSite(ctx, platformConsole('test'), { host: 'swj.example.gov.cn', name: '区水务局' });
    // The portal stays the site the test's address (127.0.0.1) reaches.
    await setDefaultSite(ctx, platformConsole('test'), 'www.example.gov.cn');
    for (const id of [1, water.id]) await buildSite(office.app.gazette.publisher.for(id));
  });
  after(() => office?.close());

  /** The ids of the home page's blocks in the order the published page shows them. */
  async function homeBlockOrder(): Promise<string[]> {
    const html = (await office.app.inject('/')).body;
    return [...html.matchAll(/<section class="block[^"]*" id="([a-z][a-z0-9-]*)"/g)].map((m) => m[1] ?? '');
  }

  test('a colour and two blocks, then the article template: exactly the pages they reach change', async () => {
    const publisher = office.app.gazette.publisher;
    await publisher.idle();
    const start = await publishedPages(office);
    const articlePages = [...start.keys()].filter(isPortalArticle).sort();
    assert.ok(articlePages.length >= 6, `the demo's article pages are published (${articlePages.length})`);
    assert.ok(
      [...start.keys()].some((key) => key.startsWith('/site_')),
      'the other sites’ pages are in the manifest',
    );
    const orderBefore = await homeBlockOrder();
    assert.ok(orderBefore.length >= 2, `blocks are on the home page (${orderBefore.join(', ')})`);

    // 站点外观: a new main colour, and the first two blocks swapped.
    await office.signIn('siteadmin');
    await page.goto(`${office.base}/admin/site/look`);
    const main = page.locator('#look-main-colour');
    await main.waitFor();
    await main.fill('#1f4e8c');
    await page.locator('#look-main-colour-ratio').waitFor();
    const [first, second] = orderBefore;
    await clickInView(page.locator(`#look-block-${first}-down`));
    await page.locator('#look-blocks-status').waitFor();
    await clickInView(page.locator('#look-save'));
    await page.locator('#look-progress', { hasText: '受影响的页面已全部更新。' }).waitFor();
    await publisher.idle();

    const styled = await publishedPages(office);
    assert.deepEqual(changedKeys(start, styled), ['/', '/look.css']);
    assert.equal((await office.app.inject('/look.css')).body, ':root{--main:#1f4e8c;--accent:#7d0f0b}\n');
    assert.deepEqual(await homeBlockOrder(), [second, first, ...orderBefore.slice(2)]);

    // 模板编辑: one line more in the article template.
    await page.getByRole('link', { name: '模板编辑', exact: true }).click();
    await page.getByRole('button', { name: 'article', exact: true }).click();
    const box = page.getByLabel('模板源代码（article）');
    await box.waitFor();
    const lines = (await box.inputValue()).split('\n');
    await box.fill([...lines.slice(0, 2), '<p class="own">本站文章页</p>', ...lines.slice(2)].join('\n'));
    await page.locator('#theme-problems', { hasText: '检查通过' }).waitFor();
    await clickInView(page.getByRole('button', { name: '保存并发布' }));
    await page.locator('#theme-status', { hasText: '已保存 article' }).waitFor();
    await publisher.idle();

    const overridden = await publishedPages(office);
    assert.deepEqual(changedKeys(styled, overridden), articlePages);
    const firstArticle = articlePages[0] ?? '';
    assert.match((await office.app.inject(firstArticle)).body, /<p class="own">本站文章页<\/p>/);

    // Back to the default theme's article template: every article page as it was before.
    await clickInView(page.getByRole('button', { name: '恢复默认模板' }));
    await clickInView(page.getByRole('button', { name: '确定恢复默认' }));
    await page.locator('#theme-status', { hasText: 'article 已恢复为默认主题的版本。' }).waitFor();
    await publisher.idle();
    assert.deepEqual(changedKeys(styled, await publishedPages(office)), []);
  });
});
