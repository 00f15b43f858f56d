import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { GazetteError, type ErrorCode } from '../../../src/domain/index.js';
import {
  blindIndex,
  blindIndexes,
  loadDataKeyring,
  newDataKeyHex,
  normaliseForIndex,
  openPersonal,
  parseDataKey,
  requireDataKeyring,
  sealPersonal,
  sealedWithCurrent,
  type DataKeyring,
} from '../../../src/services/cases/personal-data.js';

const KEY_A = 'a1'.repeat(32);
const KEY_B = '5c'.repeat(32);

const ringA: DataKeyring = { current: parseDataKey(KEY_A, 'GAZETTE_DATA_KEY') };
const ringB: DataKeyring = { current: parseDataKey(KEY_B, 'GAZETTE_DATA_KEY') };
/** B is the new key, A the one being rotated out. */
const rotating: DataKeyring = {
  current: ringB.current,
  previous: parseDataKey(KEY_A, 'GAZETTE_DATA_KEY_PREVIOUS'),
};

/** A matcher for assert.throws: a GazetteError with this code and, when given, these params' names. */
function gazette(code: ErrorCode, check?: (error: GazetteError) => void) {
  return (error: unknown): true => {
    assert.ok(error instanceof GazetteError, `expected GazetteError ${code}, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    check?.(error);
    return true;
  };
}

const naming = (name: string) => (error: GazetteError) => assert.equal(error.params.name, name);

describe('data keys', () => {
  test('newDataKeyHex gives 64 hex characters that parse, different every time', () => {
    const one = newDataKeyHex();
    assert.match(one, /^[0-9a-f]{64}$/);
    assert.notEqual(one, newDataKeyHex());
    assert.match(parseDataKey(one, 'GAZETTE_DATA_KEY').id, /^[0-9a-f]{8}$/);
  });

  test('invalid keys are refused with DATA_KEY_INVALID naming the variable and the fault', () => {
    const cases: Array<[string, RegExp]> = [
      ['a'.repeat(63), /has 63 characters; it needs exactly 64/],
      ['a'.repeat(65), /has 65 characters/],
      ['zz' + 'a'.repeat(62), /characters other than hex digits/],
      ['', /it is empty/],
      [KEY_A + '\n', /line break/],
      [' ' + KEY_A, /spaces/],
    ];
    for (const [hex, reason] of cases) {
      assert.throws(
        () => parseDataKey(hex, 'GAZETTE_DATA_KEY'),
        gazette('DATA_KEY_INVALID', (error) => {
          naming('GAZETTE_DATA_KEY')(error);
          assert.match(error.message, /GAZETTE_DATA_KEY/);
          assert.match(error.message, reason);
          assert.match(error.messageIn('zh'), /GAZETTE_DATA_KEY/);
        }),
        JSON.stringify(hex),
      );
    }
    assert.throws(
      () => parseDataKey('0', 'GAZETTE_DATA_KEY_PREVIOUS'),
      gazette('DATA_KEY_INVALID', naming('GAZETTE_DATA_KEY_PREVIOUS')),
    );
  });

  test('upper-case hex is the same key', () => {
    assert.equal(parseDataKey(KEY_A.toUpperCase(), 'X').id, ringA.current.id);
  });

  test('the id does not reveal the key, and the key bytes do not show when logged', () => {
    const key = ringA.current;
    assert.match(key.id, /^[0-9a-f]{8}$/);
    assert.notEqual(key.id, KEY_A.slice(0, 8));
    assert.ok(!KEY_A.includes(key.id));
    assert.notEqual(key.id, ringB.current.id);
    assert.equal(parseDataKey(KEY_A, 'GAZETTE_DATA_KEY').id, key.id, 'the id is stable');
    assert.deepEqual(JSON.parse(JSON.stringify(key)), { id: key.id, name: 'GAZETTE_DATA_KEY' });
    assert.doesNotMatch(inspect(key), /Buffer|[0-9a-f]{2} [0-9a-f]{2}/);
    assert.equal(key.sealing.length, 32);
    assert.equal(key.indexing.length, 32);
    assert.ok(!key.sealing.equals(key.indexing), 'distinct subkeys');
    assert.ok(!key.sealing.equals(Buffer.from(KEY_A, 'hex')), 'the raw key is not used itself');
  });
});

describe('loadDataKeyring', () => {
  test('null when GAZETTE_DATA_KEY is unset or empty; requireDataKeyring then says DATA_KEY_MISSING', () => {
    assert.equal(loadDataKeyring({}), null);
    assert.equal(loadDataKeyring({ GAZETTE_DATA_KEY: '' }), null);
    assert.throws(() => requireDataKeyring(null), gazette('DATA_KEY_MISSING'));
    assert.equal(requireDataKeyring(ringA), ringA);
  });

  test('current alone, and current with previous', () => {
    const alone = loadDataKeyring({ GAZETTE_DATA_KEY: KEY_A, GAZETTE_DATA_KEY_PREVIOUS: '' });
    assert.equal(alone?.current.id, ringA.current.id);
    assert.equal(alone?.previous, undefined);
    const both = loadDataKeyring({ GAZETTE_DATA_KEY: KEY_B, GAZETTE_DATA_KEY_PREVIOUS: KEY_A });
    assert.equal(both?.current.id, ringB.current.id);
    assert.equal(both?.previous?.id, ringA.current.id);
    assert.equal(both?.previous?.name, 'GAZETTE_DATA_KEY_PREVIOUS');
  });

  test('refuses an invalid key, previous equal to current, previous without current', () => {
    assert.throws(
      () => loadDataKeyring({ GAZETTE_DATA_KEY: 'a'.repeat(63) }),
      gazette('DATA_KEY_INVALID', naming('GAZETTE_DATA_KEY')),
    );
    assert.throws(
      () => loadDataKeyring({ GAZETTE_DATA_KEY: KEY_A, GAZETTE_DATA_KEY_PREVIOUS: 'zz' }),
      gazette('DATA_KEY_INVALID', naming('GAZETTE_DATA_KEY_PREVIOUS')),
    );
    assert.throws(
      () => loadDataKeyring({ GAZETTE_DATA_KEY: KEY_A, GAZETTE_DATA_KEY_PREVIOUS: KEY_A.toUpperCase() }),
      gazette('DATA_KEY_INVALID', (error) => {
        naming('GAZETTE_DATA_KEY_PREVIOUS')(error);
        assert.match(error.message, /equals GAZETTE_DATA_KEY/);
      }),
    );
    assert.throws(
      () => loadDataKeyring({ GAZETTE_DATA_KEY_PREVIOUS: KEY_A }),
      gazette('DATA_KEY_INVALID', naming('GAZETTE_DATA_KEY_PREVIOUS')),
    );
  });
});

describe('sealing', () => {
  const phone = '138 1234 5678';
  const name = '张三·测试 Ünïcødé 😀';

  test('round trip, in the p1 format, a fresh nonce every time', () => {
    const sealed = sealPersonal(ringA, name);
    assert.match(sealed, new RegExp(`^p1\\.${ringA.current.id}\\.[A-Za-z0-9_-]{16}\\.[A-Za-z0-9_-]+$`));
    assert.ok(!sealed.includes('张三'));
    assert.equal(openPersonal(ringA, sealed), name);
    assert.notEqual(sealPersonal(ringA, name), sealed);
    assert.equal(openPersonal(ringA, sealPersonal(ringA, '')), '');
  });

  test('a value sealed under another key is refused with DATA_KEY_UNKNOWN naming its key id', () => {
    const sealed = sealPersonal(ringA, phone);
    assert.throws(
      () => openPersonal(ringB, sealed),
      gazette('DATA_KEY_UNKNOWN', (error) => assert.deepEqual(error.params, { keyId: ringA.current.id })),
    );
  });

  test('a tampered value is refused with DATA_KEY_INVALID (altered or damaged)', () => {
    const sealed = sealPersonal(ringA, phone);
    const [version, id, nonce, body = ''] = sealed.split('.');
    const flip = (text: string, at: number) => text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);
    const tampered = [
      `${version}.${id}.${nonce}.${flip(body, 0)}`,
      `${version}.${id}.${nonce}.${flip(body, body.length - 3)}`,
      `${version}.${id}.${flip(nonce ?? '', 2)}.${body}`,
      `${version}.${id}.${nonce}.${body.slice(0, -4)}`,
      `${version}.${id}.${nonce}.${body}A`,
      `p2.${id}.${nonce}.${body}`,
      'not sealed at all',
      '',
    ];
    for (const value of tampered)
      assert.throws(
        () => openPersonal(ringA, value),
        gazette('DATA_KEY_INVALID', (error) => assert.match(error.message, /altered or damaged/)),
        value,
      );
  });

  test('a context binds the value to its place', () => {
    const sealed = sealPersonal(ringA, phone, 'case:42:phone');
    assert.equal(openPersonal(ringA, sealed, 'case:42:phone'), phone);
    for (const context of ['case:43:phone', 'case:42:address', undefined])
      assert.throws(() => openPersonal(ringA, sealed, context), gazette('DATA_KEY_INVALID'), String(context));
    assert.throws(() => openPersonal(ringA, sealPersonal(ringA, phone), 'case:42:phone'), gazette('DATA_KEY_INVALID'));
  });

  test('during a rotation the previous key opens old values; sealedWithCurrent tells which to re-seal', () => {
    const old = sealPersonal(ringA, phone, 'case:1:phone');
    const fresh = sealPersonal(rotating, phone, 'case:1:phone');
    assert.ok(fresh.startsWith(`p1.${rotating.current.id}.`), 'new values are sealed with the current key');
    assert.equal(openPersonal(rotating, old, 'case:1:phone'), phone);
    assert.equal(openPersonal(rotating, fresh, 'case:1:phone'), phone);
    assert.equal(sealedWithCurrent(rotating, old), false);
    assert.equal(sealedWithCurrent(rotating, fresh), true);
    assert.equal(sealedWithCurrent(ringA, old), true);
    // Re-sealed, the value no longer needs the previous key.
    const resealed = sealPersonal(rotating, openPersonal(rotating, old, 'case:1:phone'), 'case:1:phone');
    assert.equal(sealedWithCurrent(rotating, resealed), true);
    assert.equal(openPersonal(ringB, resealed, 'case:1:phone'), phone);
    assert.throws(() => openPersonal(ringB, old, 'case:1:phone'), gazette('DATA_KEY_UNKNOWN'));
  });
});

describe('blind indexes', () => {
  test('phone numbers written differently give one index', () => {
    const forms = [
      '138 1234 5678',
      '+86 13812345678',
      '13812345678',
      '+86-138-1234-5678',
      '0086 138 1234 5678',
      '８６１３８１２３４５６７８',
      '１３８ １２３４ ５６７８',
    ];
    const indexes = new Set(forms.map((form) => blindIndex(ringA.current, 'phone', form)));
    assert.equal(indexes.size, 1, forms.join(' | '));
    assert.match([...indexes][0] ?? '', /^[A-Za-z0-9_-]{32}$/);
    assert.equal(normaliseForIndex('phone', '+86 138 1234 5678'), '13812345678');
    assert.equal(normaliseForIndex('phone', '+86 10 1234 5678'), '01012345678');
    assert.equal(normaliseForIndex('phone', '010-1234 5678'), '01012345678');
    assert.notEqual(
      blindIndex(ringA.current, 'phone', '13812345679'),
      blindIndex(ringA.current, 'phone', '13812345678'),
    );
  });

  test('other kinds: NFKC and trimmed; ID numbers upper case', () => {
    assert.equal(blindIndex(ringA.current, 'name', ' 张三 '), blindIndex(ringA.current, 'name', '张三'));
    assert.equal(blindIndex(ringA.current, 'name', 'ＡＢＣ'), blindIndex(ringA.current, 'name', 'ABC'));
    assert.equal(
      blindIndex(ringA.current, 'idNumber', '11010519491231002x'),
      blindIndex(ringA.current, 'idNumber', '11010519491231002X'),
    );
    assert.equal(normaliseForIndex('address', '  北京市　东城区  1号 '), '北京市 东城区 1号');
  });

  test('differs across kinds and keys', () => {
    const digits = '13812345678';
    assert.notEqual(blindIndex(ringA.current, 'phone', digits), blindIndex(ringA.current, 'idNumber', digits));
    assert.notEqual(blindIndex(ringA.current, 'phone', digits), blindIndex(ringA.current, 'name', digits));
    assert.notEqual(blindIndex(ringA.current, 'phone', digits), blindIndex(ringB.current, 'phone', digits));
    assert.throws(() => blindIndex(ringA.current, 'phone\0name', digits), TypeError);
  });

  test('blindIndexes gives the current index, then the previous one during a rotation', () => {
    const value = '+86 13812345678';
    assert.deepEqual(blindIndexes(ringA, 'phone', value), [blindIndex(ringA.current, 'phone', value)]);
    assert.deepEqual(blindIndexes(rotating, 'phone', value), [
      blindIndex(ringB.current, 'phone', value),
      blindIndex(ringA.current, 'phone', value),
    ]);
  });
});
