// The theme: Liquid templates and static assets. Site staff may edit templates safely (Liquid
// cannot run code), and every output is HTML-escaped unless a template says `| raw`.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Liquid } from 'liquidjs';
import { registerRenderCached } from './render-cached.js';

export { registerRenderCached };

export const DEFAULT_THEME_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'default');

export type TemplateName = 'home' | 'channel' | 'page' | 'article' | 'error' | 'search' | 'disclosure-catalogue';

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

export function loadTheme(dir: string = DEFAULT_THEME_DIR): Theme {
  const engine = new Liquid({
    root: path.join(dir, 'templates'),
    extname: '.liquid',
    outputEscape: 'escape',
    strictFilters: true,
    cache: true,
  });
  registerRenderCached(engine);
  return {
    dir,
    assetsDir: path.join(dir, 'assets'),
    render: (template, model) => engine.renderFileSync(template, model) as string,
  };
}
