import type { LetterStatus } from './letters.js';

/**
 * The 12345 city hotline link of the letter desk: each case event of a letter goes out to the
 * hotline as a signed webhook, and the hotline calls back with a status note, a reply given on
 * the unit's behalf, or the writer's rating taken by phone. These are the rules; the outbox, the
 * signatures and HTTP sit around them.
 */

/** What the hotline is told happened to a letter (the `type` of each webhook). */
export type HotlineEventType =
  | 'received'
  | 'accepted'
  | 'rejected'
  | 'merged'
  | 'assigned'
  | 'returned'
  | 'recalled'
  | 'answered'
  | 'published'
  | 'unpublished'
  | 'rated'
  | 'reopened';

export const HOTLINE_EVENT_TYPES: readonly HotlineEventType[] = [
  'received',
  'accepted',
  'rejected',
  'merged',
  'assigned',
  'returned',
  'recalled',
  'answered',
  'published',
  'unpublished',
  'rated',
  'reopened',
];

/** The steps a callback adds: the hotline's reply, and its note on the case. */
export const HOTLINE_REPLY_STEP = 'hotline-reply';
export const HOTLINE_NOTE_STEP = 'hotline-note';
/** Who the steps and the audit name for what came in from the hotline. */
export const HOTLINE_ACTOR = '12345';

const BY_STEP: Readonly<Record<string, HotlineEventType>> = {
  submit: 'received',
  accept: 'accepted',
  reject: 'rejected',
  merge: 'merged',
  assign: 'assigned',
  return: 'returned',
  recall: 'recalled',
  publish: 'published',
  unpublish: 'unpublished',
  rate: 'rated',
  reopen: 'reopened',
};

/**
 * The event a step of a letter is for the hotline, or null for the unit's internal review (a
 * reply sent for review, one level approved, a reply sent back) and for notes: the hotline hears
 * of a reply when it reaches the writer (`answered`), whoever gave it.
 */
export function hotlineEventOf(step: string, toStatus: LetterStatus): HotlineEventType | null {
  if (step === 'reply' || step === 'approve' || step === HOTLINE_REPLY_STEP)
    return toStatus === 'answered' ? 'answered' : null;
  return BY_STEP[step] ?? null;
}

/**
 * Statuses from which the hotline may answer a letter: accepted and not answered yet (with the
 * office, with a unit, or with the unit's reply still in review, which the hotline's answer
 * replaces). A letter not yet screened, or already answered, refuses it.
 */
export const HOTLINE_REPLY_FROM: readonly LetterStatus[] = ['accepted', 'assigned', 'reviewing'];

/** How far a callback's timestamp may be from the server's clock, either way. */
export const HOTLINE_CLOCK_SKEW_MS = 5 * 60_000;

/**
 * How long after each failed delivery the next attempt waits: 1 min, 5 min, 30 min, 2 h. A
 * delivery that fails once more after the last wait is given up (`failed`).
 */
export const HOTLINE_RETRY_DELAYS_MS: readonly number[] = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000];
/** Attempts before a delivery is given up: the first, then one after each wait. */
export const HOTLINE_MAX_ATTEMPTS = HOTLINE_RETRY_DELAYS_MS.length + 1;

/** When the attempt after `attempts` failed ones is due, or null when the delivery is given up. */
export function nextHotlineAttempt(attempts: number, failedAt: Date): Date | null {
  const wait = HOTLINE_RETRY_DELAYS_MS[attempts - 1];
  return attempts >= HOTLINE_MAX_ATTEMPTS || wait === undefined ? null : new Date(failedAt.getTime() + wait);
}

/** What is wrong with a hotline address, or null: http(s), a host, no user name or password in it. */
export function hotlineUrlProblem(url: string): { zh: string; en: string } | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { zh: '不是有效的网址', en: 'not a URL' };
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    return { zh: '应以 https:// 或 http:// 开头', en: 'needs https:// or http://' };
  if (parsed.username !== '' || parsed.password !== '')
    return { zh: '网址中不能含用户名或密码', en: 'no user name or password in the URL' };
  if (parsed.hash !== '') return { zh: '网址中不能含 #', en: 'no # fragment' };
  return null;
}
