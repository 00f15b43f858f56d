import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { currentSite, type ServiceContext } from '../../src/services/index.js';
import { demoApp } from '../helpers/app.js';
import { contextFor, testStore, type TestStore } from '../helpers/store.js';
import { makeRoleAccounts, signIn, type ApiClient } from '../helpers/backoffice.js';

type Method = 'POST' | 'PUT' | 'PATCH' | 'DELETE';
/** The two ways a client sends no body: none at all (`curl -X POST`), or an empty JSON one. */
const BARE = { none: {}, 'empty json': { 'content-type': 'application/json' } } as const;

describe('actions called without a body', () => {
  let store: TestStore;
  let app: FastifyInstance;
  let ctx: ServiceContext;
  let channelId: number;
  const clients = new Map<string, ApiClient>();

  before(async () => {
    store = await testStore();
    ctx = contextFor(store);
    app = await demoApp(store, { app: { loginPerMinute: 1000, writesPerMinute: 10_000 } });
    await makeRoleAccounts(ctx);
    channelId = (await currentSite(store.db)).tree.all().find((c) => c.slug === 'bqdt')?.id ?? 0;
    for (const name of ['editor', 'reviewer', 'publisher', 'siteadmin', 'secadmin', 'auditor'])
      clients.set(name, await signIn(app, name));
  });
  after(async () => {
    await app?.close();
    await store?.dispose();
  });

  const client = (name: string): ApiClient => {
    const found = clients.get(name);
    if (!found) throw new Error(`no client ${name}`);
    return found;
  };
  /** A request with no payload, so that light-my-request sends no body at all. */
  const bare = (who: string, method: Method, url: string, headers: Record<string, string>) =>
    client(who).request(method, url, undefined, headers);
  const codeOf = (response: LightMyRequestResponse) => response.json<{ code?: string }>().code;

  async function draft(title: string): Promise<number> {
    const made = await client('editor').request('POST', '/api/v1/articles', {
      channelId,
      title,
      bodyHtml: '<p>正文。</p>',
    });
    assert.equal(made.statusCode, 201, made.body);
    return made.json<{ id: number }>().id;
  }

  for (const [form, headers] of Object.entries(BARE)) {
    test(`submit, approve and publish take ${form} body; reject and withdraw name the field they need`, async () => {
      const id = await draft(`无正文请求的稿件（${form}）`);
      const steps: [string, string, number, string][] = [
        ['editor', 'submit', 200, 'submitted'],
        ['reviewer', 'approve', 200, 'approved'],
        ['publisher', 'publish', 200, 'published'],
      ];
      for (const [who, step, status, next] of steps) {
        const response = await bare(who, 'POST', `/api/v1/articles/${id}/${step}`, headers);
        assert.deepEqual(
          [step, response.statusCode, response.json<{ status?: string }>().status],
          [step, status, next],
          response.body,
        );
      }
      const withdraw = await bare('publisher', 'POST', `/api/v1/articles/${id}/withdraw`, headers);
      assert.deepEqual([withdraw.statusCode, codeOf(withdraw)], [400, 'COMMENT_REQUIRED']);

      const other = await draft(`无正文请求的退回稿件（${form}）`);
      assert.equal((await bare('editor', 'POST', `/api/v1/articles/${other}/submit`, headers)).statusCode, 200);
      const reject = await bare('reviewer', 'POST', `/api/v1/articles/${other}/reject`, headers);
      assert.deepEqual([reject.statusCode, codeOf(reject)], [400, 'COMMENT_REQUIRED']);
    });
  }

  test('every write route of /api/v1, called with no body, passes body validation or names the missing field', async () => {
    const doc = (await app.inject('/api/openapi.json')).json<{
      paths: Record<
        string,
        Partial<
          Record<
            Lowercase<Method>,
            { requestBody?: { content?: Record<string, { schema?: { required?: string[] } }> } }
          >
        >
      >;
    }>();
    const id = await draft('路由遍历用稿件');
    const outcomes: string[] = [];
    const checked: string[] = [];
    // Routes that end the session go last, so that the clients stay signed in for the others.
    const paths = Object.keys(doc.paths).sort(
      (a, b) => Number(a.includes('/session')) - Number(b.includes('/session')) || a.localeCompare(b),
    );
    for (const path of paths) {
      for (const method of ['post', 'put', 'patch', 'delete'] as const) {
        const operation = doc.paths[path]?.[method];
        if (!operation) continue;
        const json = operation.requestBody?.content?.['application/json'];
        if (operation.requestBody && !json) continue; // multipart uploads: a file is the body
        const required = json?.schema?.required ?? [];
        // Path parameters are ids, but for a content type's name, a field's name and a template's.
        const url = path
          .replace('{type}', 'article')
          .replace('{name}', path.startsWith('/api/v1/theme/') ? 'article' : 'noSuchField')
          .replace(/\{[^}]+\}/g, String(id));
        const upper = method.toUpperCase() as Method;
        // The first role that may call the route: body validation comes after the permission check.
        let response: LightMyRequestResponse | null = null;
        for (const who of clients.keys()) {
          response = await bare(who, upper, url, {});
          if (response.statusCode !== 403 && response.statusCode !== 401) break;
        }
        assert.ok(response, url);
        checked.push(`${upper} ${path}`);
        const message = response.statusCode === 400 ? String(response.json<{ messageEn?: string }>().messageEn) : '';
        if (response.statusCode >= 500) outcomes.push(`${upper} ${path}: ${response.statusCode}`);
        else if (/body must be object|Body cannot be empty/.test(message))
          outcomes.push(`${upper} ${path}: ${message}`);
        else if (required.length > 0 && response.statusCode === 400 && !/required property/.test(message))
          outcomes.push(`${upper} ${path}: 400 without naming a field: ${message}`);
        else if (required.length === 0 && response.statusCode === 400 && /required property/.test(message))
          outcomes.push(`${upper} ${path}: asks for a field its schema does not require`);
      }
    }
    assert.ok(checked.length >= 10, `only ${checked.length} write routes found`);
    assert.deepEqual(outcomes, []);
  });
});
