import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { sql } from 'kysely';
import sharp from 'sharp';
import { GazetteError, type ErrorCode } from '../../src/domain/index.js';
import {
  createArticle,
  createChannel,
  login,
  stepArticle,
  updateArticle,
  updateChannel,
  uploadMedia,
  verifyAuditChain,
  type Actor,
  type ServiceContext,
} from '../../src/services/index.js';
import { searchLists } from '../../src/search/index.js';
import { transfer, type Store } from '../../src/store/index.js';
import { contextFor, durableTestStore, postgresTestStore, sqliteTestStore, type TestStore } from '../helpers/store.js';
import { demoSite } from '../helpers/factories.js';
import { actorFor, makeRoleAccounts, TEST_PASSWORD } from '../helpers/backoffice.js';

/** Every copied table's rows, in copy order. */
async function dump(store: Store): Promise<Record<string, transfer.Row[]>> {
  const rows: Record<string, transfer.Row[]> = {};
  for (const spec of transfer.TABLES) {
    rows[spec.name] = [];
    for await (const batch of transfer.readTable(store.db, spec)) rows[spec.name]?.push(...batch);
  }
  return rows;
}

const channelCounts = (store: Store) => store.db.selectFrom('channelCount').selectAll().orderBy('channelId').execute();

async function refusedWith(promise: Promise<unknown>, code: ErrorCode): Promise<GazetteError> {
  let caught: unknown;
  await assert.rejects(promise, (error: unknown) => {
    caught = error;
    return error instanceof GazetteError && error.code === code;
  });
  return caught as GazetteError;
}

async function isEmpty(store: Store): Promise<boolean> {
  return Object.values(await transfer.countRows(store.db)).every((n) => n === 0);
}

/**
 * A small site with the shapes the copy must get right: a column moved under a newer one (its
 * parent has the larger id), published and draft articles with revisions, more synonym rows
 * than one batch (composite keys), a session, an uploaded image, audit entries.
 */
async function smallSite(ctx: ServiceContext): Promise<void> {
  const site = await demoSite(ctx);
  const accounts = await makeRoleAccounts(ctx);
  const [editor, reviewer, publisher, admin] = [
    accounts.editor,
    accounts.reviewer,
    accounts.publisher,
    accounts.admin,
  ].map(actorFor) as [Actor, Actor, Actor, Actor];
  const older = await createChannel(ctx, admin, { name: '专题一' });
  const newer = await createChannel(ctx, admin, { name: '专题专栏' });
  await updateChannel(ctx, admin, older.id, { parentId: newer.id });
  const published = await createArticle(ctx, editor, {
    channelId: older.id,
    title: '已发布的文章',
    bodyHtml: '<p>正文</p>',
  });
  await updateArticle(ctx, editor, published.id, { title: '已发布的文章（修订）', version: published.version });
  await stepArticle(ctx, editor, published.id, 'submit');
  await stepArticle(ctx, reviewer, published.id, 'approve');
  await stepArticle(ctx, publisher, published.id, 'publish');
  await createArticle(ctx, editor, { channelId: newer.id, title: '草稿', bodyHtml: '<p>草稿正文</p>' });
  await searchLists.addSynonyms(ctx.store.db, site.id, ['数字政府', '智慧城市', '一网通办']);
  await login(ctx, { username: 'editor', password: TEST_PASSWORD, ip: '127.0.0.1' });
  const png = await sharp({ create: { width: 600, height: 400, channels: 3, background: '#336699' } })
    .png()
    .toBuffer();
  await uploadMedia(ctx, editor, { filename: '图.png', data: png, alt: '示意图' });
}

function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

describe('the tables a copy takes', () => {
  const tables = {
    sqlite: async (store: Store) =>
      (
        await sql<{
          name: string;
        }>`select name from pragma_table_list where schema = 'main' and type in ('table', 'virtual')`.execute(store.db)
      ).rows.map((r) => r.name),
    postgres: async (store: Store) =>
      (
        await sql<{
          name: string;
        }>`select table_name as name from information_schema.tables where table_schema = 'public'`.execute(store.db)
      ).rows.map((r) => r.name),
  };
  for (const [dialect, open] of [
    ['sqlite', sqliteTestStore],
    ['postgres', postgresTestStore],
  ] as const) {
    test(`every table of a migrated ${dialect} store is copied or derived`, async () => {
      const store = await open();
      try {
        const found = (await tables[dialect](store)).filter(
          (name) => !name.startsWith('sqlite_') && !name.startsWith('kysely_'),
        );
        const known = new Set([...transfer.TABLES.map((t) => t.name), ...transfer.DERIVED]);
        assert.deepEqual(
          found.filter((name) => !known.has(name)),
          [],
          'a new table must go in TABLES (copied) or DERIVED (rebuilt)',
        );
        for (const { name } of transfer.TABLES) assert.ok(found.includes(name), `${name} is in the store`);
        assert.deepEqual(
          transfer.TABLES.filter((t) => transfer.DERIVED.includes(t.name)),
          [],
        );
      } finally {
        await store.dispose();
      }
    });
  }
});

