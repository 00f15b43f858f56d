import { after, before, describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { ArticleView } from '../../src/services/index.js';
import { servedDemo } from '../helpers/app.js';
import { axeViolations, launchBrowser } from '../helpers/browser.js';
import { guideValues, policyValues, publishItem, typedColumns } from '../helpers/items.js';

const PHOTO = { url: '/assets/site.css', alt: '张明同志照片' };

describe('the pages of typed items in Chromium: WCAG 2.1 AA, and the 政策文件库 without JavaScript', () => {
  let served: Awaited<ReturnType<typeof servedDemo>>;
  let base: string;
  const urls: Record<string, string> = {};

  before(async () => {
    served = await servedDemo();
    base = served.base;
    const ctx = served.app.gazette.context;
    const columns = await typedColumns(ctx);
    const url = (item: ArticleView) => {
      assert.ok(item.url, `${item.title} is published`);
      return item.url;
    };
    const valid = await publishItem(ctx, columns.policy, '示范区优化营商环境条例实施办法', policyValues());
    const repealed = await publishItem(
      ctx,
      columns.policy,
      '示范区优化营商环境若干规定',
      policyValues({
        documentNo: '示政发〔2024〕3号',
        organization: '示范区发展改革委',
        writtenOn: '2024-03-01',
        topic: '商贸、海关、旅游',
        validity: '已废止',
        validityDate: '2025-03-01',
        changedBy: valid.id,
      }),
    );
    const reading = await publishItem(ctx, columns.interpretation, '一图读懂营商环境条例实施办法', {
      policies: [valid.id, repealed.id],
      form: '问答',
      interpreter: '示范区发展改革委',
      questions: [
        { question: '办法适用于哪些企业？', answer: '<p>本区登记注册的各类市场主体。</p>' },
        { question: '何时施行？', answer: '<p>2025年2月1日起施行。</p>' },
      ],
    });
    const guide = await publishItem(ctx, columns.guide, '城乡居民基本养老保险参保登记', guideValues());
    const leader = await publishItem(ctx, columns.leader, '张明', {
      photo: PHOTO,
      post: '区长',
      resume: '<p>张明，男，1975年生，研究生学历。</p>',
      duties: '<p>主持区政府全面工作。</p>',
      rank: 1,
    });
    await publishItem(ctx, columns.leader, '李红', {
      photo: { url: '/assets/site.css', alt: '李红同志照片' },
      post: '副区长',
      resume: '<p>李红，女，1980年生。</p>',
      duties: '<p>负责发展改革、财政方面工作。</p>',
      rank: 2,
    });
    const organ = await publishItem(ctx, columns.organ, '示范区发展和改革委员会', {
      duties: '<p>拟订并组织实施国民经济和社会发展战略。</p>',
      units: [{ name: '办公室', duties: '负责机关日常运转' }, { name: '综合科' }],
      head: '王刚',
      address: '中山路1号',
      phone: '0512-00000002',
      hours: '工作日 9:00-17:00',
    });
    const topic = await publishItem(
      ctx,
      columns.topic,
      '优化营商环境专题',
      {
        banner: { url: '/assets/site.css', alt: '优化营商环境专题横幅' },
        sections: [
          { name: '政策文件', channels: String(columns.policy) },
          { name: '政策解读', tag: '营商环境' },
        ],
      },
      { bodyHtml: '<p>汇集本区优化营商环境的政策与解读。</p>' },
    );
    await served.app.gazette.publisher.idle();
    Object.assign(urls, {
      'policy in force': url(valid),
      'repealed policy with its banner': url(repealed),
      'policy interpretation (问答)': url(reading),
      办事指南: url(guide),
      'leader page': url(leader),
      'leaders column': '/zwgk/ldxx/',
      'unit page': url(organ),
      'units column': '/zwgk/jgzn/',
      'topic page': url(topic),
      政策文件库: '/zcwjk/',
      'library search': '/zcwjk/search?topic=' + encodeURIComponent('综合政务'),
      'library search refused': '/zcwjk/search?year=25',
    });
  });
  after(() => served?.close());

  async function readerPage(t: TestContext, elder: boolean): Promise<Page> {
    const page = await served.browser.context.newPage();
    t.after(() => page.close());
    await page.goto(base + '/robots.txt');
    await page.evaluate((on) => {
      localStorage.clear();
      if (on) localStorage.setItem('gazette.elder', '1');
    }, elder);
    return page;
  }

  for (const mode of ['normal', '长者模式'] as const) {
    test(`every new page kind has zero axe-core violations in ${mode}`, async (t) => {
      const page = await readerPage(t, mode === '长者模式');
      for (const [kind, url] of Object.entries(urls)) {
        const answer = await page.goto(base + url);
        assert.equal(answer?.status(), kind === 'library search refused' ? 400 : 200, `${kind} (${url})`);
        assert.deepEqual(await axeViolations(page), [], `${kind} (${url}) in ${mode}`);
      }
    });
  }

  test('the library filters without JavaScript, and the filtered list has an address to share', async (t) => {
    const browser = await launchBrowser({ javaScriptEnabled: false });
    t.after(() => browser.close());
    const page = await browser.context.newPage();
    await page.goto(base + '/zcwjk/');
    await page.getByLabel('有效性').selectOption('已废止');
    await page.getByLabel('标题或文号').fill('2024');
    await page.getByRole('button', { name: '检索' }).click();
    await page.waitForURL(/\/zcwjk\/search\?/);
    const shared = new URL(page.url());
    assert.equal(shared.pathname, '/zcwjk/search');
    assert.deepEqual(Object.fromEntries(shared.searchParams), {
      organization: '',
      topic: '',
      year: '',
      validity: '已废止',
      q: '2024',
    });
    const rows = await page.locator('.library-list tbody tr').allInnerTexts();
    assert.deepEqual(
      rows.map((r) => r.replace(/\s+/g, ' ').trim()),
      ['示范区优化营商环境若干规定 示政发〔2024〕3号 示范区发展改革委 2024年3月1日 2025-12-01 已废止'],
    );
    assert.equal(await page.getByLabel('发布机构').inputValue(), '');
    // The same address opened again shows the same list.
    const again = await browser.context.newPage();
    await again.goto(shared.toString());
    assert.deepEqual(await again.locator('.library-list tbody tr').count(), 1);
    await again.close();
  });
});
