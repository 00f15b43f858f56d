import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { Page } from 'playwright-core';
import {
  stepInfoRequest,
  submitInfoRequest,
  type NewInfoRequest,
  type ServiceContext,
} from '../../src/services/index.js';
import { backOfficeInBrowser, type BackOfficeInBrowser } from '../helpers/app.js';
import { actorFor, makeRoleAccounts } from '../helpers/backoffice.js';
import { axeViolations } from '../helpers/browser.js';
import { citizenRequest, companyRequest, requestIdOf } from '../helpers/info-requests.js';
import { solvedPow } from '../helpers/letters.js';
import { contextFor, pinnedClock } from '../helpers/store.js';
import { pdfOfSize, pngDeclaring } from '../helpers/uploads.js';

/**
 * 依申请公开 in the back office, in Chromium: the office's list (the clock in working days, a late
 * request marked in words), then one citizen's request through 确认收到, 告知补正, 收到补正, a
 * 10-day extension, the reply document and the answer 部分公开; the applicant's details only on
 * request, and audited. Today is Monday 1 December 2025 (the pinned clock).
 */
describe('依申请公开 in Chromium: the office lists, confirms, asks for a correction, extends and answers', () => {
  let office: BackOfficeInBrowser;
  let page: Page;
  let base: string;
  let citizen = { id: 0, code: '' };
  let company = { id: 0, code: '' };

  before(async () => {
    office = await backOfficeInBrowser({ pages: false });
    ({ page, base } = office);
    const ctx: ServiceContext = { ...contextFor(office.store), siteId: 1 };
    const accounts = await makeRoleAccounts(ctx);
    let ip = 0;
    const send = async (at: ServiceContext, input: NewInfoRequest) => {
      const receipt = await submitInfoRequest(at, { ...input, altcha: await solvedPow(at) }, `203.0.113.${++ip}`);
      return { id: await requestIdOf(office.store.db, receipt.queryCode), code: receipt.queryCode };
    };
    // Received on Monday 27 October: its 20 working days ran out on 24 November.
    const earlier = { ...ctx, clock: pinnedClock('2025-10-27T10:00:00+08:00') };
    company = await send(earlier, companyRequest());
    await stepInfoRequest(earlier, actorFor(accounts.office), company.id, 'confirm', {});
    citizen = await send(ctx, citizenRequest());
  });
  after(async () => {
    await office?.close();
  });

  const text = (selector: string) => page.locator(selector).innerText();

  async function cells(row: string): Promise<string[]> {
    return page.locator(row).locator('th, td').allInnerTexts();
  }

  /** The step buttons the screen offers, in order. */
  function stepButtons(): Promise<string[]> {
    return page.locator('button[id^="step-"]').allInnerTexts();
  }

  async function takeStep(step: string, said: string): Promise<void> {
    await page.locator(`#step-${step}`).click();
    const status = page.locator('#info-request-step-status');
    await status.filter({ hasText: said }).waitFor();
    assert.equal(await status.innerText(), said);
  }

  const row = (code: string) => `table.info-requests-table tr:has(a:text-is("${code}"))`;

  test('the list: the clock in working days, a late request marked in words, a status filter', async () => {
    await office.signIn('office');
    await page.getByRole('link', { name: '依申请公开', exact: true }).click();
    await page.locator(row(citizen.code)).waitFor();
    assert.equal(await page.locator('h1').innerText(), '依申请公开');
    assert.deepEqual(await cells(row(citizen.code)), [
      citizen.code,
      '自然人',
      '2025年松陵镇中山路道路改造工程的立项批复和预算',
      '待确认收到',
      '—',
      '—',
      '—',
      '—',
    ]);
    assert.deepEqual(await cells(row(company.code)), [
      company.code,
      '商业企业',
      '2025年区级工程招标项目目录',
      '办理中',
      '2025-10-27',
      '2025-11-24',
      '⚠ 超期 5 个工作日',
      '—',
    ]);
    assert.equal(await page.locator(row(company.code)).getAttribute('class'), 'late');
    assert.equal(await page.locator('table.info-requests-table caption').textContent(), '依申请公开：全部');
    assert.deepEqual(await page.locator('table.info-requests-table thead th').allInnerTexts(), [
      '查询码',
      '申请人类型',
      '所需信息',
      '状态',
      '收到日期',
      '答复期限',
      '剩余工作日',
      '办理结果',
    ]);
    assert.deepEqual(await axeViolations(page), [], 'axe-core on the list');

    await page.locator('#info-requests-tab-submitted').click();
    await page.waitForFunction(() => document.querySelectorAll('table.info-requests-table tbody tr').length === 1);
    assert.equal(await page.locator('table.info-requests-table tbody th').innerText(), citizen.code);
    assert.equal(await page.locator('#info-requests-tab-submitted').getAttribute('aria-pressed'), 'true');
    assert.equal(await page.locator('table.info-requests-table caption').textContent(), '依申请公开：待确认收到');
  });

  test('confirmed, a correction asked (refused first without its note) and received, extended by 10 days', async () => {
    await page.getByRole('link', { name: citizen.code, exact: true }).click();
    await page.locator('#info-request-actions-title').waitFor();
    assert.equal(await page.locator('h1').innerText(), `依申请公开 ${citizen.code}`);
    assert.equal(await text('#info-request-status'), '待确认收到');
    assert.equal(await text('#info-request-due'), '—');
    assert.equal(await text('#info-request-description'), '2025年松陵镇中山路道路改造工程的立项批复和预算');
    assert.equal(await text('#info-request-document-no'), '吴发改〔2025〕12号');
    assert.deepEqual(await stepButtons(), ['确认收到']);
    assert.equal(await page.locator('#info-request-applicant').count(), 0, 'the applicant only on request');

    await takeStep('confirm', '“确认收到”已完成，当前状态：办理中');
    assert.equal(await text('#info-request-received'), '2025-12-01');
    assert.equal(await text('#info-request-due'), '2025-12-29（剩 20 个工作日）');
    assert.deepEqual(await stepButtons(), ['告知补正', '征求第三方意见', '延期答复', '答复']);
    assert.deepEqual(await axeViolations(page), [], 'axe-core on the detail with its step forms');

    await page.locator('#step-ask-correction').click();
    const refused = page.locator('#step-ask-correction-error');
    await refused.filter({ hasText: '填写有误' }).waitFor();
    assert.equal(await refused.innerText(), '意见填写有误：请写明需要补正的事项和合理的补正期限');
    assert.equal(await refused.getAttribute('role'), 'alert');
    await page.getByLabel('需要补正的事项').fill('请写明所需信息的具体项目名称，并于 15 个工作日内补正。');
    await takeStep('ask-correction', '“告知补正”已完成，当前状态：待补正');
    assert.equal(await text('#info-request-due'), '—');
    assert.equal(await text('#info-request-correction-asked'), '是');
    assert.deepEqual(await stepButtons(), ['收到补正', '答复']);
    // Waiting for the correction, the request can only be closed as not corrected, or 其他.
    assert.deepEqual(await page.locator('#step-answer-outcome option').allInnerTexts(), [
      '—',
      '申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请',
      '其他',
    ]);

    await takeStep('corrected', '“收到补正”已完成，当前状态：办理中');
    assert.equal(await text('#info-request-clock-start'), '2025-12-01');
    assert.equal(await text('#info-request-due'), '2025-12-29（剩 20 个工作日）');
    assert.deepEqual(await stepButtons(), ['征求第三方意见', '延期答复', '答复']);

    await page.getByLabel('延长的工作日数').fill('10');
    await page.getByLabel('延期理由').fill('需要调取多个部门的档案');
    await takeStep('extend', '“延期答复”已完成，当前状态：办理中');
    assert.equal(await text('#info-request-extension'), '10 个工作日');
    assert.equal(await text('#info-request-extension-reason'), '需要调取多个部门的档案');
    // 元旦 2026 is 1–3 January, Sunday the 4th a working day.
    assert.equal(await text('#info-request-due'), '2026-01-13（剩 30 个工作日）');
    assert.deepEqual(await stepButtons(), ['征求第三方意见', '答复']);
  });

  test('the reply document: a file lying about its type refused, a PDF uploaded and downloaded; answered 部分公开', async () => {
    await page.locator('#step-answer-outcome').selectOption({ label: '部分公开' });
    await page.locator('#step-answer').click();
    const refused = page.locator('#step-answer-error');
    await refused.filter({ hasText: '答复文书' }).waitFor();
    assert.equal(await refused.innerText(), '答复文书填写有误：请先上传答复文书');

    const upload = page.locator('#info-request-upload-error');
    await page
      .getByLabel('答复文书文件')
      .setInputFiles({ name: '答复.pdf', mimeType: 'application/pdf', buffer: pngDeclaring(16, 16) });
    await page.locator('#info-request-upload').click();
    await upload.filter({ hasText: '.pdf' }).waitFor();
    assert.equal(await upload.getAttribute('role'), 'alert');
    assert.equal(await upload.innerText(), '文件内容（image/png）与扩展名 .pdf 不符');
    assert.equal(await text('#info-request-document'), '尚未上传答复文书。');

    const pdf = pdfOfSize(2048, 'reply');
    await page
      .getByLabel('答复文书文件')
      .setInputFiles({ name: '政府信息公开申请答复书.pdf', mimeType: 'application/pdf', buffer: pdf });
    await page.locator('#info-request-upload').click();
    await page.locator('#info-request-upload-status', { hasText: '已上传答复文书' }).waitFor();
    assert.equal(await text('#info-request-upload-status'), '已上传答复文书：政府信息公开申请答复书.pdf');
    assert.equal(await text('#info-request-upload-error'), '');
    assert.equal(
      await text('#info-request-document'),
      '政府信息公开申请答复书.pdf 2.0 KB，office 于 2025-12-01 09:00 上传',
    );
    const downloading = page.waitForEvent('download');
    await page.getByRole('link', { name: '政府信息公开申请答复书.pdf' }).click();
    const download = await downloading;
    assert.equal(download.suggestedFilename(), '政府信息公开申请答复书.pdf');
    assert.deepEqual(fs.readFileSync(await download.path()), pdf);

    await page.locator('#step-answer-outcome').selectOption({ label: '部分公开' });
    await page.getByLabel('答复摘要（可选）').fill('立项批复予以公开，预算明细涉及商业秘密不予公开。');
    await takeStep('answer', '“答复”已完成，当前状态：已答复');
    assert.equal(await text('#info-request-status'), '已答复');
    assert.equal(await text('#info-request-outcome'), '部分公开');
    assert.equal(await text('#info-request-due'), '2026-01-13');
    assert.equal(await text('#info-request-answered'), '2025-12-01');
    assert.deepEqual(await stepButtons(), []);
    assert.equal(await text('#info-request-actions-title + p'), '您目前不能对这件申请进行操作。');
    assert.equal(await page.locator('#info-request-file').count(), 0, 'no new document once answered');
    const history = await page
      .locator('table.info-request-steps tbody tr')
      .evaluateAll((rows) =>
        rows.map((r) => [1, 2, 3, 5].map((i) => (r.children[i] as HTMLElement | undefined)?.innerText ?? '')),
      );
    assert.deepEqual(history.slice(1), [
      ['确认收到', '待确认收到 → 办理中', 'office', '2025-12-29'],
      ['告知补正', '办理中 → 待补正', 'office', ''],
      ['收到补正', '待补正 → 办理中', 'office', '2025-12-29'],
      ['延期答复', '办理中 → 办理中', 'office', '2026-01-13'],
      ['答复', '办理中 → 已答复', 'office', '2026-01-13'],
    ]);
    assert.deepEqual(history[0]?.slice(0, 2), ['提交申请', '待确认收到']);
  });

  test('the applicant’s details only on request, every reading audited; the detail passes axe-core', async () => {
    await page.locator('#info-request-applicant-show').click();
    await page.locator('#info-request-applicant').waitFor();
    assert.deepEqual(await page.locator('#info-request-applicant dd').allInnerTexts(), [
      '李四',
      '居民身份证',
      '11010519491231002X',
      '—',
      '—',
      '13912345678',
      'lisi@example.com',
      '江苏省苏州市吴江区松陵镇人民路1号',
      '215200',
    ]);
    const reads = await office.store.db
      .selectFrom('auditLog')
      .select(['userName'])
      .where('action', '=', 'info-request.personal-read')
      .where('targetId', '=', String(citizen.id))
      .execute();
    assert.deepEqual(reads, [{ userName: 'office' }]);
    assert.deepEqual(await axeViolations(page), [], 'axe-core on an answered request');
    await page.locator('#info-request-applicant-hide').click();
    await page.locator('#info-request-applicant').waitFor({ state: 'detached' });

    await page.getByRole('link', { name: '返回依申请公开列表' }).click();
    await page.locator(row(citizen.code)).waitFor();
    assert.deepEqual((await cells(row(citizen.code))).slice(3), [
      '已答复',
      '2025-12-01',
      '2026-01-13',
      '—',
      '部分公开',
    ]);
  });

  test('a handler-only account is told the requests are the office’s', async () => {
    await office.signIn('handler');
    await page.goto(`${base}/admin/info-requests`);
    const notice = page.locator('#info-requests-office-only');
    await notice.waitFor();
    assert.equal(
      await notice.innerText(),
      '依申请公开由本机关的信息公开工作机构（互动受理）办理，您的账户不能查看申请。',
    );
    assert.equal(await page.locator('[role="alert"]:not(:empty)').count(), 0);
    await page.goto(`${base}/admin/info-requests/${citizen.id}`);
    await notice.waitFor();
    assert.equal(await page.locator('#info-request-actions-title').count(), 0);
    assert.deepEqual(await axeViolations(page), [], 'axe-core on the refusal');
  });
});
