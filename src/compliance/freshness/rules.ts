import type { UpdateRule } from '../../domain/index.js';

export const DAY_MS = 86_400_000;

/** How long a column may stay silent, and when to warn before that (days). */
export interface RuleLimit {
  readonly limitDays: number;
  readonly warnDays: number;
}

/**
 * The limits of 国办秘函〔2019〕19号: 动态/要闻 columns 2 weeks, 通知公告 and 政策文件 6 months
 * (taken as 183 days: the longest half year). Warnings come early enough to act on: 4 days before
 * a dynamic column goes stale, a month before a notice or policy column does.
 */
export const RULE_LIMITS: Readonly<Record<Exclude<UpdateRule, 'none'>, RuleLimit>> = {
  dynamic: { limitDays: 14, warnDays: 10 },
  notice: { limitDays: 183, warnDays: 150 },
  policy: { limitDays: 183, warnDays: 150 },
};

/** The home page must show something new every 2 weeks (首页栏目信息超过2周未更新 is a veto). */
export const HOME_LIMIT: RuleLimit = { limitDays: 14, warnDays: 10 };

/**
 * 长期未更新: the indicators give no number of days. Gazette counts a column that must be updated
 * (any rule but none) and has been silent for more than a year as long stale, the reading most
 * provincial 检查 rules use.
 */
export const LONG_STALE_DAYS = 365;

export function limitOf(rule: UpdateRule): RuleLimit | null {
  return rule === 'none' ? null : RULE_LIMITS[rule];
}
