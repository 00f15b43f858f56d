import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ImportedPage } from '../../src/importers/index.js';
import { ensureSite, type ServiceContext } from '../../src/services/index.js';
import type { Site } from '../../src/domain/index.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DEMO_PAGES = path.join(ROOT, 'demo', 'pages');
export const SEED_PAGE = path.join(DEMO_PAGES, '01-bqdt-rongrushi-dangjian.txt');
export const FIXTURE_PAGES = path.join(ROOT, 'test', 'fixtures', 'pages');
export const VARIANT_PAGES = path.join(ROOT, 'test', 'fixtures', 'variants');

let counter = 0;

/** An imported page with sensible defaults; each call makes a distinct article. */
export function makePage(overrides: Partial<ImportedPage> = {}): ImportedPage {
  counter++;
  return {
    columns: ['本区动态'],
    columnsLine: null,
    title: `测试文章${counter}`,
    subtitle: '',
    source: null,
    author: '',
    responsibleEditor: '',
    publishedAt: new Date(Date.UTC(2025, 0, 1, 0, counter)),
    bodyHtml: `<p class="indent">第${counter}篇文章的正文。</p>`,
    keywords: '',
    ...overrides,
  };
}

/** The demo site with its columns and no articles. */
export async function demoSite(ctx: ServiceContext): Promise<Site> {
  return (await ensureSite(ctx, 'Asia/Shanghai')).site;
}
