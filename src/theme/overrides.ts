import path from 'node:path';
import { LookupType, type Liquid } from 'liquidjs';
import type { GazetteError } from '../domain/index.js';
import { compiledThemeEngine } from './engine.js';
import { isLimitFailure, templateFailure } from './failure.js';
import { templateFileSystem, themeFiles, type ThemeFiles } from './files.js';
import type { Theme } from './index.js';

/** Engines kept, one per set of a site's templates: a platform's busy sites, and a draft being previewed. */
const KEPT_ENGINES = 4;
/**
 * Renders with one set of templates that may reach a bound before the set is given up: every
 * later render with it fails at once (each would cost the full time limit); a new set (any save)
 * starts afresh.
 */
const BOUNDS_BEFORE_GIVING_UP = 3;

/** An engine over the default theme with a site's templates first, sandboxed and compiled. */
export function siteEngine(dir: string, sources: Readonly<Record<string, string>>): Liquid {
  const files = themeFiles(dir);
  const { engine } = compiledThemeEngine(dir, templateFileSystem(files, sources));
  // Every template parsed and compiled now, outside any render, as each kind of reference finds
  // it (LiquidJS keeps a page, a partial and a layout apart): the render time limit then bounds
  // what the templates do, not the parsing a first render would do (an article page's layout
  // and partials, 15 of its 20 ms on a quiet machine; on a loaded one a theme import was once
  // refused for "a loop too long"). One that does not parse is left for the render that
  // reaches it, which reports it with its line.
  for (const name of files.names) {
    for (const kind of [LookupType.Root, LookupType.Partials, LookupType.Layouts]) {
      try {
        engine.parseFileSync(name, kind);
      } catch {
        break;
      }
    }
  }
  return engine;
}

/** Renders a template with an engine of site templates; a failure is THEME_TEMPLATE_ERROR with the template and line. */
export function renderWith(engine: Liquid, files: ThemeFiles, template: string, model: object): string {
  try {
    return engine.renderFileSync(template, model) as string;
  } catch (error) {
    throw templateFailure(error, files, template);
  }
}

interface KeptEngine {
  readonly engine: Liquid;
  bounds: number;
  /** The failure every render gets once the set has reached a bound too often. */
  givenUp: GazetteError | null;
}

/**
 * The engines of sites' templates, by the key of their set (see TemplateOverrides): the least
 * recently used is dropped past KEPT_ENGINES. A site without overrides never comes here: it
 * renders with the default theme's engine, exactly as before.
 */
export class SiteEngines {
  private readonly engines = new Map<string, KeptEngine>();
  private readonly files: ThemeFiles;

  constructor(private readonly dir: string) {
    this.files = themeFiles(dir);
  }

  render(template: string, model: object, key: string, sources: Readonly<Record<string, string>>): string {
    const kept = this.engineFor(key, sources);
    if (kept.givenUp) throw kept.givenUp;
    try {
      return renderWith(kept.engine, this.files, template, model);
    } catch (error) {
      const failure = error as GazetteError;
      if (isLimitFailure(failure) && ++kept.bounds >= BOUNDS_BEFORE_GIVING_UP) kept.givenUp = failure;
      throw failure;
    }
  }

  private engineFor(key: string, sources: Readonly<Record<string, string>>): KeptEngine {
    let kept = this.engines.get(key);
    if (kept) this.engines.delete(key);
    else kept = { engine: siteEngine(this.dir, sources), bounds: 0, givenUp: null };
    this.engines.set(key, kept);
    for (const oldest of this.engines.keys()) {
      if (this.engines.size <= KEPT_ENGINES) break;
      this.engines.delete(oldest);
    }
    return kept;
  }
}

/**
 * A theme that renders with these templates over the default theme's, whatever overrides it is
 * given: a draft being validated or previewed on real pages, with an engine of its own (it is
 * not kept, and never meets the published pages' engines).
 */
export function draftTheme(dir: string, sources: Readonly<Record<string, string>>): Theme {
  const engine = siteEngine(dir, sources);
  const files = themeFiles(dir);
  return {
    dir,
    assetsDir: path.join(dir, 'assets'),
    render: (template, model) => renderWith(engine, files, template, model),
  };
}
