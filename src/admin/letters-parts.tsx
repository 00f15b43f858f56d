// Small pieces of the 互动交流 screens: the names of types, statuses and steps, the deadline and the flags.
import { t, type MessageKey } from './i18n';
import { Link } from './router';
import type { LetterFlags, LetterRow, LetterStatus, LetterType } from './types';
import { LETTER_STEPS } from './types';

export function letterTypeLabel(type: LetterType): string {
  return t(`letters.type.${type}`);
}

export function letterStatusLabel(status: LetterStatus): string {
  return t(`letters.status.${status}`);
}

const HISTORY_STEPS = new Set<string>([...LETTER_STEPS, 'submit', 'rate', 'reopen']);

/** A step's name; one the back office does not know is shown as the server named it. */
export function letterStepLabel(step: string, serverName = step): string {
  return HISTORY_STEPS.has(step) ? t(`letters.step.${step}` as MessageKey) : serverName;
}

export function ratingLabel(rating: number): string {
  return rating >= 1 && rating <= 5 ? t(`letters.rating.${rating}` as MessageKey) : String(rating);
}

/** The status, with the review level under way while the reply is reviewed. */
export function LetterStatusText({ letter }: { letter: LetterRow }) {
  const level = Math.min(letter.reviewLevel + 1, letter.reviewLevels);
  return (
    <>
      <span class={`badge letter-${letter.status}`}>{letterStatusLabel(letter.status)}</span>
      {letter.status === 'reviewing' && letter.reviewLevels > 0
        ? ` ${t('letters.reviewLevel', { level, levels: letter.reviewLevels })}`
        : ''}
    </>
  );
}

/** 2025-12-08（剩 5 个工作日）; a late letter says 超期 in words and carries a mark, not colour alone. */
export function DueText({ letter }: { letter: LetterRow }) {
  if (letter.dueDay === null) return <>—</>;
  const left = letter.remainingWorkingDays;
  if (left === null) return <>{letter.dueDay}</>;
  if (left < 0)
    return (
      <span class="due-late">
        <span aria-hidden="true">⚠ </span>
        {t('letters.withRemark', { day: letter.dueDay, rest: t('letters.late', { n: -left }) })}
      </span>
    );
  const rest = left === 0 ? t('letters.dueToday') : t('letters.remaining', { n: left });
  return (
    <span class={left <= 1 ? 'due-soon' : undefined}>{t('letters.withRemark', { day: letter.dueDay, rest })}</span>
  );
}

export function hasFlags(flags: LetterFlags): boolean {
  return flags.nearDuplicateOf !== null || flags.wording.length > 0;
}

/** 疑似重复 (a link to the earlier letter) and 敏感词, in words; nothing when the letter raised no flag. */
export function FlagList({ flags }: { flags: LetterFlags }) {
  if (!hasFlags(flags)) return null;
  const words = [...new Set(flags.wording.map((w) => w.word))];
  const earlier = flags.nearDuplicateOf;
  // The message's {letter} becomes the link, so each language keeps its own word order.
  const [before = '', after = ''] = t('letters.flag.duplicate', { letter: '\u0000' }).split('\u0000');
  return (
    <ul class="letter-flags">
      {earlier !== null ? (
        <li>
          {before}
          <Link to={`/letters/${earlier}`}>#{earlier}</Link>
          {after}
        </li>
      ) : null}
      {words.length > 0 ? <li>{t('letters.flag.wording', { words: words.join(t('common.listSeparator')) })}</li> : null}
    </ul>
  );
}
