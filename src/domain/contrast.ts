// WCAG 2.1 contrast (success criterion 1.4.3, level AA) of the colours a site's look sets: the
// theme puts white text on both, so each must keep 4.5:1 against white. Plain arithmetic, no I/O:
// the back office measures with the same functions as the service that refuses.
import type { SiteLook } from './look.js';

/** AA for normal text (WCAG 2.1 SC 1.4.3). */
export const AA_CONTRAST = 4.5;

/** `#rrggbb`, the only form a look's colours take. */
export const HEX_COLOUR = /^#[0-9a-fA-F]{6}$/;

/** One sRGB channel (0–255) as linear light, as WCAG 2.1 defines relative luminance. */
function linear(channel: number): number {
  const c = channel / 255;
  return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

/** The relative luminance of `#rrggbb` (0 for black, 1 for white); NaN for anything else. */
export function relativeLuminance(colour: string): number {
  if (!HEX_COLOUR.test(colour)) return Number.NaN;
  const value = Number.parseInt(colour.slice(1), 16);
  return 0.2126 * linear(value >> 16) + 0.7152 * linear((value >> 8) & 0xff) + 0.0722 * linear(value & 0xff);
}

/** The contrast ratio of two `#rrggbb` colours, from 1 to 21, in either order. */
export function contrastRatio(a: string, b: string): number {
  const [lighter, darker] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x);
  return ((lighter ?? Number.NaN) + 0.05) / ((darker ?? Number.NaN) + 0.05);
}

/**
 * A ratio as it is shown and judged: rounded down to two decimals, so that 4.499 reads 4.49 and
 * fails, never 4.50 that passes. (The small epsilon undoes binary fractions: 4.5 stays 4.5.)
 */
export function shownRatio(ratio: number): number {
  return Math.floor(ratio * 100 + 1e-9) / 100;
}

export type LookColour = 'mainColour' | 'accentColour';

/** Where the theme puts white text on each colour, for the message that refuses it. */
export const COLOUR_USES: Readonly<
  Record<LookColour, { name: { zh: string; en: string }; use: { zh: string; en: string } }>
> = {
  mainColour: {
    name: { zh: '主色', en: 'The main colour' },
    use: { zh: '页头、按钮和当前页码', en: 'the masthead, buttons and the current page number' },
  },
  accentColour: {
    name: { zh: '辅色', en: 'The accent colour' },
    use: { zh: '导航栏、栏目标题和页脚色条', en: 'the navigation bar, column headings and the footer bar' },
  },
};

/** A colour of the look that white text cannot be read on, and by how much. */
export interface ContrastFailure {
  readonly field: LookColour;
  readonly colour: string;
  /** Against white, rounded down to two decimals. */
  readonly ratio: number;
}

/** The look's colours below AA with white text on them (main colour first); empty when both pass. */
export function checkLookContrast(look: Pick<SiteLook, LookColour>): ContrastFailure[] {
  const failures: ContrastFailure[] = [];
  for (const field of ['mainColour', 'accentColour'] as const) {
    const colour = look[field];
    const ratio = shownRatio(contrastRatio(colour, '#ffffff'));
    if (!(ratio >= AA_CONTRAST)) failures.push({ field, colour, ratio });
  }
  return failures;
}
