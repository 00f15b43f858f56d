import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { GazetteError } from '../../../src/domain/index.js';
import {
  CHALLENGE_REASONS,
  chineseNumeral,
  createPowChallenge,
  createTextChallenge,
  isHoneypotFilled,
  solvePowChallenge,
  verifyPowSolution,
  verifyTextAnswer,
} from '../../../src/services/cases/challenge.js';

const KEY = Buffer.from('0f'.repeat(32), 'hex');
const OTHER_KEY = Buffer.from('e1'.repeat(32), 'hex');
/** A pinned clock far from the real one: nothing may read Date.now(). */
const NOW = Date.UTC(2031, 4, 6, 9, 30, 0);
const MINUTE = 60_000;
const SMALL = { maxNumber: 200 };

/** A matcher for assert.throws / rejects: CHALLENGE_FAILED, with this reason when given. */
function challengeFailed(reason?: { zh: string; en: string }) {
  return (error: unknown): true => {
    assert.ok(error instanceof GazetteError, `expected GazetteError, got ${String(error)}`);
    assert.equal(error.code, 'CHALLENGE_FAILED');
    assert.equal(error.status, 400);
    if (reason) assert.deepEqual(error.params, { reason });
    return true;
  };
}

const decode = (altcha: string) =>
  JSON.parse(Buffer.from(altcha, 'base64').toString('utf8')) as Record<string, unknown>;
const encode = (payload: Record<string, unknown>) => Buffer.from(JSON.stringify(payload)).toString('base64');

