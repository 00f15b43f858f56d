import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely';
import { demoApp } from '../helpers/app.js';
import { makeRoleAccounts, makeUser, signIn, type ApiClient } from '../helpers/backoffice.js';
import { contextFor, PINNED_NOW, testStore, type TestStore } from '../helpers/store.js';
import type { Clock } from '../../src/clock.js';

/** A clock the test moves: the audit's once-a-minute bound is seen from both sides of a minute. */
function movableClock(iso: string): Clock & { advance(ms: number): void } {
  let now = Date.parse(iso);
  return {
    now: () => new Date(now),
    advance: (ms) => void (now += ms),
  };
}

/** The audit entries of these actions after `afterSeq`, in order, with their details parsed. */
async function entriesOf(store: TestStore, actions: readonly string[], afterSeq = 0) {
  const rows = await store.db
    .selectFrom('auditLog')
    .select(['seq', 'at', 'userId', 'userName', 'ip', 'action', 'targetType', 'targetId', 'details'])
    .where('action', 'in', actions)
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .execute();
  return rows.map(({ seq: _seq, details, ...row }) => ({ ...row, details: JSON.parse(details) as unknown }));
}

async function lastSeq(store: TestStore): Promise<number> {
  const row = await store.db.selectFrom('auditLog').select('seq').orderBy('seq', 'desc').executeTakeFirst();
  return row?.seq ?? 0;
}

async function idOf(client: ApiClient): Promise<number> {
  return (await client.request('GET', '/api/v1/session')).json<{ user: { id: number } }>().user.id;
}

/**
 * A Kysely plugin that, while `failure` is set, fails every INSERT INTO article with a plain Error
 * of that message: a driver's error, whose text may hold SQL and the values it was given.
 */
function failingArticleInserts(): KyselyPlugin & { failure: string | null } {
  return {
    failure: null,
    transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
      const node = args.node as unknown as { kind: string; into?: { table?: { identifier?: { name?: string } } } };
      if (this.failure !== null && node.kind === 'InsertQueryNode' && node.into?.table?.identifier?.name === 'article')
        throw new Error(this.failure);
      return args.node;
    },
    transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
      return Promise.resolve(args.result);
    },
  };
}

