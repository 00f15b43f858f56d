import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import Fastify from 'fastify';
import { schemaCompilers } from '../../src/web/schema-compilers.js';

/** A route's schemas, made anew at each call: the same text, other objects (as each app makes them). */
function routeSchemas() {
  return {
    body: {
      type: 'object',
      required: ['title'],
      additionalProperties: false,
      properties: { title: { type: 'string', minLength: 1 }, count: { type: 'integer' } },
    },
    response: {
      200: { type: 'object', properties: { title: { type: 'string' }, count: { type: 'integer' } } },
    },
  };
}

const OPTIONS = { customOptions: { coerceTypes: 'array' as const, removeAdditional: true, allErrors: false } };

describe('schema compilers shared by the apps of a process', () => {
  test('a schema with the same text is compiled once; another schema, or other options, compile anew', () => {
    const route = { method: 'POST', url: '/a', httpPart: 'body' };
    const compile = schemaCompilers.buildValidator({}, OPTIONS);
    const first = compile({ ...route, schema: routeSchemas().body });
    assert.equal(compile({ ...route, url: '/b', schema: routeSchemas().body }), first);
    assert.equal(schemaCompilers.buildValidator({}, { ...OPTIONS })({ ...route, schema: routeSchemas().body }), first);

    const other = { ...routeSchemas().body, required: ['count'] };
    assert.notEqual(compile({ ...route, schema: other }), first);
    const strict = schemaCompilers.buildValidator(
      {},
      { customOptions: { ...OPTIONS.customOptions, coerceTypes: false } },
    );
    const uncoerced = strict({ ...route, schema: routeSchemas().body });
    assert.notEqual(uncoerced, first);
    assert.equal(first({ title: 't', count: '3' }), true, 'coerced');
    assert.equal(uncoerced({ title: 't', count: '3' }), false, 'not coerced');

    const serialize = schemaCompilers.buildSerializer({}, {});
    const out = serialize({ ...route, httpStatus: '200', schema: routeSchemas().response[200] });
    assert.equal(serialize({ ...route, httpStatus: '200', schema: routeSchemas().response[200] }), out);
    assert.equal(out({ title: '标题', count: 2, secret: 'x' }), '{"title":"标题","count":2}');
  });

  test('two apps with them validate and serialize each on its own', async (t) => {
    const apps = [1, 2].map((n) => {
      const app = Fastify({ schemaController: { compilersFactory: schemaCompilers } });
      app.post('/items', { schema: routeSchemas() }, (request) => ({ ...(request.body as object), app: n }));
      return app;
    });
    t.after(() => Promise.all(apps.map((app) => app.close())));
    for (const app of apps) {
      const good = await app.inject({ method: 'POST', url: '/items', payload: { title: '通知', count: '2' } });
      assert.equal(good.statusCode, 200);
      assert.equal(good.body, '{"title":"通知","count":2}');
      const bad = await app.inject({ method: 'POST', url: '/items', payload: { count: 1 } });
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json<{ message: string }>().message, "body must have required property 'title'");
    }
  });

  test('a header schema naming a header in capitals is refused when its route is made; lower case is served', async (t) => {
    const app = Fastify({ schemaController: { compilersFactory: schemaCompilers } });
    t.after(() => app.close());
    app.get('/capital', { schema: { headers: { type: 'object', required: ['X-Token'] } } }, () => 'no');
    await assert.rejects(async () => app.ready(), {
      message:
        'Failed building the validation schema for GET: /capital, due to error the header schema of GET /capital names X-Token: write header names in lower case',
    });

    const lower = Fastify({ schemaController: { compilersFactory: schemaCompilers } });
    t.after(() => lower.close());
    const headers = { type: 'object', required: ['x-token'], properties: { 'x-token': { type: 'string' } } };
    lower.get('/lower', { schema: { headers } }, () => 'ok');
    assert.equal((await lower.inject({ url: '/lower', headers: { 'X-Token': 'a' } })).statusCode, 200);
    assert.equal((await lower.inject({ url: '/lower' })).statusCode, 400);
  });

  test('options holding a function (an Ajv plugin), which JSON cannot key, are refused', () => {
    assert.throws(() => schemaCompilers.buildValidator({}, { ...OPTIONS, plugins: [(ajv) => ajv] }), {
      name: 'TypeError',
      message: 'shared schema compilers take no functions in their options (options.plugins.0)',
    });
  });

  test('Fastify and Gazette load one copy of each compiler: a Fastify upgrade that needs others fails here', () => {
    const fromFastify = createRequire(createRequire(import.meta.url).resolve('fastify'));
    const fromGazette = createRequire(import.meta.url);
    for (const name of ['@fastify/ajv-compiler', '@fastify/fast-json-stringify-compiler'])
      assert.equal(fromFastify.resolve(name), fromGazette.resolve(name), name);
  });
});
