import { isCalendarDay } from './calendar.js';
import { caseFieldInvalid, isPhoneNumber, textLength } from './letters.js';

/**
 * 网上调查 (online surveys): a survey's questions (single choice, multiple choice, free text),
 * the period it is open in (whole local days of the site's time zone), the rule that lets each
 * phone or each address answer once, the check of an answer against the questions, and the
 * tally of the answers. Rules only, no I/O.
 */

/** The public pages' folder: the list, a page per survey (/wsdc/12). */
export const SURVEYS_PATH = '/wsdc/';

export type SurveyStatus = 'draft' | 'published' | 'withdrawn';
export const SURVEY_STATUSES: readonly SurveyStatus[] = ['draft', 'published', 'withdrawn'];
/** What a reader sees: a published survey is upcoming, open or closed by the clock. */
export type SurveyPhase = 'draft' | 'upcoming' | 'open' | 'closed' | 'withdrawn';
export const SURVEY_PHASE_NAMES: Readonly<Record<SurveyPhase, { zh: string; en: string }>> = {
  draft: { zh: '草稿', en: 'Draft' },
  upcoming: { zh: '未开始', en: 'Upcoming' },
  open: { zh: '进行中', en: 'Open' },
  closed: { zh: '已结束', en: 'Closed' },
  withdrawn: { zh: '已撤回', en: 'Withdrawn' },
};

/** Who may answer once: each phone number (asked on the form) or each client address. */
export type RespondentRule = 'phone' | 'address';
export const RESPONDENT_RULES: readonly RespondentRule[] = ['phone', 'address'];

export type QuestionKind = 'single' | 'multiple' | 'text';
export const QUESTION_KINDS: readonly QuestionKind[] = ['single', 'multiple', 'text'];
export const QUESTION_KIND_NAMES: Readonly<Record<QuestionKind, { zh: string; en: string }>> = {
  single: { zh: '单选', en: 'Single choice' },
  multiple: { zh: '多选', en: 'Multiple choice' },
  text: { zh: '文字', en: 'Free text' },
};

export const SURVEY_LIMITS = {
  titleMax: 100,
  questionsMax: 50,
  questionTitleMax: 200,
  optionsMin: 2,
  optionsMax: 20,
  optionMax: 100,
  textAnswerMax: 500,
} as const;

/** A question as the office writes it; its options are numbered from 1 in their order. */
export interface QuestionInput {
  readonly kind: QuestionKind;
  readonly title: string;
  readonly required: boolean;
  readonly options?: readonly string[] | undefined;
  readonly minPicks?: number | null | undefined;
  readonly maxPicks?: number | null | undefined;
}

export interface SurveyQuestion {
  readonly id: number;
  readonly kind: QuestionKind;
  readonly title: string;
  readonly required: boolean;
  readonly options: readonly string[];
  readonly minPicks: number | null;
  readonly maxPicks: number | null;
}

export interface SurveyPeriodInput {
  readonly title: string;
  readonly startDay: string;
  readonly endDay: string;
  readonly respondentRule: string;
}

const invalid = (field: string, zh: string, en: string, label: string) => caseFieldInvalid(field, zh, en, label);

/** The survey's own fields, the first problem a 400 naming its field. */
export function checkSurveyFields(input: SurveyPeriodInput): void {
  const title = input.title.trim();
  if (title === '') throw invalid('title', '请填写调查标题', 'the title is required', '调查标题');
  if (textLength(title) > SURVEY_LIMITS.titleMax)
    throw invalid('title', `最多 ${SURVEY_LIMITS.titleMax} 个字`, 'too long', '调查标题');
  if (!isCalendarDay(input.startDay))
    throw invalid('startDay', '请填写开始日期（YYYY-MM-DD）', 'not a day', '开始日期');
  if (!isCalendarDay(input.endDay)) throw invalid('endDay', '请填写结束日期（YYYY-MM-DD）', 'not a day', '结束日期');
  if (input.endDay < input.startDay)
    throw invalid('endDay', '结束日期不能早于开始日期', 'the end is before the start', '结束日期');
  if (!(RESPONDENT_RULES as readonly string[]).includes(input.respondentRule))
    throw invalid('respondentRule', '请选择“每个手机号”或“每个IP地址”', 'phone or address', '答卷限制');
}

