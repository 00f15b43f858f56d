// The theme: Liquid templates and static assets. Site staff may edit templates safely (Liquid
// cannot run code), and every output is HTML-escaped unless a template says `| raw`.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Liquid } from 'liquidjs';
import { compiledThemeEngine, themeEngine } from './engine.js';
import { registerRenderCached } from './render-cached.js';
import { SiteEngines } from './overrides.js';

export { registerRenderCached };
export { themeEngine, compiledThemeEngine, SANDBOX_LIMITS } from './engine.js';
export { themeFiles, isTemplateNameForm, TEMPLATE_NAME_PATTERN, type ThemeFiles } from './files.js';
export { draftTheme } from './overrides.js';
export { isTemplateFailure, type TemplatePlace } from './failure.js';
export { templateClosure, templatesUsing, templateUses, type TemplateReference } from './graph.js';
export {
  validateTemplate,
  pageTemplates,
  trialPages,
  MAX_TEMPLATE_CHARS,
  type ValidateOptions,
  type TrialPage,
} from './validate.js';
export { inlineScriptHashes, publicContentSecurityPolicy } from './csp.js';

export const DEFAULT_THEME_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'default');

export type TemplateName =
  | 'home'
  | 'channel'
  | 'page'
  | 'article'
  | 'error'
  | 'search'
  | 'disclosure-catalogue'
  | 'letters'
  | 'letter'
  | 'letter-form'
  | 'letter-follow'
  | 'info-request-form'
  | 'info-request-follow'
  | 'letter-stats'
  | 'surveys'
  | 'survey'
  | 'survey-thanks'
  | 'consultations'
  | 'consultation'
  | 'consultation-received'
  | 'library'
  | 'site-map';

/**
 * A site's own versions of templates of the default theme, by template name (`article`,
 * `blocks/headline`); `key` names this set of sources (a hash), so that engines can be kept per set.
 */
export interface TemplateOverrides {
  readonly key: string;
  readonly sources: Readonly<Record<string, string>>;
}

export interface Theme {
  /** The folder the theme was loaded from (render workers load their own copy from it). */
  readonly dir: string;
  readonly assetsDir: string;
  /**
   * Renders a page. Synchronous: every template is a file read once, and Liquid's asynchronous
   * mode costs half as much again per page in promises for nothing. With a site's `overrides`,
   * its templates come first, sandboxed (see engine.ts); a failure of theirs is
   * THEME_TEMPLATE_ERROR naming the template and line (the publisher then keeps the page it has).
   */
  render(template: TemplateName, model: object, overrides?: TemplateOverrides): string;
}

export function loadTheme(dir: string = DEFAULT_THEME_DIR): Theme {
  const { engine: compiled } = compiledThemeEngine(dir);
  // LiquidJS itself, made when first needed: a compiled render that throws is done again here,
  // for LiquidJS's error (which gives the line and column), or its page.
  let interpreted: Liquid | null = null;
  // Sites with templates of their own: an engine per set, made when first needed.
  const sites = new SiteEngines(dir);
  return {
    dir,
    assetsDir: path.join(dir, 'assets'),
    render(template, model, overrides) {
      if (overrides && Object.keys(overrides.sources).length > 0)
        return sites.render(template, model, overrides.key, overrides.sources);
      try {
        return compiled.renderFileSync(template, model) as string;
      } catch {
        interpreted ??= themeEngine(dir);
        return interpreted.renderFileSync(template, model) as string;
      }
    },
  };
}
