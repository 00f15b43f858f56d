import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { GazetteError, formatDate } from '../../domain/index.js';
import { rateLimits } from '../../store/index.js';
import { keysOf } from '../accounts/index.js';
import type { ServiceContext } from '../context.js';
import { isHoneypotFilled, verifyPowSolution, verifyTextAnswer, type ChallengeSolved } from './challenge.js';

/**
 * What every public case form shares (a letter, a disclosure request): the anti-abuse checks,
 * the rate limits kept in the store (so every instance counts together), and the query code and
 * password the public follows a case with.
 */

/** The anti-abuse fields of a public form: a proof of work or the text question, and the honeypot. */
export interface ChallengeFields {
  readonly altcha?: string | undefined;
  readonly challengeToken?: string | undefined;
  readonly challengeAnswer?: string | undefined;
  readonly website?: string | undefined;
}

/** The honeypot first, then the proof of work or the answer to the question (400 when wrong). */
export async function checkChallenge(
  ctx: ServiceContext,
  input: ChallengeFields,
  nowMs: number,
): Promise<ChallengeSolved> {
  const key = keysOf(ctx).challenge;
  if (isHoneypotFilled(input.website))
    throw new GazetteError('CHALLENGE_FAILED', { reason: { zh: '表单填写异常', en: 'a hidden field was filled' } });
  if (input.altcha) return verifyPowSolution(key, input.altcha, nowMs);
  if (input.challengeToken) return verifyTextAnswer(key, input.challengeToken, input.challengeAnswer ?? '', nowMs);
  throw new GazetteError('CHALLENGE_FAILED', {
    reason: { zh: '缺少人机验证，请完成验证后再提交', en: 'no proof-of-work or answer to the question was sent' },
  });
}

/** Counts a hit on a key in a window; over `max`, 429. */
export async function hitLimit(
  ctx: ServiceContext,
  key: string,
  max: number,
  windowMs: number,
  nowMs: number,
): Promise<void> {
  const { hits } = await rateLimits.hit(ctx.store.db, key, nowMs, windowMs);
  if (hits > max) throw new GazetteError('RATE_LIMITED');
}

// Query codes and passwords: no 0/O, 1/I/L, so that a code read out on the phone is typed right.
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const randomText = (length: number) =>
  Array.from({ length }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');

/** The day of receipt and six random characters: 20251009K7M2QX. */
export function newQueryCode(now: Date, timeZone: string): string {
  return `${formatDate(now, timeZone).replaceAll('-', '')}${randomText(6)}`;
}

/** The password as stored: keyed with the installation's pepper, so a copied store cannot test guesses. */
export function passwordHash(ctx: ServiceContext, password: string): string {
  return createHmac('sha256', keysOf(ctx).pepper).update(`letter:${password.trim().toUpperCase()}`).digest('hex');
}

/** Compared in constant time; a case that does not exist is compared against zeros, taking as long. */
export function passwordMatches(ctx: ServiceContext, password: string, stored: string | undefined): boolean {
  const given = Buffer.from(passwordHash(ctx, password), 'hex');
  const known = Buffer.from(stored ?? '0'.repeat(64), 'hex');
  return given.length === known.length && timingSafeEqual(given, known) && stored !== undefined;
}
