import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { ROOT } from '../helpers/factories.js';
import { axeViolations, launchBrowser, type Browser } from '../helpers/browser.js';
import { demoProcess, type DemoProcess } from '../helpers/demo-process.js';
import { baselinePng, compareWithBaseline } from '../helpers/pixels.js';

/**
 * Every public page kind in Chromium, compared pixel for pixel with its baseline in
 * test/e2e/baselines (<kind>-<width>[-elder].png) at 1366 px, at 375 px and in 长者模式 (1366 px),
 * and checked by axe-core (WCAG 2.1 A and AA) in normal mode and in 长者模式.
 *
 * One backend: the pages are the demo's, made by the first start of `gazette serve` on SQLite.
 * What is compared is how the theme draws a page; what a page holds, and that it holds the same on
 * PostgreSQL, the suites of each page kind check on both backends. Pixels are not a way to compare
 * the backends: an equal date that sorts two items the other way round is a content question.
 *
 * `npm run test:baselines` (GAZETTE_UPDATE_BASELINES=1) writes the screenshots as the baselines
 * and compares nothing: run it after an intended change of how pages look, and look at the images.
 */

const NOW = '2025-12-01T09:00:00+08:00';
const UPDATE = process.env.GAZETTE_UPDATE_BASELINES === '1';
const BASELINES = path.join(ROOT, 'test', 'e2e', 'baselines');
const SEED_TITLE = '百年逐“一”梦 使命“同”担当丨吴江以“融入式党建”新成效向党“表白”';

/** A page's address, or the link of this name in <main> of a list page. */
type Where = string | { readonly list: string; readonly link: string };

interface PageKind {
  /** The name of its baselines. */
  readonly name: string;
  readonly where: Where;
  /** The answer's status when it is not 200. */
  readonly status?: number;
  /** Waits until what the page's script does once opened is done. */
  readonly settled?: (page: Page) => Promise<void>;
}

/** The letter form hides its text question once the page has solved the proof of work. */
async function proofOfWorkSolved(page: Page): Promise<void> {
  await page.locator('[data-pow-status]').filter({ hasText: '已完成自动验证' }).waitFor();
}

const PAGE_KINDS: readonly PageKind[] = [
  { name: 'home', where: '/' },
  { name: 'column', where: '/tzgg/' },
  { name: 'column-older', where: '/tzgg/index_1.html' },
  { name: 'page-column', where: '/zjbq/' },
  { name: 'article', where: { list: '/bqdt/', link: SEED_TITLE } },
  { name: 'policy', where: { list: '/zwgk/gfxwj/', link: '示范区政府投资项目管理办法' } },
  { name: 'topic', where: { list: '/zwgk/ztzl/', link: '优化营商环境' } },
  { name: 'search', where: '/search?q=' + encodeURIComponent('营商环境') },
  { name: 'sitemap', where: '/sitemap.html' },
  { name: 'letters', where: '/xinxiang/' },
  { name: 'letter', where: { list: '/xinxiang/', link: '关于老旧小区加装电梯补贴政策的咨询' } },
  { name: 'letter-form', where: '/xinxiang/xiexin', settled: proofOfWorkSolved },
  { name: 'disclosure-catalogue', where: '/xxgk.html' },
  { name: 'policy-library', where: '/zcwjk/' },
  { name: 'surveys', where: '/wsdc/' },
  { name: 'consultations', where: '/yjzj/' },
  { name: 'not-found', where: '/no/such/page.html', status: 404 },
];

interface Variant {
  readonly suffix: string;
  readonly width: number;
  readonly elder: boolean;
  /** Whether axe-core checks the page in this variant (its rules do not depend on the width). */
  readonly axe: boolean;
}

const VARIANTS: readonly Variant[] = [
  { suffix: '1366', width: 1366, elder: false, axe: true },
  { suffix: '375', width: 375, elder: false, axe: false },
  { suffix: '1366-elder', width: 1366, elder: true, axe: true },
];

/** Nothing moves while the page is drawn; no caret blinks in a field. */
const STILL = `*, *::before, *::after {
  animation: none !important; transition: none !important; scroll-behavior: auto !important;
  caret-color: transparent !important;
}`;

/**
 * Brings the page to a state that does not depend on timing: motion off, every image (lazy ones
 * too) loaded and decoded, fonts loaded, and the view count (浏览次数, one more at each visit)
 * shown as a dash.
 */
async function still(page: Page): Promise<void> {
  await page.addStyleTag({ content: STILL });
  await page.evaluate(async () => {
    const images = Array.from(document.images);
    for (const image of images) image.loading = 'eager';
    await Promise.all(images.map((image) => image.decode().catch(() => undefined)));
    await document.fonts.ready;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent ?? '';
      const dashed = text.replace(/(浏览次数[:：]\s*)\d+/, '$1—');
      if (dashed !== text) node.textContent = dashed;
    }
  });
}

const baselineName = (kind: PageKind, variant: Variant) => `${kind.name}-${variant.suffix}`;

/** Deletes the baselines of page kinds and variants no longer in the lists, before writing the others. */
function forgetRemovedBaselines(): void {
  fs.mkdirSync(BASELINES, { recursive: true });
  const current = new Set(PAGE_KINDS.flatMap((kind) => VARIANTS.map((v) => `${baselineName(kind, v)}.png`)));
  for (const file of fs.readdirSync(BASELINES))
    if (file.endsWith('.png') && !current.has(file)) fs.rmSync(path.join(BASELINES, file));
}

