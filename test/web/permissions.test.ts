import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { ROLES, type Role } from '../../src/domain/index.js';
import { createArticle, createChannel, currentSite, stepArticle, type ArticleView, type ServiceContext } from '../../src/services/index.js';
import { demoApp } from '../helpers/app.js';
import { contextFor, testStore, type TestStore } from '../helpers/store.js';
import { actorFor, makeRoleAccounts, multipart, signIn, ROLE_ACCOUNTS, type ApiClient } from '../helpers/backoffice.js';

const ALL = ROLES;
const READERS: Role[] = ['editor', 'reviewer', 'publisher', 'admin'];
const WRITERS: Role[] = ['editor', 'reviewer', 'publisher'];
const REVIEWERS: Role[] = ['reviewer', 'publisher'];

/**
 * Who may call each back-office route, written out by hand (not derived from the code's role
 * table, so that a change to either one shows up here).
 */
const MATRIX: Readonly<Record<string, readonly Role[]>> = {
  'GET /api/v1/session': ALL,
  'DELETE /api/v1/session': ALL,
  'POST /api/v1/session/password': ALL,
  'POST /api/v1/session/totp': ALL,
  'POST /api/v1/session/totp/confirm': ALL,
  'GET /api/v1/site': ALL,
  'GET /api/v1/dashboard': READERS,
  'GET /api/v1/articles': READERS,
  'POST /api/v1/articles': WRITERS,
  'GET /api/v1/articles/{id}': READERS,
  'PATCH /api/v1/articles/{id}': WRITERS,
  'DELETE /api/v1/articles/{id}': WRITERS,
  'POST /api/v1/articles/{id}/submit': WRITERS,
  'POST /api/v1/articles/{id}/approve': REVIEWERS,
  'POST /api/v1/articles/{id}/reject': REVIEWERS,
  'POST /api/v1/articles/{id}/publish': ['publisher'],
  'POST /api/v1/articles/{id}/withdraw': ['publisher'],
  'GET /api/v1/articles/{id}/revisions': READERS,
  'GET /api/v1/articles/{id}/revisions/{n}': READERS,
  'GET /api/v1/articles/{id}/revisions/{n}/diff': READERS,
  'POST /api/v1/articles/{id}/revisions/{n}/restore': WRITERS,
  'GET /api/v1/channels': ALL,
  'GET /api/v1/channels/{id}': ALL,
  'POST /api/v1/channels': ['admin'],
  'PATCH /api/v1/channels/{id}': ['admin'],
  'DELETE /api/v1/channels/{id}': ['admin'],
  'GET /api/v1/media': READERS,
  'POST /api/v1/media': READERS,
  'GET /api/v1/users': ['security'],
  'POST /api/v1/users': ['security'],
  'PATCH /api/v1/users/{id}': ['security'],
  'GET /api/v1/audit': ['auditor'],
  'GET /api/v1/audit/verify': ['auditor'],
  'GET /admin/preview/{id}': READERS,
};

