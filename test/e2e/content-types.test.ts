import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { backOfficeInBrowser, type BackOfficeInBrowser } from '../helpers/app.js';
import { makeRoleAccounts, signIn, type ApiClient } from '../helpers/backoffice.js';
import { axeViolations, fold } from '../helpers/browser.js';

interface Summary {
  id: number;
  title: string;
  channelName: string;
  url: string | null;
}

/**
 * 内容类型 in Chromium: the site administrator adds a field to 文章 in the back office (a bad
 * name refused with the server's words), gives a new column the type 政策文件 in the channel
 * form, an editor fills the new field of a demo article, and once published the article's page
 * shows it; a 政策文件 item's form has its 有效性 with the four values.
 */
describe('内容类型 in Chromium: a field added by the administrator, filled by an editor, shown on the page', () => {
  let office: BackOfficeInBrowser;
  let page: Page;
  let publisher: ApiClient;
  let siteadmin: ApiClient;
  /** The 规范性文件 column (政策文件) made in the channel form. */
  let policyColumn = 0;

  before(async () => {
    office = await backOfficeInBrowser();
    page = office.page;
    await makeRoleAccounts(office.app.gazette.context);
    publisher = await signIn(office.app, 'publisher');
    siteadmin = await signIn(office.app, 'siteadmin');
  });
  after(() => office?.close());

  async function api<T>(method: 'GET' | 'POST', url: string, body?: unknown, as = publisher): Promise<T> {
    const response = await as.request(method, url, body);
    assert.ok(response.statusCode < 300, `${method} ${url}: ${response.statusCode} ${response.body}`);
    return response.json<T>();
  }

  /** The rows of a table as its cells' text, tab-separated. */
  async function rows(caption: string): Promise<string[]> {
    const table = page.locator('table', { has: page.locator('caption', { hasText: caption }) });
    return (await table.locator('tbody tr').allInnerTexts()).map((row) => row.trim());
  }

  test('the administrator adds 责任单位 (dutyUnit, text) to 文章; a bad name is refused with the server’s words', async () => {
    await office.signIn('siteadmin');
    await page.getByRole('link', { name: '内容类型', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: '内容类型' }).waitFor();
    await page.getByLabel('添加到').selectOption({ label: '文章' });
    await page.getByLabel('字段名称').fill('责任单位');
    await page.getByLabel('字段标识').fill('Duty-Unit');
    await page.getByRole('button', { name: '添加字段', exact: true }).click();
    const refusal = '字段 name 无效：须以小写字母开头，只含字母和数字，最多 40 个';
    await page.locator('#add-field-error', { hasText: refusal }).waitFor();
    assert.equal(await page.locator('#add-field-error').innerText(), refusal);
    // By the field too, which is marked invalid and says why to a screen reader.
    assert.equal(await page.locator('#add-field-name-error').innerText(), refusal);
    assert.equal(await page.locator('#add-field-name').getAttribute('aria-invalid'), 'true');
    assert.equal(
      await page.locator('#add-field-name').getAttribute('aria-describedby'),
      'add-field-name-hint add-field-name-error',
    );
    assert.deepEqual(await rows('文章的字段'), []);

    await page.getByLabel('字段标识').fill('dutyUnit');
    await page.getByRole('button', { name: '添加字段', exact: true }).click();
    await page.getByRole('status').filter({ hasText: '已为文章添加字段“责任单位”' }).waitFor();
    await page.getByRole('cell', { name: 'dutyUnit' }).waitFor(); // the list is read again
    assert.deepEqual(await rows('文章的字段'), ['责任单位\tdutyUnit\t文本\t否\t本站添加\t删除字段']);
    assert.equal(await page.locator('#add-field-error').innerText(), '');
    assert.deepEqual(await axeViolations(page), []);
  });

  test('the channel form gives a new column the type 政策文件; an item of it has 有效性 with its four values', async () => {
    await page.getByRole('link', { name: '栏目', exact: true }).click();
    await page.locator('#new-channel-name').fill('规范性文件');
    await page.locator('#new-channel-slug').fill('gfxwj');
    assert.deepEqual(await page.locator('#new-channel-content-type option').allInnerTexts(), [
      '文章',
      '政策文件',
      '政策解读',
      '办事指南',
      '领导信息',
      '机构职能',
      '专题',
    ]);
    await page.getByLabel('内容类型').selectOption({ label: '政策文件' });
    await page.locator('#new-channel-save').click();
    await page.getByText('已创建栏目“规范性文件”').waitFor();
    const channels = await api<{ items: { id: number; name: string; contentType: string }[] }>(
      'GET',
      '/api/v1/channels',
    );
    const created = channels.items.find((c) => c.name === '规范性文件');
    assert.equal(created?.contentType, 'policy');
    policyColumn = created?.id ?? 0;

    await office.signIn('editor');
    await page.goto(`${office.base}/admin/articles/new`);
    await page.locator('#channel').selectOption(String(created?.id));
    await page.getByRole('heading', { level: 2, name: '政策文件信息' }).waitFor();
    assert.equal(await page.locator('label[for="title"]').innerText(), '文件名称 *');
    const validity = page.getByLabel('有效性');
    assert.deepEqual(await validity.locator('option').allInnerTexts(), [
      '（未选择）',
      '有效',
      '已修改',
      '已废止',
      '已失效',
    ]);
    assert.equal(await page.locator('label[for="field-validity"]').innerText(), '有效性 *');
    assert.deepEqual(await axeViolations(page), []);
  });

  test('an editor fills 责任单位 of a demo article; the API holds it, and once published its page shows it', async () => {
    // A published article is changed only by a publisher: it is withdrawn first, so the editor may.
    const list = await api<{ items: Summary[] }>('GET', '/api/v1/articles?status=published&pageSize=100');
    const article = list.items.find((a) => a.channelName === '本区动态');
    assert.ok(article, 'a published article of 本区动态');
    await api('POST', `/api/v1/articles/${article.id}/withdraw`, { reason: '补充责任单位' });

    await page.goto(`${office.base}/admin/articles/${article.id}`);
    await page.getByRole('heading', { level: 2, name: '文章信息' }).waitFor();
    await page.getByLabel('责任单位').fill('区委组织部');
    await page.locator('#save').click();
    await page.locator('#save-status', { hasText: '已保存' }).waitFor();
    const saved = await api<{ fields: Record<string, unknown>; status: string }>(
      'GET',
      `/api/v1/articles/${article.id}`,
    );
    assert.deepEqual(saved.fields, { dutyUnit: '区委组织部' });
    assert.equal(saved.status, 'draft');
    assert.deepEqual(await axeViolations(page), []);

    await api('POST', `/api/v1/articles/${article.id}/submit`, {});
    await api('POST', `/api/v1/articles/${article.id}/approve`, {});
    const published = await api<{ url: string | null; status: string }>(
      'POST',
      `/api/v1/articles/${article.id}/publish`,
      {},
    );
    assert.equal(published.status, 'published');
    assert.ok(published.url);
    const publicPage = await office.browser.context.newPage();
    try {
      await publicPage.goto(office.base + published.url);
      const lines = (await publicPage.locator('body').innerText()).split('\n').map(fold);
      assert.ok(lines.includes('责任单位 区委组织部'), lines.join('\n'));
    } finally {
      await publicPage.close();
    }
  });

  /** A list column of this type, made through the API; its id. */
  async function column(name: string, slug: string, contentType: string): Promise<number> {
    const made = await api<{ id: number }>(
      'POST',
      '/api/v1/channels',
      { name, slug, type: 'list', contentType },
      siteadmin,
    );
    return made.id;
  }

  async function newItem(channelId: number, title: string): Promise<void> {
    await page.goto(`${office.base}/admin/articles/new`);
    await page.locator('#channel').selectOption(String(channelId));
    await page.locator('#title').fill(title);
  }

  async function save(): Promise<number> {
    await page.locator('#save').click();
    await page.locator('#save-status', { hasText: '已保存' }).waitFor();
    await page.waitForURL(/\/admin\/articles\/\d+$/);
    return Number(/(\d+)$/.exec(page.url())?.[1]);
  }

  test('a 办事指南: no body, a group of entries added, moved and removed, an image refused by its field without alt', async () => {
    const guides = await column('办事指南', 'bszn', 'guide');
    await newItem(guides, '居民身份证换领');
    // The form takes the column's type once its fields have loaded (as the policy test waits for its heading).
    await page.getByRole('button', { name: '添加一项办理材料' }).waitFor();
    assert.equal(await page.locator('label[for="title"]').innerText(), '事项名称 *');
    assert.equal(await page.locator('section[aria-labelledby="body-title"]').isHidden(), true);
    await page.getByRole('button', { name: '添加一项办理材料' }).click();
    await page.locator('#field-materials-0-name').fill('户口簿');
    await page.getByRole('button', { name: '添加一项办理材料' }).click();
    await page.locator('#field-materials-1-name').fill('居民身份证');
    await page.locator('#field-materials-1-form').getByLabel('原件').check();
    await page.locator('#field-materials-1-copies').fill('1');
    await page.getByRole('button', { name: '上移办理材料第 2 项' }).click();
    assert.equal(await page.locator('#field-materials-0-name').inputValue(), '居民身份证');
    assert.equal(await page.locator('#field-materials-1-name').inputValue(), '户口簿');
    await page.getByRole('button', { name: '删除办理材料第 2 项' }).click();
    assert.equal(await page.locator('#field-materials-1-name').count(), 0);
    // The media library's picker: a modal dialog, empty here, closed back to its button.
    await page.getByRole('button', { name: '从媒体库选择流程图' }).click();
    await page.getByRole('dialog', { name: '选择流程图' }).getByText('媒体库中还没有此类文件。').waitFor();
    assert.deepEqual(await axeViolations(page), []);
    await page.getByRole('dialog').getByRole('button', { name: '取消' }).click();
    await page.waitForFunction(() => document.activeElement?.id === 'field-flowChart-pick');
    await page.getByLabel('流程图地址').fill('/media/img/flow.png');
    await page.locator('#save').click();
    const refusal = '字段 fields.flowChart.alt 无效：图片须有替代文字';
    await page.locator('#save-error', { hasText: refusal }).waitFor();
    // By the field it names, which takes the focus.
    assert.equal(await page.locator('#field-flowChart-error').innerText(), refusal);
    assert.equal(await page.locator('#field-flowChart-alt').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.locator('#field-flowChart-url').getAttribute('aria-invalid'), null);
    await page.waitForFunction(() => document.activeElement?.id === 'field-flowChart-alt');
    assert.deepEqual(await axeViolations(page), []);

    await page.getByLabel('流程图替代文字').fill('换领流程');
    const id = await save();
    const saved = await api<{ fields: Record<string, unknown> }>('GET', `/api/v1/articles/${id}`);
    assert.deepEqual(saved.fields, {
      materials: [{ name: '居民身份证', form: ['原件'], copies: 1 }],
      flowChart: { url: '/media/img/flow.png', alt: '换领流程' },
    });
    assert.equal(await page.locator('#field-flowChart-error').count(), 0);
  });

  test('a 政策解读 points to a 政策文件 chosen by a search; removing the chip and saving clears it', async () => {
    const policy = await api<{ id: number }>('POST', '/api/v1/articles', {
      channelId: policyColumn,
      title: '示范区优化营商环境若干措施',
      bodyHtml: '<p>全文。</p>',
    });
    const interpretations = await column('政策解读', 'zcjd', 'interpretation');
    await newItem(interpretations, '《示范区优化营商环境若干措施》解读');
    await page.getByLabel('查找政策文件').fill('营商环境');
    await page.getByRole('button', { name: '查找', exact: true }).click();
    await page.getByRole('button', { name: '选择“示范区优化营商环境若干措施”' }).click();
    assert.deepEqual(await page.locator('.chip').allInnerTexts(), ['示范区优化营商环境若干措施\n移除']);
    await page.getByLabel('解读形式').selectOption('文字');
    const id = await save();
    const url = `/api/v1/articles/${id}`;
    assert.deepEqual((await api<{ fields: unknown }>('GET', url)).fields, { policies: [policy.id], form: '文字' });

    // Opened again, the chip names the policy from the item's relations.
    await page.reload();
    const chip = page.getByRole('button', { name: '移除“示范区优化营商环境若干措施”' });
    await chip.click();
    assert.equal(await page.getByText('尚未选择。').count(), 1);
    assert.deepEqual(await axeViolations(page), []);
    await save();
    assert.deepEqual((await api<{ fields: unknown }>('GET', url)).fields, { form: '文字' });
  });

  test('the administrator removes 责任单位: refused while an article holds a value, then archived and removed', async () => {
    await office.signIn('siteadmin');
    await page.goto(`${office.base}/admin/content-types`);
    await page.getByRole('button', { name: '删除字段“责任单位”' }).click();
    await page.getByRole('button', { name: '确定删除' }).click();
    const refusal =
      '字段 dutyUnit 已有 1 项内容填写了值，直接删除会丢失数据；确需删除，请选择“归档后删除”（命令行加 --force），这些值将先归档保存';
    await page.getByRole('alert').filter({ hasText: refusal }).waitFor();
    await page.getByRole('button', { name: '归档后删除字段“责任单位”' }).click();
    await page.getByRole('button', { name: '确定归档并删除' }).click();
    await page.getByRole('status').filter({ hasText: '已删除文章的字段“责任单位”，1 项内容的值已归档' }).waitFor();
    await page.getByText('没有字段。').first().waitFor();
    assert.deepEqual(await rows('文章的字段'), []);
    assert.deepEqual(await axeViolations(page), []);
  });
});
