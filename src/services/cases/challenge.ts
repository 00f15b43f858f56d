import { createHash, createHmac, hkdfSync, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { createChallenge, extractParams, verifySolution } from 'altcha-lib/v1';
import type { Payload } from 'altcha-lib/v1/types';
import { GazetteError, type ErrorParam } from '../../domain/index.js';

/**
 * Anti-abuse checks for the public forms that need no third-party service and send no visitor data
 * anywhere: a proof of work in the ALTCHA v1 format (the widget solves it in the browser), a text
 * question for browsers without JavaScript, and a honeypot field.
 *
 * Both challenges are stateless: everything needed to check an answer travels with it, under an
 * HMAC with the caller's key. Each check returns an `id` and the time the challenge expires; a
 * caller that must refuse a second use of one solution records the id until then.
 *
 * The clock is always the caller's `nowMs`, never Date.now(): altcha-lib's own expiry check reads
 * the real clock, so it is switched off and the expiry (the `expires` parameter altcha writes into
 * the salt, which the signed challenge hash covers) is checked here.
 */

export type HmacKey = Buffer | string;

/** A challenge as the ALTCHA v1 widget takes it (the JSON its `challengeurl` returns). */
export interface PowChallenge {
  readonly algorithm: 'SHA-256';
  /** Hex SHA-256 of salt + the secret number. */
  readonly challenge: string;
  /** Random hex, then `?expires=<unix seconds>&`. */
  readonly salt: string;
  readonly maxnumber: number;
  /** Hex HMAC-SHA256 of `challenge` under the key. */
  readonly signature: string;
}

export interface PowOptions {
  /** The largest number the client may have to try: the work, about maxnumber / 2 hashes on average. */
  readonly maxNumber?: number;
  /** How long the challenge can be solved and sent, in milliseconds. */
  readonly ttlMs?: number;
}

export interface ChallengeSolved {
  readonly ok: true;
  /** Names the solved challenge; the same solution sent again gives the same id. */
  readonly id: string;
  /** Until when the challenge would be accepted: how long a replay record must be kept. */
  readonly expiresAtMs: number;
}

/** About 25,000 SHA-256 hashes on average: well under a second in a browser, even an old phone. */
export const POW_DEFAULT_MAX_NUMBER = 50_000;
export const CHALLENGE_DEFAULT_TTL_MS = 10 * 60_000;
const POW_MAX_MAX_NUMBER = 10_000_000;
/** Longer than any payload we create; a bigger one is not parsed at all. */
const MAX_PAYLOAD_CHARS = 2048;
const MIN_KEY_BYTES = 16;

type Reason = Readonly<Record<'zh' | 'en', string>>;

export const CHALLENGE_REASONS = {
  missing: { zh: '缺少验证数据，请重新提交', en: 'the check was not completed; submit the form again' },
  malformed: { zh: '验证数据格式不正确', en: 'the verification data is malformed' },
  wrong: { zh: '验证结果不正确', en: 'the solution is not correct' },
  expired: {
    zh: '验证已过期，请刷新页面后重新提交',
    en: 'the check has expired; reload the page and submit again',
  },
  notDigits: { zh: '请用阿拉伯数字填写答案，例如 12', en: 'enter the answer in digits, for example 12' },
  wrongAnswer: { zh: '答案不正确', en: 'the answer is not correct' },
} as const satisfies Record<string, Reason>;

const failed = (reason: ErrorParam) => new GazetteError('CHALLENGE_FAILED', { reason });

function keyBytes(hmacKey: HmacKey): Buffer {
  const bytes = typeof hmacKey === 'string' ? Buffer.from(hmacKey, 'utf8') : hmacKey;
  if (bytes.length < MIN_KEY_BYTES)
    throw new GazetteError('CONFIG_INVALID', {
      name: 'challenge HMAC key',
      reason: `the key has ${bytes.length} bytes; it needs at least ${MIN_KEY_BYTES}`,
    });
  return bytes;
}

/**
 * The key as altcha-lib takes it: a string, which it UTF-8 encodes. A Buffer goes in as hex, so no
 * byte of it is lost to UTF-8 decoding; a string goes in unchanged, so an ALTCHA verifier elsewhere
 * given the same string agrees.
 */
function altchaKey(hmacKey: HmacKey): string {
  const bytes = keyBytes(hmacKey);
  return typeof hmacKey === 'string' ? hmacKey : bytes.toString('hex');
}

function ttlOf(ttlMs: number | undefined): number {
  const ttl = ttlMs ?? CHALLENGE_DEFAULT_TTL_MS;
  if (!Number.isSafeInteger(ttl) || ttl < 1000) throw new RangeError(`challenge ttlMs must be ≥ 1000, got ${ttl}`);
  return ttl;
}

/**
 * A new proof-of-work challenge, expiring `ttlMs` (10 minutes) after `nowMs`. The expiry is in the
 * salt as whole seconds, rounded down, as altcha writes it.
 */
export async function createPowChallenge(
  hmacKey: HmacKey,
  nowMs: number,
  opts: PowOptions = {},
): Promise<PowChallenge> {
  const maxnumber = opts.maxNumber ?? POW_DEFAULT_MAX_NUMBER;
  if (!Number.isSafeInteger(maxnumber) || maxnumber < 1 || maxnumber > POW_MAX_MAX_NUMBER)
    throw new RangeError(`maxNumber must be an integer from 1 to ${POW_MAX_MAX_NUMBER}, got ${maxnumber}`);
  const made = await createChallenge({
    algorithm: 'SHA-256',
    hmacKey: altchaKey(hmacKey),
    maxnumber,
    expires: new Date(nowMs + ttlOf(opts.ttlMs)),
  });
  return { algorithm: 'SHA-256', challenge: made.challenge, salt: made.salt, maxnumber, signature: made.signature };
}

const HEX64 = /^[0-9a-f]{64}$/;

/** The payload the widget sends, checked field by field before anything is computed from it. */
function parsePayload(altcha: unknown): Payload {
  if (altcha === undefined || altcha === null || altcha === '') throw failed(CHALLENGE_REASONS.missing);
  if (typeof altcha !== 'string' || altcha.length > MAX_PAYLOAD_CHARS || !/^[A-Za-z0-9+/_-]+=*$/.test(altcha))
    throw failed(CHALLENGE_REASONS.malformed);
  let data: unknown;
  try {
    data = JSON.parse(Buffer.from(altcha, 'base64').toString('utf8'));
  } catch {
    throw failed(CHALLENGE_REASONS.malformed);
  }
  if (typeof data !== 'object' || data === null) throw failed(CHALLENGE_REASONS.malformed);
  const { algorithm, challenge, number, salt, signature } = data as Record<string, unknown>;
  if (
    algorithm !== 'SHA-256' ||
    typeof challenge !== 'string' ||
    !HEX64.test(challenge) ||
    typeof number !== 'number' ||
    !Number.isSafeInteger(number) ||
    number < 0 ||
    typeof salt !== 'string' ||
    salt.length > 512 ||
    typeof signature !== 'string' ||
    !HEX64.test(signature)
  )
    throw failed(CHALLENGE_REASONS.malformed);
  return { algorithm, challenge, number, salt, signature };
}

/**
 * Checks the `altcha` field of a form: base64 of `{ algorithm, challenge, number, salt, signature }`.
 * altcha-lib's verifySolution checks the signature (that we made the challenge) and the hash (that
 * the number solves it), with its own expiry check off; the expiry is then checked against `nowMs`.
 * Throws CHALLENGE_FAILED (400) with the reason when the field is missing, malformed, wrong or
 * expired. The id is the challenge hash: the same solution sent twice has the same id.
 */
export async function verifyPowSolution(hmacKey: HmacKey, altcha: unknown, nowMs: number): Promise<ChallengeSolved> {
  const key = altchaKey(hmacKey);
  const payload = parsePayload(altcha);
  const expires = extractParams(payload).expires;
  // Every challenge we make has an expiry; one without was not made here, or not for this use.
  if (expires === undefined || !/^\d{1,12}$/.test(expires)) throw failed(CHALLENGE_REASONS.malformed);
  if (!(await verifySolution(payload, key, false))) throw failed(CHALLENGE_REASONS.wrong);
  const expiresAtMs = Number(expires) * 1000;
  if (nowMs > expiresAtMs) throw failed(CHALLENGE_REASONS.expired);
  return { ok: true, id: `pow:${payload.challenge}`, expiresAtMs };
}

/**
 * What the widget does, by brute force: the `altcha` value for a challenge. For tests and for Node
 * clients of the public API. It hashes with node:crypto, synchronously (altcha-lib's solveChallenge
 * awaits WebCrypto once per number, about 30 times slower in Node); at the default work that is a
 * few tens of milliseconds of blocked event loop, fine for a client or a test.
 */
export function solvePowChallenge(challenge: PowChallenge): string {
  for (let number = 0; number <= challenge.maxnumber; number++) {
    if (createHash('sha256').update(`${challenge.salt}${number}`, 'utf8').digest('hex') !== challenge.challenge)
      continue;
    const payload: Payload = {
      algorithm: challenge.algorithm,
      challenge: challenge.challenge,
      number,
      salt: challenge.salt,
      signature: challenge.signature,
    };
    return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64');
  }
  throw new Error(`no number up to ${challenge.maxnumber} solves the challenge`);
}

export interface TextChallenge {
  /** The question, in Chinese, operands in words; it holds no digits, so never the answer. */
  readonly question: string;
  /** Goes back with the answer (a hidden field): expiry, nonce and an HMAC over them and the answer. */
  readonly token: string;
}

const NUMERALS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'] as const;

/** 1–20 in Chinese numerals: 七, 十, 十五, 二十. */
export function chineseNumeral(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 20) throw new RangeError(`no numeral for ${n} here`);
  if (n < 10) return NUMERALS[n] ?? '';
  if (n === 20) return '二十';
  return `十${n === 10 ? '' : (NUMERALS[n - 10] ?? '')}`;
}