/**
 * A browser tab per variant, all on one origin (the page kinds of one lane go one after another,
 * so their tabs' one localStorage holds one variant's choice at a time). Two lanes on two origins
 * of the same server (localhost, 127.0.0.1: each the portal, the default site) check two page
 * kinds at once, Chromium drawing one while the test compares the other: on two cores the suite
 * took half as long or less (58 s against 146 s, other suites running beside it).
 */
interface Lane {
  readonly origin: string;
  readonly tabs: ReadonlyMap<Variant, Page>;
}

async function openLane(browser: Browser, origin: string): Promise<Lane> {
  const tabs = new Map<Variant, Page>();
  for (const variant of VARIANTS) {
    const tab = await browser.context.newPage();
    await tab.setViewportSize({ width: variant.width, height: 800 });
    // Before the page's own head script reads them: only 长者模式 is chosen, or nothing.
    await tab.addInitScript((elder) => {
      localStorage.clear();
      if (elder) localStorage.setItem('gazette.elder', '1');
    }, variant.elder);
    tabs.set(variant, tab);
  }
  return { origin, tabs };
}

describe(
  'how every public page kind looks: pixels against the baselines at 1366 px, 375 px and in 长者模式, and axe-core',
  { concurrency: 2 },
  () => {
    let server: DemoProcess;
    let browser: Browser;
    const idle: Lane[] = [];
    const waiting: ((lane: Lane) => void)[] = [];

    before(async () => {
      if (UPDATE) forgetRemovedBaselines();
      // 25 older notices: 通知公告 has a second list page (20 to a page).
      server = await demoProcess({ now: NOW, olderNotices: 25 });
      browser = await launchBrowser({
        display: { deviceScaleFactor: 1, reducedMotion: 'reduce', timezoneId: 'Asia/Shanghai' },
      });
      // The pages' clock stands at NOW, as the server's does. Their timers still run (axe-core
      // needs them): the carousel stands still because it heeds reduced motion, and if it did not,
      // its pictures would differ from the baselines.
      await browser.context.clock.setFixedTime(new Date(NOW));
      for (const origin of [server.base, server.base.replace('//localhost:', '//127.0.0.1:')])
        idle.push(await openLane(browser, origin));
    });
    after(async () => {
      await browser?.close();
      await server?.close();
    });

    /** Runs `work` with a lane of its own, waiting for one to be free. */
    async function inLane<T>(work: (lane: Lane) => Promise<T>): Promise<T> {
      const lane = idle.pop() ?? (await new Promise<Lane>((resolve) => waiting.push(resolve)));
      try {
        return await work(lane);
      } finally {
        const next = waiting.shift();
        if (next) next(lane);
        else idle.push(lane);
      }
    }

    async function addressOf(lane: Lane, where: Where): Promise<string> {
      if (typeof where === 'string') return where;
      const tab = lane.tabs.get(VARIANTS[0] as Variant) as Page;
      await tab.goto(lane.origin + where.list);
      const href = await tab
        .locator('main')
        .getByRole('link', { name: where.link, exact: true })
        .first()
        .getAttribute('href');
      assert.ok(href, `no link "${where.link}" on ${where.list}`);
      return href;
    }

    /** What is wrong with the page kind in this variant, a line each; the baseline written instead when updating. */
    async function check(lane: Lane, kind: PageKind, url: string, variant: Variant): Promise<string[]> {
      const page = lane.tabs.get(variant) as Page;
      const name = baselineName(kind, variant);
      const response = await page.goto(lane.origin + url);
      const status = response?.status() ?? 0;
      if (status !== (kind.status ?? 200)) return [`${name}: ${url} answered ${status}, not ${kind.status ?? 200}`];
      await kind.settled?.(page);
      await still(page);
      const shot = await page.screenshot({ fullPage: true, caret: 'hide', scale: 'css' });
      const file = path.join(BASELINES, `${name}.png`);
      if (UPDATE) {
        fs.writeFileSync(file, await baselinePng(shot));
        return [];
      }
      const problems: string[] = [];
      const elder = await page.evaluate(() => document.documentElement.classList.contains('elder'));
      if (elder !== variant.elder) problems.push(`${name}: 长者模式 is ${elder ? 'on' : 'off'}`);
      const wide = await page.evaluate(() => document.documentElement.scrollWidth);
      if (wide > variant.width) problems.push(`${name}: ${wide} px wide, wider than the ${variant.width} px screen`);
      const mismatch = await compareWithBaseline(name, shot, file);
      if (mismatch) problems.push(mismatch);
      if (variant.axe)
        for (const violation of await axeViolations(page)) problems.push(`${name}: axe-core ${violation}`);
      return problems;
    }

    for (const kind of PAGE_KINDS) {
      const where = typeof kind.where === 'string' ? kind.where : `a link on ${kind.where.list}`;
      test(`${kind.name} (${where}): as its baselines at 1366 px, 375 px and in 长者模式; no axe-core violations`, () =>
        inLane(async (lane) => {
          const url = await addressOf(lane, kind.where);
          const problems: string[] = [];
          for (const variant of VARIANTS) problems.push(...(await check(lane, kind, url, variant)));
          assert.deepEqual(problems, []);
        }));
    }
  },
);