describe('copying a store', () => {
  let source: TestStore;
  let mediaDir: string;
  before(async () => {
    mediaDir = tempDir('gazette-transfer-media-');
    source = await sqliteTestStore();
    await smallSite({ ...contextFor(source), mediaDir });
  });
  after(async () => {
    await source?.dispose();
    fs.rmSync(mediaDir, { recursive: true, force: true });
  });

  test('sqlite → postgres → sqlite keeps every row and id, the counts, the audit chain; sequences move on', async () => {
    const postgres = await postgresTestStore();
    const back = await sqliteTestStore();
    try {
      const seen: string[] = [];
      const copied = await transfer.copyStore(source, postgres, {
        targetName: 'pg',
        batch: 2,
        onProgress: (table) => void seen.push(table),
      });
      assert.deepEqual(
        [...new Set(seen)],
        transfer.TABLES.map((t) => t.name),
      );
      assert.deepEqual(copied.counts, await transfer.countRows(source.db));
      assert.equal(copied.counts.search_synonym, 6);
      assert.deepEqual(await dump(postgres), await dump(source));
      assert.deepEqual(await channelCounts(postgres), await channelCounts(source));
      const chain = await verifyAuditChain(postgres.db);
      assert.ok(chain.ok);
      assert.deepEqual(chain.head, copied.auditHead);

      await transfer.copyStore(postgres, back, { targetName: 'back' });
      assert.deepEqual(await dump(back), await dump(source));

      const ctx = contextFor(postgres);
      const editor = (
        await postgres.db
          .selectFrom('userAccount')
          .select('id')
          .where('username', '=', 'editor')
          .executeTakeFirstOrThrow()
      ).id;
      const next = await createArticle(
        ctx,
        { userId: editor, userName: 'editor', grants: [{ role: 'editor', channelId: null }], ip: null },
        { channelId: 1, title: '迁移后新建', bodyHtml: '<p>x</p>' },
      );
      assert.equal(next.id, (copied.counts.article ?? 0) + 1);
    } finally {
      await postgres.dispose();
      await back.dispose();
    }
  });

  test('a target that holds data is refused by name and left as it was', async () => {
    const target = await sqliteTestStore();
    try {
      await transfer.copyStore(source, target, { targetName: 'first' });
      const before = await dump(target);
      const error = await refusedWith(
        transfer.copyStore(source, target, { targetName: 'sqlite:/srv/other.db' }),
        'TRANSFER_TARGET_NOT_EMPTY',
      );
      assert.match(error.message, /sqlite:\/srv\/other\.db is not empty \(table site has rows\)/);
      assert.deepEqual(await dump(target), before);
    } finally {
      await target.dispose();
    }
  });

  test('a failure in the middle leaves the target empty', async () => {
    const target = await postgresTestStore();
    try {
      const failing = (table: string) => {
        if (table === 'audit_log') throw new GazetteError('INTERNAL');
      };
      await refusedWith(transfer.copyStore(source, target, { targetName: 'pg', onProgress: failing }), 'INTERNAL');
      assert.ok(await isEmpty(target));
    } finally {
      await target.dispose();
    }
  });
});

for (const backend of ['sqlite', 'postgres'] as const) {
  test(`a copy of a ${backend} store reads one snapshot while the site goes on changing`, async () => {
    const durable = await durableTestStore(backend);
    const mediaDir = tempDir('gazette-transfer-media-');
    const [source, writer, target] = [await durable.open(), await durable.open(), await sqliteTestStore()];
    try {
      await smallSite({ ...contextFor(source), mediaDir });
      const editor = (
        await source.db.selectFrom('userAccount').selectAll().where('username', '=', 'editor').executeTakeFirstOrThrow()
      ).id;
      const actor: Actor = {
        userId: editor,
        userName: 'editor',
        grants: [{ role: 'editor', channelId: null }],
        ip: null,
      };
      let written = false;
      // Another connection adds an article (with its revision and audit entry) in the middle of the copy.
      const meanwhile = async (table: string) => {
        if (table !== 'channel' || written) return;
        written = true;
        await createArticle({ ...contextFor(writer), mediaDir }, actor, {
          channelId: 1,
          title: '复制期间新建',
          bodyHtml: '<p>x</p>',
        });
      };
      const copied = await transfer.copyStore(source, target, { targetName: 'target', onProgress: meanwhile });
      assert.ok(written);
      const now = await transfer.countRows(source.db);
      assert.deepEqual(
        [now.article, now.audit_log],
        [(copied.counts.article ?? 0) + 1, (copied.counts.audit_log ?? 0) + 1],
      );
      assert.deepEqual(await transfer.countRows(target.db), copied.counts);
      const chain = await verifyAuditChain(target.db);
      assert.ok(chain.ok);
      assert.deepEqual(chain.head, copied.auditHead);
    } finally {
      await Promise.all([source.close(), writer.close(), target.dispose()]);
      await durable.dispose();
      fs.rmSync(mediaDir, { recursive: true, force: true });
    }
  });
}