/** Its own key, derived from the caller's, so a text token's HMAC is never an altcha signature. */
const textKey = (hmacKey: HmacKey) =>
  Buffer.from(hkdfSync('sha256', keyBytes(hmacKey), Buffer.alloc(0), 'gazette text challenge', 32));

const textMac = (key: Buffer, answer: number, expiresSec: number, nonce: string) =>
  createHmac('sha256', key).update(`t1\n${answer}\n${expiresSec}\n${nonce}`, 'utf8').digest();

/**
 * A question a person, and a screen reader user, can answer without JavaScript: a sum of two of
 * 1–9, or one of 10–20 minus one of 1–9 (answers 1–19), e.g. 请计算：七加五等于多少？. The token
 * is `t1.<expires, unix seconds>.<nonce>.<HMAC>`; the answer is not in it, only under the HMAC.
 */
export function createTextChallenge(
  hmacKey: HmacKey,
  nowMs: number,
  opts: { readonly ttlMs?: number } = {},
): TextChallenge {
  const key = textKey(hmacKey);
  let a: number;
  let b: number;
  let answer: number;
  let op: string;
  if (randomInt(2) === 0) {
    a = randomInt(1, 10);
    b = randomInt(1, 10);
    answer = a + b;
    op = '加';
  } else {
    a = randomInt(10, 21);
    b = randomInt(1, 10);
    answer = a - b;
    op = '减';
  }
  const expiresSec = Math.floor((nowMs + ttlOf(opts.ttlMs)) / 1000);
  const nonce = randomBytes(12).toString('base64url');
  const mac = textMac(key, answer, expiresSec, nonce).toString('base64url');
  return {
    question: `请计算：${chineseNumeral(a)}${op}${chineseNumeral(b)}等于多少？（请填写阿拉伯数字）`,
    token: `t1.${expiresSec}.${nonce}.${mac}`,
  };
}

