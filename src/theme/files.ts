import fs from 'node:fs';
import path from 'node:path';
import type { FS } from 'liquidjs';

/**
 * The default theme's templates as a site's templates may see them: every `.liquid` file under
 * `templates/`, named by its path without the extension (`article`, `blocks/headline`), read
 * once. A site's overrides replace some of them; nothing else can be named, so a template never
 * reaches a file of its own choosing.
 */
export interface ThemeFiles {
  /** The templates folder, the engines' root. */
  readonly root: string;
  /** Every template's name, sorted. */
  readonly names: readonly string[];
  has(name: string): boolean;
  /** The default theme's text of a template; undefined for a name the theme does not have. */
  source(name: string): string | undefined;
  /** The path an engine knows a template by (its file name in the theme's folder). */
  pathOf(name: string): string;
  /** The template a path of `pathOf` names; null for any other path. */
  nameOf(filepath: string): string | null;
}

const EXT = '.liquid';
/** A template's name: lower-case words and folders, nothing that could climb out (`..`, `/x`, `\`). */
export const TEMPLATE_NAME_PATTERN = '^[a-z][a-z0-9_-]*(?:/[a-z][a-z0-9_-]*)*$';
const NAME = new RegExp(TEMPLATE_NAME_PATTERN);

export function isTemplateNameForm(name: string): boolean {
  return NAME.test(name);
}

const loaded = new Map<string, ThemeFiles>();

/** The templates of the theme in `dir` (read once per process: the theme ships with the release). */
export function themeFiles(dir: string): ThemeFiles {
  let files = loaded.get(dir);
  if (!files) loaded.set(dir, (files = readThemeFiles(path.join(dir, 'templates'))));
  return files;
}

function readThemeFiles(root: string): ThemeFiles {
  const sources = new Map<string, string>();
  const walk = (folder: string, prefix: string) => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(path.join(folder, entry.name), `${prefix}${entry.name}/`);
      else if (entry.name.endsWith(EXT)) {
        const name = prefix + entry.name.slice(0, -EXT.length);
        if (NAME.test(name)) sources.set(name, fs.readFileSync(path.join(folder, entry.name), 'utf8'));
      }
    }
  };
  walk(root, '');
  const names = [...sources.keys()].sort();
  const byPath = new Map(names.map((name) => [path.join(root, name + EXT), name]));
  return {
    root,
    names,
    has: (name) => sources.has(name),
    source: (name) => sources.get(name),
    pathOf: (name) => path.join(root, name + EXT),
    nameOf: (filepath) => byPath.get(filepath) ?? null,
  };
}

/** What a lookup of a name the theme cannot have resolves to: a path no template has. */
const NOWHERE = '\u0000';

/**
 * LiquidJS's file system for an engine of a site: the site's source of a template when it has
 * one, the default theme's otherwise, both from memory. A name is resolved in the theme's root
 * only (no relative, absolute or `..` paths), and only the theme's own names exist.
 */
export function templateFileSystem(files: ThemeFiles, overrides: Readonly<Record<string, string>>): FS {
  const own = new Map(Object.entries(overrides).filter(([name]) => files.has(name)));
  const read = (filepath: string): string => {
    const name = files.nameOf(filepath);
    const text = name === null ? undefined : (own.get(name) ?? files.source(name));
    if (text === undefined) throw Object.assign(new Error(`ENOENT: no template ${filepath}`), { code: 'ENOENT' });
    return text;
  };
  const exists = (filepath: string) => files.nameOf(filepath) !== null;
  return {
    sep: '/',
    resolve(_dir, file, ext) {
      const name = file.endsWith(ext) ? file.slice(0, -ext.length) : file;
      return NAME.test(name) && files.has(name) ? files.pathOf(name) : NOWHERE;
    },
    existsSync: exists,
    exists: (filepath) => Promise.resolve(exists(filepath)),
    readFileSync: read,
    readFile: (filepath) => Promise.resolve().then(() => read(filepath)),
    containsSync: (_root, filepath) => exists(filepath),
    contains: (_root, filepath) => Promise.resolve(exists(filepath)),
    dirname: (filepath) => path.dirname(filepath),
  };
}
