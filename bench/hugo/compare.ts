import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { openStore, articles, type Database } from '../../src/store/index.js';
import { articlePath, formatIsoLocal, sourceLabel, type Article, type Site } from '../../src/domain/index.js';
import { loadSiteView, type SiteView } from '../../src/publish/index.js';
import { BENCH_DIR, log, round } from '../support.js';
import { runMeasured } from './measured.js';
import type { Kysely } from 'kysely';

/**
 * The full-build comparison: the articles of a Gazette site exported as a Hugo site (Markdown
 * with front matter, one section per column, each article at its Gazette address), rendered by
 * Debian's hugo with the templates beside this file, and timed against `gazette build`.
 */

export interface GazetteBuild {
  readonly pages: number;
  readonly seconds: number;
  readonly pagesPerSecond: number;
  /** The build process's peak resident memory (every thread), as the kernel counts it. */
  readonly peakRssMiB: number;
}

interface HugoBuild {
  readonly pages: number;
  readonly htmlPages: number;
  readonly seconds: number;
  readonly pagesPerSecond: number;
  readonly peakRssMiB: number;
}

export interface BuildComparison {
  readonly articles: number;
  /** The median round's figures (by pages/s), and every round's. */
  readonly gazette: GazetteBuild & { readonly rounds: readonly GazetteBuild[] };
  readonly hugo: HugoBuild & {
    readonly version: string;
    readonly exportSeconds: number;
    readonly rounds: readonly HugoBuild[];
  };
  /** Gazette's pages/s over Hugo's, each the median of its rounds (target: targetRatio). */
  readonly ratio: number;
  readonly roundRatios: readonly number[];
  readonly target: { readonly ratio: number; readonly met: boolean };
  /** Peak resident memory, each the highest of its rounds; Gazette's over Hugo's (target ≤ 0.1). */
  readonly peakRss: {
    readonly gazetteMiB: number;
    readonly hugoMiB: number;
    readonly ratio: number;
    readonly target: { readonly ratio: number; readonly met: boolean };
  };
}

/** Gazette's build rate over Hugo's to reach: issue 23 asks 1.0× at 10,000 articles and 1.5× at 100,000. */
export const targetRatio = (articles: number): number => (articles >= 100_000 ? 1.5 : 1.0);
/** Gazette's peak memory over Hugo's at the same size, at most. */
const TARGET_RSS_RATIO = 0.1;
const EXPORT_BATCH = 1000;
const execFileAsync = promisify(execFile);

/** Front matter values as YAML double-quoted scalars (JSON strings are valid ones). */
const quoted = (text: string): string => JSON.stringify(text);

/** The site's own fields as Hugo [params], appended to the config the templates read them from. */
function siteParams(site: Site): string {
  const fields = {
    name: site.name,
    domain: site.domain,
    siteCode: site.siteCode,
    hostOrganization: site.hostOrganization,
    address: site.address,
    contact: site.contact,
    icpRecord: site.icpRecord,
    policeRecord: site.policeRecord,
    keywords: site.keywords,
    description: site.description,
  };
  return `\n[params]\n${Object.entries(fields)
    .map(([key, value]) => `${key} = ${quoted(value)}`)
    .join('\n')}\n`;
}

/** Gazette's paragraphs (`<p class="indent">text</p>`, entities and all) as Markdown paragraphs. */
function markdownBody(bodyHtml: string): string {
  return bodyHtml
    .replace(/<p[^>]*>/g, '')
    .replace(/<\/p>\s*/g, '\n\n')
    .trim();
}

function articleMarkdown(view: SiteView, article: Article): string {
  const tz = view.site.timeZone;
  const front = [
    `title: ${quoted(article.title)}`,
    `date: ${formatIsoLocal(new Date(article.publishedAt ?? article.createdAt), tz)}`,
    // The same address as on Gazette: /bqdt/202401/t20240108_4213.html.
    `url: ${articlePath(view.tree.path(article.channelId), article, tz)}`,
    `description: ${quoted(article.summary)}`,
    `keywords: ${quoted(article.keywords)}`,
    `source: ${quoted(sourceLabel(article))}`,
    `author: ${quoted(article.author)}`,
    `editor: ${quoted(article.responsibleEditor)}`,
  ];
  return `---\n${front.join('\n')}\n---\n${markdownBody(article.bodyHtml)}\n`;
}

/** content/<column path>/_index.md for each column, ordered as Gazette's navigation. */
function writeSections(view: SiteView, content: string): void {
  for (const channel of view.tree.all()) {
    if (channel.type === 'link') continue;
    const folder = path.join(content, view.tree.path(channel.id));
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(
      path.join(folder, '_index.md'),
      `---\ntitle: ${quoted(channel.name)}\nweight: ${channel.sortOrder}\ndescription: ${quoted(channel.description)}\n---\n`,
    );
  }
}

async function writeArticles(db: Kysely<Database>, view: SiteView, content: string): Promise<number> {
  let count = 0;
  for (let afterId = 0; ;) {
    const batch = await articles.publishedBatch(db, view.site.id, afterId, EXPORT_BATCH);
    if (batch.length === 0) return count;
    for (const article of batch)
      fs.writeFileSync(
        path.join(content, view.tree.path(article.channelId), `${article.id}.md`),
        articleMarkdown(view, article),
      );
    count += batch.length;
    afterId = batch[batch.length - 1]?.id ?? afterId;
  }
}

