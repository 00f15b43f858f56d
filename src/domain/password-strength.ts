import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';

/**
 * How hard a password is to guess (ASVS 2.1.7, 2.1.8): zxcvbn's estimate over its list of about
 * 40,000 passwords found in breaches, plus the bases Chinese passwords are most often built on
 * (zxcvbn's lists are English: "Woaini1314!" or "Zhengfu@2024" pass every character-class rule
 * and score well without these). The server refuses below MIN_STRENGTH; the back office shows
 * the same estimate as a meter while the password is typed.
 */
export const MIN_STRENGTH = 3;

export type StrengthScore = 0 | 1 | 2 | 3 | 4;

export interface PasswordStrength {
  /** 0 (guessed at once) … 4 (very hard): zxcvbn's scale. */
  readonly score: StrengthScore;
  /** log10 of the estimated guesses. */
  readonly guessesLog10: number;
  /** Why it is weak, when zxcvbn can say: a key of PASSWORD_STRENGTH_WARNINGS. */
  readonly warning: string | null;
}

/** Roots of common Chinese passwords (pinyin, love numbers) and of the words a government site's users reach for. */
const CHINESE_BASES = [
  'woaini',
  'aini',
  'woaiwojia',
  '5201314',
  '1314520',
  '1314',
  '520',
  'iloveyou',
  'admin',
  'administrator',
  'root',
  'qwe',
  'abc',
  'zhangsan',
  'lisi',
  'wangwu',
  'zhangwei',
  'wangwei',
  'wangfang',
  'liwei',
  'lina',
  'zhangmin',
  'zhengfu',
  'zhengwu',
  'renmin',
  'zhongguo',
  'china',
  'beijing',
  'shanghai',
  'gov',
  'xxgk',
  'zwgk',
  'bangong',
  'bangongshi',
  'gongwen',
  'gazette',
  'test',
  'guest',
  'manager',
  'system',
];

let factory: ZxcvbnFactory | null = null;

// Built on first use: the dictionaries take ~50 ms to rank, which no caller should pay at import.
function estimator(): ZxcvbnFactory {
  factory ??= new ZxcvbnFactory({
    dictionary: { ...dictionary, chineseBases: CHINESE_BASES },
    graphs: adjacencyGraphs,
  });
  return factory;
}

/** The estimate for a password; `context` holds words of this account and site (user name, site name, domain). */
export function passwordStrength(password: string, context: readonly string[] = []): PasswordStrength {
  const result = estimator().check(
    password,
    context.filter((word) => word.length > 0),
  );
  return {
    score: result.score,
    guessesLog10: result.guessesLog10,
    warning: result.feedback.warning ?? null,
  };
}
