import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import fc from 'fast-check';
import { verifyAuditChain } from '../../src/services/index.js';
import { demoApp } from '../helpers/app.js';
import { makeRoleAccounts, signIn, type ApiClient } from '../helpers/backoffice.js';
import { anyText, fuzzRuns } from '../helpers/fuzz.js';
import { contextFor, testStore, type TestStore } from '../helpers/store.js';
import { manifestMismatches } from '../helpers/sites.js';

type Method = 'POST' | 'PUT' | 'PATCH' | 'DELETE';
interface JsonSchema {
  readonly type?: string | readonly string[];
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly anyOf?: readonly JsonSchema[];
  readonly oneOf?: readonly JsonSchema[];
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly items?: JsonSchema;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly format?: string;
  readonly pattern?: string;
}
interface Route {
  readonly method: Method;
  readonly path: string;
  readonly body: JsonSchema | null;
}

/** Values a route's own JSON schema accepts (as OpenAPI documents it), kept small. */
function valuesOf(schema: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const choices = schema.anyOf ?? schema.oneOf;
  if (choices) return fc.oneof(...choices.map((s) => valuesOf(s, depth + 1)));
  const type = Array.isArray(schema.type) ? (schema.type[0] as string) : schema.type;
  switch (type) {
    case 'string':
      if (schema.format === 'date-time')
        return fc
          .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2035-01-01T00:00:00Z'), noInvalidDate: true })
          .map((d) => d.toISOString());
      if (schema.pattern)
        return fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length <= (schema.maxLength ?? 200));
      return fc
        .oneof(
          anyText(Math.min(schema.maxLength ?? 40, 40)),
          fc.constantFrom('本区动态', 'bqdt', 'https://www.example.gov.cn/', '<script>alert(1)</script>', '1'),
        )
        .filter((s) => s.length >= (schema.minLength ?? 0) && s.length <= (schema.maxLength ?? Infinity));
    case 'integer':
      return fc.oneof(
        // Small values near the bounds, within them (a minimum above 12: from the minimum).
        fc.integer({
          min: Math.max(schema.minimum ?? -5, -5),
          max: Math.max(schema.minimum ?? -5, -5, Math.min(schema.maximum ?? 12, 12)),
        }),
        fc.integer({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6 }),
      );
    case 'number':
      return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return depth > 3
        ? fc.constant([])
        : fc.array(valuesOf(schema.items ?? {}, depth + 1), {
            minLength: schema.minItems ?? 0,
            maxLength: Math.min(schema.maxItems ?? 4, 4),
          });
    case 'object': {
      const properties = Object.entries(schema.properties ?? {});
      if (depth > 3 || properties.length === 0) return fc.constant({});
      return fc.record(Object.fromEntries(properties.map(([name, s]) => [name, valuesOf(s, depth + 1)])), {
        requiredKeys: [...(schema.required ?? [])].filter((k) => properties.some(([name]) => name === k)),
      });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** A body as the schema asks for it, or broken: a field dropped or of the wrong type, or no object at all. */
function bodiesOf(schema: JsonSchema | null): fc.Arbitrary<unknown> {
  const valid = schema ? valuesOf(schema) : fc.constant(undefined);
  const broken = valid.chain((value) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return fc.constant(value);
    const keys = Object.keys(value);
    if (keys.length === 0) return fc.constant({ unexpected: 1 });
    return fc
      .tuple(fc.constantFrom(...keys), fc.constantFrom('drop', 'null', 'number', 'string', 'array', 'long'))
      .map(([key, how]) => {
        const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
        if (how === 'drop') delete copy[key];
        else copy[key] = { null: null, number: -1, string: '字符串', array: [1], long: 'x'.repeat(100_001) }[how];
        return copy;
      });
  });
  return fc.oneof(
    { weight: 3, arbitrary: valid },
    { weight: 2, arbitrary: broken },
    fc.constantFrom(undefined, null, [], '文本', 0),
  );
}

/** The accounts the run calls as, the broadest first. */
const USERNAMES = ['siteadmin', 'publisher', 'editor', 'secadmin', 'platformadmin', 'office', 'handler'];

describe('every write route of /api/v1 answers generated bodies with a 2xx or a 4xx, and the store stays whole', () => {
  let store: TestStore;
  let app: FastifyInstance;
  let clients: ApiClient[] = [];
  const routes: Route[] = [];
  before(async () => {
    store = await testStore();
    app = await demoApp(store, { app: { loginPerMinute: 100_000, writesPerMinute: 100_000 } });
    await makeRoleAccounts(contextFor(store));
    clients = await Promise.all(USERNAMES.map((name) => signIn(app, name)));
    const doc = (await app.inject('/api/openapi.json')).json<{
      paths: Record<
        string,
        Partial<Record<Lowercase<Method>, { requestBody?: { content?: Record<string, { schema?: JsonSchema }> } }>>
      >;
    }>();
    for (const [route, operations] of Object.entries(doc.paths)) {
      // Signing out or changing one's own password would leave the rest of the run signed out.
      if (route.includes('/session') || route.includes('password')) continue;
      for (const method of ['post', 'put', 'patch', 'delete'] as const) {
        const operation = operations[method];
        if (!operation) continue;
        routes.push({
          method: method.toUpperCase() as Method,
          path: route,
          body: operation.requestBody?.content?.['application/json']?.schema ?? null,
        });
      }
    }
  });
  after(async () => {
    await app?.close();
    await store?.dispose();
  });

  /**
   * The request from the first account the route lets in, so that the body is read, not refused
   * at the door. An account the run itself disabled or signed out (a generated PATCH of a user)
   * signs in again, or is left out when it can no longer.
   */
  async function asPermitted(method: Method, url: string, body: unknown) {
    let response: Awaited<ReturnType<ApiClient['request']>> | null = null;
    for (const [i, client] of clients.entries()) {
      response = await client.request(method, url, body);
      if (response.statusCode === 401) {
        const again = await signIn(app, USERNAMES[i] ?? '').catch(() => null);
        if (again) clients[i] = again;
        if (again) response = await again.request(method, url, body);
      }
      if (response.statusCode !== 401 && response.statusCode !== 403) return response;
    }
    assert.ok(response);
    return response;
  }

  test('an id past PostgreSQL integer is refused with 400 on every route that takes one (regression: DELETE /api/v1/placements/2147483648 answered 500 on PostgreSQL)', async () => {
    const answers: string[] = [];
    for (const route of routes.filter((r) => r.path.includes('{'))) {
      const response = await asPermitted(
        route.method,
        route.path.replace(/\{[^}]+\}/g, '2147483648'),
        route.body ? {} : undefined,
      );
      answers.push(`${route.method} ${route.path} ${response.statusCode}`);
    }
    assert.deepEqual(
      answers.filter((a) => !a.endsWith(' 400')),
      [],
    );
    assert.ok(answers.length >= 20, `${answers.length} routes with an id`);
  });

  test('regression (npm run fuzz, seed 986928466): a role limited to a column that is not the site’s answered 500 (a foreign key); it is 404 CHANNEL_NOT_FOUND', async () => {
    const security = clients[USERNAMES.indexOf('secadmin')]!;
    const answers = [];
    for (const roles of [
      [{ role: 'reviewer', channelId: 2114820976 }],
      [
        { role: 'editor', channelId: null },
        { role: 'publisher', channelId: 663791740 },
      ],
      [{ role: 'platform', channelId: 6 }],
    ]) {
      const made = await security.request('POST', '/api/v1/users', {
        username: `fk${answers.length}`,
        displayName: '外键',
        password: 'Foreign-Key-Test-2025',
        roles,
      });
      answers.push([made.statusCode, made.json<{ code: string }>().code]);
    }
    assert.deepEqual(answers, [
      [404, 'CHANNEL_NOT_FOUND'],
      [404, 'CHANNEL_NOT_FOUND'],
      [400, 'FIELD_INVALID'],
    ]);
    assert.deepEqual(
      await store.db.selectFrom('userAccount').select('username').where('username', 'like', 'fk%').execute(),
      [],
    );
  });

  test('no 5xx for any route, body or id; afterwards the audit chain verifies, the counts equal the rows and the manifest the files', async () => {
    assert.ok(routes.length >= 35, `only ${routes.length} write routes found`);
    const ids = fc.oneof(fc.integer({ min: 1, max: 12 }), fc.constantFrom(0, -1, 2 ** 31, 'abc', '1.5', '%E4%B8%AD'));
    const request = fc
      .constantFrom(...routes)
      .chain((route) => fc.tuple(fc.constant(route), bodiesOf(route.body), ids));
    await fc.assert(
      fc.asyncProperty(request, async ([route, body, id]) => {
        const url = route.path.replace(/\{[^}]+\}/g, String(id));
        const response = await asPermitted(route.method, url, body);
        assert.ok(
          response.statusCode < 500,
          `${route.method} ${url} ${JSON.stringify(body)?.slice(0, 300)} → ${response.statusCode} ${response.body.slice(0, 300)}`,
        );
        if (response.statusCode >= 400)
          assert.match(
            String(response.json<{ code?: unknown }>().code),
            /^[A-Z][A-Z0-9_]+$/,
            `${route.method} ${url}: a 4xx without an error code`,
          );
      }),
      fuzzRuns(400),
    );
    await app.gazette.publisher.idle();

    const chain = await verifyAuditChain(store.db);
    assert.deepEqual([chain.ok, chain.reason], [true, null]);
    const published = await store.db
      .selectFrom('article')
      .where('status', '=', 'published')
      .select(['channelId', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('channelId')
      .execute();
    const counted = await store.db
      .selectFrom('channelCount')
      .select(['channelId', 'published'])
      .where('published', '>', 0)
      .execute();
    const byChannel = (rows: readonly { channelId: number; n?: number; published?: number }[]) =>
      Object.fromEntries(rows.map((r) => [r.channelId, Number(r.n ?? r.published)]));
    assert.deepEqual(byChannel(counted), byChannel(published), 'channel_count.published equals the published rows');
    const live = await store.db
      .selectFrom('placement')
      .where('live', '=', 1)
      .select(['channelId', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('channelId')
      .execute();
    const placed = await store.db
      .selectFrom('channelCount')
      .select(['channelId', 'placed'])
      .where('placed', '>', 0)
      .execute();
    assert.deepEqual(
      Object.fromEntries(placed.map((r) => [r.channelId, Number(r.placed)])),
      byChannel(live),
      'channel_count.placed equals the live placements',
    );
    // Every page the manifest records for the first site is in the output store with those bytes.
    const outputDir = app.gazette.context.outputDir;
    assert.deepEqual(await manifestMismatches(store.db, outputDir), []);
  });
});
