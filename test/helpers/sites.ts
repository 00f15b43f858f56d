import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Kysely } from 'kysely';
import { fileOf, TEMP_FOLDER } from '../../src/publish/index.js';
import { articles, openStore, type Database } from '../../src/store/index.js';
import { ensureSite } from '../../src/services/index.js';
import { newTestSite, type TestSite } from './cli.js';
import { pinnedClock } from './store.js';

/**
 * A data folder (and, on PostgreSQL, a database) with the demo site and `count` published articles
 * in 本区动态. The database is a copy of the migrated template: the store is set up here, not by a
 * command's first start, so migrating it from empty would test nothing more.
 */
export async function siteWith(count: number, prefix = 'gazette-site-'): Promise<TestSite> {
  const testSite = await newTestSite(prefix, undefined, { migrated: true });
  try {
    const store = await openStore(testSite.location);
    try {
      const { site } = await ensureSite(
        { store, clock: pinnedClock(), mediaDir: path.join(testSite.dataDir, 'media') },
        'Asia/Shanghai',
      );
      const channel = await store.db
        .selectFrom('channel')
        .select('id')
        .where('slug', '=', 'bqdt')
        .executeTakeFirstOrThrow();
      await store.db.transaction().execute(async (trx) => {
        for (let i = 0; i < count; i++) {
          await articles.insertArticle(
            trx,
            {
              siteId: site.id,
              channelId: channel.id,
              title: `构建测试${i}`,
              subtitle: '',
              source: null,
              author: '',
              responsibleEditor: '',
              publishedAt: new Date(Date.UTC(2020, 0, 1) + i * 3_600_000).toISOString(),
              bodyHtml: `<p>第${i}篇的正文。</p>`,
              summary: '',
              keywords: '',
              coverImage: null,
              attachments: [],
              status: 'published',
              importKey: null,
              createdBy: null,
            },
            new Date('2025-01-01T00:00:00Z'),
          );
        }
      });
    } finally {
      await store.close();
    }
  } catch (error) {
    // Until the caller has the site, removing it is up to this function.
    await testSite.dispose();
    throw error;
  }
  return testSite;
}

/** Every served file is whole: pages end as they should, compressed forms decompress. Returns the count. */
export function assertWhole(dir: string): number {
  let files = 0;
  for (const name of fs.readdirSync(dir, { recursive: true }) as string[]) {
    const file = path.join(dir, name);
    // Temporary files are not pages (never served), and a running writer renames them away.
    if (name.startsWith(`${TEMP_FOLDER}/`) || !fs.statSync(file).isFile()) continue;
    const bytes = fs.readFileSync(file);
    const text = name.endsWith('.gz')
      ? zlib.gunzipSync(bytes).toString()
      : name.endsWith('.br')
        ? zlib.brotliDecompressSync(bytes).toString()
        : bytes.toString();
    const page = name.replace(/\.(gz|br)$/, '');
    if (page.endsWith('.html')) assert.ok(text.endsWith('</html>\n'), `${name} is cut short`);
    else if (page.endsWith('.xml')) assert.ok(text.trimEnd().endsWith('>'), `${name} is cut short`);
    files++;
  }
  return files;
}

/**
 * The pages the manifest records for the first site (keys without a `/site_N` prefix) whose
 * file in the output folder is missing or holds other bytes. Empty when the two agree.
 */
export async function manifestMismatches(db: Kysely<Database>, outputDir: string): Promise<string[]> {
  const pages = await db.selectFrom('pageManifest').select(['path', 'hash']).where('hash', '!=', '').execute();
  return pages
    .filter((page) => {
      if (page.path.startsWith('/site_')) return false;
      const file = path.join(outputDir, fileOf(page.path));
      return (
        !fs.existsSync(file) || crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex') !== page.hash
      );
    })
    .map((page) => page.path);
}
