import { parseArgs } from 'node:util';
import { GazetteError } from '../domain/index.js';
import { ensureSite, reindexSearch } from '../services/index.js';
import { loadSiteView } from '../publish/index.js';
import { searchLists, searchSite } from '../search/index.js';
import { openRuntime, type Runtime } from './runtime.js';
import { progressBar } from './progress.js';

const USAGE =
  'gazette search QUERY [--json] [--channel ID] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--type article|page] [--page N]\n' +
  '       gazette search reindex\n' +
  '       gazette search synonyms list | add WORD WORD… | remove WORD\n' +
  '       gazette search stopwords list | add WORD… | remove WORD';

function usage(reason: string): GazetteError {
  return new GazetteError('USAGE', { reason: `${reason}\n${USAGE}` });
}

async function query(runtime: Runtime, args: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      channel: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      type: { type: 'string' },
      page: { type: 'string' },
    },
  });
  const q = positionals.join(' ');
  const view = await loadSiteView(runtime.store.db, runtime.siteId);
  if (!view) throw new GazetteError('SITE_MISSING');
  const whole = (name: string, raw: string | undefined) => {
    if (raw === undefined) return undefined;
    if (!/^\d+$/.test(raw)) throw new GazetteError('SEARCH_BAD_FILTER', { name, reason: `"${raw}" is not a number` });
    return Number(raw);
  };
  const result = await searchSite(
    { db: runtime.store.db, dialect: runtime.store.dialect, site: view.site, tree: view.tree },
    {
      q,
      channelId: whole('channel', values.channel) ?? null,
      from: values.from ?? null,
      to: values.to ?? null,
      type: values.type ?? null,
      page: whole('page', values.page) ?? 1,
    },
  );
  if (values.json) {
    console.log(JSON.stringify(result, null, 2));
    return 0;
  }
  const plain = (html: string) =>
    html
      .replace(/<\/?mark>/g, '')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, '&');
  console.log(
    `${result.exact ? '' : 'about '}${result.total} results${result.total > 0 ? ` (page ${result.page}/${result.pages})` : ''}`,
  );
  if (result.didYouMean) console.log(`Did you mean: ${result.didYouMean}`);
  for (const hit of result.hits) {
    console.log(`${hit.date}  ${hit.title}  ${hit.url}`);
    console.log(`    ${plain(hit.snippetHtml)}`);
  }
  return 0;
}

async function lists(runtime: Runtime, kind: 'synonyms' | 'stopwords', args: readonly string[]): Promise<number> {
  const [action, ...words] = args;
  const { site } = await ensureSite(runtime, runtime.config.timeZone);
  const db = runtime.store.db;
  if (action === 'list') {
    if (kind === 'synonyms') {
      for (const [term, synonyms] of await searchLists.listSynonyms(db, site.id))
        console.log(`${term}: ${synonyms.join(' ')}`);
    } else {
      console.log((await searchLists.listStopWords(db, site.id)).join(' '));
    }
    return 0;
  }
  if (action === 'add' && words.length >= (kind === 'synonyms' ? 2 : 1)) {
    await (kind === 'synonyms'
      ? searchLists.addSynonyms(db, site.id, words)
      : searchLists.addStopWords(db, site.id, words));
    return 0;
  }
  if (action === 'remove' && words.length === 1) {
    const removed =
      kind === 'synonyms'
        ? (await searchLists.removeSynonym(db, site.id, words[0] ?? '')) > 0
        : await searchLists.removeStopWord(db, site.id, words[0] ?? '');
    if (!removed) console.error(`${words[0]} was not in the list`);
    return removed ? 0 : 1;
  }
  throw usage(`gazette search ${kind} ${action ?? ''}: expected list, add or remove with words`);
}

/** `gazette search …`: query the index, rebuild it, or edit the synonym and stop-word lists. */
export async function searchCommand(args: readonly string[]): Promise<number> {
  if (args.length === 0) throw usage('gazette search needs a query');
  const runtime = await openRuntime();
  try {
    const [first, ...rest] = args;
    if (first === 'reindex') {
      const { site } = await ensureSite(runtime, runtime.config.timeZone);
      const bar = progressBar('reindex');
      const { indexed, removed } = await reindexSearch(runtime, site.id, ({ done, total }) => bar.update(done, total));
      console.log(`Indexed ${indexed} pages, removed ${removed} stale entries`);
      return 0;
    }
    if (first === 'synonyms' || first === 'stopwords') return await lists(runtime, first, rest);
    return await query(runtime, args[0] === '--' ? args.slice(1) : args);
  } finally {
    await runtime.store.close();
  }
}