/** The questions as the office wrote them, checked and trimmed; the first problem is a 400 naming it. */
export function checkQuestions(questions: readonly QuestionInput[]): QuestionInput[] {
  if (questions.length === 0) throw invalid('questions', '至少设置一道题目', 'add a question', '题目');
  if (questions.length > SURVEY_LIMITS.questionsMax)
    throw invalid('questions', `最多 ${SURVEY_LIMITS.questionsMax} 道题目`, 'too many questions', '题目');
  return questions.map((q, index) => {
    const field = `questions[${index}]`;
    const label = `第 ${index + 1} 题`;
    if (!(QUESTION_KINDS as readonly string[]).includes(q.kind))
      throw invalid(`${field}.kind`, '题型无效', 'unknown kind', label);
    const title = q.title.trim();
    if (title === '' || textLength(title) > SURVEY_LIMITS.questionTitleMax)
      throw invalid(`${field}.title`, `请填写题目（最多 ${SURVEY_LIMITS.questionTitleMax} 个字）`, 'title', label);
    if (q.kind === 'text')
      return { kind: q.kind, title, required: q.required, options: [], minPicks: null, maxPicks: null };
    const options = (q.options ?? []).map((o) => o.trim());
    if (options.length < SURVEY_LIMITS.optionsMin || options.length > SURVEY_LIMITS.optionsMax)
      throw invalid(`${field}.options`, `选项须为 2 至 ${SURVEY_LIMITS.optionsMax} 个`, 'options', label);
    if (options.some((o) => o === '' || textLength(o) > SURVEY_LIMITS.optionMax))
      throw invalid(`${field}.options`, `选项不能为空，最多 ${SURVEY_LIMITS.optionMax} 个字`, 'option', label);
    if (new Set(options).size !== options.length)
      throw invalid(`${field}.options`, '选项不能重复', 'options repeat', label);
    if (q.kind === 'single')
      return { kind: q.kind, title, required: q.required, options, minPicks: null, maxPicks: null };
    const minPicks = q.minPicks ?? null;
    const maxPicks = q.maxPicks ?? null;
    const bad = (n: number | null) => n !== null && (!Number.isInteger(n) || n < 1 || n > options.length);
    if (bad(minPicks) || bad(maxPicks) || (minPicks !== null && maxPicks !== null && minPicks > maxPicks))
      throw invalid(`${field}.minPicks`, '最少、最多选择项数须在 1 至选项数之间', 'picks out of range', label);
    return { kind: q.kind, title, required: q.required, options, minPicks, maxPicks };
  });
}

/** Where a survey stands on a day (the site's local day): only a published one opens and closes. */
export function surveyPhase(
  survey: { readonly status: SurveyStatus; readonly startDay: string; readonly endDay: string },
  today: string,
): SurveyPhase {
  if (survey.status !== 'published') return survey.status;
  if (today < survey.startDay) return 'upcoming';
  return today > survey.endDay ? 'closed' : 'open';
}

/** One question's answer as sent: the chosen options (numbered from 1) or the text. */
export interface AnswerInput {
  readonly questionId: number;
  readonly choices?: readonly number[] | undefined;
  readonly text?: string | undefined;
}

/** An answer as kept: one row per chosen option, one for a text. */
export interface AnswerItem {
  readonly questionId: number;
  readonly choice: number | null;
  readonly text: string | null;
}

/**
 * The answers checked against the questions in their order: an unknown question, a choice that
 * is not an option, too few or too many picks, a missing required answer or a text over 500
 * characters is a 400 naming the question (field `q<id>`, label 第 n 题).
 */
export function checkAnswers(questions: readonly SurveyQuestion[], answers: readonly AnswerInput[]): AnswerItem[] {
  const byQuestion = new Map<number, AnswerInput>();
  for (const answer of answers) {
    if (!questions.some((q) => q.id === answer.questionId))
      throw invalid('answers', `没有编号为 ${answer.questionId} 的题目`, 'unknown question', '答卷');
    byQuestion.set(answer.questionId, answer);
  }
  const items: AnswerItem[] = [];
  questions.forEach((q, index) => {
    const field = `q${q.id}`;
    const label = `第 ${index + 1} 题“${q.title}”`;
    const answer = byQuestion.get(q.id);
    if (q.kind === 'text') {
      const text = answer?.text?.trim() ?? '';
      if (text === '' && q.required) throw invalid(field, '此题为必答题', 'an answer is required', label);
      if (textLength(text) > SURVEY_LIMITS.textAnswerMax)
        throw invalid(
          field,
          `最多 ${SURVEY_LIMITS.textAnswerMax} 个字（现为 ${textLength(text)} 个字）`,
          'too long',
          label,
        );
      if (text !== '') items.push({ questionId: q.id, choice: null, text });
      return;
    }
    const choices = [...new Set(answer?.choices ?? [])];
    if (choices.some((c) => !Number.isInteger(c) || c < 1 || c > q.options.length))
      throw invalid(field, '所选选项不存在', 'not an option', label);
    if (choices.length === 0) {
      if (q.required) throw invalid(field, q.kind === 'single' ? '请选择一项' : '请至少选择一项', 'required', label);
      return;
    }
    if (q.kind === 'single' && choices.length > 1) throw invalid(field, '只能选择一项', 'one choice only', label);
    if (q.kind === 'multiple' && q.minPicks !== null && choices.length < q.minPicks)
      throw invalid(field, `至少选择 ${q.minPicks} 项`, 'too few picks', label);
    if (q.kind === 'multiple' && q.maxPicks !== null && choices.length > q.maxPicks)
      throw invalid(field, `最多选择 ${q.maxPicks} 项`, 'too many picks', label);
    for (const choice of choices.sort((a, b) => a - b)) items.push({ questionId: q.id, choice, text: null });
  });
  return items;
}

