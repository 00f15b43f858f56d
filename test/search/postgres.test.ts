import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EXACT_COUNT_CAP, countedPage, lexemesLiteral, tsvectorLiteral } from '../../src/search/postgres.js';

// countedPage(candidates, sampled, held, page, found): the total of a page whose candidates were
// checked in rank order, with a sample of up to EXACT_COUNT_CAP of them (`held` of `sampled`
// hold) for the count. `found` holds the page's hits and the next one, if any.
const ids = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
const page = (offset: number) => ({ limit: 10, offset });

test('every candidate counted: the total is exact', () => {
  assert.deepEqual(countedPage(150, 150, 90, page(0), ids(11)), { total: 90, exact: true, docIds: ids(10) });
  assert.deepEqual(countedPage(0, 0, 0, page(0), []), { total: 0, exact: true, docIds: [] });
});

test('more candidates than counted, more hits after the page: the share that held, scaled', () => {
  assert.equal(EXACT_COUNT_CAP, 200);
  assert.deepEqual(countedPage(5000, 200, 150, page(0), ids(11)), { total: 3750, exact: false, docIds: ids(10) });
  // Always past the hits seen, so the pager offers the next page.
  assert.deepEqual(countedPage(5000, 200, 1, page(40), ids(11)), { total: 51, exact: false, docIds: ids(10) });
});

test('a page that ran out of hits checked every candidate after the offset: exact', () => {
  assert.deepEqual(countedPage(5000, 200, 150, page(20), ids(10)), { total: 30, exact: true, docIds: ids(10) });
  assert.deepEqual(countedPage(5000, 200, 150, page(20), ids(3)), { total: 23, exact: true, docIds: ids(3) });
  assert.deepEqual(countedPage(5000, 200, 0, page(0), []), { total: 0, exact: true, docIds: [] });
  // Past the end: at most `offset` hits, and the estimate may be fewer.
  assert.deepEqual(countedPage(5000, 200, 150, page(5000), []), { total: 3750, exact: false, docIds: [] });
  assert.deepEqual(countedPage(5000, 200, 150, page(100), []), { total: 100, exact: false, docIds: [] });
});

test('tsvectorLiteral: each token once, its positions in order, weights after them, quotes and backslashes escaped', () => {
  assert.equal(
    tsvectorLiteral([
      { tokens: ['区委', '委员', '员'], weight: 'A', start: 1 },
      { tokens: ['区委', "it's", 'a\\b', '区委'], weight: 'D', start: 5 },
    ]),
    "'区委':1A,5,8 '委员':2A '员':3A 'it''s':6 'a\\\\b':7",
  );
  assert.equal(tsvectorLiteral([]), '');
});

test('tsvectorLiteral: positions stop at 16,383 and a token keeps at most 256 of them, as PostgreSQL does', () => {
  const literal = tsvectorLiteral([{ tokens: Array.from({ length: 300 }, () => '工作'), weight: 'D', start: 16_300 }]);
  const positions = literal.replace("'工作':", '').split(',');
  assert.equal(positions.length, 256);
  assert.deepEqual(positions.slice(0, 2), ['16300', '16301']);
  assert.deepEqual(positions.slice(82, 85), ['16382', '16383', '16383']);
  assert.equal(positions.at(-1), '16383');
});

test('lexemesLiteral: each token once, in first-seen order, without positions, quotes and backslashes escaped', () => {
  assert.equal(lexemesLiteral(['区委', '工作', "it's", '区委', 'a\\b', '工作']), "'区委' '工作' 'it''s' 'a\\\\b'");
  assert.equal(lexemesLiteral([]), '');
});
