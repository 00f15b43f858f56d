import { MIN_STRENGTH, passwordStrength } from './password-strength.js';

/**
 * Password rules (等保 2.0: complexity and length): at least 10 characters from at least three
 * of lowercase, uppercase, digits and symbols, not containing the user name, and not easy to
 * guess (ASVS 2.1.7: not a breached or common password, nor one built from the account's and the
 * site's own words, by zxcvbn's estimate).
 */
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 128;

export type PasswordProblem = 'too-short' | 'too-long' | 'too-simple' | 'contains-username' | 'too-guessable';

/** `context`: words of the site (its name, its domain) a guesser would try with the user name. */
export function passwordProblem(
  password: string,
  username: string,
  context: readonly string[] = [],
): PasswordProblem | null {
  const length = Array.from(password).length;
  if (length < PASSWORD_MIN_LENGTH) return 'too-short';
  if (length > PASSWORD_MAX_LENGTH) return 'too-long';
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  if (classes < 3) return 'too-simple';
  if (username.length >= 3 && password.toLowerCase().includes(username.toLowerCase())) return 'contains-username';
  if (passwordStrength(password, [username, ...context]).score < MIN_STRENGTH) return 'too-guessable';
  return null;
}

export const PASSWORD_PROBLEM_TEXT: Readonly<Record<PasswordProblem, { zh: string; en: string }>> = {
  'too-short': { zh: `至少 ${PASSWORD_MIN_LENGTH} 个字符`, en: `at least ${PASSWORD_MIN_LENGTH} characters` },
  'too-long': { zh: `最多 ${PASSWORD_MAX_LENGTH} 个字符`, en: `at most ${PASSWORD_MAX_LENGTH} characters` },
  'too-simple': {
    zh: '须包含小写字母、大写字母、数字、符号中的至少三类',
    en: 'use three of: lowercase, uppercase, digits, symbols',
  },
  'contains-username': { zh: '不能包含用户名', en: 'must not contain the user name' },
  'too-guessable': {
    zh: '过于常见或容易猜到（如常用密码、拼音、单词加年份或键盘顺序），请换一个更长、更少见的',
    en: 'too common or easy to guess (a common password, a word plus a year, a keyboard run); choose a longer, rarer one',
  },
};
