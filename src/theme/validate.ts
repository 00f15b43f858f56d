import { GazetteError } from '../domain/index.js';
import { SANDBOX_LIMITS } from './engine.js';
import { templateError, templateFailure } from './failure.js';
import { themeFiles, type ThemeFiles } from './files.js';
import { templateClosure, templateUses, templatesUsing } from './graph.js';
import { renderWith, siteEngine } from './overrides.js';
import type { Theme } from './index.js';

/** A page to render with a draft: a page template and its model. */
export interface TrialPage {
  readonly template: string;
  readonly model: object;
}

export interface ValidateOptions {
  /** The site's other templates of its own: the draft is checked among them. */
  readonly others?: Readonly<Record<string, string>>;
  /**
   * Pages rendered with the draft (the site's real pages); a failure refuses it. Without them,
   * each page template that uses the draft (see trialPages) is rendered with an empty model.
   */
  readonly pages?: readonly TrialPage[];
}

/**
 * Checks a site's version of a template before it is saved, and throws the first problem as
 * THEME_TEMPLATE_ERROR with the template's name and line: a name the default theme does not
 * have (THEME_TEMPLATE_UNKNOWN), text LiquidJS cannot parse, an unknown filter or tag, a
 * template it brings in that does not exist, and a trial render that fails or runs past the
 * time limit.
 */
export function validateTemplate(
  name: string,
  source: string,
  theme: Pick<Theme, 'dir'>,
  options: ValidateOptions = {},
): void {
  const files = themeFiles(theme.dir);
  if (!files.has(name)) throw new GazetteError('THEME_TEMPLATE_UNKNOWN', { name });
  const sources = { ...options.others, [name]: source };
  const engine = siteEngine(theme.dir, sources);
  try {
    engine.parse(source, files.pathOf(name));
  } catch (error) {
    throw templateFailure(error, files, name);
  }
  for (const { name: used, token } of templateUses(source).references) {
    if (files.has(used)) continue;
    const [line = 1, column = 1] = token.getPosition();
    throw templateError({ name, line, column }, missing(used));
  }
  const pages = options.pages ?? trialPages(theme, name, sources).map((template) => ({ template, model: {} }));
  for (const page of pages) renderWith(engine, files, page.template, page.model);
}

function missing(name: string) {
  return { zh: `引用的模板 "${name}" 不存在`, en: `the template "${name}" it includes does not exist` };
}

/** The largest template a site may save, in characters (LiquidJS's parse limit). */
export const MAX_TEMPLATE_CHARS = SANDBOX_LIMITS.parseLimit;

/**
 * The page templates of the theme: those no other template of the default theme names (a page
 * is rendered by name; a partial or layout is brought in by another template).
 */
export function pageTemplates(files: ThemeFiles): string[] {
  const named = new Set<string>();
  for (const name of files.names)
    for (const reference of templateUses(files.source(name) ?? '').references) named.add(reference.name);
  return files.names.filter((name) => !named.has(name));
}

/** The page templates that use a draft among the site's templates (or the draft itself, used by none): those a trial renders. */
export function trialPages(theme: Pick<Theme, 'dir'>, name: string, sources: Readonly<Record<string, string>>): string[] {
  const files = themeFiles(theme.dir);
  const pages = templatesUsing(templateClosure(files, sources), [name], pageTemplates(files));
  return pages.length > 0 ? pages : [name];
}
