import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import Database from 'better-sqlite3';
import pg from 'pg';
import { sql } from 'kysely';
import { openStore, sites, type StoreLocation } from '../../src/store/index.js';
import { verifyAuditChain } from '../../src/services/index.js';
import { loadSiteView } from '../../src/publish/index.js';
import { searchSite } from '../../src/search/index.js';
import { demoApp } from '../helpers/app.js';
import { ROOT } from '../helpers/factories.js';
import { newDatabase, TEST_BACKEND, type TestStore } from '../helpers/store.js';

/**
 * Stores made by the release before the platform (commit 80070e2): `gazette import demo/pages/*`
 * and three `gazette user add` (an editor of /bqdt/, a security administrator, a publisher and
 * reviewer), on SQLite (the file) and PostgreSQL (pg_dump --inserts).
 */
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'upgrade');

/** What the old release published, as it printed it: every article keeps its address. */
const ARTICLES: readonly [string, string][] = [
  ['/bqdt/202105/t20210520_1.html', '百年逐“一”梦 使命“同”担当丨吴江以“融入式党建”新成效向党“表白”'],
  ['/tzgg/202511/t20251128_2.html', '关于2026年元旦假期有关工作安排的通知'],
  ['/zwgk/bmdt/202511/t20251126_3.html', '区市场监管局开展“守护消费”食品安全专项检查'],
  ['/zwgk/zcwj/202511/t20251120_4.html', '示范区关于进一步优化营商环境的若干措施'],
  ['/bqdt/202511/t20251118_5.html', '示范区2025年科技活动周开幕 百余项成果集中亮相'],
  ['/zwgk/rsxx/202511/t20251110_6.html', '2025年区属事业单位公开招聘工作人员拟聘用人员公示'],
];

/** What a test made, undone last made first (a database is dropped after the store on it closed). */
type Cleanup = (() => unknown)[];

interface Before {
  readonly manifest: readonly string[];
  readonly auditHead: string;
}

/** The old store's manifest and audit head, read as the old release left them. */
async function readOld(query: (sql: string) => Promise<Record<string, unknown>[]>): Promise<Before> {
  const manifest = (await query('select path, hash, seq from page_manifest order by path')).map(
    (r) => `${String(r.path)} ${String(r.hash)} ${String(r.seq)}`,
  );
  const head = (await query('select seq, hash from audit_log order by seq desc limit 1'))[0];
  return { manifest, auditHead: `${String(head?.seq)}:${String(head?.hash)}` };
}

async function oldSqlite(cleanup: Cleanup): Promise<{ location: StoreLocation; before: Before }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-upgrade-'));
  cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'gazette.db');
  fs.writeFileSync(file, zlib.gunzipSync(fs.readFileSync(path.join(FIXTURES, 'pre-platform.sqlite.gz'))));
  const raw = new Database(file, { readonly: true });
  try {
    const before = await readOld((sql) => Promise.resolve(raw.prepare(sql).all() as Record<string, unknown>[]));
    return { location: { databaseUrl: null, sqliteFile: file }, before };
  } finally {
    raw.close();
  }
}

async function oldPostgres(cleanup: Cleanup): Promise<{ location: StoreLocation; before: Before }> {
  const database = await newDatabase('gazette_upgrade');
  cleanup.push(() => database.drop());
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    await client.query(
      zlib.gunzipSync(fs.readFileSync(path.join(FIXTURES, 'pre-platform.postgres.sql.gz'))).toString('utf8'),
    );
    await client.query('set search_path = public');
    const before = await readOld(async (sql) => (await client.query(sql)).rows as Record<string, unknown>[]);
    return { location: { databaseUrl: database.url, sqliteFile: '' }, before };
  } finally {
    await client.end();
  }
}

test(`a store of the release before the platform opens as a one-site platform with nothing lost (${TEST_BACKEND ?? 'sqlite'})`, async (t) => {
  const cleanup: Cleanup = [];
  t.after(async () => {
    for (const undo of cleanup.reverse()) await undo();
  });
  const { location, before } = TEST_BACKEND === 'postgres' ? await oldPostgres(cleanup) : await oldSqlite(cleanup);
  const opened = await openStore(location);
  const store: TestStore = { ...opened, dispose: () => opened.close() };
  cleanup.push(() => store.dispose());
  const db = store.db;

  // One site, reached by its domain, active, at the top.
  const [site, ...others] = await sites.listSites(db);
  assert.deepEqual(others, []);
  assert.deepEqual(
    [site?.id, site?.domain, site?.hosts, site?.status, site?.parentId],
    [1, 'www.example.gov.cn', ['www.example.gov.cn'], 'active', null],
  );

  // Accounts keep their roles: site roles on the site, the security administrator on the platform.
  const grants = await db
    .selectFrom('roleGrant')
    .innerJoin('userAccount', 'userAccount.id', 'roleGrant.userId')
    .select(['userAccount.username', 'roleGrant.role', 'roleGrant.siteId', 'roleGrant.channelId'])
    .orderBy('roleGrant.id')
    .execute();
  const bqdt = (await db.selectFrom('channel').select('id').where('slug', '=', 'bqdt').executeTakeFirstOrThrow()).id;
  assert.deepEqual(grants, [
    { username: 'wang', role: 'editor', siteId: 1, channelId: bqdt },
    { username: 'li', role: 'security', siteId: null, channelId: null },
    { username: 'zhao', role: 'publisher', siteId: 1, channelId: null },
    { username: 'zhao', role: 'reviewer', siteId: 1, channelId: null },
  ]);

  // The audit chain and the manifest are as the old release left them.
  const chain = await verifyAuditChain(db);
  assert.equal(chain.ok, true);
  const after = await readOld(async (text) => (await sql.raw<Record<string, unknown>>(text).execute(db)).rows);
  assert.deepEqual(after, before);

  // Every article answers at its old address (rendered again where the files are not there).
  const served = await demoApp(store, { pages: false });
  cleanup.push(() => served.close());
  for (const [url, title] of ARTICLES) {
    const response = await served.inject({ url, headers: { host: 'www.example.gov.cn' } });
    assert.equal(response.statusCode, 200, url);
    assert.ok(response.body.includes(`<h1 class="article-title" id="article-title">${title}</h1>`), url);
  }

  // The search index the old release wrote answers after the upgrade: on PostgreSQL, 0024 filled
  // its new columns (filters, the title's grams and words) from the rows already there.
  const view = await loadSiteView(db, 1);
  assert.ok(view);
  const scope = { db, dialect: store.dialect, site: view.site, tree: view.tree };
  const titles = async (q: string) => (await searchSite(scope, { q })).hits.map((hit) => hit.title);
  assert.deepEqual(await titles('营商环境'), [
    '示范区关于进一步优化营商环境的若干措施',
    '百年逐“一”梦 使命“同”担当丨吴江以“融入式党建”新成效向党“表白”',
  ]);
  assert.deepEqual(await titles('科技活动周'), ['示范区2025年科技活动周开幕 百余项成果集中亮相']);
  // Pinyin and initials: on PostgreSQL, 0025 wrote the syllable pairs into the old rows.
  assert.deepEqual(await titles('yingshang'), ['示范区关于进一步优化营商环境的若干措施']);
  assert.deepEqual(await titles('yshj'), ['示范区关于进一步优化营商环境的若干措施']);
  assert.deepEqual(await titles('shifanqu'), [
    '示范区关于进一步优化营商环境的若干措施',
    '示范区2025年科技活动周开幕 百余项成果集中亮相',
  ]);
});