/** The log lines written so far, each parsed (a line that is not JSON fails the test). */
function logLines(logged: string): Record<string, unknown>[] {
  return logged
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

const TRICKY = 'evil\n{"action":"auth.login"}\u2028"quoted"\u2029\u0085end';

describe('what the audit log and the error answers keep (SECURITY.md 7.2.2, 7.3.1, 7.4.1, 8.3.5)', () => {
  const clock = movableClock(PINNED_NOW);
  const fault = failingArticleInserts();
  const log = new PassThrough();
  let logged = '';
  let store: TestStore;
  let app: FastifyInstance;
  let channelId = 0;
  let editor: ApiClient, security: ApiClient, auditor: ApiClient;
  before(async () => {
    store = await testStore();
    log.on('data', (chunk: Buffer) => (logged += chunk.toString()));
    app = await demoApp(
      { ...store, db: store.db.withPlugin(fault) },
      { clock, app: { logLevel: 'info', logStream: log, loginPerMinute: 1000 } },
    );
    const ctx = contextFor(store, clock);
    await makeRoleAccounts(ctx);
    channelId = (await store.db.selectFrom('channel').select('id').where('slug', '=', 'bqdt').executeTakeFirstOrThrow())
      .id;
    const other = await store.db
      .selectFrom('channel')
      .select('id')
      .where('slug', '=', 'zwgk')
      .executeTakeFirstOrThrow();
    await makeUser(ctx, 'otheredit', [{ role: 'editor', channelId: other.id }]);
    [editor, security, auditor] = await Promise.all([
      signIn(app, 'editor'),
      signIn(app, 'secadmin'),
      signIn(app, 'auditor'),
    ]);
  });
  after(async () => {
    await app?.close();
    await store?.dispose();
  });

  /** Runs `run` while every INSERT INTO article fails with `message`. */
  async function whileFailing<T>(message: string, run: () => Promise<T>): Promise<T> {
    fault.failure = message;
    try {
      return await run();
    } finally {
      fault.failure = null;
    }
  }

  test('7.2.2: PERMISSION_DENIED and CSRF_INVALID on /api/ and /admin/ are audited (user, IP, route pattern, permission), once a minute per user and route; the chain still verifies', async () => {
    const from = await lastSeq(store);
    const draft = (
      await editor.request('POST', '/api/v1/articles', { channelId, title: '拒绝测试', bodyHtml: '<p>x</p>' })
    ).json<{ id: number }>();
    const outsider = await signIn(app, 'otheredit');
    const refusals = [
      // The gate: the editor holds no audit.read; a flood of one refusal, at three addresses of one route…
      ...(await Promise.all([1, 2, 3].map((page) => editor.request('GET', `/api/v1/audit?page=${page}`)))),
      // …a write without its CSRF token…
      await editor.request(
        'POST',
        '/api/v1/articles',
        { channelId, title: 'x', bodyHtml: '' },
        { 'x-csrf-token': 'forged' },
      ),
      // …the service: an editor of another column asks for this one's draft…
      await outsider.request('GET', `/api/v1/articles/${draft.id}`),
      // …and the back office's preview, by the auditor, who reads no articles.
      await auditor.request('GET', `/admin/preview/${draft.id}`),
    ];
    assert.deepEqual(
      refusals.map((r) => [r.statusCode, r.json<{ code: string }>().code]),
      [
        [403, 'PERMISSION_DENIED'],
        [403, 'PERMISSION_DENIED'],
        [403, 'PERMISSION_DENIED'],
        [403, 'CSRF_INVALID'],
        [403, 'PERMISSION_DENIED'],
        [403, 'PERMISSION_DENIED'],
      ],
    );
    const at = clock.now().toISOString();
    const [editorId, outsiderId, auditorId] = await Promise.all([idOf(editor), idOf(outsider), idOf(auditor)]);
    const denied = (userId: number, userName: string, code: string, method: string, route: string, action: string) => ({
      at,
      userId,
      userName,
      ip: '127.0.0.1',
      action: 'auth.denied',
      targetType: 'route',
      targetId: route,
      details: { code, method, route, action },
    });
    const expected = [
      denied(editorId, 'editor', 'PERMISSION_DENIED', 'GET', '/api/v1/audit', 'audit.read'),
      denied(editorId, 'editor', 'CSRF_INVALID', 'POST', '/api/v1/articles', 'article.create'),
      denied(outsiderId, 'otheredit', 'PERMISSION_DENIED', 'GET', '/api/v1/articles/:id', 'article.read'),
      denied(auditorId, 'auditor', 'PERMISSION_DENIED', 'GET', '/admin/preview/:id', 'article.read'),
    ];
    assert.deepEqual(await entriesOf(store, ['auth.denied'], from), expected);

    // A minute on, the same refusal is recorded again: the bound thins a flood, it hides no one.
    clock.advance(60_000);
    assert.equal((await editor.request('GET', '/api/v1/audit?page=4')).statusCode, 403);
    assert.deepEqual((await entriesOf(store, ['auth.denied'], from)).slice(4), [
      {
        ...denied(editorId, 'editor', 'PERMISSION_DENIED', 'GET', '/api/v1/audit', 'audit.read'),
        at: clock.now().toISOString(),
      },
    ]);
    // The entries are links of the chain like any other: it verifies to its last one.
    const head = await store.db
      .selectFrom('auditLog')
      .select(['seq', 'hash'])
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    assert.deepEqual((await auditor.request('GET', '/api/v1/audit/verify')).json<unknown>(), {
      ok: true,
      entries: head.seq,
      firstBadSeq: null,
      reason: null,
      head,
    });
  });

  test('7.4.1: an unexpected error under /api/ answers 500 INTERNAL with a reference and nothing of the error; the log line has the same id and the whole error', async () => {
    const secret = 'SQLITE_ERROR: no such column: password_hash in SELECT secret FROM user_account WHERE id = 1';
    const start = logged.length;
    const answers = await whileFailing(secret, async () => [
      await editor.request('POST', '/api/v1/articles', { channelId, title: '故障', bodyHtml: '<p>x</p>' }),
      await editor.request('POST', '/api/v1/articles', { channelId, title: '故障二', bodyHtml: '<p>x</p>' }),
    ]);
    const references = answers.map((answer) => answer.json<{ reference: string }>().reference);
    assert.deepEqual(
      answers.map((answer) => [answer.statusCode, answer.json<unknown>()]),
      references.map((reference) => [
        500,
        {
          code: 'INTERNAL',
          message: `服务器内部错误；联系管理员时请提供参考编号 ${reference}`,
          messageEn: `Internal server error; quote reference ${reference} to the administrator`,
          reference,
        },
      ]),
    );
    assert.match(references[0] ?? '', /^[0-9a-f]{16}$/);
    assert.notEqual(references[0], references[1], 'each failure its own reference');
    for (const answer of answers)
      for (const leak of ['SELECT', 'secret', 'user_account', 'SQLITE', 'Error', '    at '])
        assert.equal(answer.body.includes(leak), false, `the answer holds ${leak}`);
    const failures = logLines(logged.slice(start)).filter((line) => line.msg === 'request failed');
    assert.deepEqual(
      failures.map((line) => {
        const err = line.err as { type: string; message: string; stack: string };
        return {
          level: line.level,
          reqId: line.reqId,
          type: err.type,
          message: err.message,
          stack: err.stack.startsWith(`Error: ${secret}\n    at `),
        };
      }),
      references.map((reqId) => ({ level: 50, reqId, type: 'Error', message: secret, stack: true })),
    );
    // Nothing was written: the entry of a failed create would be a lie.
    assert.deepEqual(
      await store.db.selectFrom('article').select('id').where('title', 'in', ['故障', '故障二']).execute(),
      [],
    );
  });

  test('7.3.1: a newline, a quote and U+2028/U+2029/U+0085 in a title or a user name stay one field in the audit row and one line in the log', async () => {
    const from = await lastSeq(store);
    const made = await editor.request('POST', '/api/v1/articles', { channelId, title: TRICKY, bodyHtml: '<p>x</p>' });
    assert.equal(made.statusCode, 201, made.body);
    // A sign-in's user name is free text, kept as typed in the entry of the failure.
    const refused = await app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { username: TRICKY, password: 'Wrong-Password-1' },
    });
    assert.equal(refused.statusCode, 401);
    const rows = await store.db
      .selectFrom('auditLog')
      .select(['userName', 'action', 'details'])
      .where('seq', '>', from)
      .where('action', 'in', ['article.create', 'auth.login-failed'])
      .orderBy('seq')
      .execute();
    assert.deepEqual(rows, [
      {
        userName: 'editor',
        action: 'article.create',
        details: `{"channelId":${channelId},"title":${JSON.stringify(TRICKY)}}`,
      },
      { userName: TRICKY, action: 'auth.login-failed', details: '{"reason":"unknown user"}' },
    ]);
    assert.equal(rows[0]?.details.includes('\n'), false, 'the newline is escaped in the details');

    // The same text in an error's message (a driver echoing a value), logged at a 500.
    const start = logged.length;
    const echoed = `duplicate key value violates unique constraint; Key (title)=(${TRICKY}) already exists`;
    const failure = await whileFailing(echoed, () =>
      editor.request('POST', '/api/v1/articles', { channelId, title: TRICKY, bodyHtml: '<p>x</p>' }),
    );
    assert.equal(failure.statusCode, 500);
    const written = logged.slice(start);
    assert.equal(/[\r\u0085\u2028\u2029]/.test(written), false, 'no line separator of any kind, raw');
    const lines = logLines(written);
    const failed = lines.filter((line) => line.msg === 'request failed');
    assert.equal(failed.length, 1);
    assert.equal((failed[0]?.err as { message: string }).message, echoed);
    assert.deepEqual(
      lines.map((line) => line.msg),
      ['incoming request', 'request failed', 'request completed'],
    );
  });

  test('8.3.5: reading the audit log, the accounts or a draft is audited (who, when, what was asked; never what was read), once a minute per reader and question', async () => {
    clock.advance(60_000);
    const from = await lastSeq(store);
    const draft = (
      await editor.request('POST', '/api/v1/articles', { channelId, title: '未发布的稿件', bodyHtml: '<p>保密</p>' })
    ).json<{ id: number }>();
    const published = await store.db
      .selectFrom('article')
      .select('id')
      .where('status', '=', 'published')
      .executeTakeFirstOrThrow();
    const reads = [
      await auditor.request('GET', '/api/v1/audit?action=auth.login&page=1'),
      // The same question again within the minute: one entry.
      await auditor.request('GET', '/api/v1/audit?action=auth.login&page=1'),
      await auditor.request('GET', `/api/v1/audit?article=${draft.id}&from=2025-12-01&to=2025-12-01&pageSize=10`),
      await security.request('GET', '/api/v1/users'),
      await editor.request('GET', `/api/v1/articles/${draft.id}`),
      // Its preview is the same reading of the same draft.
      await editor.request('GET', `/admin/preview/${draft.id}`),
      // A published article is public: reading it is not recorded.
      await editor.request('GET', `/api/v1/articles/${published.id}`),
    ];
    assert.deepEqual(
      reads.map((r) => r.statusCode),
      [200, 200, 200, 200, 200, 200, 200],
    );
    const at = clock.now().toISOString();
    const [editorId, securityId, auditorId] = await Promise.all([idOf(editor), idOf(security), idOf(auditor)]);
    const entry = (
      userId: number,
      userName: string,
      action: string,
      targetType: string,
      targetId: string | null,
      details: object,
    ) => ({
      at,
      userId,
      userName,
      ip: '127.0.0.1',
      action,
      targetType,
      targetId,
      details,
    });
    const expected = [
      entry(auditorId, 'auditor', 'audit.read', 'audit', null, { action: 'auth.login', page: 1, pageSize: 50 }),
      entry(auditorId, 'auditor', 'audit.read', 'audit', null, {
        article: draft.id,
        from: '2025-12-01',
        to: '2025-12-01',
        page: 1,
        pageSize: 10,
      }),
      entry(securityId, 'secadmin', 'user.list-read', 'user', null, {}),
      entry(editorId, 'editor', 'article.draft-read', 'article', String(draft.id), { status: 'draft' }),
    ];
    const actions = ['audit.read', 'user.list-read', 'article.draft-read'];
    assert.deepEqual(await entriesOf(store, actions, from), expected);

    // A minute on, the same reading is a new entry.
    clock.advance(60_000);
    assert.equal((await security.request('GET', '/api/v1/users')).statusCode, 200);
    assert.deepEqual((await entriesOf(store, actions, from)).slice(4), [
      { ...entry(securityId, 'secadmin', 'user.list-read', 'user', null, {}), at: clock.now().toISOString() },
    ]);
  });
});
