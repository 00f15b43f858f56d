import { DEFAULT_ACCENT_COLOUR, DEFAULT_MAIN_COLOUR } from '../domain/index.js';
import type { SiteView } from './pages.js';

const COLOUR = /^#[0-9a-f]{6}$/i;

/**
 * `/look.css`: the site's colours as the custom properties site.css paints with. Published like
 * robots.txt, so a change of colour renders this one file and no page. A colour that is not
 * `#rrggbb` (the look is validated on save; this guards the stylesheet itself) is the default.
 */
export function lookStylesheet(view: SiteView): string {
  const colour = (value: string | undefined, fallback: string) =>
    value !== undefined && COLOUR.test(value) ? value.toLowerCase() : fallback;
  const main = colour(view.look?.mainColour, DEFAULT_MAIN_COLOUR);
  const accent = colour(view.look?.accentColour, DEFAULT_ACCENT_COLOUR);
  return `:root{--main:${main};--accent:${accent}}\n`;
}
