import { describe, test, before, after, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { HOME_BLOCK_KINDS } from '../../src/domain/index.js';
import { currentSite } from '../../src/services/index.js';
import { createDemoHome } from '../../src/cli/demo-home.js';
import { createDemoItems } from '../../src/cli/demo-items.js';
import { createDemoLetters } from '../../src/cli/demo-letters.js';
import { servedDemo } from '../helpers/app.js';
import { axeViolations, launchBrowser, type Browser } from '../helpers/browser.js';

/**
 * The demo's home page with every block, in Chromium: the carousel and the tabs by keyboard, both
 * without JavaScript, at a phone's width, in 长者模式 and in print.
 */
describe('the home page with every block in Chromium', () => {
  let served: Awaited<ReturnType<typeof servedDemo>>;
  let base: string;
  let browser: Browser;
  let noScript: Browser;

  before(async () => {
    served = await servedDemo();
    ({ base, browser } = served);
    const ctx = served.app.gazette.context;
    const { site } = await currentSite(ctx.store.db);
    await createDemoLetters(ctx, site);
    await createDemoItems(ctx, site);
    await createDemoHome(ctx, site, []);
    await served.app.gazette.publisher.idle();
    noScript = await launchBrowser({ javaScriptEnabled: false });
  });
  after(async () => {
    await noScript?.close();
    await served?.close();
  });

  async function open(t: TestContext, options: { width?: number; elder?: boolean; from?: Browser } = {}) {
    const page = await (options.from ?? browser).context.newPage();
    t.after(() => page.close());
    await page.setViewportSize({ width: options.width ?? 1366, height: 900 });
    if (options.from !== noScript) {
      await page.goto(base + '/robots.txt');
      await page.evaluate((elder) => {
        localStorage.clear();
        if (elder) localStorage.setItem('gazette.elder', '1');
      }, options.elder ?? false);
    }
    return page;
  }

  /** Which slides show, by their picture's text. */
  const shownSlides = (page: Page) =>
    page.locator('.carousel .slide:visible img').evaluateAll((imgs) => imgs.map((img) => img.getAttribute('alt')));

  test('every block is there, in the look’s order, and axe finds nothing, in both modes', async (t) => {
    for (const elder of [false, true]) {
      const page = await open(t, { elder });
      await page.goto(base + '/');
      const kinds = await page
        .locator('.home-blocks > section')
        .evaluateAll((sections: Element[]) => sections.map((s) => s.classList.item(1)?.replace('block-', '')));
      assert.deepEqual(kinds, HOME_BLOCK_KINDS);
      assert.deepEqual(await axeViolations(page), [], elder ? '长者模式' : 'normal mode');
    }
  });

  test('the carousel: one picture at a time, turned by buttons and indicators, paused by its button, still under focus', async (t) => {
    const page = await open(t);
    await page.clock.install();
    await page.goto(base + '/');
    const slides = await page
      .locator('.carousel .slide img')
      .evaluateAll((imgs) => imgs.map((i) => i.getAttribute('alt')));
    assert.equal(slides.length, 4);
    assert.deepEqual(await shownSlides(page), [slides[0]]);
    const toggle = page.locator('.carousel-toggle');
    assert.deepEqual([await toggle.textContent(), await toggle.getAttribute('aria-label')], ['暂停', '暂停图片轮播']);
    // It turns by itself every 5 s…
    await page.clock.runFor(5100);
    assert.deepEqual(await shownSlides(page), [slides[1]]);
    // …until paused.
    await toggle.click();
    assert.equal(await toggle.textContent(), '播放');
    await page.clock.runFor(15000);
    assert.deepEqual(await shownSlides(page), [slides[1]]);
    // By keyboard: the next button, then an indicator (which says which picture it shows).
    await page.locator('.carousel-next').focus();
    await page.keyboard.press('Enter');
    assert.deepEqual(await shownSlides(page), [slides[2]]);
    const first = page.locator('.carousel-dot').first();
    assert.equal(await first.getAttribute('aria-label'), `第1张：${slides[0]}`);
    await first.focus();
    await page.keyboard.press('Space');
    assert.deepEqual(await shownSlides(page), [slides[0]]);
    assert.equal(await first.getAttribute('aria-current'), 'true');
    // Playing again, it stands still while focus is inside it.
    await toggle.click();
    await page.clock.runFor(15000);
    assert.deepEqual(await shownSlides(page), [slides[0]]);
  });

  test('readers who ask for less motion get the carousel paused', async (t) => {
    const page = await open(t);
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.clock.install();
    await page.goto(base + '/');
    assert.equal(await page.locator('.carousel-toggle').textContent(), '播放');
    const before = await shownSlides(page);
    await page.clock.runFor(15000);
    assert.deepEqual(await shownSlides(page), before);
  });

  test('the tabs: a tablist, arrow keys, Home and End, one tab in the tab order', async (t) => {
    const page = await open(t);
    await page.goto(base + '/');
    const tabs = page.getByRole('tab');
    assert.deepEqual(await tabs.allTextContents(), ['本区动态', '通知公告', '部门动态']);
    const state = () =>
      page
        .getByRole('tab')
        .evaluateAll((all) => all.map((tab) => `${tab.getAttribute('aria-selected')}/${tab.getAttribute('tabindex')}`));
    assert.deepEqual(await state(), ['true/0', 'false/-1', 'false/-1']);
    assert.equal(await page.getByRole('tabpanel').count(), 1, 'one panel shows');
    await tabs.first().focus();
    await page.keyboard.press('ArrowRight');
    assert.deepEqual(await state(), ['false/-1', 'true/0', 'false/-1']);
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), '通知公告');
    assert.ok((await page.getByRole('tabpanel').textContent())?.includes('关于2026年元旦假期有关工作安排的通知'));
    await page.keyboard.press('End');
    assert.deepEqual(await state(), ['false/-1', 'false/-1', 'true/0']);
    await page.keyboard.press('ArrowRight');
    assert.deepEqual(await state(), ['true/0', 'false/-1', 'false/-1'], 'round to the first');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Home');
    assert.deepEqual(await state(), ['true/0', 'false/-1', 'false/-1']);
  });

  test('without JavaScript: every picture listed, every tab a section with its heading', async (t) => {
    const page = await open(t, { from: noScript });
    await page.goto(base + '/');
    assert.equal((await shownSlides(page)).length, 4);
    assert.equal(await page.getByRole('tab').count(), 0);
    assert.deepEqual(await page.locator('.tab-panel h3').allTextContents(), ['本区动态', '通知公告', '部门动态']);
    assert.equal(await page.locator('.tab-panel:visible').count(), 3);
  });

  test('375 px wide, in both modes: one column, nothing wider than the screen, the controls at hand', async (t) => {
    for (const elder of [false, true]) {
      const page = await open(t, { width: 375, elder });
      await page.goto(base + '/');
      const widths = await page.evaluate(() => ({
        page: document.documentElement.scrollWidth,
        columns: getComputedStyle(document.querySelector('.home-blocks') as Element).gridTemplateColumns.split(' ')
          .length,
      }));
      assert.deepEqual(widths, { page: 375, columns: 1 }, elder ? '长者模式' : 'normal');
      await page.locator('.carousel-next').click();
      await page.getByRole('tab', { name: '通知公告' }).click();
      assert.equal(await page.getByRole('tab', { name: '通知公告' }).getAttribute('aria-selected'), 'true');
    }
  });

  test('in print: every picture and every tab’s list, and no control', async (t) => {
    const page = await open(t);
    await page.goto(base + '/');
    await page.emulateMedia({ media: 'print' });
    assert.equal((await shownSlides(page)).length, 4);
    assert.equal(await page.locator('.carousel-controls:visible, .tablist:visible').count(), 0);
    assert.equal(await page.locator('.tab-panel:visible').count(), 3);
  });
});
