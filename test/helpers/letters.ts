import assert from 'node:assert/strict';
import { GazetteError } from '../../src/domain/index.js';
import {
  createPowChallenge,
  createTextChallenge,
  solvePowChallenge,
  type NewLetter,
  type ServiceContext,
} from '../../src/services/index.js';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/store/index.js';
import { TEST_KEYS } from './store.js';

/** A solved proof of work for a letter sent at `ctx`'s time (small, so tests solve it at once). */
export async function solvedPow(ctx: ServiceContext): Promise<string> {
  return solvePowChallenge(
    await createPowChallenge(TEST_KEYS.challenge, ctx.clock.now().getTime(), { maxNumber: 2000 }),
  );
}

/** The text question (no JavaScript) answered right. */
export function answeredQuestion(ctx: ServiceContext): { challengeToken: string; challengeAnswer: string } {
  const { question, token } = createTextChallenge(TEST_KEYS.challenge, ctx.clock.now().getTime());
  return { challengeToken: token, challengeAnswer: String(answerOf(question)) };
}

const NUMERALS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** 七, 十, 十五, 二十 as numbers. */
function numberOf(text: string): number {
  if (!text.includes('十')) return NUMERALS.indexOf(text);
  const [tens, ones] = text.split('十') as [string, string];
  return (tens === '' ? 1 : NUMERALS.indexOf(tens)) * 10 + (ones === '' ? 0 : NUMERALS.indexOf(ones));
}

/** Reads 七加五 / 十三减四 the way a person would. */
export function answerOf(question: string): number {
  const m = /([一二三四五六七八九十]+)(加|减)([一二三四五六七八九十]+)/.exec(question);
  assert.ok(m, `no sum in "${question}"`);
  const [a, b] = [numberOf(m[1] ?? ''), numberOf(m[3] ?? '')];
  return m[2] === '加' ? a + b : a - b;
}

/** A letter that passes the default desk (title 10–50 characters), without its challenge. */
export function letterInput(overrides: Partial<NewLetter> = {}): NewLetter {
  return {
    type: 'consult',
    title: '关于松陵镇中山路路灯不亮的咨询',
    body: '我住在吴江区松陵镇中山路88号，门口路灯已经坏了两周，晚上出行很不方便。我的电话是13812345678，请尽快修理。',
    name: '张三丰',
    phone: '13812345678',
    email: 'zhang@example.com',
    address: '江苏省苏州市吴江区松陵镇中山路88号',
    agreePublish: true,
    showName: false,
    ...overrides,
  };
}

/** Expects a GazetteError with this code (and this field, for CASE_FIELD_INVALID). */
export async function refusedWith(promise: Promise<unknown>, code: string, field?: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof GazetteError, `expected a GazetteError, got ${String(error)}`);
    assert.equal(error.code, code);
    if (field !== undefined) assert.equal(error.params.field, field);
    return true;
  });
}

/** The id of the letter a receipt names. */
export async function letterIdOf(db: Kysely<Database>, queryCode: string): Promise<number> {
  return (await db.selectFrom('letter').select('id').where('queryCode', '=', queryCode).executeTakeFirstOrThrow()).id;
}

/** How many letters the store holds (a refusal must leave it as it was). */
export async function letterCount(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('letter')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
