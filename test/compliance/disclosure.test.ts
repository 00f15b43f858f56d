import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DISCLOSURE_TOPICS,
  INDEX_NO_PATTERN,
  checkWrittenOn,
  creditCheckChar,
  creditCodeProblem,
  formatIndexNo,
  indexYear,
  normalizeDocumentNo,
} from '../../src/compliance/disclosure/index.js';
import { GazetteError } from '../../src/domain/index.js';

test('统一社会信用代码: the GB 32100 check character of published codes', () => {
  // The standard's own example, and codes of well-known registrations.
  for (const code of ['91350100M000100Y43', '9144030071526726XG', '91110108551385082Q', '113205090141600114']) {
    assert.equal(creditCheckChar(code.slice(0, 17)), code[17], code);
    assert.equal(creditCodeProblem(code), null, code);
  }
  assert.equal(creditCheckChar('1132050901416001I'), null);
});

test('统一社会信用代码: length, character set and check character are each named', () => {
  const zh = (code: string) => {
    const problem = creditCodeProblem(code);
    return problem !== null && typeof problem === 'object' ? problem.zh : problem;
  };
  assert.equal(zh('11320509014160011'), '统一社会信用代码应为 18 位（现为 17 位）');
  assert.equal(zh('11320509014160011O'), '含有不允许的字符“O”（只能是数字和除 I、O、Z、S、V 外的大写字母）');
  assert.equal(zh('11320509014160011k'), '含有不允许的字符“k”（只能是数字和除 I、O、Z、S、V 外的大写字母）');
  assert.equal(zh('11320509014160011K'), '校验码不符（第 18 位应为 4）');
});

test('索引号: code/year-5-digit serial', () => {
  assert.equal(formatIndexNo('113205090141600114', 2025, 12), '113205090141600114/2025-00012');
  assert.equal(formatIndexNo('113205090141600114', 2025, 123456), '113205090141600114/2025-123456');
  assert.ok(INDEX_NO_PATTERN.test('113205090141600114/2025-00012'));
  assert.ok(!INDEX_NO_PATTERN.test('113205090141600114/25-00012'));
  assert.equal(indexYear('2024-12-31T16:00:00Z', '2020-01-01T00:00:00Z', 'Asia/Shanghai'), 2025);
  assert.equal(indexYear(null, '2023-06-01T00:00:00Z', 'Asia/Shanghai'), 2023);
});

test('文号: brackets typed as [] or () become 〔〕; other forms are refused', () => {
  assert.equal(normalizeDocumentNo('吴政发〔2025〕12号'), '吴政发〔2025〕12号');
  assert.equal(normalizeDocumentNo(' 吴政发[2025]12号 '), '吴政发〔2025〕12号');
  assert.equal(normalizeDocumentNo('吴政办发（2025）第3号'), '吴政办发〔2025〕第3号');
  assert.equal(normalizeDocumentNo(''), '');
  for (const bad of ['吴政发2025年12号', '〔2025〕12号', '吴政发〔25〕12号', '吴政发〔2025〕十二号']) {
    assert.throws(
      () => normalizeDocumentNo(bad),
      (error: GazetteError) => error.code === 'FIELD_INVALID' && error.params.field === 'documentNo',
      bad,
    );
  }
});

test('成文日期: a real calendar date or none', () => {
  assert.equal(checkWrittenOn('2024-02-29'), '2024-02-29');
  assert.equal(checkWrittenOn(''), null);
  assert.equal(checkWrittenOn(null), null);
  assert.throws(
    () => checkWrittenOn('2025-02-29'),
    (error: GazetteError) => error.params.field === 'writtenOn',
  );
});

test('主题分类: the 21 national categories in order, 其他 last', () => {
  assert.equal(DISCLOSURE_TOPICS.length, 21);
  assert.equal(DISCLOSURE_TOPICS[0], '综合政务');
  assert.equal(DISCLOSURE_TOPICS.at(-1), '其他');
  assert.equal(new Set(DISCLOSURE_TOPICS).size, 21);
});