/** The phone asked on the form of a survey that counts phones. */
export function checkRespondentPhone(phone: string | undefined): string {
  const text = phone?.trim() ?? '';
  if (text === '') throw invalid('phone', '请填写手机号码（每个号码限答一次）', 'the phone is required', '手机号码');
  if (!isPhoneNumber(text)) throw invalid('phone', '手机号码格式不正确', 'not a phone number', '手机号码');
  return text;
}

export interface OptionTally {
  readonly option: number;
  readonly label: string;
  readonly count: number;
  /** count / the question's respondents, to 4 decimals (for a single choice, its share of the answers). */
  readonly share: number;
}

export interface QuestionTally {
  readonly questionId: number;
  readonly kind: QuestionKind;
  readonly title: string;
  /** The respondents who answered this question. */
  readonly answered: number;
  readonly options: readonly OptionTally[];
  /** The free-text answers, oldest first (a text question). */
  readonly texts: readonly string[];
}

export interface SurveyTally {
  readonly respondents: number;
  readonly questions: readonly QuestionTally[];
}

const share = (count: number, of: number) => (of === 0 ? 0 : Math.round((count / of) * 10000) / 10000);

/**
 * The results: for each choice question the count of each option and its share of the
 * question's respondents (a single choice: of its answers; a multiple choice: of the
 * respondents, so the shares may add up past 100%); for a text question the texts.
 */
export function tallySurvey(
  questions: readonly SurveyQuestion[],
  responses: readonly { readonly items: readonly AnswerItem[] }[],
): SurveyTally {
  return {
    respondents: responses.length,
    questions: questions.map((q) => {
      const answered = responses.filter((r) => r.items.some((i) => i.questionId === q.id)).length;
      const counts = q.options.map(
        (_, index) =>
          responses.filter((r) => r.items.some((i) => i.questionId === q.id && i.choice === index + 1)).length,
      );
      return {
        questionId: q.id,
        kind: q.kind,
        title: q.title,
        answered,
        options: q.options.map((label, index) => ({
          option: index + 1,
          label,
          count: counts[index] ?? 0,
          share: share(counts[index] ?? 0, answered),
        })),
        texts: responses.flatMap((r) =>
          r.items.filter((i) => i.questionId === q.id && i.text !== null).map((i) => i.text ?? ''),
        ),
      };
    }),
  };
}

/** A share as people read it: 66.7%. */
export function sharePercent(value: number): string {
  return `${(value * 100).toFixed(1)}%`;
}

/** The tallies as CSV (UTF-8 with BOM for spreadsheet programs): 题号, 题目, 选项, 人数, 比例. */
export function tallyCsv(tally: SurveyTally): string {
  const cell = (value: string | number) => {
    const text = String(value);
    return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  const rows: (string | number)[][] = [['题号', '题目', '题型', '选项', '人数', '比例']];
  tally.questions.forEach((q, index) => {
    if (q.kind === 'text')
      rows.push([index + 1, q.title, QUESTION_KIND_NAMES[q.kind].zh, '（文字答案）', q.answered, '']);
    for (const o of q.options)
      rows.push([index + 1, q.title, QUESTION_KIND_NAMES[q.kind].zh, o.label, o.count, sharePercent(o.share)]);
  });
  rows.push(['', '答卷总数', '', '', tally.respondents, '']);
  return `\ufeff${rows.map((row) => row.map(cell).join(',')).join('\r\n')}\r\n`;
}
