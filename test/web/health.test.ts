import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import type { HealthOverview, HealthReport } from '../../src/compliance/index.js';
import { currentSite, type ServiceContext } from '../../src/services/index.js';
import { demoApp } from '../helpers/app.js';
import { contextFor, testStore, type TestStore } from '../helpers/store.js';
import { makeRoleAccounts, signIn, ROLE_ACCOUNTS } from '../helpers/backoffice.js';

describe('health API and the channel update rule', () => {
  let store: TestStore;
  let app: FastifyInstance;
  let ctx: ServiceContext;

  before(async () => {
    store = await testStore();
    ctx = contextFor(store);
    app = await demoApp(store, { app: { loginPerMinute: 1000, writesPerMinute: 1000 } });
    await makeRoleAccounts(ctx);
  });
  after(async () => {
    await app?.close();
    await store.dispose();
  });

  test('an administrator runs the check; an editor reads the latest report and the history', async () => {
    const editor = await signIn(app, ROLE_ACCOUNTS.editor);
    const empty = (await editor.request('GET', '/api/v1/health')).json<HealthOverview>();
    assert.equal(empty.latest, null);
    assert.deepEqual(empty.history, []);
    const admin = await signIn(app, ROLE_ACCOUNTS.admin);
    const run = await admin.request('POST', '/api/v1/health/run', {});
    assert.equal(run.statusCode, 201, run.body);
    const report = run.json<HealthReport>();
    // The demo pages on the pinned clock: only 服务不实用 fails, the demo publishes no 办事指南.
    assert.deepEqual(
      report.vetoes.filter((v) => v.state === 'fail').map((v) => v.id),
      ['services'],
    );
    assert.equal(report.passed, false);
    assert.equal(report.links.pages, null);
    const overview = (await editor.request('GET', '/api/v1/health')).json<HealthOverview>();
    assert.deepEqual(overview.latest, report);
    assert.deepEqual(
      overview.history.map((h) => [h.at, h.score, h.vetoes, h.nightly]),
      [[report.at, report.score, 1, false]],
    );
    assert.deepEqual(
      overview.weekly.series.map((s) => s.name),
      ['本区动态', '通知公告', '政务公开', '部门动态', '政策文件', '人事信息'],
    );
  });

  test('the update rule is part of a channel, editable by an administrator and documented', async () => {
    const admin = await signIn(app, ROLE_ACCOUNTS.admin);
    const rsxx = (await currentSite(store.db)).tree.all().find((c) => c.slug === 'rsxx');
    assert.ok(rsxx);
    const before = (await admin.request('GET', `/api/v1/channels/${rsxx.id}`)).json<{ updateRule: string }>();
    assert.equal(before.updateRule, 'none');
    const patched = await admin.request('PATCH', `/api/v1/channels/${rsxx.id}`, { updateRule: 'notice' });
    assert.equal(patched.statusCode, 200, patched.body);
    assert.equal(patched.json<{ updateRule: string }>().updateRule, 'notice');
    const bad = await admin.request('PATCH', `/api/v1/channels/${rsxx.id}`, { updateRule: 'weekly' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /updateRule/);
    const spec = (await app.inject('/api/openapi.json')).json<{
      paths: Record<
        string,
        Record<
          string,
          {
            requestBody?: {
              content: Record<
                string,
                { schema: { properties: Record<string, { anyOf?: { enum?: string[]; const?: string }[] }> } }
              >;
            };
          }
        >
      >;
    }>();
    const body =
      spec.paths['/api/v1/channels/{id}']?.patch?.requestBody?.content['application/json']?.schema.properties
        .updateRule;
    assert.deepEqual(
      body?.anyOf?.map((a) => a.const ?? a.enum?.[0]),
      ['dynamic', 'notice', 'policy', 'none'],
    );
    assert.ok(spec.paths['/api/v1/health']?.get);
    assert.ok(spec.paths['/api/v1/health/run']?.post);
  });
});
