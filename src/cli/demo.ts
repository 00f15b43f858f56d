import { parseArgs } from 'node:util';
import { GazetteError } from '../domain/index.js';
import { ensureSite, generateSyntheticArticles, reindexSearch, SYNTHETIC_LIMITS } from '../services/index.js';
import { manifest } from '../store/index.js';
import { openRuntime } from './runtime.js';
import { progressBar } from './progress.js';

const USAGE = 'gazette demo --articles N [--channels M] [--seed S] [--body-chars C] [--search]';

/** The options that take a number, as the user spells them, and their limits. */
const NUMBER_OPTIONS = {
  articles: SYNTHETIC_LIMITS.articles,
  channels: SYNTHETIC_LIMITS.channels,
  seed: SYNTHETIC_LIMITS.seed,
  'body-chars': SYNTHETIC_LIMITS.bodyChars,
} as const;

type NumberOption = keyof typeof NUMBER_OPTIONS;

interface DemoOptions {
  readonly articles: number;
  readonly channels: number | undefined;
  readonly seed: number | undefined;
  readonly bodyChars: number | undefined;
  readonly search: boolean;
}

function usage(reason: string): GazetteError {
  return new GazetteError('USAGE', { reason });
}

function whole(name: NumberOption, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const { min, max } = NUMBER_OPTIONS[name];
  const value = /^\d{1,10}$/.test(raw) ? Number(raw) : NaN;
  if (!(value >= min && value <= max)) throw usage(`--${name} must be a whole number from ${min} to ${max}`);
  return value;
}

/**
 * parseArgs reads `--channels -1` as an option without its value; joining each numeric option to
 * the word after it lets a negative number be reported as out of range, not as missing.
 */
function joinValues(args: readonly string[]): string[] {
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const next = args[i + 1];
    if (arg.startsWith('--') && Object.hasOwn(NUMBER_OPTIONS, arg.slice(2)) && next !== undefined) {
      joined.push(`${arg}=${next}`);
      i++;
    } else {
      joined.push(arg);
    }
  }
  return joined;
}

/** Options as parseArgs reads them; usage mistakes become USAGE errors (exit 2). */
function readOptions(args: readonly string[]) {
  try {
    return parseArgs({
      args: joinValues(args),
      options: {
        articles: { type: 'string' },
        channels: { type: 'string' },
        seed: { type: 'string' },
        'body-chars': { type: 'string' },
        search: { type: 'boolean', default: false },
      },
    }).values;
  } catch (error) {
    throw usage(`${error instanceof Error ? error.message.split('\n')[0] : String(error)}; ${USAGE}`);
  }
}

export function parseDemoArgs(args: readonly string[]): DemoOptions {
  const values = readOptions(args);
  const articles = whole('articles', values.articles);
  if (articles === undefined) throw usage(`--articles is required: ${USAGE}`);
  return {
    articles,
    channels: whole('channels', values.channels),
    seed: whole('seed', values.seed),
    bodyChars: whole('body-chars', values['body-chars']),
    search: values.search,
  };
}

/** `gazette demo --articles N …`: fills the site with generated, published articles. */
export async function demoCommand(args: readonly string[]): Promise<number> {
  // Arguments first: a typo must not create a data folder or a demo site.
  const options = parseDemoArgs(args);
  const runtime = await openRuntime();
  try {
    const { site } = await ensureSite(runtime, runtime.config.timeZone);
    const bar = progressBar('demo');
    const result = await generateSyntheticArticles(runtime, {
      ...options,
      timeZone: runtime.config.timeZone,
      onProgress: (done, total) => bar.update(done, total),
    });
    const rate = Math.round(result.articles / Math.max(result.seconds, 0.001));
    console.log(
      `generated ${result.articles} articles in ${result.channels} channels in ${result.seconds.toFixed(1)} s (${rate} articles/s)`,
    );
    if (options.search) {
      const indexBar = progressBar('reindex');
      const { indexed, removed } = await reindexSearch(runtime, site.id, ({ done, total }) =>
        indexBar.update(done, total),
      );
      console.log(`Indexed ${indexed} pages, removed ${removed} stale entries`);
    } else {
      console.log(
        'The new articles are not in the search index yet: run `gazette search reindex` to add them (or pass --search next time).',
      );
    }
    // New article pages render on first request, but lists, feeds and the home page already
    // in the output store were rendered without them.
    if ((await manifest.latestChange(runtime.store.db)) > 0) {
      console.log(
        'Pages published before this run do not list the new articles yet: run `gazette build` to bring them up to date.',
      );
    }
    return 0;
  } finally {
    await runtime.store.close();
  }
}
