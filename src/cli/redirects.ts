import fs from 'node:fs';
import fsp from 'node:fs/promises';
import { once } from 'node:events';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GazetteError } from '../domain/index.js';
import { redirects, sites, type RedirectRow } from '../store/index.js';
import { parseCommandArgs, usageError } from './args.js';
import { openRuntime, siteIdOf, type Runtime } from './runtime.js';

/**
 * `gazette redirects export`: a migrated site's old URLs and where they lead, as CSV or as an
 * nginx map for a front server or a CDN, streamed page by page (a million rows never sit in
 * memory).
 */

const USAGE = 'gazette redirects export --format nginx|csv [--site HOST] [--out FILE]   (stdout without --out)';
const FORMATS = ['nginx', 'csv'] as const;
type Format = (typeof FORMATS)[number];

/** Rows read per query. */
const PAGE = 1000;

/** What an export is about: the store, the site, and how many rows it has written. */
interface Export {
  readonly runtime: Runtime;
  readonly siteId: number;
  rows: number;
}

/** Every redirect of the site in old_path order, a page at a time (keyset paging). */
async function* pagesOf(job: Export): AsyncGenerator<RedirectRow[]> {
  for (let after: string | null = null; ;) {
    const rows = await redirects.listRedirects(job.runtime.store.db, job.siteId, after, PAGE);
    job.rows += rows.length;
    if (rows.length > 0) yield rows;
    const last = rows[rows.length - 1];
    if (!last || rows.length < PAGE) return;
    after = last.oldPath;
  }
}

/** A CSV field, quoted when it must be (RFC 4180). */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

const csvLine = (fields: readonly string[]) => `${fields.map(csvField).join(',')}\r\n`;

async function* csvText(job: Export): AsyncGenerator<string> {
  yield csvLine(['old_path', 'target', 'kind']);
  for await (const rows of pagesOf(job)) yield rows.map((row) => csvLine([row.oldPath, row.target, row.kind])).join('');
}

/** A double-quoted nginx string: `\` and `"` escaped (nginx reads no other escape in quotes). */
export function nginxString(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** nginx reads `$` in a map's value as a variable: a literal one is this variable, set to "$". */
const DOLLAR = 'gazette_dollar';

/** A map value: the target percent-encoded as a Location header needs it, a `$` as the ${gazette_dollar} variable. */
export function nginxValue(target: string): string {
  return nginxString(redirects.requestFormOf(target).replaceAll('$', `\${${DOLLAR}}`));
}

/** A case-sensitive regular expression matching exactly this request URI. */
function exactRegex(uri: string): string {
  return `~^${uri.replace(/[\\^$.|?*+()[\]{}]/g, (c) => `\\${c}`)}$`;
}

/**
 * One line of the map: the old path as a browser sends it ($request_uri), and the target.
 * nginx compares string keys without letter case and refuses two equal ones, so an old path
 * that shares its key with another (`/News.aspx` and `/news.aspx`) is an exact, case-sensitive
 * regular expression instead.
 */
export function nginxMapLine(row: RedirectRow, shared: ReadonlySet<string>): string {
  const sent = redirects.requestFormOf(row.oldPath);
  const key = shared.has(redirects.requestKeyOf(row.oldPath)) ? exactRegex(sent) : sent;
  return `    ${nginxString(key)} ${nginxValue(row.target)};\n`;
}

/** The smallest power of two at least `n`. */
const powerOfTwo = (n: number) => 2 ** Math.ceil(Math.log2(Math.max(1, n)));

/**
 * The hash sizes nginx needs for the map: a bucket holds a few of the longest keys (one element
 * is the key and two pointers; with room for several, nginx finds a table size quickly even for
 * a million keys), and the table may have a slot per key. Said in a comment, not set: the http
 * block that includes the file may set them already (Gazette's front does), and nginx refuses a
 * directive set twice.
 */
export function mapHashSizes(count: number, longestKey: number): { bucket: number; max: number } {
  return { bucket: powerOfTwo(Math.max(128, 4 * (longestKey + 32))), max: powerOfTwo(Math.max(2048, count)) };
}

async function* nginxText(job: Export): AsyncGenerator<string> {
  const { runtime, siteId } = job;
  const db = runtime.store.db;
  const [site, facts] = await Promise.all([sites.findSite(db, siteId), redirects.mapFacts(db, siteId)]);
  const host = site?.domain ?? String(siteId);
  const { count } = facts;
  const sizes = mapHashSizes(count, facts.longestKey);
  yield `# Gazette redirects for ${host}: ${count} old URL${count === 1 ? '' : 's'} (gazette redirects export --format nginx)\n`;
  yield `# It needs, in nginx's http block: map_hash_bucket_size ${sizes.bucket}; map_hash_max_size ${sizes.max}; (or more)\n`;
  if (facts.dollar) yield `geo $${DOLLAR} { default "$"; }\n`;
  yield 'map $request_uri $gazette_redirect {\n    default "";\n';
  for await (const rows of pagesOf(job)) yield rows.map((row) => nginxMapLine(row, facts.sharedKeys)).join('');
  yield '}\n';
  yield `# Include this file in nginx's http block; in the server block of ${host}, ahead of its locations: if ($gazette_redirect) { return 301 $gazette_redirect; }\n`;
}

/** Writes every piece, waiting whenever the stream asks to (a slow pipe or disk). */
async function writeAll(out: Writable, pieces: AsyncIterable<string>): Promise<void> {
  for await (const piece of pieces) if (!out.write(piece)) await once(out, 'drain');
}

/** Into FILE through FILE.tmp and a rename: a failed export leaves no half file behind. */
async function writeFile(file: string, pieces: AsyncIterable<string>): Promise<void> {
  const temp = `${file}.tmp`;
  try {
    await pipeline(Readable.from(pieces), fs.createWriteStream(temp));
    await fsp.rename(temp, file);
  } catch (error) {
    await fsp.rm(temp, { force: true });
    throw error;
  }
}

function formatOf(value: string | undefined): Format {
  const format = FORMATS.find((f) => f === value);
  if (format) return format;
  throw usageError(
    value === undefined ? '--format is required: nginx or csv' : `--format is nginx or csv, not "${value}"`,
    USAGE,
  );
}

async function exportRedirects(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    { args: [...args], allowPositionals: true, options: { format: { type: 'string' }, out: { type: 'string' } } },
    USAGE,
  );
  if (positionals.length > 0) throw usageError(`unexpected "${positionals.join(' ')}"`, USAGE);
  const format = formatOf(values.format);
  const runtime = await openRuntime();
  try {
    const job: Export = { runtime, siteId: await siteIdOf(runtime), rows: 0 };
    const text = format === 'csv' ? csvText(job) : nginxText(job);
    if (values.out === undefined) {
      await writeAll(process.stdout, text);
      return 0;
    }
    await writeFile(values.out, text);
    const count = job.rows;
    console.log(
      runtime.config.lang === 'zh'
        ? `已导出 ${count} 条旧网址跳转到 ${values.out}`
        : `exported ${count} redirect${count === 1 ? '' : 's'} to ${values.out}`,
    );
    return 0;
  } finally {
    await runtime.store.close();
  }
}

/** `gazette redirects export …`. */
export async function redirectsCommand(rest: readonly string[]): Promise<number> {
  const [sub, ...args] = rest;
  if (sub === 'export') return exportRedirects(args);
  throw new GazetteError('USAGE', { reason: USAGE });
}
