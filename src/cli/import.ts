import { ensureSite } from '../services/index.js';
import { importFiles } from '../importers/index.js';
import { GazetteError } from '../domain/index.js';
import { openRuntime } from './runtime.js';
import { publishingRuntime } from './publishing.js';

/**
 * `gazette import FILE…`: one line per article on stdout, ending in its URL path; one
 * `file:line: reason` per bad file on stderr. Exit 1 when any file failed.
 */
export async function importCommand(files: readonly string[]): Promise<number> {
  // `--type`: a content type's items from an export's file, not article pages.
  if (files.some((arg) => arg === '--type' || arg.startsWith('--type=')))
    return (await import('./exchange.js')).importItemsCommand(files);
  if (files.length === 0) throw new GazetteError('USAGE', { reason: 'gazette import FILE…' });
  const opened = await openRuntime();
  try {
    const { site } = await ensureSite(opened, opened.config.timeZone);
    const { runtime, publisher } = publishingRuntime(opened, site.id);
    const outcomes = await importFiles(runtime, files, site.timeZone);
    await publisher.idle();
    const zh = runtime.config.lang === 'zh';
    for (const outcome of outcomes) {
      if (outcome.ok) {
        const { created, article, path } = outcome.result;
        const verb = created ? (zh ? '新增' : 'created') : zh ? '更新' : 'updated';
        console.log(`${outcome.file}: ${verb} ${article.title} ${path}`);
      } else {
        console.error(outcome.error.report(runtime.config.lang));
      }
    }
    return outcomes.every((o) => o.ok) ? 0 : 1;
  } finally {
    await opened.store.close();
  }
}
