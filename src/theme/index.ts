// The theme: Liquid templates and static assets. Site staff may edit templates safely (Liquid
// cannot run code), and every output is HTML-escaped unless a template says `| raw`.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Liquid } from 'liquidjs';

export const DEFAULT_THEME_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'default');

export type TemplateName = 'home' | 'channel' | 'page' | 'article' | 'error' | 'search' | 'disclosure-catalogue';

export interface Theme {
  readonly assetsDir: string;
  render(template: TemplateName, model: object): Promise<string>;
}

export function loadTheme(dir: string = DEFAULT_THEME_DIR): Theme {
  const engine = new Liquid({
    root: path.join(dir, 'templates'),
    extname: '.liquid',
    outputEscape: 'escape',
    strictFilters: true,
    cache: true,
  });
  return {
    assetsDir: path.join(dir, 'assets'),
    render: (template, model) => engine.renderFile(template, model) as Promise<string>,
  };
}