const TEXT_TOKEN = /^t1\.(\d{1,12})\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{43})$/;

/**
 * Checks the answer to a text question. The answer may have full-width digits (１２) and spaces
 * around it. Throws CHALLENGE_FAILED when the token is missing or malformed, when it has expired,
 * when the answer is not a number, and when it is wrong, which includes a token altered in any
 * way (the HMAC then fails for every answer). The id names the question: a caller refuses a second
 * use by recording it; it should also limit attempts, as there are only 19 possible answers.
 */
export function verifyTextAnswer(hmacKey: HmacKey, token: unknown, answer: unknown, nowMs: number): ChallengeSolved {
  const key = textKey(hmacKey);
  if (token === undefined || token === null || token === '') throw failed(CHALLENGE_REASONS.missing);
  const parts = typeof token === 'string' ? TEXT_TOKEN.exec(token) : null;
  if (!parts) throw failed(CHALLENGE_REASONS.malformed);
  const [, expiresText = '', nonce = '', macText = ''] = parts;
  const expiresSec = Number(expiresText);
  const expiresAtMs = expiresSec * 1000;
  if (nowMs > expiresAtMs) throw failed(CHALLENGE_REASONS.expired);
  const text = typeof answer === 'string' ? answer.normalize('NFKC').trim() : '';
  if (!/^\d{1,3}$/.test(text)) throw failed(CHALLENGE_REASONS.notDigits);
  const expected = textMac(key, Number(text), expiresSec, nonce);
  const given = Buffer.from(macText, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    throw failed(CHALLENGE_REASONS.wrongAnswer);
  return { ok: true, id: `text:${nonce}`, expiresAtMs };
}

/**
 * The honeypot: a field hidden from people (and from screen readers, with aria-hidden and
 * tabindex=-1) that bots fill in. Filled means anything but absent or the empty string; a repeated
 * field counts as filled when any of its values is.
 */
export function isHoneypotFilled(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return false;
  if (Array.isArray(value)) return value.some((item) => isHoneypotFilled(item));
  return true;
}
