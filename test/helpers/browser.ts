import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { BrowserContext, BrowserContextOptions, Locator, Page } from 'playwright-core';
import { TEST_PASSWORD } from './backoffice.js';

/** Debian's Chromium, installed by .ci/run (never a downloaded browser build). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/** A headless Chromium with a fresh profile; pages' Content-Security-Policies are enforced. */
export async function launchBrowser(
  options: {
    javaScriptEnabled?: boolean;
    /** Host names Chromium resolves to loopback (a front's nginx finds the site by its Host). */
    loopbackHosts?: readonly string[];
    /** How pages are shown, for suites that compare pixels (device scale factor, reduced motion…). */
    display?: Pick<BrowserContextOptions, 'deviceScaleFactor' | 'reducedMotion' | 'timezoneId' | 'viewport'>;
  } = {},
): Promise<Browser> {
  // Loaded here, not at the top: most suites that import these helpers never start a browser,
  // and Playwright's modules cost each of their processes about 0.13 s of CPU to load.
  const { chromium } = await import('playwright-core');
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-chromium-'));
  const hosts = options.loopbackHosts ?? [];
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args:
      hosts.length === 0
        ? ARGS
        : [...ARGS, `--host-resolver-rules=${hosts.map((host) => `MAP ${host} 127.0.0.1`).join(', ')}`],
    locale: 'zh-CN',
    javaScriptEnabled: options.javaScriptEnabled ?? true,
    ...options.display,
  });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Folds runs of white space (spaces, NBSP, U+3000, line breaks) to one space, as the page-text contract reads text. */
export function fold(text: string): string {
  return text.replace(/[\s\u00a0\u3000]+/g, ' ').trim();
}

/**
 * The non-blank lines of a page-text file that the page's text lacks as whole lines, or shows out
 * of order: an empty list means every line is there, alone on its line, in order. Lines are
 * compared whole after folding white space, never as substrings: a seed line with something
 * appended to it on the page (`来源: 本站 发布时间:… 浏览次数: 3`) is missing.
 */
export function missingInOrder(sourceText: string, pageText: string): string[] {
  const pageLines = pageText
    .split(/\r\n|\r|\n/)
    .map(fold)
    .filter((line) => line !== '');
  const missing: string[] = [];
  let from = 0;
  for (const line of sourceText.split(/\r\n|\r|\n/)) {
    const needle = fold(line);
    if (needle === '') continue;
    const at = pageLines.indexOf(needle, from);
    if (at < 0) missing.push(needle);
    else from = at + 1;
  }
  return missing;
}

const AXE_SOURCE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
let axeText: string | null = null;

/** axe-core's WCAG 2.1 A/AA violations on the page, as `rule: target` lines (empty when clean). */
export async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated through the browser's debugging protocol, not added as a <script>: the page's
  // Content-Security-Policy stays in force while axe runs (a script tag would be refused by it).
  axeText ??= fs.readFileSync(AXE_SOURCE, 'utf8');
  await page.evaluate(axeText);
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run: (
            context: Document,
            options: object,
          ) => Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }>;
        };
      }
    ).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
  return violations;
}

/** Signs in to the back office at `base` in this page, through its login form. */
export async function signInToBackOffice(
  page: Page,
  base: string,
  username: string,
  password: string = TEST_PASSWORD,
): Promise<void> {
  await page.goto(`${base}/admin/`);
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(password);
  await page.locator('#login').click();
  await page.locator('#logout').waitFor();
}

/**
 * Clicks a control once it is scrolled into view: Playwright's own scroll then click lands on a
 * screen's preview frame when the control is far from it (the frame takes the click).
 */
export async function clickInView(control: Locator): Promise<void> {
  await control.scrollIntoViewIfNeeded();
  await control.click();
}
