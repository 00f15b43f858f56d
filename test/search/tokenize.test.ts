import { test } from 'node:test';
import assert from 'node:assert/strict';
import { grams, normalizeText, pinyinOf, splitPinyin, words } from '../../src/search/index.js';
import { stepsOf } from '../../src/search/query.js';

test('normalisation folds full-width, case, traditional characters and control characters', () => {
  assert.equal(normalizeText('ＡＢＣ１２３，Smart'), 'abc123,smart');
  assert.equal(normalizeText('吳江區發展臺灣'), '吴江区发展台湾');
  assert.equal(normalizeText('党\u0000建\u200b工作\u202e'), '党建工作');
});

test("grams: overlapping bigrams per Han run, the run's last character, Latin words and numbers whole", () => {
  assert.deepEqual(grams('吴江区'), ['吴江', '江区', '区']);
  assert.deepEqual(grams('党'), ['党']);
  assert.deepEqual(grams('吴政发〔2024〕12号'), ['吴政', '政发', '发', '2024', '12', '号']);
  assert.deepEqual(grams('Smart City 2.0建设'), ['smart', 'city', '2', '0', '建设', '设']);
  assert.deepEqual(grams('，。！'), []);
});

test('words: jieba segmentation, lower-cased, punctuation dropped', () => {
  assert.deepEqual(words('吴江区委书记李铭'), ['吴江', '区委书记', '李', '铭']);
  assert.deepEqual(words('Smart City，党建！'), ['smart', 'city', '党建']);
});

test('query steps: inner runs end with their last character; the final run may continue in the text', () => {
  assert.deepEqual(stepsOf('吴江区'), [
    { token: '吴江', prefix: false },
    { token: '江区', prefix: false },
  ]);
  assert.deepEqual(stepsOf('党'), [{ token: '党', prefix: true }]);
  assert.deepEqual(stepsOf('发〔2024〕12号'), [
    { token: '发', prefix: false },
    { token: '2024', prefix: false },
    { token: '12', prefix: false },
    { token: '号', prefix: true },
  ]);
});

test('pinyin of titles, with place names read as places', () => {
  assert.deepEqual(pinyinOf('吴江区'), { syllables: ['wu', 'jiang', 'qu'], initials: ['w', 'j', 'q'] });
  assert.deepEqual(pinyinOf('长寿 乐清 单县').syllables, ['chang', 'shou', 'yue', 'qing', 'shan', 'xian']);
  assert.deepEqual(pinyinOf('Smart City'), { syllables: [], initials: [] });
});

test('typed pinyin splits into syllables; what is not pinyin is null', () => {
  assert.deepEqual(splitPinyin('wujiangqu'), ['wu', 'jiang', 'qu']);
  assert.deepEqual(splitPinyin('xian'), ['xian']);
  assert.deepEqual(splitPinyin("xi'an"), ['xi', 'an']);
  assert.deepEqual(splitPinyin('dangjian'), ['dang', 'jian']);
  assert.equal(splitPinyin('wjq'), null);
  assert.equal(splitPinyin('2024'), null);
});
