import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppOptions } from '../../src/web/index.js';
import { loadTheme, type Theme } from '../../src/theme/index.js';
import { importFiles, pagesIn } from '../../src/importers/index.js';
import type { Clock } from '../../src/clock.js';
import type { Store } from '../../src/store/index.js';
import type { ServiceContext } from '../../src/services/index.js';
import { contextFor, pinnedClock, testStore, type TestStore } from './store.js';
import { launchBrowser, signInToBackOffice, type Browser } from './browser.js';
import type { Page } from 'playwright-core';
import { demoSite, DEMO_PAGES } from './factories.js';

/** An in-process app over a store holding the demo site and its pages. */
export async function demoApp(
  store: TestStore,
  options: {
    clock?: Clock;
    theme?: Theme;
    pages?: boolean;
    app?: AppOptions;
    readStore?: Store;
    /** Settings of the context over contextFor's (e.g. adminMfa: undefined, the default: required). */
    context?: Partial<Pick<ServiceContext, 'adminMfa' | 'dataKeys'>>;
  } = {},
): Promise<FastifyInstance> {
  const clock = options.clock ?? pinnedClock();
  const ctx = { ...contextFor(store, clock), ...options.context };
  const site = await demoSite(ctx);
  if (options.pages !== false) {
    const outcomes = await importFiles(ctx, await pagesIn(DEMO_PAGES), site.timeZone);
    const failed = outcomes.filter((o) => !o.ok);
    if (failed.length > 0) throw new Error(`demo pages failed to import: ${JSON.stringify(failed)}`);
  }
  const outputDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-output-'));
  const readStore = options.readStore && { readStore: options.readStore };
  const app = await buildApp(
    { ...ctx, theme: options.theme ?? loadTheme(), outputDir, ...readStore },
    { logLevel: 'silent', ...options.app },
  );
  app.addHook('onClose', () => fs.rmSync(outputDir, { recursive: true, force: true }));
  return app;
}

/** The URL path of the article with this title, from the store. */
export async function pathOfTitle(app: FastifyInstance, title: string): Promise<string> {
  const home = await app.inject('/');
  const all = [...home.body.matchAll(/<a href="([^"]+\.html)">([^<]+)<\/a>/g)];
  const found = all.find((m) => m[2] === title);
  if (!found?.[1]) throw new Error(`no link to "${title}" on the home page`);
  return found[1];
}

export interface InProcessDemo {
  readonly store: TestStore;
  readonly app: FastifyInstance;
  close(): Promise<void>;
}

/** The demo site on a fresh SQLite store, for in-process HTTP tests (`app.inject`). */
export async function inProcessDemo(options: AppOptions = {}): Promise<InProcessDemo> {
  const store = await testStore();
  const app = await demoApp(store, { app: options }).catch(async (error: unknown) => {
    await store.dispose();
    throw error;
  });
  return {
    store,
    app,
    async close() {
      await app.close();
      await store.dispose();
    },
  };
}

/** The demo site served on a loopback port, with a browser to read it: the end-to-end setting. */
export async function servedDemo(): Promise<InProcessDemo & { base: string; browser: Browser }> {
  const demo = await inProcessDemo();
  // A browser that cannot start must not leave the app listening (the file's process would hang).
  const started = await (async () => {
    const base = await demo.app.listen({ port: 0, host: '127.0.0.1' });
    return { base, browser: await launchBrowser() };
  })().catch(async (error: unknown) => {
    await demo.close();
    throw error;
  });
  const { base, browser } = started;
  return {
    ...demo,
    base,
    browser,
    async close() {
      await browser.close();
      await demo.close();
    },
  };
}

export interface BackOfficeInBrowser extends InProcessDemo {
  readonly base: string;
  readonly browser: Browser;
  /** One page for the test to drive. */
  readonly page: Page;
  /** Signs in to the back office in `page`, as a fresh visitor (no cookie of an earlier user). */
  signIn(username: string): Promise<void>;
}

/**
 * The demo site on a loopback port and a browser for its back office, the setting of the
 * back-office Chromium suites. The CSP is bypassed because axe-core is injected as a script tag,
 * which the back office's policy would refuse.
 */
export async function backOfficeInBrowser(
  options: { pages?: boolean; clock?: Clock; context?: Partial<Pick<ServiceContext, 'adminMfa'>> } = {},
): Promise<BackOfficeInBrowser> {
  const store = await testStore();
  const settings = {
    pages: options.pages ?? true,
    ...(options.clock && { clock: options.clock }),
    context: options.context,
  };
  const app = await demoApp(store, settings).catch(async (error: unknown) => {
    await store.dispose();
    throw error;
  });
  const demo = {
    async close() {
      await app.close();
      await store.dispose();
    },
  };
  const started = await (async () => {
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const browser = await launchBrowser();
    return {
      base,
      browser,
      page: await browser.context.newPage().catch(async (error: unknown) => {
        await browser.close();
        throw error;
      }),
    };
  })().catch(async (error: unknown) => {
    await demo.close();
    throw error;
  });
  const { base, browser, page } = started;
  return {
    store,
    app,
    base,
    browser,
    page,
    async signIn(username) {
      await browser.context.clearCookies();
      await signInToBackOffice(page, base, username);
    },
    async close() {
      await browser.close();
      await app.close();
      await store.dispose();
    },
  };
}