describe('proof of work (ALTCHA v1)', () => {
  test('the challenge has exactly the v1 keys, with the expiry in the salt', async () => {
    const challenge = await createPowChallenge(KEY, NOW);
    assert.deepEqual(Object.keys(challenge).sort(), ['algorithm', 'challenge', 'maxnumber', 'salt', 'signature']);
    assert.equal(challenge.algorithm, 'SHA-256');
    assert.equal(challenge.maxnumber, 50_000);
    assert.match(challenge.challenge, /^[0-9a-f]{64}$/);
    assert.match(challenge.signature, /^[0-9a-f]{64}$/);
    assert.match(challenge.salt, new RegExp(`^[0-9a-f]{24}\\?expires=${Math.floor((NOW + 10 * MINUTE) / 1000)}&$`));
    const custom = await createPowChallenge(KEY, NOW, { maxNumber: 1234, ttlMs: 2 * MINUTE });
    assert.equal(custom.maxnumber, 1234);
    assert.ok(custom.salt.includes(`expires=${Math.floor((NOW + 2 * MINUTE) / 1000)}&`));
    await assert.rejects(createPowChallenge(KEY, NOW, { maxNumber: 0 }), RangeError);
    await assert.rejects(createPowChallenge(Buffer.alloc(4), NOW), (error: unknown) => {
      assert.ok(error instanceof GazetteError);
      assert.equal(error.code, 'CONFIG_INVALID');
      return true;
    });
  });

  test('a solved challenge verifies on a pinned clock, with the same id each time', async () => {
    const challenge = await createPowChallenge(KEY, NOW, SMALL);
    const altcha = solvePowChallenge(challenge);
    assert.deepEqual(Object.keys(decode(altcha)).sort(), ['algorithm', 'challenge', 'number', 'salt', 'signature']);
    const { number } = decode(altcha);
    assert.equal(typeof number, 'number');
    assert.equal(
      createHash('sha256')
        .update(`${challenge.salt}${String(number)}`)
        .digest('hex'),
      challenge.challenge,
    );
    const first = await verifyPowSolution(KEY, altcha, NOW + MINUTE);
    assert.deepEqual(first, {
      ok: true,
      id: `pow:${challenge.challenge}`,
      expiresAtMs: Math.floor((NOW + 10 * MINUTE) / 1000) * 1000,
    });
    // Replay is the caller's to refuse: the check itself is stateless and gives the same id.
    assert.deepEqual(await verifyPowSolution(KEY, altcha, NOW + 2 * MINUTE), first);
    // Still good at the last second of its life.
    assert.equal((await verifyPowSolution(KEY, altcha, first.expiresAtMs)).id, first.id);
  });

  test('a string key works the same (what an ALTCHA verifier elsewhere would be given)', async () => {
    const key = 'a string key of more than 16 bytes';
    const challenge = await createPowChallenge(key, NOW, SMALL);
    assert.equal((await verifyPowSolution(key, solvePowChallenge(challenge), NOW)).ok, true);
  });

  test('wrong number, altered salt or signature, other key, expired: CHALLENGE_FAILED', async () => {
    const challenge = await createPowChallenge(KEY, NOW, SMALL);
    const good = decode(solvePowChallenge(challenge));
    const number = good.number as number;
    const salt = good.salt as string;
    const signature = good.signature as string;
    const wrong = CHALLENGE_REASONS.wrong;
    const cases: Array<[string, string, { zh: string; en: string }]> = [
      ['wrong number', encode({ ...good, number: number + 1 }), wrong],
      ['altered salt', encode({ ...good, salt: salt.replace(/^./, (c) => (c === '0' ? '1' : '0')) }), wrong],
      ['later expiry in the salt', encode({ ...good, salt: salt.replace(/expires=\d+/, 'expires=9999999999') }), wrong],
      [
        'altered signature',
        encode({ ...good, signature: signature.replace(/^./, (c) => (c === '0' ? '1' : '0')) }),
        wrong,
      ],
      ['no expiry', encode({ ...good, salt: salt.replace(/\?.*$/, '') }), CHALLENGE_REASONS.malformed],
      ['SHA-1', encode({ ...good, algorithm: 'SHA-1' }), CHALLENGE_REASONS.malformed],
      ['number as text', encode({ ...good, number: String(number) }), CHALLENGE_REASONS.malformed],
      ['negative number', encode({ ...good, number: -1 }), CHALLENGE_REASONS.malformed],
    ];
    for (const [what, altcha, reason] of cases)
      await assert.rejects(verifyPowSolution(KEY, altcha, NOW), challengeFailed(reason), what);
    await assert.rejects(verifyPowSolution(OTHER_KEY, encode(good), NOW), challengeFailed(wrong), 'other key');
    const expiresAtMs = Math.floor((NOW + 10 * MINUTE) / 1000) * 1000;
    await assert.rejects(
      verifyPowSolution(KEY, encode(good), expiresAtMs + 1),
      challengeFailed(CHALLENGE_REASONS.expired),
      'expired',
    );
  });

  test('garbage and missing payloads: CHALLENGE_FAILED', async () => {
    const malformed = [
      'not base64 at all!',
      '%%%%',
      Buffer.from('not json').toString('base64'),
      Buffer.from('null').toString('base64'),
      Buffer.from('[1,2]').toString('base64'),
      Buffer.from('{"algorithm":"SHA-256"}').toString('base64'),
      'A'.repeat(5000),
      42,
      { algorithm: 'SHA-256' },
    ];
    for (const altcha of malformed)
      await assert.rejects(
        verifyPowSolution(KEY, altcha, NOW),
        challengeFailed(CHALLENGE_REASONS.malformed),
        JSON.stringify(altcha),
      );
    for (const altcha of [undefined, null, ''])
      await assert.rejects(verifyPowSolution(KEY, altcha, NOW), challengeFailed(CHALLENGE_REASONS.missing));
  });

  test('the default work is solvable by the bundled solver', async () => {
    const challenge = await createPowChallenge(KEY, NOW);
    const altcha = solvePowChallenge(challenge);
    assert.equal((await verifyPowSolution(KEY, altcha, NOW)).id, `pow:${challenge.challenge}`);
  });
});

