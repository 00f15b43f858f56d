import { describe, test, before, after, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { importPage } from '../../src/services/index.js';
import { pathOfTitle, servedDemo } from '../helpers/app.js';
import { makePage } from '../helpers/factories.js';
import { makeAccountsFor, signIn, ROLE_ACCOUNTS } from '../helpers/backoffice.js';
import { axeViolations, launchBrowser, type Browser, signInToBackOffice } from '../helpers/browser.js';

const SEED_TITLE = '百年逐“一”梦 使命“同”担当丨吴江以“融入式党建”新成效向党“表白”';

/**
 * Replaces the browser's speech synthesis with a recorder of what would have been said (a cancel
 * starts the record afresh). Plain script text: the page must not see the test compiler's helpers.
 */
const SPEECH_RECORDER = `
  window.speechLog = { spoken: [], cancels: 0 };
  function Utterance(text) { this.text = text; this.lang = ''; this.rate = 1; this.voice = null; this.onend = null; }
  var synth = {
    speak: function (u) { window.speechLog.spoken.push({ text: u.text, lang: u.lang }); },
    cancel: function () { window.speechLog.cancels += 1; window.speechLog.spoken = []; },
    getVoices: function () { return [{ lang: 'zh-CN', name: 'stub' }]; }
  };
  Object.defineProperty(window, 'speechSynthesis', { value: synth, configurable: true });
  Object.defineProperty(window, 'SpeechSynthesisUtterance', { value: Utterance, configurable: true });
`;

function speechLog(page: Page): Promise<{ spoken: { text: string; lang: string }[]; cancels: number }> {
  return page.evaluate(
    () => (window as unknown as { speechLog: { spoken: { text: string; lang: string }[]; cancels: number } }).speechLog,
  );
}

const px = (value: string) => parseFloat(value);
/** Speech ignores white space; so does the comparison. */
const unspaced = (text: string) => text.replace(/\s+/g, '');

type Options = { elder?: boolean; readAloud?: boolean; speech?: 'recorded' | 'absent' };

describe('accessibility, 长者模式, read-aloud and grey mode in Chromium', () => {
  let served: Awaited<ReturnType<typeof servedDemo>>;
  let base: string;
  let browser: Browser;
  let articlePath: string;

  before(async () => {
    served = await servedDemo();
    ({ base, browser } = served);
    const ctx = served.app.gazette.context;
    // 46 notices: the column's front page has a pager and there are numbered older pages.
    for (let i = 1; i <= 45; i++) {
      await importPage(
        ctx,
        makePage({
          columns: ['通知公告'],
          title: `分页测试${String(i).padStart(2, '0')}`,
          publishedAt: new Date(Date.UTC(2024, 0, i)),
        }),
      );
    }
    await served.app.gazette.publisher.idle();
    await makeAccountsFor(ctx, ['admin', 'editor']);
    articlePath = await pathOfTitle(served.app, SEED_TITLE);
  });
  after(() => served?.close());

  /** A page for a reader whose stored choices are exactly these (the browser profile is shared), closed when the test ends. */
  async function readerPage(t: TestContext, options: Options = {}): Promise<Page> {
    const page = await browser.context.newPage();
    t.after(() => page.close());
    if (options.speech === 'recorded') await page.addInitScript({ content: SPEECH_RECORDER });
    if (options.speech === 'absent')
      await page.addInitScript({
        content: "Object.defineProperty(window, 'speechSynthesis', { value: undefined, configurable: true });",
      });
    await page.goto(base + '/robots.txt');
    await page.evaluate(
      (choices) => {
        localStorage.clear();
        if (choices.elder) localStorage.setItem('gazette.elder', '1');
        if (choices.readAloud) localStorage.setItem('gazette.readAloud', '1');
      },
      { elder: options.elder ?? false, readAloud: options.readAloud ?? false },
    );
    return page;
  }

  /**
   * The back office, signed in as this user as a fresh visitor, in the suite's one browser (a
   * Chromium launched per test took longer than the test): its cookies are cleared before the
   * sign-in and again when the test ends, so that readers' pages stay anonymous.
   */
  async function signedInPage(t: TestContext, username: string): Promise<Page> {
    await browser.context.clearCookies();
    t.after(() => browser.context.clearCookies());
    const page = await browser.context.newPage();
    t.after(() => page.close());
    await signInToBackOffice(page, base, username);
    return page;
  }

  const pages = () => ({
    home: '/',
    channel: '/bqdt/',
    'channel with sub-columns': '/zwgk/',
    'channel front page with a pager': '/tzgg/',
    'older channel page': '/tzgg/index_1.html',
    'single-page column': '/zjbq/',
    article: articlePath,
    'search with results': '/search?q=' + encodeURIComponent('营商环境'),
    'search without results': '/search?q=' + encodeURIComponent('不存在的词语'),
    'search page before a query': '/search',
    信息公开目录: '/xxgk.html',
    网站地图: '/sitemap.html',
    '404 error page': '/no/such/page.html',
  });

  for (const mode of ['normal', '长者模式'] as const) {
    test(`every page type meets WCAG 2.1 AA (axe-core, zero violations) in ${mode}`, async (t) => {
      const page = await readerPage(t, { elder: mode === '长者模式' });
      for (const [kind, url] of Object.entries(pages())) {
        await page.goto(base + url);
        assert.equal(
          await page.evaluate(() => document.documentElement.classList.contains('elder')),
          mode === '长者模式',
          kind,
        );
        assert.deepEqual(await axeViolations(page), [], `${kind} (${url}) in ${mode}`);
      }
    });
  }

  test('in 长者模式 every page type still fits a 375 px wide phone without sideways scrolling', async (t) => {
    const page = await readerPage(t, { elder: true });
    await page.setViewportSize({ width: 375, height: 740 });
    for (const [kind, url] of Object.entries(pages())) {
      await page.goto(base + url);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 375, `${kind} (${url}) is ${width} px wide`);
    }
  });

  test('长者模式 is a keyboard-operable toggle in the header, remembered across pages, and can be turned off', async (t) => {
    const page = await readerPage(t);
    await page.goto(base + '/');
    const toggle = page.getByRole('button', { name: '长者模式' });
    assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
    assert.equal(await page.locator('header').getByRole('button', { name: '长者模式' }).count(), 1);
    // Skip link first, the toggle next: two Tabs and a Space.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), '长者模式');
    await page.keyboard.press('Space');
    assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
    assert.equal(await page.evaluate(() => localStorage.getItem('gazette.elder')), '1');

    for (const url of [articlePath, '/tzgg/index_1.html', '/search?q=' + encodeURIComponent('营商环境'), '/nope']) {
      await page.goto(base + url);
      assert.equal(await page.evaluate(() => document.documentElement.classList.contains('elder')), true, url);
      assert.equal(await page.getByRole('button', { name: '长者模式' }).getAttribute('aria-pressed'), 'true', url);
    }
    await page.getByRole('button', { name: '长者模式' }).press('Enter');
    assert.equal(await page.evaluate(() => localStorage.getItem('gazette.elder')), null);
    await page.goto(base + '/');
    assert.equal(await page.evaluate(() => document.documentElement.classList.contains('elder')), false);
  });

  test('长者模式 sets the type 1.5 times larger with more line spacing, one column, and a big cursor', async (t) => {
    const measure = async (page: Page) => {
      await page.goto(base + articlePath);
      const article = await page
        .locator('#article-body')
        .evaluate((el) => ({ size: getComputedStyle(el).fontSize, leading: getComputedStyle(el).lineHeight }));
      const body = await page.evaluate(() => ({
        size: getComputedStyle(document.body).fontSize,
        cursor: getComputedStyle(document.documentElement).cursor,
      }));
      const title = await page.locator('.article-title').evaluate((el) => getComputedStyle(el).fontSize);
      await page.goto(base + '/');
      const columns = await page
        .locator('.home-blocks')
        .evaluate((el) => getComputedStyle(el).gridTemplateColumns.split(' ').length);
      return { article, body, title, columns };
    };
    const normalPage = await readerPage(t);
    const normal = await measure(normalPage);
    await normalPage.close();
    const elderPage = await readerPage(t, { elder: true });
    const elder = await measure(elderPage);
    await elderPage.close();

    assert.equal(px(normal.body.size), 16);
    assert.equal(px(elder.body.size), 24);
    assert.equal(px(elder.article.size) / px(normal.article.size), 1.5);
    assert.equal(px(elder.title) / px(normal.title), 1.5);
    assert.ok(
      px(elder.article.leading) / px(elder.article.size) > px(normal.article.leading) / px(normal.article.size),
      'more line spacing',
    );
    assert.ok(normal.columns > 1, `the home page has ${normal.columns} columns normally`);
    assert.equal(elder.columns, 1);
    assert.equal(normal.body.cursor, 'auto');
    assert.match(elder.body.cursor, /^url\("data:image\/svg\+xml,.*width='48' height='48'.*"\) 6 4, auto$/);
  });

  test('a focused link shows an outline at least 2 px wide, in both modes', async (t) => {
    for (const elder of [false, true]) {
      const page = await readerPage(t, { elder });
      await page.goto(base + '/bqdt/');
      // Tab until the first link of the column list has focus (keyboard focus: :focus-visible).
      let found = false;
      for (let i = 0; i < 40 && !found; i++) {
        await page.keyboard.press('Tab');
        found = await page.evaluate(() => document.activeElement?.matches('.article-list a') ?? false);
      }
      assert.ok(found, 'the column list is reachable with Tab');
      const outline = await page.evaluate(() => {
        const style = getComputedStyle(document.activeElement as Element);
        return { width: style.outlineWidth, style: style.outlineStyle, color: style.outlineColor };
      });
      assert.ok(px(outline.width) >= (elder ? 4 : 3), `outline ${outline.width}`);
      assert.equal(outline.style, 'solid');
      assert.notEqual(outline.color, 'rgba(0, 0, 0, 0)');
      await page.close();
    }
  });

  test('the keyboard reaches every control of the article page and leaves it again (no trap), each with a visible focus', async (t) => {
    const page = await readerPage(t);
    await page.goto(base + articlePath);
    const tabbable = await page.evaluate(
      () =>
        Array.from(document.querySelectorAll<HTMLElement>('a[href], button, input, select, textarea')).filter(
          (el) => el.offsetParent !== null && !el.hasAttribute('disabled'),
        ).length,
    );
    const seen: string[] = [];
    for (let i = 0; i < tabbable + 3; i++) {
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => {
        const el = document.activeElement;
        if (!el || el === document.body) return null;
        const index = Array.from(document.querySelectorAll('*')).indexOf(el);
        return { key: `${index}:${el.tagName}`, outline: parseFloat(getComputedStyle(el).outlineWidth) };
      });
      if (!focused) continue;
      assert.ok(focused.outline >= 2, `${focused.key} has a ${focused.outline}px outline`);
      if (!seen.includes(focused.key)) seen.push(focused.key);
    }
    assert.equal(seen.length, tabbable, 'every visible control took focus once');
    // Shift+Tab goes back the same way: nothing holds focus.
    await page.keyboard.press('Shift+Tab');
    assert.ok(await page.evaluate(() => document.activeElement !== null));
  });

  test('语音朗读 reads the article (title and body) in Chinese, stops on request, and is remembered', async (t) => {
    const page = await readerPage(t, { speech: 'recorded' });
    await page.goto(base + articlePath);
    const readButton = page.getByRole('button', { name: '朗读全文' });
    assert.equal(await readButton.isVisible(), false, 'hidden until 语音朗读 is on');
    await page.getByRole('button', { name: '语音朗读' }).click();
    assert.equal(await page.getByRole('button', { name: '语音朗读' }).getAttribute('aria-pressed'), 'true');
    await readButton.click();
    const expected = await page.evaluate(
      () =>
        `${(document.querySelector('.article-title') as HTMLElement).innerText}\n${(document.getElementById('article-body') as HTMLElement).innerText}`,
    );
    const log = await speechLog(page);
    assert.ok(log.spoken.length > 1, `the article is read in ${log.spoken.length} pieces: ${JSON.stringify(log)}`);
    assert.ok(log.spoken.every((u) => u.lang === 'zh-CN' && u.text.length <= 160));
    assert.equal(unspaced(log.spoken.map((u) => u.text).join('')), unspaced(expected));
    assert.ok(log.spoken[0]?.text.startsWith(SEED_TITLE));

    const cancels = log.cancels;
    await page.getByRole('button', { name: '停止朗读' }).click();
    assert.equal((await speechLog(page)).cancels, cancels + 1);

    // Remembered: the next page has it on, and a link reached with Tab is read out (指读).
    await page.goto(base + '/bqdt/');
    assert.equal(await page.getByRole('button', { name: '语音朗读' }).getAttribute('aria-pressed'), 'true');
    const firstLink = page.locator('.article-list a').first();
    await firstLink.focus();
    await page.waitForFunction(
      () => (window as unknown as { speechLog: { spoken: unknown[] } }).speechLog.spoken.length > 0,
    );
    assert.deepEqual(
      (await speechLog(page)).spoken.map((u) => u.text),
      [await firstLink.innerText()],
    );

    await page.getByRole('button', { name: '语音朗读' }).click();
    assert.equal(await page.evaluate(() => localStorage.getItem('gazette.readAloud')), null);
    assert.equal(await page.getByRole('button', { name: '朗读全文' }).isVisible(), false);
  });

  test('语音朗读 reads the selected text when there is a selection', async (t) => {
    const page = await readerPage(t, { speech: 'recorded', readAloud: true });
    await page.goto(base + articlePath);
    const paragraph = page.locator('#article-body p').nth(1);
    await paragraph.evaluate((el) => window.getSelection()?.selectAllChildren(el));
    await page.getByRole('button', { name: '朗读全文' }).click();
    assert.equal(
      unspaced((await speechLog(page)).spoken.map((u) => u.text).join('')),
      unspaced(await paragraph.innerText()),
    );
  });

  test('without speech synthesis the read-aloud buttons say why instead of failing', async (t) => {
    const page = await readerPage(t, { speech: 'absent' });
    await page.goto(base + articlePath);
    const toggle = page.getByRole('button', { name: '语音朗读' });
    assert.equal(await toggle.getAttribute('aria-disabled'), 'true');
    // aria-disabled, not disabled: it keeps focus, so keyboard and screen-reader users learn why.
    await toggle.focus();
    await page.keyboard.press('Enter');
    assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
    assert.equal(
      await page.locator('.reader-status').innerText(),
      '当前浏览器不支持语音朗读，请换用新版浏览器或使用读屏软件。',
    );
    assert.equal(await page.evaluate(() => localStorage.getItem('gazette.readAloud')), null);
  });

  test('the reader tools need JavaScript, so without it they are not shown', async () => {
    const noJs = await launchBrowser({ javaScriptEnabled: false });
    try {
      const page = await noJs.context.newPage();
      await page.goto(base + '/');
      assert.equal(await page.locator('.reader-tools').isVisible(), false);
      assert.equal(await page.locator('.site-name').isVisible(), true);
    } finally {
      await noJs.close();
    }
  });

  test('grey mode (哀悼日置灰): set by the administrator, every page turns grey at once and back', async (t) => {
    const admin = await signIn(served.app, ROLE_ACCOUNTS.admin);
    const page = await readerPage(t);
    const filter = () => page.evaluate(() => getComputedStyle(document.documentElement).filter);
    await page.goto(base + articlePath);
    assert.equal(await filter(), 'none');

    assert.equal((await admin.request('PATCH', '/api/v1/site', { mourning: true })).statusCode, 200);
    for (const url of [
      articlePath,
      '/',
      '/tzgg/index_1.html',
      '/search?q=' + encodeURIComponent('营商环境'),
      '/nope',
    ]) {
      await page.goto(base + url);
      assert.equal(await filter(), 'grayscale(1)', url);
    }
    await page.goto(base + articlePath);
    assert.equal(await filter(), 'grayscale(1)', 'a page seen before');

    assert.equal((await admin.request('PATCH', '/api/v1/site', { mourning: false })).statusCode, 200);
    await page.reload();
    assert.equal(await filter(), 'none');
    await page.goto(base + '/');
    assert.equal(await filter(), 'none');
  });

  test('the site administrator switches grey mode with one click in the back office (网站设置)', async (t) => {
    // The back office's Content-Security-Policy stays in force: axe-core is evaluated, not injected.
    const page = await signedInPage(t, ROLE_ACCOUNTS.admin);
    await page.getByRole('link', { name: '网站设置' }).click();
    await page.waitForURL(/\/admin\/site$/);
    const toggle = page.locator('#mourning-toggle');
    assert.equal(await toggle.innerText(), '全站置灰');
    assert.equal(await page.locator('#mourning-state').innerText(), '当前状态：正常显示');
    assert.deepEqual(await axeViolations(page), [], 'axe-core on 网站设置');

    await toggle.click();
    await page.getByRole('status').filter({ hasText: '已开启全站置灰' }).waitFor();
    assert.equal(await page.locator('#mourning-state').innerText(), '当前状态：已置灰');
    const reader = await browser.context.newPage();
    t.after(() => reader.close());
    await reader.goto(base + articlePath);
    assert.equal(await reader.evaluate(() => getComputedStyle(document.documentElement).filter), 'grayscale(1)');

    await toggle.click();
    await page.getByRole('status').filter({ hasText: '已关闭置灰' }).waitFor();
    await reader.reload();
    assert.equal(await reader.evaluate(() => getComputedStyle(document.documentElement).filter), 'none');
  });

  test('the site administrator sets the media quota per user in 网站设置 (ASVS 12.1.3)', async (t) => {
    try {
      const page = await signedInPage(t, ROLE_ACCOUNTS.admin);
      await page.getByRole('link', { name: '网站设置' }).click();
      await page.waitForURL(/\/admin\/site$/);
      const quota = page.getByLabel('每位用户的配额（MB）');
      assert.equal(await quota.inputValue(), '2048');
      await quota.fill('512');
      await page.getByRole('button', { name: '保存配额' }).click();
      await page.getByRole('status').filter({ hasText: '已保存媒体空间配额。' }).waitFor();
      const site = served.app.gazette.context.store.db.selectFrom('site').select('mediaQuotaMb');
      assert.deepEqual(await site.execute(), [{ mediaQuotaMb: 512 }]);
      await page.reload();
      assert.equal(await page.getByLabel('每位用户的配额（MB）').inputValue(), '512');
      assert.deepEqual(await axeViolations(page), [], 'axe-core on 网站设置 with the quota');
    } finally {
      await served.app.gazette.context.store.db.updateTable('site').set({ mediaQuotaMb: 2048 }).execute();
    }
  });

  test('the site administrator sets the 政策解读 limit in working days in 网站设置', async (t) => {
    try {
      const page = await signedInPage(t, ROLE_ACCOUNTS.admin);
      await page.getByRole('link', { name: '网站设置' }).click();
      await page.waitForURL(/\/admin\/site$/);
      const limit = page.getByLabel('政策解读时限（工作日）');
      assert.equal(await limit.inputValue(), '3');
      assert.deepEqual([await limit.getAttribute('min'), await limit.getAttribute('max')], ['1', '30']);
      await limit.fill('5');
      await page.getByRole('button', { name: '保存时限' }).click();
      await page.getByRole('status').filter({ hasText: '已保存政策解读时限。' }).waitFor();
      const site = served.app.gazette.context.store.db.selectFrom('site').select('interpretationDueDays');
      assert.deepEqual(await site.execute(), [{ interpretationDueDays: 5 }]);
      await page.reload();
      assert.equal(await page.getByLabel('政策解读时限（工作日）').inputValue(), '5');
      assert.deepEqual(await axeViolations(page), [], 'axe-core on 网站设置 with the 政策解读 limit');
    } finally {
      await served.app.gazette.context.store.db.updateTable('site').set({ interpretationDueDays: 3 }).execute();
    }
  });

  test('other roles see no 网站设置 in the back office menu', async (t) => {
    const page = await signedInPage(t, ROLE_ACCOUNTS.editor);
    assert.equal(await page.getByRole('link', { name: '网站设置' }).count(), 0);
  });
});
