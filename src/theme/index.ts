// The theme: Liquid templates and static assets. Site staff may edit templates safely (Liquid
// cannot run code), and every output is HTML-escaped unless a template says `| raw`.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Liquid, type Template } from 'liquidjs';
import { TemplateCompiler, canCompile } from './compile.js';
import { registerRenderCached } from './render-cached.js';

export { registerRenderCached };
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
  | 'library';

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
   * mode costs half as much again per page in promises for nothing.
   */
  render(template: TemplateName, model: object): string;
}

/** LiquidJS as the theme uses it: templates from the folder, every output escaped, unknown filters an error. */
export function themeEngine(dir: string, cache: boolean | ParsedTemplates = true): Liquid {
  const engine = new Liquid({
    root: path.join(dir, 'templates'),
    extname: '.liquid',
    outputEscape: 'escape',
    strictFilters: true,
    cache,
  });
  registerRenderCached(engine);
  return engine;
}

/**
 * LiquidJS's cache of parsed files, which every file it parses (page, layout, partial) passes
 * through: the place to compile each once. (LiquidJS makes a new parser for each file, so the
 * cache is the one hook they share.)
 */
class ParsedTemplates {
  private readonly entries = new Map<string, Template[] | Promise<Template[]>>();

  constructor(private readonly compile: (templates: Template[]) => Template[]) {}

  write(key: string, value: Template[] | Promise<Template[]>): void {
    this.entries.set(key, Array.isArray(value) ? this.compile(value) : value.then((templates) => this.compile(templates)));
  }
  read(key: string): Template[] | Promise<Template[]> | undefined {
    return this.entries.get(key);
  }
  remove(key: string): void {
    this.entries.delete(key);
  }
}

/**
 * The same engine with each template compiled to plain functions when it is parsed (see
 * compile.ts): the same output, in a fraction of the time. The compiler is returned for tests.
 */
export function compiledThemeEngine(dir: string): { engine: Liquid; compiler: TemplateCompiler } {
  const use: { compiler?: TemplateCompiler } = {};
  const engine = themeEngine(dir, new ParsedTemplates((templates) => use.compiler?.list(templates) ?? templates));
  const compiler = new TemplateCompiler(engine);
  if (canCompile(engine)) use.compiler = compiler;
  return { engine, compiler };
}

export function loadTheme(dir: string = DEFAULT_THEME_DIR): Theme {
  const { engine: compiled } = compiledThemeEngine(dir);
  // LiquidJS itself, made when first needed: a compiled render that throws is done again here,
  // for LiquidJS's error (which gives the line and column), or its page.
  let interpreted: Liquid | null = null;
  return {
    dir,
    assetsDir: path.join(dir, 'assets'),
    render(template, model) {
      try {
        return compiled.renderFileSync(template, model) as string;
      } catch {
        interpreted ??= themeEngine(dir);
        return interpreted.renderFileSync(template, model) as string;
      }
    },
  };
}