describe('permission matrix: every role × every back-office route', () => {
  let store: TestStore;
  let app: FastifyInstance;
  let ctx: ServiceContext;
  let accounts: Awaited<ReturnType<typeof makeRoleAccounts>>;
  let channelId: number;
  let png: Buffer;
  let serial = 0;

  before(async () => {
    store = await testStore();
    ctx = contextFor(store);
    app = await demoApp(store, { app: { loginPerMinute: 1000, writesPerMinute: 1000 } });
    accounts = await makeRoleAccounts(ctx);
    channelId = (await currentSite(store.db)).tree.all().find((c) => c.slug === 'bqdt')?.id ?? 0;
    png = await sharp({ create: { width: 20, height: 20, channels: 3, background: '#c00' } }).png().toBuffer();
  });
  after(async () => {
    await app.close();
    await store.dispose();
  });

  /** An article in the state a route acts on, written by `author`. */
  async function article(state: 'draft' | 'submitted' | 'approved' | 'published', author: Role = 'editor'): Promise<ArticleView> {
    const writer = actorFor(accounts[author]);
    let view = await createArticle(ctx, writer, { channelId, title: `矩阵测试${++serial}`, bodyHtml: '<p>正文</p>' });
    if (state === 'draft') return view;
    view = await stepArticle(ctx, writer, view.id, 'submit');
    if (state === 'submitted') return view;
    view = await stepArticle(ctx, actorFor(accounts.reviewer2), view.id, 'approve');
    if (state === 'approved') return view;
    return stepArticle(ctx, actorFor(accounts.publisher), view.id, 'publish');
  }

  /** Calls one route as a client, with fixtures that an allowed role can really act on. */
  async function call(route: string, role: Role, client: ApiClient): Promise<LightMyRequestResponse> {
    const ownDraft = () => article('draft', WRITERS.includes(role) ? role : 'editor');
    switch (route) {
      case 'GET /api/v1/session':
      case 'GET /api/v1/site':
      case 'GET /api/v1/dashboard':
      case 'GET /api/v1/articles':
      case 'GET /api/v1/channels':
      case 'GET /api/v1/media':
      case 'GET /api/v1/users':
      case 'GET /api/v1/audit':
      case 'GET /api/v1/audit/verify':
        return client.request('GET', route.slice(4));
      case 'DELETE /api/v1/session':
        return (await signIn(app, ROLE_ACCOUNTS[role])).request('DELETE', '/api/v1/session');
      case 'POST /api/v1/session/password':
        return client.request('POST', '/api/v1/session/password', { currentPassword: 'not-it', newPassword: 'New-Password-2025' });
      case 'POST /api/v1/session/totp':
        return client.request('POST', '/api/v1/session/totp', {});
      case 'POST /api/v1/session/totp/confirm':
        return client.request('POST', '/api/v1/session/totp/confirm', { code: '000000' });
      case 'POST /api/v1/articles':
        return client.request('POST', '/api/v1/articles', { channelId, title: '新稿', bodyHtml: '<p>x</p>' });
      case 'GET /api/v1/articles/{id}':
        return client.request('GET', `/api/v1/articles/${(await article('draft')).id}`);
      case 'PATCH /api/v1/articles/{id}': {
        const a = await ownDraft();
        return client.request('PATCH', `/api/v1/articles/${a.id}`, { version: a.version, title: '改' });
      }
      case 'DELETE /api/v1/articles/{id}':
        return client.request('DELETE', `/api/v1/articles/${(await ownDraft()).id}`);
      case 'POST /api/v1/articles/{id}/submit':
        return client.request('POST', `/api/v1/articles/${(await ownDraft()).id}/submit`, {});
      case 'POST /api/v1/articles/{id}/approve':
        return client.request('POST', `/api/v1/articles/${(await article('submitted')).id}/approve`, {});
      case 'POST /api/v1/articles/{id}/reject':
        return client.request('POST', `/api/v1/articles/${(await article('submitted')).id}/reject`, { comment: '退回' });
      case 'POST /api/v1/articles/{id}/publish':
        return client.request('POST', `/api/v1/articles/${(await article('approved')).id}/publish`, {});
      case 'POST /api/v1/articles/{id}/withdraw':
        return client.request('POST', `/api/v1/articles/${(await article('published')).id}/withdraw`, { reason: '撤' });
      case 'GET /api/v1/articles/{id}/revisions':
        return client.request('GET', `/api/v1/articles/${(await article('draft')).id}/revisions`);
      case 'GET /api/v1/articles/{id}/revisions/{n}':
        return client.request('GET', `/api/v1/articles/${(await article('draft')).id}/revisions/1`);
      case 'GET /api/v1/articles/{id}/revisions/{n}/diff':
        return client.request('GET', `/api/v1/articles/${(await article('draft')).id}/revisions/1/diff`);
      case 'POST /api/v1/articles/{id}/revisions/{n}/restore': {
        const a = await ownDraft();
        return client.request('POST', `/api/v1/articles/${a.id}/revisions/1/restore`, { version: a.version });
      }
      case 'GET /api/v1/channels/{id}':
        return client.request('GET', `/api/v1/channels/${channelId}`);
      case 'POST /api/v1/channels':
        return client.request('POST', '/api/v1/channels', { name: `新栏目${++serial}`, slug: `new${serial}` });
      case 'PATCH /api/v1/channels/{id}':
        return client.request('PATCH', `/api/v1/channels/${channelId}`, { description: '本区新闻' });
      case 'DELETE /api/v1/channels/{id}': {
        const channel = await createChannel(ctx, actorFor(accounts.admin), { name: `待删${++serial}`, slug: `del${serial}` });
        return client.request('DELETE', `/api/v1/channels/${channel.id}`);
      }
      case 'POST /api/v1/media': {
        const form = multipart({ alt: '红色方块' }, { name: 'red.png', data: png, type: 'image/png' });
        return client.request('POST', '/api/v1/media', form.body, { 'content-type': form.contentType });
      }
      case 'POST /api/v1/users':
        return client.request('POST', '/api/v1/users', { username: `user${++serial}`, displayName: '新用户', password: 'Initial-Pass-2025', roles: [{ role: 'editor', channelId: null }] });
      case 'PATCH /api/v1/users/{id}':
        return client.request('PATCH', `/api/v1/users/${accounts.editor.id}`, { displayName: '编辑' });
      case 'GET /admin/preview/{id}':
        return client.request('GET', `/admin/preview/${(await article('draft')).id}`);
      default:
        throw new Error(`no call written for ${route}`);
    }
  }

  test('the matrix names every documented back-office route', async () => {
    const spec = (await app.inject('/api/openapi.json')).json() as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(spec.paths)
      .flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`))
      .filter((route) => !route.endsWith('/api/v1/search') && route !== 'POST /api/v1/session')
      .sort();
    assert.deepEqual(documented, Object.keys(MATRIX).filter((r) => r.includes('/api/v1/')).sort());
  });

  for (const role of ROLES) {
    test(`${role}: allowed exactly where the matrix says`, async () => {
      const client = await signIn(app, ROLE_ACCOUNTS[role]);
      const wrong: string[] = [];
      for (const [route, allowed] of Object.entries(MATRIX)) {
        const response = await call(route, role, client);
        const body = response.headers['content-type']?.toString().includes('json') ? (response.json() as { code?: string }) : {};
        assert.notEqual(response.statusCode, 401, `${route} as ${role}: ${response.body}`);
        assert.notEqual(body.code, 'CSRF_INVALID', route);
        const denied = response.statusCode === 403 && body.code === 'PERMISSION_DENIED';
        const expectAllowed = allowed.includes(role);
        if (denied === expectAllowed) wrong.push(`${route}: ${response.statusCode} ${response.body.slice(0, 120)}`);
        if (expectAllowed) assert.ok(response.statusCode < 500, `${route} as ${role}: ${response.statusCode} ${response.body}`);
      }
      assert.deepEqual(wrong, [], `${role} is ${wrong.length ? 'wrongly allowed or denied' : ''}`);
    });
  }

  test('without a session every back-office route answers 401 AUTH_REQUIRED', async () => {
    for (const route of Object.keys(MATRIX)) {
      const [method, path] = route.split(' ') as ['GET' | 'POST' | 'PATCH' | 'DELETE', string];
      const url = path.replace(/\{(id|n)\}/g, '1');
      const response = await app.inject({ method, url, ...(method === 'GET' ? {} : { payload: {} }) });
      assert.equal(response.statusCode, 401, `${route}: ${response.body}`);
      assert.equal((response.json() as { code: string }).code, 'AUTH_REQUIRED', route);
    }
  });
});