/** Writes the Hugo site for the store in `dataDir` into `source`; the number of articles. */
async function exportSite(dataDir: string, source: string): Promise<number> {
  fs.cpSync(path.join(BENCH_DIR, 'hugo'), source, { recursive: true, filter: (from) => !from.endsWith('.ts') });
  const store = await openStore({ databaseUrl: null, sqliteFile: path.join(dataDir, 'gazette.db') });
  try {
    const view = await loadSiteView(store.db);
    if (!view) throw new Error('no site to export');
    fs.appendFileSync(path.join(source, 'config.toml'), siteParams(view.site));
    const content = path.join(source, 'content');
    writeSections(view, content);
    return await writeArticles(store.db, view, content);
  } finally {
    await store.close();
  }
}

/**
 * Files Hugo wrote, counted as Gazette counts its own: pages, feeds, sitemap and robots.txt
 * alike, but not the redirects Hugo leaves at each list's /page/1/ (Gazette has no such files).
 */
function countOutput(dir: string): { pages: number; html: number } {
  let pages = 0;
  let html = 0;
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || entry.parentPath.endsWith(`${path.sep}page${path.sep}1`)) continue;
    if (entry.name.endsWith('.html')) html++;
    if (/\.(html|xml|txt)$/.test(entry.name)) pages++;
  }
  return { pages, html };
}

/** The round with the median pages/s. */
function medianRound<T extends { pagesPerSecond: number }>(rounds: readonly T[]): T {
  const sorted = [...rounds].sort((a, b) => a.pagesPerSecond - b.pagesPerSecond);
  const middle = sorted[Math.floor((sorted.length - 1) / 2)];
  if (!middle) throw new Error('no build rounds were run');
  return middle;
}

/** Writes dirty pages to disk: each timed build starts with the page cache in the same state. */
const flushDisk = () => execFileAsync('sync');

async function hugoBuild(
  binary: string,
  source: string,
  destination: string,
  cacheDir: string,
  stepMinutes: number,
): Promise<HugoBuild> {
  await flushDisk();
  const run = await runMeasured(
    binary,
    ['--quiet', '--source', source, '--destination', destination, '--cacheDir', cacheDir],
    { timeoutMs: stepMinutes * 60_000, label: 'hugo' },
  );
  const output = countOutput(destination);
  const pagesPerSecond = output.pages / run.seconds;
  log(
    `  hugo: ${output.pages} pages in ${round(run.seconds, 1)} s (${Math.round(pagesPerSecond)} pages/s), peak RSS ${run.peakRssMiB} MiB`,
  );
  return {
    pages: output.pages,
    htmlPages: output.html,
    seconds: round(run.seconds, 1),
    pagesPerSecond: round(pagesPerSecond, 0),
    peakRssMiB: run.peakRssMiB,
  };
}

/**
 * Gazette's full build and Hugo's, in turn, `rounds` times, on the same articles: on a small
 * shared machine one build can differ from the next by a third, and alternating spreads that
 * over both. `gazetteBuild(round)` runs one full build into an empty output store. Nothing is
 * deleted between rounds: on this machine's ext4 (no journal) creating files just after many
 * were deleted walks every recently freed inode, which would slow whichever build came next.
 */
export async function compareWithHugo(
  binary: string,
  dir: string,
  dataDir: string,
  gazetteBuild: (round: number) => Promise<GazetteBuild>,
  options: { readonly rounds: number; readonly stepMinutes: number },
): Promise<BuildComparison> {
  const source = path.join(dir, 'hugo-site');
  log('  hugo: exporting the articles as Markdown');
  const exportStarted = performance.now();
  const exported = await exportSite(dataDir, source);
  const exportSeconds = (performance.now() - exportStarted) / 1000;
  const version = (await execFileAsync(binary, ['version'])).stdout.trim();
  const gazetteRounds: GazetteBuild[] = [];
  const hugoRounds: HugoBuild[] = [];
  for (let r = 1; r <= options.rounds; r++) {
    log(`  build round ${r} of ${options.rounds}: gazette, then hugo (${exported} articles)`);
    gazetteRounds.push(await gazetteBuild(r));
    hugoRounds.push(
      await hugoBuild(
        binary,
        source,
        path.join(dir, `hugo-public-${r}`),
        path.join(dir, 'hugo-cache'),
        options.stepMinutes,
      ),
    );
  }
  const gazette = medianRound(gazetteRounds);
  const hugo = medianRound(hugoRounds);
  const ratio = round(gazette.pagesPerSecond / hugo.pagesPerSecond, 3);
  const target = targetRatio(exported);
  const gazetteMiB = Math.max(...gazetteRounds.map((r) => r.peakRssMiB));
  const hugoMiB = Math.max(...hugoRounds.map((r) => r.peakRssMiB));
  const rssRatio = round(gazetteMiB / hugoMiB, 3);
  // Said at once: the figures outlive a later step of the bench that fails.
  log(
    `  build at ${exported} articles: gazette ${gazette.pagesPerSecond} pages/s, hugo ${hugo.pagesPerSecond} (${ratio}×, target ${target}×); ` +
      `peak RSS gazette ${gazetteMiB} MiB, hugo ${hugoMiB} MiB (${rssRatio}×, target ≤ ${TARGET_RSS_RATIO}×)`,
  );
  return {
    articles: exported,
    gazette: { ...gazette, rounds: gazetteRounds },
    hugo: { ...hugo, version, exportSeconds: round(exportSeconds, 1), rounds: hugoRounds },
    ratio,
    roundRatios: gazetteRounds.map((g, i) => round(g.pagesPerSecond / (hugoRounds[i]?.pagesPerSecond ?? Infinity), 3)),
    target: { ratio: target, met: ratio >= target },
    peakRss: {
      gazetteMiB,
      hugoMiB,
      ratio: rssRatio,
      target: { ratio: TARGET_RSS_RATIO, met: rssRatio <= TARGET_RSS_RATIO },
    },
  };
}
