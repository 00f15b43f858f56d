import fs from 'node:fs/promises';
import path from 'node:path';
import { GazetteError } from '../domain/index.js';
import { exportOverrides, importOverrides, systemActor, type TemplateFile } from '../services/index.js';
import { sites } from '../store/index.js';
import { isTemplateNameForm } from '../theme/index.js';
import { parseCommandArgs, usageError } from './args.js';
import { publishingRuntime } from './publishing.js';
import { openRuntime, siteIdOf, type Runtime } from './runtime.js';

/**
 * `gazette theme export|import --site HOST DIR`: a site's own templates (模板编辑) moved between
 * installations as files: one `<name>.liquid` per template (`blocks/headline.liquid` in a
 * folder), and a manifest naming them.
 */

const USAGE = 'gazette theme export|import [--site HOST] DIR';
/** The manifest's file name in DIR. */
export const THEME_MANIFEST = 'gazette-theme.json';
const FORMAT = 'gazette-theme-overrides';

interface Manifest {
  readonly format: typeof FORMAT;
  readonly version: 1;
  /** The site they came from (for the reader; an import goes to the site of --site). */
  readonly site: string;
  readonly exportedAt: string;
  readonly templates: readonly { readonly name: string; readonly file: string }[];
}

const fileOf = (name: string) => `${name}.liquid`;

function dirOf(args: readonly string[]): string {
  const { positionals } = parseCommandArgs({ args: [...args], allowPositionals: true, options: {} }, USAGE);
  const [dir, ...rest] = positionals;
  if (dir === undefined) throw usageError('DIR is required', USAGE);
  if (rest.length > 0) throw usageError(`unexpected "${rest.join(' ')}"`, USAGE);
  return dir;
}

async function exportTheme(runtime: Runtime, dir: string): Promise<number> {
  const siteId = await siteIdOf(runtime);
  const templates = await exportOverrides({ ...runtime, siteId }, systemActor('gazette theme export'));
  const site = await sites.findSite(runtime.store.db, siteId);
  for (const template of templates) {
    const file = path.join(dir, fileOf(template.name));
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, template.source);
    console.log(file);
  }
  const manifest: Manifest = {
    format: FORMAT,
    version: 1,
    site: site?.domain ?? String(siteId),
    exportedAt: runtime.clock.now().toISOString(),
    templates: templates.map((t) => ({ name: t.name, file: fileOf(t.name) })),
  };
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(path.join(dir, THEME_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  const count = templates.length;
  console.log(
    runtime.config.lang === 'zh'
      ? `已导出 ${count} 个模板到 ${dir}`
      : `exported ${count} template${count === 1 ? '' : 's'} to ${dir}`,
  );
  return 0;
}

/** The names a manifest lists; THEME_IMPORT_MANIFEST for anything else. */
async function readManifest(dir: string): Promise<string[]> {
  const file = path.join(dir, THEME_MANIFEST);
  const refuse = (reason: string) => new GazetteError('THEME_IMPORT_MANIFEST', { file, reason });
  let parsed: unknown;
  try {
    parsed = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (error) {
    throw refuse(error instanceof Error ? error.message : String(error));
  }
  const manifest = parsed as Partial<Manifest> | null;
  if (manifest?.format !== FORMAT || manifest.version !== 1 || !Array.isArray(manifest.templates))
    throw refuse(`format "${FORMAT}", version 1 and a list of templates expected`);
  return manifest.templates.map((entry: unknown) => {
    const name = (entry as { name?: unknown } | null)?.name;
    // A name is a path under DIR: one that could climb out of it is refused before any read.
    if (typeof name !== 'string' || !isTemplateNameForm(name))
      throw refuse(`bad template name ${JSON.stringify(name)}`);
    return name;
  });
}

async function importTheme(opened: Runtime, dir: string): Promise<number> {
  const names = await readManifest(dir);
  const files: TemplateFile[] = [];
  for (const name of names) {
    const file = path.join(dir, fileOf(name));
    const source = await fs.readFile(file, 'utf8').catch((error: unknown) => {
      const reason = `${fileOf(name)}: ${error instanceof Error ? error.message : String(error)}`;
      throw new GazetteError('THEME_IMPORT_MANIFEST', { file: path.join(dir, THEME_MANIFEST), reason });
    });
    files.push({ name, file, source });
  }
  const { runtime, publisher } = publishingRuntime(opened, await siteIdOf(opened));
  const changed = await importOverrides(runtime, systemActor('gazette theme import'), files);
  await publisher.idle();
  const zh = runtime.config.lang === 'zh';
  const count = changed.length;
  console.log(
    zh
      ? `已导入 ${count} 个模板${count > 0 ? `：${changed.join('、')}` : ''}`
      : `imported ${count} template${count === 1 ? '' : 's'}${count > 0 ? `: ${changed.join(', ')}` : ''}`,
  );
  return 0;
}

/** `gazette theme export|import …`. */
export async function themeCommand(rest: readonly string[]): Promise<number> {
  const [sub, ...args] = rest;
  if (sub !== 'export' && sub !== 'import') throw new GazetteError('USAGE', { reason: USAGE });
  const dir = dirOf(args);
  const runtime = await openRuntime();
  try {
    return sub === 'export' ? await exportTheme(runtime, dir) : await importTheme(runtime, dir);
  } finally {
    await runtime.store.close();
  }
}
