import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GazetteError } from '../../src/domain/index.js';
import { parseQuery } from '../../src/search/index.js';
import { fts5Expression } from '../../src/search/sqlite.js';

const texts = (q: string) => {
  const parsed = parseQuery(q);
  return { groups: parsed.groups.map((g) => g.map((t) => t.text)), excluded: parsed.excluded.map((t) => t.text) };
};

test('words, quoted phrases, exclusions and OR', () => {
  assert.deepEqual(texts('吴江 党建'), { groups: [['吴江'], ['党建']], excluded: [] });
  assert.deepEqual(texts('"smart city" -草案'), { groups: [['smart city']], excluded: ['草案'] });
  assert.deepEqual(texts('“融入式 党建”'), { groups: [['融入式 党建']], excluded: [] });
  assert.deepEqual(texts('吴江 OR 苏州 党建'), { groups: [['吴江', '苏州'], ['党建']], excluded: [] });
  assert.deepEqual(texts('吴江 | 苏州'), { groups: [['吴江', '苏州']], excluded: [] });
});

test('pinyin and initials are recognised as such', () => {
  const [pinyinTerm] = parseQuery('wujiang').groups[0] ?? [];
  assert.deepEqual(pinyinTerm?.pinyin, ['wu', 'jiang']);
  assert.equal(pinyinTerm?.initials, null);
  const [initialsTerm] = parseQuery('wjq').groups[0] ?? [];
  assert.equal(initialsTerm?.pinyin, null);
  assert.deepEqual(initialsTerm?.initials, ['w', 'j', 'q']);
});

test('stop words are dropped unless they are all there is; synonyms join their term as alternatives', () => {
  const lists = { synonyms: new Map([['新冠', ['新型冠状病毒']]]), stopWords: new Set(['的']) };
  assert.deepEqual(
    parseQuery('吴江 的 新冠', lists).groups.map((g) => g.map((t) => t.text)),
    [['吴江'], ['新冠', '新型冠状病毒']],
  );
  assert.deepEqual(
    parseQuery('的', lists).groups.map((g) => g.map((t) => t.text)),
    [['的']],
  );
});

test('FTS syntax is text: quotes, stars, NEAR( and parentheses never reach FTS5 as operators', () => {
  assert.equal(fts5Expression(parseQuery('NEAR(吴江')), '({title_grams body_grams} : ("near" + "吴江"))');
  assert.equal(fts5Expression(parseQuery('吴江*')), '({title_grams body_grams} : ("吴江"))');
  assert.equal(fts5Expression(parseQuery('a"b')), '({title_grams body_grams} : ("a" + "b"))');
  assert.equal(
    fts5Expression(parseQuery('x" OR "y')),
    '(({title_grams body_grams} : ("x") OR ({title_grams body_grams} : ("y") OR {title_words body_words} : "y")))',
  );
  assert.equal(
    fts5Expression(parseQuery('OR 吴江')),
    '(({title_grams body_grams} : ("or") OR {title_words body_words} : "or" OR {initials} : ("o" + "r")) AND ({title_grams body_grams} : ("吴江") OR {title_words body_words} : "吴江"))',
  );
});

test('empty, punctuation-only, exclusion-only and over-long queries are refused with their reason', () => {
  const refuses = (q: string, code: string) =>
    assert.throws(
      () => parseQuery(q),
      (error: unknown) => error instanceof GazetteError && error.code === code,
      JSON.stringify(q),
    );
  refuses('', 'SEARCH_QUERY_EMPTY');
  refuses('   ', 'SEARCH_QUERY_EMPTY');
  refuses('，。“”*', 'SEARCH_QUERY_EMPTY');
  refuses('-吴江', 'SEARCH_QUERY_EMPTY');
  refuses('\u0000\u0001', 'SEARCH_QUERY_EMPTY');
  refuses('吴'.repeat(201), 'SEARCH_QUERY_TOO_LONG');
  assert.doesNotThrow(() => parseQuery('吴'.repeat(200)));
});
