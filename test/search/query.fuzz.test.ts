import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import fc from 'fast-check';
import { isGazetteError } from '../../src/domain/index.js';
import { MAX_QUERY_LENGTH, parseQuery } from '../../src/search/index.js';
import { demoApp } from '../helpers/app.js';
import { anyText, fuzzRuns } from '../helpers/fuzz.js';
import { testStore, type TestStore } from '../helpers/store.js';

/** Queries a reader might type, and the characters full-text engines treat as operators. */
const query = fc.oneof(
  anyText(MAX_QUERY_LENGTH),
  fc.string({
    maxLength: MAX_QUERY_LENGTH,
    unit: fc.constantFrom(...'"\'*()-+:^~|&!?%_\\/;,.NEARANDORNOT 吴江党建会议 sz jz zhengfu'.split('')),
  }),
  fc.constantFrom(
    '"',
    '""',
    '*',
    'NEAR(',
    'a OR',
    'AND',
    '-',
    '\\',
    "'; drop table article; --",
    '%',
    '_',
    '\u0000',
    '　',
  ),
);

test('the query parser answers any string of up to 200 characters: terms, or an empty or too long query by name', () => {
  fc.assert(
    fc.property(query, (q) => {
      try {
        const parsed = parseQuery(q);
        assert.ok(parsed.groups.length > 0 && parsed.groups.every((group) => group.length > 0));
      } catch (error) {
        assert.ok(
          isGazetteError(error) &&
            ['SEARCH_QUERY_EMPTY', 'SEARCH_QUERY_TOO_LONG'].includes(error.code) &&
            error.status === 400,
          String(error),
        );
      }
    }),
    fuzzRuns(500),
  );
});

describe('search over HTTP answers any query with results or a 400', () => {
  let store: TestStore;
  let app: FastifyInstance;
  before(async () => {
    store = await testStore();
    app = await demoApp(store);
  });
  after(async () => {
    await app?.close();
    await store?.dispose();
  });

  test('never a 500, never a store error, on the search API and the search page', async () => {
    await fc.assert(
      fc.asyncProperty(query, fc.constantFrom('/api/v1/search', '/search'), async (q, route) => {
        const response = await app.inject({ method: 'GET', url: route, query: { q } });
        assert.ok(
          response.statusCode === 200 || response.statusCode === 400,
          `${route}?q=${JSON.stringify(q)} answered ${response.statusCode}: ${response.body.slice(0, 200)}`,
        );
        if (route.startsWith('/api/') && response.statusCode === 400)
          assert.match(String(response.json<{ code: string }>().code), /^[A-Z_]+$/);
      }),
      fuzzRuns(150),
    );
  });
});
