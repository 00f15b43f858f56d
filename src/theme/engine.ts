import path from 'node:path';
import { Liquid, type FS, type Template } from 'liquidjs';
import { TemplateCompiler, canCompile } from './compile.js';
import { registerRenderCached } from './render-cached.js';

/**
 * The bounds a site's own templates run within (模板编辑), beside the sandbox their file system
 * is (see files.ts: only the theme's template names can be read, from memory).
 *
 * - renderLimit, 300 ms a page: the default theme's slowest page renders in a few milliseconds
 *   compiled, and the first render of an engine, which parses every template it reaches, in
 *   about 30 ms; ten times that leaves room for a loaded machine and a garbage collection,
 *   while a runaway loop holds a render worker for a third of a second at most.
 * - parseLimit: a template of 200,000 characters, forty times the longest the theme ships.
 * - memoryLimit: 20 million units of LiquidJS's count (characters of strings made, items of
 *   arrays made) per page, some hundred times what the theme's pages use; a template that
 *   doubles a string in a loop stops long before the process runs short of memory.
 */
export const SANDBOX_LIMITS = {
  renderLimit: 300,
  parseLimit: 200_000,
  memoryLimit: 20_000_000,
} as const;

/**
 * LiquidJS as the theme uses it: templates from the folder, every output escaped, unknown filters
 * an error, and no tag but LiquidJS's own and render_cached. `site`: a site's file system
 * (its overrides first, see files.ts), and with it the sandbox's limits.
 */
export function themeEngine(dir: string, cache: boolean | ParsedTemplates = true, site?: FS): Liquid {
  const engine = new Liquid({
    root: path.join(dir, 'templates'),
    extname: '.liquid',
    outputEscape: 'escape',
    strictFilters: true,
    cache,
    ...(site && { fs: site, relativeReference: false, ownPropertyOnly: true, ...SANDBOX_LIMITS }),
  });
  registerRenderCached(engine);
  return engine;
}

/**
 * LiquidJS's cache of parsed files, which every file it parses (page, layout, partial) passes
 * through: the place to compile each once. (LiquidJS makes a new parser for each file, so the
 * cache is the one hook they share.)
 */
export class ParsedTemplates {
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
export function compiledThemeEngine(dir: string, site?: FS): { engine: Liquid; compiler: TemplateCompiler } {
  const use: { compiler?: TemplateCompiler } = {};
  const engine = themeEngine(
    dir,
    new ParsedTemplates((templates) => use.compiler?.list(templates) ?? templates),
    site,
  );
  const compiler = new TemplateCompiler(engine);
  if (canCompile(engine)) use.compiler = compiler;
  return { engine, compiler };
}
