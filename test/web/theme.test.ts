import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { DEFAULT_THEME_DIR, pageTemplates, themeFiles } from '../../src/theme/index.js';
import { demoApp } from '../helpers/app.js';
import { makeRoleAccounts, signIn, ROLE_ACCOUNTS, type ApiClient } from '../helpers/backoffice.js';
import { contextFor, testStore, type TestStore } from '../helpers/store.js';

const files = themeFiles(DEFAULT_THEME_DIR);
const FOOTER = files.source('footer') ?? '';
const HEADLINE = files.source('blocks/headline') ?? '';
const OWN_FOOTER = `<p class="own-footer">本站页脚</p>\n${FOOTER}`;
const BAD = '<footer>\n  <p>{{ site.name | shout }}</p>\n</footer>';
const AT = '2025-12-01T01:00:00.000Z';
/** What the API says of BAD, wherever it is checked. */
const SHOUT = {
  code: 'THEME_TEMPLATE_ERROR',
  message: 'footer.liquid 第 2 行：未知的过滤器 "shout"',
  messageEn: 'footer.liquid line 2: unknown filter "shout"',
  template: 'footer',
  line: 2,
  column: 6,
};

describe('/api/v1/theme: template overrides over HTTP', () => {
  let store: TestStore;
  let app: FastifyInstance;
  let admin: ApiClient;
  let editor: ApiClient;

  before(async () => {
    store = await testStore();
    app = await demoApp(store, { app: { loginPerMinute: 1000, writesPerMinute: 1000 } });
    await makeRoleAccounts(contextFor(store));
    admin = await signIn(app, ROLE_ACCOUNTS.admin);
    editor = await signIn(app, ROLE_ACCOUNTS.editor);
  });
  after(async () => {
    await app?.close();
    await store?.dispose();
  });

  test('403 without theme.edit, on every route', async () => {
    const denied = { code: 'PERMISSION_DENIED', message: '没有权限：theme.edit', messageEn: 'Not allowed: theme.edit' };
    const calls: [Parameters<ApiClient['request']>[0], string, unknown?][] = [
      ['GET', '/api/v1/theme/templates'],
      ['GET', '/api/v1/theme/templates/footer'],
      ['POST', '/api/v1/theme/templates/footer/validate', { source: 'x' }],
      ['POST', '/api/v1/theme/templates/footer/preview', { source: 'x', paths: ['/'] }],
      ['PUT', '/api/v1/theme/templates/footer', { source: 'x' }],
      ['POST', '/api/v1/theme/templates/footer/reset'],
      ['GET', '/api/v1/theme/templates/footer/revisions'],
      ['GET', '/api/v1/theme/revisions/1/diff'],
      ['POST', '/api/v1/theme/revisions/1/restore'],
    ];
    for (const [method, url, body] of calls) {
      const response = await editor.request(method, url, body);
      assert.equal(response.statusCode, 403, `${method} ${url}`);
      assert.deepEqual(response.json(), denied);
    }
  });

  test('GET the list and one template (a partial in a folder: its / sent as %2F)', async () => {
    const pages = new Set(pageTemplates(files));
    const list = await admin.request('GET', '/api/v1/theme/templates');
    assert.equal(list.statusCode, 200);
    assert.deepEqual(list.json(), {
      items: files.names.map((name) => ({
        name,
        kind: pages.has(name) ? 'page' : 'partial',
        overridden: false,
        updatedAt: null,
        updatedBy: null,
      })),
    });
    const one = await admin.request('GET', '/api/v1/theme/templates/blocks%2Fheadline');
    assert.equal(one.statusCode, 200);
    assert.deepEqual(one.json(), {
      name: 'blocks/headline',
      kind: 'partial',
      overridden: false,
      updatedAt: null,
      updatedBy: null,
      defaultSource: HEADLINE,
      source: null,
      usedBy: ['home'],
    });
    const unknown = await admin.request('GET', '/api/v1/theme/templates/sidebar');
    assert.equal(unknown.statusCode, 404);
    assert.deepEqual(unknown.json(), {
      code: 'THEME_TEMPLATE_UNKNOWN',
      message: '默认主题中没有模板“sidebar”',
      messageEn: 'The default theme has no template "sidebar"',
    });
  });

  test('validate: the problems with their line and column, nothing saved', async () => {
    const bad = await admin.request('POST', '/api/v1/theme/templates/footer/validate', { source: BAD });
    assert.equal(bad.statusCode, 200);
    assert.deepEqual(bad.json(), {
      ok: false,
      errors: [SHOUT],
    });
    const good = await admin.request('POST', '/api/v1/theme/templates/footer/validate', { source: OWN_FOOTER });
    assert.deepEqual(good.json(), { ok: true, errors: [] });
    const revisions = await admin.request('GET', '/api/v1/theme/templates/footer/revisions');
    assert.deepEqual(revisions.json(), { items: [] });
  });

  test('preview: real pages with the draft', async () => {
    const response = await admin.request('POST', '/api/v1/theme/templates/footer/preview', {
      source: OWN_FOOTER,
      paths: ['/', '/bqdt/'],
    });
    assert.equal(response.statusCode, 200);
    const { pages } = response.json<{ pages: { path: string; html: string }[] }>();
    assert.deepEqual(
      pages.map((p) => [
        p.path,
        p.html.includes('<p class="own-footer">本站页脚</p>'),
        p.html.startsWith('<!DOCTYPE html>'),
      ]),
      [
        ['/', true, true],
        ['/bqdt/', true, true],
      ],
    );
    const feed = await admin.request('POST', '/api/v1/theme/templates/footer/preview', {
      source: OWN_FOOTER,
      paths: ['/rss.xml'],
    });
    assert.equal(feed.statusCode, 422);
    assert.deepEqual(feed.json(), {
      code: 'THEME_PREVIEW_PATH',
      message: '/rss.xml 不是本站用模板生成的页面，无法预览',
      messageEn: '/rss.xml is not a page of the site made from a template; it cannot be previewed',
    });
  });

  test('save (PUT): 422 with the line for a bad one; the saved template, its revisions, diff, restore and reset', async () => {
    const refused = await admin.request('PUT', '/api/v1/theme/templates/footer', { source: BAD });
    assert.equal(refused.statusCode, 422);
    assert.deepEqual(refused.json(), SHOUT);

    const saved = await admin.request('PUT', '/api/v1/theme/templates/footer', { source: OWN_FOOTER });
    assert.equal(saved.statusCode, 200, saved.body);
    const detail = {
      name: 'footer',
      kind: 'partial',
      overridden: true,
      updatedAt: AT,
      updatedBy: 'siteadmin',
      defaultSource: FOOTER,
      source: OWN_FOOTER,
      usedBy: pageTemplates(files),
    };
    assert.deepEqual(saved.json(), detail);
    await app.gazette.publisher.idle();
    assert.ok((await app.inject('/')).body.includes('<p class="own-footer">本站页脚</p>'));

    const revisions = (await admin.request('GET', '/api/v1/theme/templates/footer/revisions')).json<{
      items: { id: number }[];
    }>();
    const id = revisions.items[0]?.id ?? 0;
    assert.deepEqual(revisions, {
      items: [{ id, name: 'footer', action: 'save', at: AT, userName: 'siteadmin', source: OWN_FOOTER }],
    });

    const diff = await admin.request('GET', `/api/v1/theme/revisions/${id}/diff`);
    assert.equal(diff.statusCode, 200);
    assert.deepEqual(diff.json(), {
      id,
      name: 'footer',
      against: null,
      unified: [
        'Index: footer.liquid',
        '===================================================================',
        '--- footer.liquid\tdefault',
        `+++ footer.liquid\t#${id}`,
        // jsdiff keeps four lines of context.
        '@@ -1,4 +1,5 @@',
        '+<p class="own-footer">本站页脚</p>',
        ...FOOTER.split('\n')
          .slice(0, 4)
          .map((line) => ` ${line}`),
        '',
      ].join('\n'),
      parts: [
        { op: 'insert', text: '<p class="own-footer">本站页脚</p>\n' },
        { op: 'equal', text: FOOTER },
      ],
    });

    const reset = await admin.request('POST', '/api/v1/theme/templates/footer/reset');
    assert.equal(reset.statusCode, 200);
    assert.deepEqual(reset.json(), { ...detail, overridden: false, updatedAt: null, updatedBy: null, source: null });
    const again = await admin.request('POST', '/api/v1/theme/templates/footer/reset');
    assert.equal(again.statusCode, 409);
    assert.equal(again.json<{ code: string }>().code, 'THEME_NOT_OVERRIDDEN');

    const restored = await admin.request('POST', `/api/v1/theme/revisions/${id}/restore`);
    assert.equal(restored.statusCode, 200);
    assert.deepEqual(restored.json(), detail);
    const actions = (await admin.request('GET', '/api/v1/theme/templates/footer/revisions')).json<{
      items: { action: string }[];
    }>();
    assert.deepEqual(
      actions.items.map((r) => r.action),
      ['restore', 'reset', 'save'],
    );
    const missing = await admin.request('POST', '/api/v1/theme/revisions/999999/restore');
    assert.equal(missing.statusCode, 404);
    assert.deepEqual(missing.json(), {
      code: 'THEME_REVISION_NOT_FOUND',
      message: '模板修订 999999 不存在',
      messageEn: 'Template revision 999999 does not exist',
    });
  });

  test('the routes are in the OpenAPI document', async () => {
    const paths = Object.keys((await app.inject('/api/openapi.json')).json<{ paths: object }>().paths);
    assert.deepEqual(paths.filter((p) => p.startsWith('/api/v1/theme/')).sort(), [
      '/api/v1/theme/revisions/{id}/diff',
      '/api/v1/theme/revisions/{id}/restore',
      '/api/v1/theme/templates',
      '/api/v1/theme/templates/{name}',
      '/api/v1/theme/templates/{name}/preview',
      '/api/v1/theme/templates/{name}/reset',
      '/api/v1/theme/templates/{name}/revisions',
      '/api/v1/theme/templates/{name}/validate',
    ]);
  });
});