describe('backup and restore', () => {
  let source: TestStore;
  let dir: string;
  let file: string;
  const mediaDir = () => path.join(dir, 'media');
  before(async () => {
    dir = tempDir('gazette-backup-');
    file = path.join(dir, 'site.backup');
    source = await sqliteTestStore();
    await smallSite({ ...contextFor(source), mediaDir: mediaDir() });
  });
  after(async () => {
    await source?.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const restoreInto = (store: Store, backup: string, target = path.join(dir, 'restored', 'media')) =>
    transfer.restoreBackup(store, backup, { mediaDir: target, targetName: 'restored' });

  /** The file with its lines changed (unzipped, edited, zipped again). */
  const edited = (name: string, edit: (lines: string[]) => string[]) => {
    const lines = gunzipSync(fs.readFileSync(file)).toString('utf8').split('\n');
    const out = path.join(dir, name);
    fs.writeFileSync(out, gzipSync(edit(lines).join('\n')));
    return out;
  };

  test('a backup restores into postgres row for row, with its media files', async () => {
    const { header, missing } = await transfer.writeBackup(source, file, {
      mediaDir: mediaDir(),
      createdAt: '2025-12-01T01:00:00.000Z',
      batch: 2,
    });
    assert.deepEqual(missing, []);
    assert.ok(!fs.existsSync(`${file}.tmp`));
    assert.equal(header.migration, await transfer.latestMigration('sqlite'));
    assert.deepEqual(header.tables, await transfer.countRows(source.db));
    assert.ok(
      header.media.some((m) => m.endsWith('/original.png')) && header.media.some((m) => m.endsWith('/480.webp')),
      header.media.join(),
    );

    const target = await postgresTestStore();
    try {
      const restored = await restoreInto(target, file);
      assert.deepEqual(restored, header);
      assert.deepEqual(await dump(target), await dump(source));
      assert.deepEqual(await channelCounts(target), await channelCounts(source));
      assert.deepEqual((await verifyAuditChain(target.db)).head, header.auditHead);
      for (const media of header.media)
        assert.deepEqual(
          fs.readFileSync(path.join(dir, 'restored', 'media', media)),
          fs.readFileSync(path.join(mediaDir(), media)),
        );
      assert.deepEqual(
        fs.readdirSync(dir).filter((name) => name.startsWith('.media-restore-')),
        [],
      );
      await refusedWith(restoreInto(target, file), 'TRANSFER_TARGET_NOT_EMPTY');
    } finally {
      await target.dispose();
    }
  });

  test('a cut-off, damaged or foreign file is refused with its line, the store and media folder untouched', async () => {
    const whole = fs.readFileSync(file);
    const cut = path.join(dir, 'cut.backup');
    fs.writeFileSync(cut, whole.subarray(0, Math.floor(whole.length * 0.6)));
    const lines = gunzipSync(whole).toString('utf8').split('\n').length - 1;
    const target = await sqliteTestStore();
    const media = path.join(dir, 'untouched');
    try {
      const error = await refusedWith(restoreInto(target, cut, media), 'BACKUP_CORRUPT');
      assert.equal(error.location?.file, cut);
      assert.ok(
        (error.location?.line ?? 0) > 1 && (error.location?.line ?? 0) <= lines,
        `line ${error.location?.line}`,
      );
      assert.ok(await isEmpty(target));
      assert.ok(!fs.existsSync(media));

      const dropped = edited('dropped.backup', (all) =>
        all.filter((line) => !line.startsWith('{"t":"article_comment"')),
      );
      assert.match(
        (await refusedWith(restoreInto(target, dropped, media), 'BACKUP_CORRUPT')).message,
        /ends with 0 of \d+ rows of article_comment/,
      );
      const garbled = edited('garbled.backup', (all) => all.map((line, i) => (i === 3 ? line.slice(0, 10) : line)));
      assert.equal((await refusedWith(restoreInto(target, garbled, media), 'BACKUP_CORRUPT')).location?.line, 4);
      const escaping = edited('escaping.backup', ([head = '', ...rest]) => [
        head.replace('"media":["', '"media":["../../etc/passwd","'),
        ...rest,
      ]);
      assert.equal((await refusedWith(restoreInto(target, escaping, media), 'BACKUP_CORRUPT')).location?.line, 1);
      assert.ok(await isEmpty(target));
      assert.ok(!fs.existsSync(media));
    } finally {
      await target.dispose();
    }
  });

  test('a backup from another migration is refused, naming both', async () => {
    const older = edited('older.backup', ([head = '', ...rest]) => [
      head.replace(/"migration":"[^"]+"/, '"migration":"0004_output_store"'),
      ...rest,
    ]);
    const target = await sqliteTestStore();
    try {
      const error = await refusedWith(restoreInto(target, older), 'BACKUP_MIGRATION_MISMATCH');
      assert.match(
        error.message,
        new RegExp(
          `made at migration 0004_output_store but this Gazette is at ${await transfer.latestMigration('sqlite')}`,
        ),
      );
      assert.ok(await isEmpty(target));
    } finally {
      await target.dispose();
    }
  });
});
