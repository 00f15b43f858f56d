import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import type { Page } from 'playwright-core';
import { importPage, runHealthCheck, systemActor } from '../../src/services/index.js';
import { backOfficeInBrowser, type BackOfficeInBrowser } from '../helpers/app.js';
import { axeViolations } from '../helpers/browser.js';
import { makeRoleAccounts } from '../helpers/backoffice.js';
import { makePage } from '../helpers/factories.js';

describe('the health dashboard in Chromium', () => {
  let app: FastifyInstance;
  let base: string;
  let page: Page;
  let brokenId = 0;

  let office: BackOfficeInBrowser;

  before(async () => {
    office = await backOfficeInBrowser();
    ({ app, base, page } = office);
    const ctx = app.gazette.context;
    await makeRoleAccounts(ctx);
    const broken = await importPage(
      ctx,
      makePage({
        columns: ['通知公告'],
        title: '带坏链的通知',
        bodyHtml: '<p><a href="/tzgg/202001/t20200101_4242.html">旧通知</a></p>',
        publishedAt: new Date('2025-11-30T10:00:00+08:00'),
      }),
    );
    brokenId = broken.article.id;
    await app.gazette.publisher.idle();
    await app.gazette.links.idle();
    await runHealthCheck(ctx, systemActor('test'));
  });
  after(() => office?.close());

  const signIn = (username: string) => office.signIn(username);

  test('an administrator sees the report, the broken link with its article, three charts with their data, and axe-core finds nothing', async () => {
    await signIn('siteadmin');
    await page.getByRole('link', { name: '网站健康' }).click();
    await page.locator('#health-summary').waitFor();
    // The demo publishes no 办事指南: 服务不实用 is its one failed veto item.
    assert.match(await page.locator('#health-summary').innerText(), /不合格（1 项单项否决），得分 \d+\/100/);
    const services = page.getByRole('row', { name: /^服务不实用/ });
    assert.match(await services.innerText(), /否决[\s\S]*没有已发布的办事指南：未提供办事服务/);
    const interpretations = page.getByRole('row', { name: /^政策文件未及时解读/ });
    assert.match(await interpretations.innerText(), /发布后 3 个工作日内未关联政策解读[\s\S]*正常/);
    const limit = interpretations.getByRole('link', { name: '在“网站设置”中修改政策解读时限' });
    assert.equal(await limit.getAttribute('href'), '/admin/site');
    const link = page.getByRole('link', { name: '修改《带坏链的通知》' });
    assert.equal(await link.getAttribute('href'), `/admin/articles/${brokenId}`);
    for (const id of ['chart-updates', 'chart-findings', 'chart-score'])
      await page.locator(`#${id} .chart-box svg`).waitFor();
    assert.equal(await page.locator('#chart-updates table tbody tr').count(), 6);
    assert.deepEqual(await axeViolations(page), []);
    await page.locator('#health-run').click();
    await page.locator('#chart-score table tbody tr').nth(1).waitFor({ state: 'attached' });
    assert.equal(await page.locator('#chart-score table tbody tr').count(), 2);
  });

  test('an editor reads the dashboard without the run button', async () => {
    await page.locator('#logout').click();
    await signIn('editor');
    await page.goto(`${base}/admin/health`);
    await page.locator('#health-summary').waitFor();
    assert.equal(await page.locator('#health-run').count(), 0);
    assert.equal(await page.getByRole('link', { name: '在“网站设置”中修改政策解读时限' }).count(), 0);
    assert.deepEqual(await axeViolations(page), []);
  });
});
