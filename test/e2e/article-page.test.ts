import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { importFiles, pagesIn } from '../../src/importers/index.js';
import { servedDemo } from '../helpers/app.js';
import { contextFor } from '../helpers/store.js';
import { DEMO_PAGES, FIXTURE_PAGES, SEED_PAGE } from '../helpers/factories.js';
import { axeViolations, fold, launchBrowser, missingInOrder, type Browser } from '../helpers/browser.js';

describe('article pages in Chromium', () => {
  let served: Awaited<ReturnType<typeof servedDemo>>;
  let base: string;
  let browser: Browser;
  const urlOf = new Map<string, string>();

  before(async () => {
    served = await servedDemo();
    ({ base, browser } = served);
    const files = [...(await pagesIn(DEMO_PAGES)), ...(await pagesIn(FIXTURE_PAGES))];
    for (const outcome of await importFiles(contextFor(served.store), files, 'Asia/Shanghai')) {
      if (!outcome.ok) throw outcome.error;
      urlOf.set(outcome.file, outcome.result.path);
    }
  });
  after(() => served?.close());

  test('the seed page shows every non-blank line of the seed, in order, starting with the date bar', async () => {
    const page = await browser.context.newPage();
    await page.goto(base + (urlOf.get(SEED_PAGE) ?? ''));
    const text = await page.evaluate(() => document.body.innerText);
    const seed = fs.readFileSync(SEED_PAGE, 'utf8');
    assert.deepEqual(missingInOrder(seed, text), []);
    assert.ok(fold(text).indexOf('今天是2025年12月01日 星期一') < fold(text).indexOf('首页 > 本区动态 > 正文'));
    assert.equal(await page.title(), '百年逐“一”梦 使命“同”担当丨吴江以“融入式党建”新成效向党“表白” - 示范区人民政府');
    await page.close();
  });

  const others = [
    ...fs
      .readdirSync(DEMO_PAGES)
      .sort()
      .map((name) => path.join(DEMO_PAGES, name))
      .filter((file) => file !== SEED_PAGE),
    ...fs
      .readdirSync(FIXTURE_PAGES)
      .sort()
      .map((name) => path.join(FIXTURE_PAGES, name)),
  ];
  for (const file of others) {
    test(`${path.relative(path.dirname(path.dirname(file)), file)} shows every non-blank line, whole, in order`, async () => {
      const page = await browser.context.newPage();
      await page.goto(base + (urlOf.get(file) ?? ''));
      const text = await page.evaluate(() => document.body.innerText);
      assert.deepEqual(missingInOrder(fs.readFileSync(file, 'utf8'), text), []);
      // The text's angle brackets and ampersands are text on the page, never elements.
      assert.equal(await page.locator('.article-body script, .article-body b').count(), 0);
      await page.close();
    });
  }

  test('the checker itself notices a missing or reordered line', () => {
    assert.deepEqual(missingInOrder('甲\n\n乙\n丙', '甲\n乙\u00a0 \n丙'), []);
    assert.deepEqual(missingInOrder('甲\n丙\n乙', '甲\n乙\n丙'), ['乙']);
    assert.deepEqual(missingInOrder('甲\n丁', '甲\n乙\n丙'), ['丁']);
    // Whole lines only: a line with more on it, or a part of a line, is not the line.
    assert.deepEqual(
      missingInOrder('来源: 本站   发布时间:2021-05-20 22:19', '来源: 本站 发布时间:2021-05-20 22:19 浏览次数: 3'),
      ['来源: 本站 发布时间:2021-05-20 22:19'],
    );
    assert.deepEqual(missingInOrder('甲乙', '甲乙丙'), ['甲乙']);
  });

  test('the date bar is filled by the server: it is there with JavaScript off', async () => {
    const noJs = await launchBrowser({ javaScriptEnabled: false });
    try {
      const page = await noJs.context.newPage();
      await page.goto(base + (urlOf.get(SEED_PAGE) ?? ''));
      assert.equal(await page.locator('.today').innerText(), '今天是2025年12月01日 星期一');
    } finally {
      await noJs.close();
    }
  });

  test('字号 大/中/小 changes the body text size and is remembered', async () => {
    const page = await browser.context.newPage();
    await page.goto(base + (urlOf.get(SEED_PAGE) ?? ''));
    const size = () => page.locator('#article-body').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    const medium = await size();
    await page.getByRole('button', { name: '大', exact: true }).click();
    const large = await size();
    assert.ok(large > medium, `${large} > ${medium}`);
    assert.equal(await page.getByRole('button', { name: '大', exact: true }).getAttribute('aria-pressed'), 'true');
    await page.reload();
    assert.equal(await size(), large);
    await page.getByRole('button', { name: '小', exact: true }).click();
    assert.ok((await size()) < medium);
    await page.getByRole('button', { name: '中', exact: true }).click();
    assert.equal(await size(), medium);
    await page.close();
  });

  test('paragraph indentation is CSS, two characters wide', async () => {
    const page = await browser.context.newPage();
    await page.goto(base + (urlOf.get(SEED_PAGE) ?? ''));
    const indent = await page
      .locator('#article-body p.indent')
      .first()
      .evaluate((el) => {
        const style = getComputedStyle(el);
        return parseFloat(style.textIndent) / parseFloat(style.fontSize);
      });
    assert.equal(indent, 2);
    await page.close();
  });

  test('pages fit a 375 px wide phone without sideways scrolling', async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 375, height: 740 });
    for (const url of [
      '/',
      '/zwgk/',
      urlOf.get(SEED_PAGE) ?? '',
      urlOf.get(path.join(FIXTURE_PAGES, 'deep-english-numbers.txt')) ?? '',
      '/nope',
    ]) {
      await page.goto(base + url);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 375, `${url} is ${width} px wide`);
    }
    await page.close();
  });

  test('printing shows the article without navigation or tools, and the footer’s details', async () => {
    const page = await browser.context.newPage();
    await page.goto(base + (urlOf.get(SEED_PAGE) ?? ''));
    await page.emulateMedia({ media: 'print' });
    for (const selector of [
      '.channel-nav',
      '.site-search',
      '.reader-tools',
      '.footer-links',
      '.footer-marks',
      '.font-size',
      '.article-actions',
      '.prev-next',
    ]) {
      assert.equal(await page.locator(selector).isVisible(), false, selector);
    }
    assert.equal(await page.locator('.article-title').isVisible(), true);
    const footer = (await page.locator('.site-footer').innerText()).split('\n').map(fold);
    assert.deepEqual(
      footer.filter((line) => line !== ''),
      [
        '主办单位：示范区人民政府办公室',
        '地址：示范区人民政府大楼（中山路1号） 联系电话：0512-00000000',
        '网站标识码：3205090001 苏ICP备00000000号 苏公网安备 32050902000000号',
      ],
    );
    await page.close();
  });

  test('home, column, single-page, article and error pages meet WCAG 2.1 AA (axe-core)', async () => {
    const page = await browser.context.newPage();
    for (const url of [
      '/',
      '/bqdt/',
      '/zwgk/',
      '/zjbq/',
      urlOf.get(SEED_PAGE) ?? '',
      urlOf.get(path.join(FIXTURE_PAGES, 'nested-special-chars.txt')) ?? '',
      '/nope',
    ]) {
      await page.goto(base + url);
      assert.deepEqual(await axeViolations(page), [], url);
    }
    await page.close();
  });

  test('landmarks and headings a screen reader can use; the skip link reaches the content', async () => {
    const page = await browser.context.newPage();
    await page.goto(base + (urlOf.get(SEED_PAGE) ?? ''));
    assert.equal(await page.getByRole('banner').count(), 1);
    assert.equal(await page.getByRole('main').count(), 1);
    assert.equal(await page.getByRole('contentinfo').count(), 1);
    assert.equal(await page.getByRole('navigation', { name: '栏目导航' }).count(), 1);
    assert.equal(await page.getByRole('navigation', { name: '当前位置' }).count(), 1);
    assert.deepEqual(await page.getByRole('heading', { level: 1 }).allInnerTexts(), [
      '百年逐“一”梦 使命“同”担当丨吴江以“融入式党建”新成效向党“表白”',
    ]);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), '跳到主要内容');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'main');
    await page.close();
  });
});
