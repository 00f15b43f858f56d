import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { GazetteError, type ErrorCode, type ErrorParams } from '../../src/domain/index.js';
import {
  GENESIS_HASH,
  createArticle,
  entryHash,
  listAuditEntries,
  login,
  verifyAuditChain,
  type Actor,
  type ServiceContext,
  type UserView,
} from '../../src/services/index.js';
import type { AuditRow } from '../../src/store/index.js';
import { BACKENDS, contextFor, type TestStore } from '../helpers/store.js';
import { demoSite } from '../helpers/factories.js';
import { TEST_PASSWORD, makeUser } from '../helpers/backoffice.js';

function gazette(code: ErrorCode, params?: ErrorParams) {
  return (error: unknown): true => {
    assert.ok(error instanceof GazetteError, `expected GazetteError ${code}, got ${String(error)}`);
    assert.equal(error.code, code);
    if (params) assert.deepEqual(error.params, params);
    return true;
  };
}

const actorOf = (user: UserView): Actor => ({
  userId: user.id,
  userName: user.username,
  grants: user.roles,
  ip: '192.0.2.1',
});
const APPEND_ONLY = /audit_log is append-only/;

const allRows = (store: TestStore): Promise<AuditRow[]> =>
  store.db.selectFrom('auditLog').selectAll().orderBy('seq').execute();

/** Lifts the append-only guard, as someone with direct access to the database could. */
async function dropGuard(store: TestStore): Promise<void> {
  if (store.dialect === 'postgres') {
    await sql`drop trigger audit_log_no_change on audit_log`.execute(store.db);
  } else {
    await sql`drop trigger audit_log_no_update`.execute(store.db);
    await sql`drop trigger audit_log_no_delete`.execute(store.db);
  }
}

/** A fresh store with a five-entry chain: three accounts made at the console, one sign-in, one failure. */
async function seededChain(open: () => Promise<TestStore>): Promise<{ store: TestStore; rows: AuditRow[] }> {
  const store = await open();
  try {
    const ctx = contextFor(store);
    await demoSite(ctx);
    for (const name of ['alpha', 'bravo', 'charlie']) await makeUser(ctx, name, [{ role: 'editor' }]);
    await login(ctx, { username: 'alpha', password: TEST_PASSWORD, ip: null });
    await assert.rejects(
      login(ctx, { username: 'bravo', password: 'Wrong-Password-9', ip: null }),
      gazette('AUTH_INVALID'),
    );
    const rows = await allRows(store);
    assert.deepEqual(
      rows.map((r) => r.action),
      ['user.create', 'user.create', 'user.create', 'auth.login', 'auth.login-failed'],
    );
    return { store, rows };
  } catch (error) {
    // Until the caller has the store, closing it is up to this function.
    await store.dispose();
    throw error;
  }
}

