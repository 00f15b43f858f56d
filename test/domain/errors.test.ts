import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GazetteError } from '../../src/domain/index.js';

test('errors carry a stable code, a status and both languages', () => {
  const error = new GazetteError('IMPORT_BAD_DATE', { value: '昨天' }, { line: 4 });
  assert.equal(error.code, 'IMPORT_BAD_DATE');
  assert.equal(error.status, 400);
  assert.equal(error.message, 'unreadable publish time "昨天" (expected YYYY-MM-DD HH:mm)');
  assert.equal(error.messageIn('zh'), '无法识别的发布时间“昨天”（应为 YYYY-MM-DD HH:mm）');
  assert.equal(error.at('a.txt').report('en'), 'a.txt:4: unreadable publish time "昨天" (expected YYYY-MM-DD HH:mm)');
  assert.equal(
    new GazetteError('IMPORT_FILE_MISSING', {}, { file: 'b.txt' }).report('en'),
    'b.txt: file does not exist or cannot be read',
  );
});
