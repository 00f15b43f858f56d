import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { addSite, platformConsole, setDefaultSite, updateUser } from '../../src/services/index.js';
import { backOfficeInBrowser, type BackOfficeInBrowser } from '../helpers/app.js';
import { contextFor } from '../helpers/store.js';
import { axeViolations } from '../helpers/browser.js';
import { makeRoleAccounts } from '../helpers/backoffice.js';

describe('sites in the back office (Chromium): 站点管理 and the site switcher', () => {
  let office: BackOfficeInBrowser;
  let page: Page;
  let base: string;

  before(async () => {
    office = await backOfficeInBrowser({ pages: false });
    ({ page, base } = office);
    const ctx = { ...contextFor(office.store), siteId: 1 };
    const accounts = await makeRoleAccounts(ctx);
    const water = await addSite(ctx, platformConsole('test'), { host: 'swj.example.gov.cn', name: '区水务局' });
    // The demo site stays the one the test's address (127.0.0.1) reaches.
    await setDefaultSite(ctx, platformConsole('test'), 'www.example.gov.cn');
    // The editor writes for the water bureau's site too.
    await updateUser(
      { ...ctx, siteId: water.id },
      { userId: null, userName: 'test', grants: [{ role: 'security', channelId: null }], ip: null },
      accounts.editor.id,
      { roles: [{ role: 'editor', channelId: null }] },
    );
  });
  after(() => office?.close());

  test('the platform administrator adds a site and archives it; a host already taken is refused', async () => {
    await office.signIn('platformadmin');
    await page.goto(`${base}/admin/sites`);
    await page.locator('#site-host').waitFor();
    assert.deepEqual(await axeViolations(page), [], 'axe-core on 站点管理');
    await page.locator('#site-host').fill('mmz.example.gov.cn');
    await page.locator('#site-name').fill('某某镇');
    await page.locator('#site-parent').selectOption({ label: '示范区人民政府' });
    await page.locator('#add-site').click();
    await page.getByText('已添加站点：某某镇').waitFor();
    // The list is read again after the add: wait for the new row.
    const row = page.locator('table.sites-table tr', { hasText: 'mmz.example.gov.cn' });
    await row.waitFor();
    assert.deepEqual((await row.locator('td').allInnerTexts()).slice(0, 5), [
      '某某镇',
      'mmz.example.gov.cn',
      'mmz.example.gov.cn',
      '示范区人民政府',
      '运行中',
    ]);
    await row.getByRole('button', { name: '归档' }).click();
    await page.locator('table.sites-table tr', { hasText: 'mmz.example.gov.cn' }).getByText('已归档').waitFor();
    const site = await office.store.db
      .selectFrom('site')
      .select(['status', 'parentId'])
      .where('domain', '=', 'mmz.example.gov.cn')
      .executeTakeFirstOrThrow();
    assert.deepEqual(site, { status: 'archived', parentId: 1 });
    // A host already taken is refused, naming the site that holds it.
    await page.locator('#site-host').fill('swj.example.gov.cn');
    await page.locator('#site-name').fill('重复');
    await page.locator('#add-site').click();
    await page.getByText('域名 swj.example.gov.cn 已属于站点 区水务局（swj.example.gov.cn）').waitFor();
  });

  test('an editor of two sites switches between them; each shows its own name and columns', async () => {
    await office.signIn('editor');
    const switcher = page.locator('#site-switcher');
    await switcher.waitFor();
    assert.deepEqual(await switcher.locator('option').allInnerTexts(), [
      '示范区人民政府（www.example.gov.cn）',
      '区水务局（swj.example.gov.cn）',
    ]);
    await page.locator('.site-name', { hasText: '示范区人民政府' }).waitFor();
    await switcher.selectOption({ label: '区水务局（swj.example.gov.cn）' });
    await page.locator('.site-name', { hasText: '区水务局' }).waitFor();
    assert.equal(
      await page.locator('#site-switcher').inputValue(),
      String(
        (
          await office.store.db
            .selectFrom('site')
            .select('id')
            .where('domain', '=', 'swj.example.gov.cn')
            .executeTakeFirstOrThrow()
        ).id,
      ),
    );
    // A user of one site only sees no switcher.
    const answered = page.waitForResponse((response) => response.url().endsWith('/api/v1/session/sites'));
    await office.signIn('reviewer');
    assert.deepEqual(((await (await answered).json()) as { items: unknown[] }).items.length, 1);
    // The answer is rendered before the next frame.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
    assert.equal(await page.locator('#site-switcher').count(), 0);
  });
});