for (const backend of BACKENDS) {
  describe(`audit log on ${backend.name}`, () => {
    let store: TestStore;
    let now = new Date('2025-12-01T01:00:00Z');
    const clock = { now: () => now };
    let ctx: ServiceContext;
    let editor: UserView;
    let admin: UserView;
    let security: UserView;
    let auditor: UserView;
    let firstArticle: number;
    let secondArticle: number;

    const seqs = async (actor: Actor, query: Parameters<typeof listAuditEntries>[2]) =>
      (await listAuditEntries(ctx, actor, query)).items.map((e) => e.seq);

    before(async () => {
      store = await backend.open();
      ctx = { ...contextFor(store), clock };
      await demoSite(ctx);
      // 2025-12-01 09:00 in Shanghai: four accounts from the console (seq 1–4).
      editor = await makeUser(ctx, 'editor', [{ role: 'editor' }]);
      admin = await makeUser(ctx, 'siteadmin', [{ role: 'admin' }]);
      security = await makeUser(ctx, 'secadmin', [{ role: 'security' }]);
      auditor = await makeUser(ctx, 'auditor', [{ role: 'auditor' }]);
      // 23:30 on the 1st, local time (seq 5).
      now = new Date('2025-12-01T15:30:00Z');
      await login(ctx, { username: 'editor', password: TEST_PASSWORD, ip: '192.0.2.1' });
      // 00:30 on the 2nd, local time, though still the 1st in UTC (seq 6).
      now = new Date('2025-12-01T16:30:00Z');
      const channel = await store.db
        .selectFrom('channel')
        .select('id')
        .where('slug', '=', 'bqdt')
        .executeTakeFirstOrThrow();
      firstArticle = (
        await createArticle(ctx, actorOf(editor), { channelId: channel.id, title: '第一篇', bodyHtml: '<p>正文</p>' })
      ).id;
      // 10:00 on the 2nd (seq 7, 8).
      now = new Date('2025-12-02T02:00:00Z');
      await assert.rejects(
        login(ctx, { username: 'editor', password: 'Wrong-Password-9', ip: '192.0.2.9' }),
        gazette('AUTH_INVALID'),
      );
      await login(ctx, { username: 'auditor', password: TEST_PASSWORD, ip: '192.0.2.2' });
      // 10:00 on the 3rd (seq 9).
      now = new Date('2025-12-03T02:00:00Z');
      secondArticle = (
        await createArticle(ctx, actorOf(editor), { channelId: channel.id, title: '第二篇', bodyHtml: '<p>正文</p>' })
      ).id;
    });
    after(() => store.dispose());

    test('the chain verifies: every entry links to the one before, the first to the genesis hash', async () => {
      const rows = await allRows(store);
      assert.deepEqual(
        rows.map((r) => [r.seq, r.action, r.userName, r.userId]),
        [
          [1, 'user.create', 'console', null],
          [2, 'user.create', 'console', null],
          [3, 'user.create', 'console', null],
          [4, 'user.create', 'console', null],
          [5, 'auth.login', 'editor', editor.id],
          [6, 'article.create', 'editor', editor.id],
          [7, 'auth.login-failed', 'editor', editor.id],
          [8, 'auth.login', 'auditor', auditor.id],
          [9, 'article.create', 'editor', editor.id],
        ],
      );
      assert.equal(rows[0]?.prevHash, GENESIS_HASH);
      assert.equal(GENESIS_HASH, '0'.repeat(64));
      rows.forEach((row, i) => {
        assert.match(row.hash, /^[0-9a-f]{64}$/);
        if (i > 0) assert.equal(row.prevHash, rows[i - 1]?.hash, `seq ${row.seq} links to seq ${row.seq - 1}`);
        const { hash, ...rest } = row;
        assert.equal(entryHash(rest), hash, `seq ${row.seq} hashes to its content`);
      });
      assert.equal(rows[5]?.at, '2025-12-01T16:30:00.000Z');
      assert.equal(new Set(rows.map((r) => r.hash)).size, rows.length);

      const last = rows[rows.length - 1];
      assert.ok(last);
      assert.deepEqual(await verifyAuditChain(store.db), {
        ok: true,
        entries: 9,
        firstBadSeq: null,
        reason: null,
        head: { seq: 9, hash: last.hash },
      });
    });

    test('the store refuses to change or delete an entry', async () => {
      const before = await allRows(store);
      await assert.rejects(
        store.db.updateTable('auditLog').set({ details: '{"forged":true}' }).where('seq', '=', 3).execute(),
        APPEND_ONLY,
      );
      await assert.rejects(store.db.updateTable('auditLog').set({ userName: 'nobody' }).execute(), APPEND_ONLY);
      await assert.rejects(store.db.deleteFrom('auditLog').where('seq', '=', 9).execute(), APPEND_ONLY);
      await assert.rejects(store.db.deleteFrom('auditLog').execute(), APPEND_ONLY);
      assert.deepEqual(await allRows(store), before);
      assert.equal((await verifyAuditChain(store.db)).ok, true);
    });

    test('listAuditEntries: newest first, in pages', async () => {
      const all = await listAuditEntries(ctx, actorOf(auditor), {});
      assert.deepEqual(
        [all.items.map((e) => e.seq), all.total, all.page, all.pageSize],
        [[9, 8, 7, 6, 5, 4, 3, 2, 1], 9, 1, 50],
      );
      const created = all.items.find((e) => e.seq === 6);
      assert.deepEqual(created, {
        seq: 6,
        at: '2025-12-01T16:30:00.000Z',
        userId: editor.id,
        userName: 'editor',
        action: 'article.create',
        targetType: 'article',
        targetId: String(firstArticle),
        details: {
          title: '第一篇',
          channelId: (
            await store.db.selectFrom('channel').select('id').where('slug', '=', 'bqdt').executeTakeFirstOrThrow()
          ).id,
        },
        ip: '192.0.2.1',
      });
      const pages = [];
      for (const page of [1, 2, 3, 4]) {
        const result = await listAuditEntries(ctx, actorOf(auditor), { page, pageSize: 4 });
        assert.equal(result.total, 9);
        pages.push(result.items.map((e) => e.seq));
      }
      assert.deepEqual(pages, [[9, 8, 7, 6], [5, 4, 3, 2], [1], []]);
    });

    test('listAuditEntries filters by user (name or id), action and article', async () => {
      const a = actorOf(auditor);
      assert.deepEqual(await seqs(a, { user: 'editor' }), [9, 7, 6, 5]);
      assert.deepEqual(await seqs(a, { user: String(editor.id) }), [9, 7, 6, 5]);
      assert.deepEqual(await seqs(a, { user: 'auditor' }), [8]);
      assert.deepEqual(await seqs(a, { user: 'ghost' }), []);
      assert.deepEqual(await seqs(a, { action: 'auth.login' }), [8, 5]);
      assert.deepEqual(await seqs(a, { action: 'user.create' }), [4, 3, 2, 1]);
      assert.deepEqual(await seqs(a, { action: 'no.such.action' }), []);
      assert.deepEqual(await seqs(a, { article: firstArticle }), [6]);
      assert.deepEqual(await seqs(a, { article: secondArticle }), [9]);
      assert.deepEqual(await seqs(a, { user: 'editor', action: 'auth.login-failed' }), [7]);
      assert.equal((await listAuditEntries(ctx, a, { action: 'auth.login-failed' })).items[0]?.ip, '192.0.2.9');
    });

    test('listAuditEntries filters by local dates (Asia/Shanghai), both ends inclusive', async () => {
      const a = actorOf(auditor);
      // 00:30 on the 2nd in Shanghai is the 2nd, though the entry's UTC date is the 1st.
      assert.deepEqual(await seqs(a, { from: '2025-12-02', to: '2025-12-02' }), [8, 7, 6]);
      assert.deepEqual(await seqs(a, { to: '2025-12-01' }), [5, 4, 3, 2, 1]);
      assert.deepEqual(await seqs(a, { from: '2025-12-03' }), [9]);
      assert.deepEqual(await seqs(a, { from: '2025-12-01', to: '2025-12-03' }), [9, 8, 7, 6, 5, 4, 3, 2, 1]);
      assert.deepEqual(await seqs(a, { from: '2025-12-04' }), []);
      assert.deepEqual(await seqs(a, { user: 'editor', from: '2025-12-02', to: '2025-12-02' }), [7, 6]);
      await assert.rejects(listAuditEntries(ctx, a, { from: '2025/12/02' }), gazette('FIELD_INVALID'));
      await assert.rejects(
        listAuditEntries(ctx, a, { to: 'yesterday' }),
        (error: unknown) =>
          error instanceof GazetteError && error.code === 'FIELD_INVALID' && error.params['field'] === 'to',
      );
    });

    test('only the audit administrator reads the log (三员分立: not the system or security administrator)', async () => {
      for (const user of [editor, admin, security]) {
        await assert.rejects(
          listAuditEntries(ctx, actorOf(user), {}),
          gazette('PERMISSION_DENIED', { action: 'audit.read' }),
          user.username,
        );
      }
      assert.equal((await listAuditEntries(ctx, actorOf(auditor), {})).total, 9);
    });

    describe('tampering is found', () => {
      test('(a) an edited entry fails its own hash', async () => {
        const { store: tampered, rows } = await seededChain(backend.open);
        try {
          await dropGuard(tampered);
          await tampered.db
            .updateTable('auditLog')
            .set({ details: '{"reason":"nothing to see"}' })
            .where('seq', '=', 3)
            .execute();
          assert.deepEqual(await verifyAuditChain(tampered.db), {
            ok: false,
            entries: 2,
            firstBadSeq: 3,
            reason: 'its content does not match its hash',
            head: { seq: 2, hash: rows[1]?.hash },
          });
        } finally {
          await tampered.dispose();
        }
      });

      test('(b) a deleted entry leaves a gap: the entry after it is reported', async () => {
        const { store: tampered, rows } = await seededChain(backend.open);
        try {
          await dropGuard(tampered);
          await tampered.db.deleteFrom('auditLog').where('seq', '=', 3).execute();
          const report = await verifyAuditChain(tampered.db);
          assert.deepEqual(report, {
            ok: false,
            entries: 2,
            firstBadSeq: 4,
            reason: 'entry 3 is missing',
            head: { seq: 2, hash: rows[1]?.hash },
          });
          assert.match(report.reason ?? '', /missing/);
        } finally {
          await tampered.dispose();
        }
      });

      test('(c) an entry rewritten with a recomputed hash breaks the link of the next one', async () => {
        const { store: tampered, rows } = await seededChain(backend.open);
        try {
          await dropGuard(tampered);
          const target = rows[2];
          assert.ok(target);
          const { hash: _old, ...fields } = target;
          const forged = { ...fields, userName: 'someone-else', details: '{"roles":[],"username":"charlie"}' };
          const forgedHash = entryHash(forged);
          await tampered.db
            .updateTable('auditLog')
            .set({ userName: forged.userName, details: forged.details, hash: forgedHash })
            .where('seq', '=', 3)
            .execute();
          assert.deepEqual(await verifyAuditChain(tampered.db), {
            ok: false,
            entries: 3,
            firstBadSeq: 4,
            reason: 'does not link to the entry before it',
            head: { seq: 3, hash: forgedHash },
          });
        } finally {
          await tampered.dispose();
        }
      });

      test('(d) a cut-off tail still verifies: only a head kept elsewhere shows it', async () => {
        const { store: tampered, rows } = await seededChain(backend.open);
        try {
          const kept = (await verifyAuditChain(tampered.db)).head;
          assert.deepEqual(kept, { seq: 5, hash: rows[4]?.hash });
          await dropGuard(tampered);
          await tampered.db.deleteFrom('auditLog').where('seq', '=', 5).execute();
          const report = await verifyAuditChain(tampered.db);
          assert.deepEqual(report, {
            ok: true,
            entries: 4,
            firstBadSeq: null,
            reason: null,
            head: { seq: 4, hash: rows[3]?.hash },
          });
          assert.notDeepEqual(report.head, kept);
        } finally {
          await tampered.dispose();
        }
      });

      if (backend.name === 'postgres') {
        test('regression: TRUNCATE audit_log emptied the log on PostgreSQL (row triggers do not fire for it)', async () => {
          // `before update or delete … for each row` does not fire for TRUNCATE, so the whole log
          // can be emptied without lifting the guard, and verifyAuditChain then reports ok.
          const { store: tampered } = await seededChain(backend.open);
          try {
            await assert.rejects(sql`truncate audit_log`.execute(tampered.db), APPEND_ONLY);
            assert.equal((await allRows(tampered)).length, 5);
          } finally {
            await tampered.dispose();
          }
        });
      }
    });
  });
}
