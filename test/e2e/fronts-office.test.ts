import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import type { Page } from 'playwright-core';
import { fronts } from '../../src/store/index.js';
import { backOfficeInBrowser, type BackOfficeInBrowser } from '../helpers/app.js';
import { axeViolations } from '../helpers/browser.js';
import { makeRoleAccounts } from '../helpers/backoffice.js';

describe('the 前端服务器 screen in Chromium', () => {
  let app: FastifyInstance;
  let page: Page;
  let office: BackOfficeInBrowser;

  before(async () => {
    office = await backOfficeInBrowser({ pages: false });
    ({ app, page } = office);
    const ctx = app.gazette.context;
    await makeRoleAccounts(ctx);
    const db = ctx.store.db;
    const front = await fronts.insertFront(db, {
      name: 'dmz-1',
      url: 'http://10.0.8.11:8700',
      tokenFile: '/etc/gazette/dmz-1.token',
      siteIds: '',
      createdAt: '2025-12-01T00:00:00.000Z',
    });
    await fronts.updateFront(db, front.id, {
      state: 'down',
      lastError: 'connect ECONNREFUSED 10.0.8.11:8700',
      lastContactAt: '2025-12-01T00:40:00.000Z',
    });
    await fronts.storeEvents(
      db,
      front,
      [
        {
          remoteId: 1,
          at: '2025-12-01T00:50:00.000Z',
          siteId: 1,
          path: '/bqdt/',
          file: '1/bqdt/index.html',
          kind: 'modified',
          detail:
            '--- 1/bqdt/index.html\n+++ 1/bqdt/index.html\n@@ -1 +1 @@\n-<h1>本区动态</h1>\n+<h1>本站已被篡改</h1>\n',
          quarantine: '20251201T005000Z-1-1-index.html',
          restored: 1,
        },
      ],
      1,
    );
  });
  after(() => office?.close());

  test('the platform administrator sees the front down, reads the diff of a tampered page and marks it handled', async () => {
    await office.signIn('platformadmin');
    await page.getByRole('link', { name: '前端服务器' }).click();
    const row = page.getByRole('row', { name: /^dmz-1/ });
    await row.waitFor();
    assert.match(await row.innerText(), /http:\/\/10\.0\.8\.11:8700[\s\S]*connect ECONNREFUSED 10\.0\.8\.11:8700/);

    const event = page.getByRole('row', { name: /文件被改动/ });
    assert.match(await event.innerText(), /dmz-1[\s\S]*文件被改动/);
    await event.getByText('查看差异').click();
    assert.equal(await event.locator('del').innerText(), '-<h1>本区动态</h1>\n');
    assert.equal(await event.locator('ins').innerText(), '+<h1>本站已被篡改</h1>\n');
    assert.deepEqual(await axeViolations(page), []);

    await page.getByRole('button', { name: '标记为已处理：/bqdt/' }).click();
    await page.getByLabel('处理说明').fill('已核实：演练中的篡改，页面已自动恢复');
    await page.getByRole('button', { name: '确认已处理' }).click();
    await page.getByText('已标记为已处理：/bqdt/').waitFor();
    // The list is read again after the message: the row says who handled it once it is.
    await event.getByText(/^已处理（platformadmin，/).waitFor();
    assert.match(await event.innerText(), /已处理（platformadmin，[\s\S]*已核实：演练中的篡改，页面已自动恢复/);
    const [stored] = await fronts.listEvents(app.gazette.context.store.db, {
      siteIds: [1],
      unhandled: false,
      limit: 10,
    });
    assert.equal(stored?.note, '已核实：演练中的篡改，页面已自动恢复');
    assert.notEqual(stored?.handledAt, null);
  });
});
