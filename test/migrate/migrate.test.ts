import { describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'htmlparser2';
import { findAll, textContent } from 'domutils';
import type { FastifyInstance } from 'fastify';
import { ChannelTree, localDayStart, toLocal, type Article } from '../../src/domain/index.js';
import type { MigrationReport } from '../../src/migrate/index.js';
import { articles, channels, type Store } from '../../src/store/index.js';
import * as disclosures from '../../src/compliance/disclosure/store.js';
import type { ServiceContext } from '../../src/services/index.js';
import { demoApp } from '../helpers/app.js';
import { demoSite } from '../helpers/factories.js';
import { migrateInProcess } from '../helpers/migrate.js';
import { hanwebMirror, plainMirror, trsMirror, type Mirror } from '../helpers/mirrors.js';
import { serveMirror, type MirrorServer } from '../helpers/mirror-server.js';
import { contextFor, pinnedClock, testStore, TEST_BACKEND, TEST_MEDIA_DIR } from '../helpers/store.js';

const ZONE = 'Asia/Shanghai';

interface Migrated {
  readonly store: Store;
  readonly ctx: ServiceContext & { readonly siteId: number };
  readonly server: MirrorServer;
  readonly report: MigrationReport;
  readonly app: FastifyInstance;
  run(): Promise<MigrationReport>;
}

async function migrated(t: TestContext, mirror: Mirror): Promise<Migrated> {
  const server = await serveMirror(mirror);
  const store = await testStore();
  let app: FastifyInstance | null = null;
  t.after(async () => {
    await app?.close();
    await store.dispose();
    await server.close();
  });
  const base = contextFor(store, pinnedClock());
  const site = await demoSite(base);
  const ctx = { ...base, siteId: site.id };
  const run = () => migrateInProcess(ctx, server.origin);
  const report = await run();
  app = await demoApp(store, { pages: false });
  return { store, ctx, server, report, app, run };
}

/** The text of each paragraph of a body, empty ones left out. */
function paragraphs(html: string): string[] {
  const document = parseDocument(html);
  return findAll((el) => el.name === 'p', document.children)
    .map((p) => textContent(p).replace(/\s+/g, ' ').trim())
    .filter((text) => text !== '');
}

function localMinute(iso: string | null): string {
  const l = toLocal(new Date(iso ?? 0), ZONE);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${l.year}-${two(l.month)}-${two(l.day)} ${two(l.hour)}:${two(l.minute)}`;
}

async function columnNames(store: Store, article: Article): Promise<string[]> {
  const tree = new ChannelTree(await channels.listChannels(store.db, article.siteId));
  const names: string[] = [];
  for (
    let channel = tree.get(article.channelId);
    channel;
    channel = channel.parentId === null ? undefined : tree.get(channel.parentId)
  )
    names.unshift(channel.name);
  return names;
}

async function columnPath(store: Store, siteId: number, names: readonly string[]): Promise<string> {
  const tree = new ChannelTree(await channels.listChannels(store.db, siteId));
  let parentId: number | null = null;
  let id = -1;
  for (const name of names) {
    const found = tree.findChild(parentId, name);
    assert.ok(found, `column ${names.join(' > ')} exists`);
    parentId = id = found.id;
  }
  return tree.path(id);
}

async function byTitle(store: Store, siteId: number, title: string): Promise<Article> {
  const rows = await store.db
    .selectFrom('article')
    .select('id')
    .where('siteId', '=', siteId)
    .where('title', '=', title)
    .execute();
  assert.equal(rows.length, 1, `one article titled ${title}`);
  const article = await articles.findArticle(store.db, rows[0]?.id ?? 0);
  assert.ok(article);
  return article;
}

function mediaBytes(url: string): Buffer {
  const key = decodeURIComponent(url.replace(/^\/media\//, ''));
  return fs.readFileSync(path.join(TEST_MEDIA_DIR, key));
}

async function assertArticles(m: Migrated, mirror: Mirror): Promise<void> {
  for (const expected of mirror.articles) {
    const article = await byTitle(m.store, m.ctx.siteId, expected.title);
    assert.deepEqual(
      {
        title: article.title,
        source: article.source,
        author: article.author,
        publishedAt: localMinute(article.publishedAt),
        columns: await columnNames(m.store, article),
        body: paragraphs(article.bodyHtml),
        status: article.status,
      },
      {
        title: expected.title,
        source: expected.source,
        author: expected.author,
        publishedAt: expected.publishedAt,
        columns: [...expected.columns],
        body: [...expected.bodyText],
        status: 'published',
      },
      expected.title,
    );
    const page = (await m.app.inject(expected.oldUrls[0] ?? '/')).headers.location;
    assert.equal(typeof page, 'string', `${expected.oldUrls[0]} answers a redirect`);
    for (const oldUrl of expected.oldUrls) {
      const answer = await m.app.inject(oldUrl);
      assert.deepEqual([answer.statusCode, answer.headers.location], [301, page], oldUrl);
    }
    const shown = await m.app.inject(String(page));
    assert.equal(shown.statusCode, 200, String(page));
    assert.match(shown.body, new RegExp(`<h1[^>]*>${expected.title}</h1>`));
    for (const attachment of expected.attachments) {
      const answer = await m.app.inject(attachment.oldPath);
      assert.equal(answer.statusCode, 301, attachment.oldPath);
      const url = String(answer.headers.location);
      assert.match(url, /^\/media\//);
      assert.deepEqual(mediaBytes(url), attachment.bytes, attachment.name);
      const listed = article.attachments.find((a) => a.url === url);
      const inBody = article.bodyHtml.includes(`href="${url}"`);
      assert.ok(listed?.name === attachment.name || inBody, `${attachment.name} is listed or linked in the body`);
      const row = await m.store.db
        .selectFrom('media')
        .select('originalName')
        .where('storageKey', '=', decodeURIComponent(url.slice('/media/'.length)))
        .executeTakeFirst();
      assert.equal(row?.originalName, attachment.name);
    }
    for (const image of expected.images) {
      const answer = await m.app.inject(image.oldPath);
      assert.equal(answer.statusCode, 301, image.oldPath);
      assert.ok(
        article.bodyHtml.includes(`src="${String(answer.headers.location)}"`),
        `${image.oldPath} shown from the media library`,
      );
    }
    if (expected.disclosure) {
      const row = await disclosures.findDisclosure(m.store.db, article.id);
      assert.deepEqual(
        row && {
          indexNo: row.indexNo,
          organization: row.organization,
          documentNo: row.documentNo,
          writtenOn: row.writtenOn,
          topic: row.topic,
        },
        expected.disclosure,
      );
    }
  }
}

/**
 * Each old list page answers 301 to its column, unless the old path is the column's own page on
 * the new site too (the column's folder and slug came out the same): then it shows the column.
 */
async function assertLists(m: Migrated, mirror: Mirror): Promise<void> {
  for (const list of mirror.lists) {
    const column = await columnPath(m.store, m.ctx.siteId, list.columns);
    const answer = await m.app.inject(list.oldPath);
    // Gazette pages a column as TRS does (index_1.html is its second page): such a path that the
    // new column has is its own page; one it has not (fewer pages) is the old list, redirected.
    const own = list.oldPath === column || new RegExp(`^${column}index(?:_\\d+)?\\.html$`).test(list.oldPath);
    const got = [answer.statusCode, answer.headers.location];
    if (own && answer.statusCode === 200) assert.deepEqual(got, [200, undefined], list.oldPath);
    else assert.deepEqual(got, [301, column], list.oldPath);
  }
}

/** The planted failures as the report must give them: page failures, file failures, links left. */
function plantedReport(mirror: Mirror, origin: string) {
  const paths = (kinds: readonly string[]) =>
    mirror.failures
      .filter((f) => kinds.includes(f.kind))
      .map((f) => `${origin}${f.path}`)
      .sort();
  return {
    failed: paths(['challenge', 'no-body', 'undecodable']),
    files: paths(['too-large']),
    external: mirror.externalLinks.map((link) => `${origin}${link}`).sort(),
  };
}

function reportedFailures(report: MigrationReport) {
  return {
    failed: report.failures.map((f) => f.url).sort(),
    files: report.files.failures.map((f) => f.url).sort(),
    external: report.externalLinks.map((l) => l.url).sort(),
  };
}

async function storeCounts(m: Migrated) {
  const count = async (table: 'article' | 'articleRevision' | 'redirects' | 'media' | 'channel') =>
    Number(
      (
        await m.store.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    articles: await count('article'),
    revisions: await count('articleRevision'),
    redirects: await count('redirects'),
    media: await count('media'),
    channels: await count('channel'),
  };
}

const MIRRORS: readonly [string, () => Mirror][] = [
  ['a TRS-style site', trsMirror],
  ['a Hanweb-style site', hanwebMirror],
  ['a plain site (no CMS markers)', plainMirror],
];

describe(`gazette migrate-site, in process (${TEST_BACKEND ?? 'sqlite'})`, () => {
  for (const [name, make] of MIRRORS) {
    test(`${name}: every article with its fields, column and files; every old URL answers 301; a re-run changes nothing`, async (t) => {
      const mirror = make();
      const m = await migrated(t, mirror);
      const failed = mirror.failures.filter((f) => ['challenge', 'no-body', 'undecodable'].includes(f.kind)).length;
      assert.deepEqual(
        { ...m.report.counts, pagesSeen: 0 },
        {
          pagesSeen: 0,
          articlesImported: mirror.articles.length,
          articlesUpdated: 0,
          articlesSkipped: 0,
          articlesFailed: failed,
        },
        JSON.stringify(m.report.failures),
      );
      assert.equal(m.report.family, mirror.style === 'plain' ? 'generic' : mirror.style);
      assert.deepEqual(reportedFailures(m.report), plantedReport(mirror, m.server.origin));
      await assertArticles(m, mirror);
      await assertLists(m, mirror);

      const before = await storeCounts(m);
      const again = await m.run();
      assert.deepEqual(again.counts, {
        pagesSeen: m.report.counts.pagesSeen,
        articlesImported: 0,
        articlesUpdated: 0,
        articlesSkipped: mirror.articles.length,
        articlesFailed: failed,
      });
      assert.deepEqual(again.skipped, { 'unchanged since the last run': mirror.articles.length });
      assert.deepEqual(await storeCounts(m), before);
    });
  }

  test('--since leaves older articles out, counted as skipped; they are not stored', async (t) => {
    const mirror = plainMirror();
    const times = mirror.articles.map((a) => a.publishedAt).sort();
    const cut = times[Math.floor(times.length / 2)] ?? '';
    const server = await serveMirror(mirror);
    const store = await testStore();
    t.after(async () => {
      await store.dispose();
      await server.close();
    });
    const base = contextFor(store, pinnedClock());
    const site = await demoSite(base);
    const since = localDayStart(cut.slice(0, 10), ZONE);
    assert.ok(since);
    const report = await migrateInProcess({ ...base, siteId: site.id }, server.origin, { since });
    const older = mirror.articles.filter((a) => a.publishedAt < cut.slice(0, 10));
    assert.ok(older.length > 0 && older.length < mirror.articles.length);
    assert.deepEqual(
      [report.counts.articlesImported, report.counts.articlesSkipped, report.skipped],
      [mirror.articles.length - older.length, older.length, { 'published before --since': older.length }],
    );
    const stored = await store.db.selectFrom('article').select('title').execute();
    assert.deepEqual(
      stored.map((a) => a.title).sort(),
      mirror.articles
        .filter((a) => !older.includes(a))
        .map((a) => a.title)
        .sort(),
    );
  });

  test('robots.txt is obeyed: a disallowed page is never fetched', async (t) => {
    const m = await migrated(t, trsMirror());
    const asked = [...m.server.hits.keys()].filter((p) => p.startsWith('/private/'));
    assert.deepEqual(asked, []);
  });
});
