import { LiquidError, type Token } from 'liquidjs';
import { GazetteError, type ErrorParam } from '../domain/index.js';
import type { ThemeFiles } from './files.js';
import { SANDBOX_LIMITS } from './engine.js';

/** Where in a template a problem is: its name, line and column (1-based). */
export interface TemplatePlace {
  readonly name: string;
  readonly line: number;
  readonly column: number;
}

/** A problem of a template as the catalogue says it: `article.liquid 第 12 行：未知的过滤器 "foo"`. */
export function templateError(place: TemplatePlace, reason: ErrorParam, cause?: unknown): GazetteError {
  const file = `${place.name}.liquid`;
  return new GazetteError(
    'THEME_TEMPLATE_ERROR',
    { file, name: place.name, line: place.line, column: place.column, reason },
    { file, line: place.line },
    cause,
  );
}

/** Whether an error is a template's failure (THEME_TEMPLATE_ERROR). */
export function isTemplateFailure(error: unknown): error is GazetteError {
  return error instanceof GazetteError && error.code === 'THEME_TEMPLATE_ERROR';
}

/** Whether the failure is one of the sandbox's bounds (time, memory), not a mistake in a template's text. */
export function isLimitFailure(error: GazetteError): boolean {
  return error.params.bound === 'reached';
}

/** LiquidJS's messages as Gazette words them, in both languages; the rest is LiquidJS's own text. */
const REASONS: readonly [RegExp, (m: RegExpExecArray) => Readonly<Record<'zh' | 'en', string>>][] = [
  [/^undefined filter: (.+)$/, (m) => ({ zh: `未知的过滤器 "${m[1]}"`, en: `unknown filter "${m[1]}"` })],
  [/^tag "(.+)" not found$/, (m) => ({ zh: `未知的标签 "${m[1]}"`, en: `unknown tag "${m[1]}"` })],
  [
    /Failed to lookup "([^"]*)"/,
    (m) => ({ zh: `引用的模板 "${m[1]}" 不存在`, en: `the template "${m[1]}" it includes does not exist` }),
  ],
  [
    /^template render limit exceeded$/,
    () => ({
      zh: `渲染超过 ${SANDBOX_LIMITS.renderLimit} 毫秒的时限（循环过多？）`,
      en: `the render took longer than its limit of ${SANDBOX_LIMITS.renderLimit} ms (a loop too long?)`,
    }),
  ],
  [
    /^memory alloc limit exceeded$/,
    () => ({ zh: '渲染占用的内存超过上限', en: 'the render used more memory than its limit' }),
  ],
  [
    /^parse length limit exceeded$/,
    () => ({
      zh: `模板超过 ${SANDBOX_LIMITS.parseLimit} 个字符的上限`,
      en: `the template is over the limit of ${SANDBOX_LIMITS.parseLimit} characters`,
    }),
  ],
];

const LIMITS = /limit exceeded$/;

function syntax(detail: string): Readonly<Record<'zh' | 'en', string>> {
  return { zh: `语法错误：${detail}`, en: `syntax error: ${detail}` };
}

/** LiquidJS's message without the place it appends (`, file:…, line:3, col:5`). */
function bareMessage(error: Error): string {
  const original = (error as { originalError?: unknown }).originalError;
  const message = original instanceof Error ? original.message : error.message;
  return message.replace(/(?:, file:.*?)?, line:\d+, col:\d+$/s, '');
}

/** The failure of a render or parse with a site's templates, as THEME_TEMPLATE_ERROR naming the template and line. */
export function templateFailure(error: unknown, files: ThemeFiles, fallbackName: string): GazetteError {
  if (isTemplateFailure(error)) return error;
  const token = LiquidError.is(error) ? (error as unknown as { token?: Token }).token : undefined;
  const [line = 1, column = 1] = token ? token.getPosition() : [];
  const name = (token?.file && files.nameOf(token.file)) ?? fallbackName;
  const message = error instanceof Error ? bareMessage(error) : String(error);
  const known = REASONS.map(([pattern, reason]) => {
    const m = pattern.exec(message);
    return m && reason(m);
  }).find((reason) => reason !== null);
  // What LiquidJS found reading the text (ParseError, TokenizationError) is a syntax error; the rest went wrong rendering.
  const parsing = LiquidError.is(error) && error.name !== 'RenderError';
  const reason = known ?? (parsing ? syntax(message) : rendering(message));
  const failure = templateError({ name, line, column }, reason, error);
  return LIMITS.test(message) ? withLimit(failure) : failure;
}

function rendering(detail: string): Readonly<Record<'zh' | 'en', string>> {
  return { zh: `渲染出错：${detail}`, en: `the render failed: ${detail}` };
}

/** The same failure marked as a bound reached (the engines stop trying a set of templates that keeps reaching one). */
function withLimit(failure: GazetteError): GazetteError {
  return new GazetteError(failure.code, { ...failure.params, bound: 'reached' }, failure.location, failure.cause);
}
