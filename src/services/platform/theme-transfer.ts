import { isGazetteError } from '../../domain/index.js';
import { themeOverrides } from '../../store/index.js';
import type { Actor } from '../actor.js';
import type { ServiceContext } from '../context.js';
import { commitChanges, editableSite, knownTemplate, validateOnSite } from './theme-site.js';

/** A site's template as it travels between installations (`gazette theme export|import`). */
export interface TemplateFile {
  readonly name: string;
  readonly source: string;
  /** Where it was read from, for the errors (`blocks/headline.liquid`); absent: the name's file. */
  readonly file?: string;
}

/** The site's own templates, by name. */
export async function exportOverrides(ctx: ServiceContext, actor: Actor): Promise<TemplateFile[]> {
  const { site } = await editableSite(ctx, actor);
  const rows = await themeOverrides.listOverrides(ctx.store.db, site.id);
  return rows.map((row) => ({ name: row.name, source: row.source }));
}

/**
 * Makes these the site's templates: every one is checked first (among the site's templates and
 * the others imported, with a trial render of real pages), and the first problem is thrown with
 * its file and line; nothing is changed then. Otherwise one transaction, a revision 'import' and
 * an audit entry `theme.import` for each template whose text changes, and one theme.changed.
 * Templates the site has and the import does not name are left as they are. The names changed.
 */
export async function importOverrides(
  ctx: ServiceContext,
  actor: Actor,
  files: readonly TemplateFile[],
): Promise<string[]> {
  const scope = await editableSite(ctx, actor);
  const current = await themeOverrides.overrideSources(ctx.store.db, scope.site.id);
  const imported = Object.fromEntries(files.map((f) => [f.name, f.source]));
  for (const file of files) {
    try {
      knownTemplate(file.name);
      await validateOnSite(ctx.store.db, scope, file.name, file.source, { ...current, ...imported });
    } catch (error) {
      if (!isGazetteError(error)) throw error;
      // A trial render may fail in another imported template: the file named is the one at fault.
      const at = files.find((f) => f.name === error.params.name) ?? file;
      throw error.at(at.file ?? `${at.name}.liquid`);
    }
  }
  const changed = files.filter((file) => current[file.name] !== file.source);
  if (changed.length > 0)
    await commitChanges(
      ctx,
      actor,
      scope.site.id,
      changed.map(({ name, source }) => ({ name, source, action: 'import', audit: 'theme.import' })),
    );
  return changed.map((file) => file.name);
}