describe('text question', () => {
  /** The answer, worked out from the question the way a person would. */
  function answerOf(question: string): number {
    const words = /^请计算：(.+?)(加|减)(.+?)等于多少？（请填写阿拉伯数字）$/.exec(question);
    assert.ok(words, question);
    const value = (word: string) => {
      for (let n = 1; n <= 20; n++) if (chineseNumeral(n) === word) return n;
      throw new Error(`not a numeral: ${word}`);
    };
    const a = value(words[1] ?? '');
    const b = value(words[3] ?? '');
    return words[2] === '加' ? a + b : a - b;
  }

  test('numerals', () => {
    assert.deepEqual([1, 7, 9, 10, 11, 15, 19, 20].map(chineseNumeral), [
      '一',
      '七',
      '九',
      '十',
      '十一',
      '十五',
      '十九',
      '二十',
    ]);
  });

  test('questions are in words, in range, and never contain the answer in digits', () => {
    for (let i = 0; i < 200; i++) {
      const { question, token } = createTextChallenge(KEY, NOW);
      const answer = answerOf(question);
      assert.ok(answer >= 1 && answer <= 19, question);
      assert.doesNotMatch(question, /[0-9０-９]/, question);
      assert.ok(!question.includes(String(answer)));
      assert.ok(!token.split('.').includes(String(answer)), 'the token does not carry the answer in clear');
      assert.match(token, /^t1\.\d+\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{43}$/);
    }
  });

  test('the right answer verifies, also in full-width digits and with spaces; same id each time', () => {
    const { question, token } = createTextChallenge(KEY, NOW);
    const answer = answerOf(question);
    const result = verifyTextAnswer(KEY, token, String(answer), NOW + MINUTE);
    assert.equal(result.ok, true);
    assert.equal(result.id, `text:${token.split('.')[2]}`);
    assert.equal(result.expiresAtMs, Math.floor((NOW + 10 * MINUTE) / 1000) * 1000);
    const fullWidth = String(answer).replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));
    assert.deepEqual(verifyTextAnswer(KEY, token, `  ${fullWidth}\u3000`, NOW), result);
    assert.deepEqual(verifyTextAnswer(KEY, token, ` ${answer} `, NOW), result);
    assert.deepEqual(verifyTextAnswer(KEY, token, `0${answer}`, NOW), result);
  });

  test('full-width answer of a known question (七加五 → １２)', () => {
    // Run until the generator gives a two-digit answer, to exercise two full-width digits.
    for (;;) {
      const { question, token } = createTextChallenge(KEY, NOW);
      const answer = answerOf(question);
      if (answer < 10) continue;
      const fullWidth = String(answer).replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));
      assert.equal(verifyTextAnswer(KEY, token, fullWidth, NOW).ok, true);
      break;
    }
  });

  test('wrong, expired, tampered, foreign and malformed: CHALLENGE_FAILED', () => {
    const { question, token } = createTextChallenge(KEY, NOW);
    const answer = answerOf(question);
    const [version, expires = '', nonce = '', mac = ''] = token.split('.');
    const flip = (text: string) => text.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'));
    assert.throws(
      () => verifyTextAnswer(KEY, token, String(answer + 1), NOW),
      challengeFailed(CHALLENGE_REASONS.wrongAnswer),
    );
    assert.throws(() => verifyTextAnswer(KEY, token, '十二', NOW), challengeFailed(CHALLENGE_REASONS.notDigits));
    assert.throws(() => verifyTextAnswer(KEY, token, '', NOW), challengeFailed(CHALLENGE_REASONS.notDigits));
    assert.throws(() => verifyTextAnswer(KEY, token, 12, NOW), challengeFailed(CHALLENGE_REASONS.notDigits));
    assert.throws(
      () => verifyTextAnswer(KEY, token, String(answer), Number(expires) * 1000 + 1),
      challengeFailed(CHALLENGE_REASONS.expired),
    );
    const tampered = [
      `${version}.${Number(expires) + 3600}.${nonce}.${mac}`,
      `${version}.${expires}.${flip(nonce)}.${mac}`,
      `${version}.${expires}.${nonce}.${flip(mac)}`,
    ];
    for (const forged of tampered)
      assert.throws(
        () => verifyTextAnswer(KEY, forged, String(answer), NOW),
        challengeFailed(CHALLENGE_REASONS.wrongAnswer),
        forged,
      );
    assert.throws(
      () => verifyTextAnswer(OTHER_KEY, token, String(answer), NOW),
      challengeFailed(CHALLENGE_REASONS.wrongAnswer),
    );
    for (const malformed of ['t1.garbage', `t2.${expires}.${nonce}.${mac}`, `${token}x`, 42])
      assert.throws(
        () => verifyTextAnswer(KEY, malformed, String(answer), NOW),
        challengeFailed(CHALLENGE_REASONS.malformed),
      );
    assert.throws(
      () => verifyTextAnswer(KEY, undefined, String(answer), NOW),
      challengeFailed(CHALLENGE_REASONS.missing),
    );
  });

  test('a text token is not an altcha payload and the reverse', async () => {
    const { token } = createTextChallenge(KEY, NOW);
    await assert.rejects(verifyPowSolution(KEY, token, NOW), challengeFailed());
    const altcha = solvePowChallenge(await createPowChallenge(KEY, NOW, SMALL));
    assert.throws(() => verifyTextAnswer(KEY, altcha, '1', NOW), challengeFailed(CHALLENGE_REASONS.malformed));
  });
});

describe('honeypot', () => {
  test('absent or empty is not filled; anything else is', () => {
    for (const value of [undefined, null, '', [], ['']]) assert.equal(isHoneypotFilled(value), false, String(value));
    for (const value of ['x', ' ', '0', 0, false, {}, ['', 'http://spam.example']])
      assert.equal(isHoneypotFilled(value), true, JSON.stringify(value));
  });
});
