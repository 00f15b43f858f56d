import { performance } from 'node:perf_hooks';
import type { Insertable, Kysely } from 'kysely';
import {
  ChannelTree,
  GazetteError,
  escapeHtml,
  fromLocal,
  htmlToText,
  slugFromName,
  summarize,
  toLocal,
  type Channel,
  type Site,
} from '../../domain/index.js';
import { channels as channelRepo, type Database } from '../../store/index.js';
import type { ServiceContext } from '../context.js';
import { ensureSite } from './demo.js';
import { systemActor } from '../actor.js';
import { appendAudit } from '../audit.js';
import { recordEvents, sendEvents, type ContentEvent, type RecordedEvents } from '../events.js';
import { seededRandom, textSource, weightedIndex, type TextSource } from './corpus.js';

/**
 * Synthetic sites for demonstrations and benchmarks: fills the site with generated Chinese
 * articles, already published, fast enough to make a million. The rows go straight into the
 * article table in multi-row INSERTs (no revisions, no audit entry or search entry per article:
 * this is bulk data, not editorial work); one audit entry records the run.
 */

export interface SyntheticOptions {
  readonly articles: number;
  /** How many list channels to spread them over; default: the site's list channels. */
  readonly channels?: number | undefined;
  /** Same seed, same articles (default 1). */
  readonly seed?: number | undefined;
  /** Average body length in characters (default 1,200). */
  readonly bodyChars?: number | undefined;
  /** Time zone of the demo site, if there is no site yet and it has to be created. */
  readonly timeZone?: string | undefined;
  readonly onProgress?: ((done: number, total: number) => void) | undefined;
}

export interface SyntheticResult {
  readonly articles: number;
  readonly channels: number;
  readonly seconds: number;
}

/** What the options may be; the CLI quotes these in its messages. */
export const SYNTHETIC_LIMITS = {
  articles: { min: 1, max: 10_000_000 },
  channels: { min: 1, max: 1_000 },
  seed: { min: 0, max: 4_294_967_295 },
  bodyChars: { min: 100, max: 100_000 },
} as const;

export const SYNTHETIC_DEFAULTS = { seed: 1, bodyChars: 1_200, timeZone: 'Asia/Shanghai' } as const;

/** Where the channels that a site lacks are created. */
const EXTRA_CHANNELS_PARENT = '专题栏目';

// Statement and transaction sizes: 500 rows × 20 columns stays well under both dialects' limits
// on bound parameters (SQLite 32,766, PostgreSQL 65,535); 10,000 rows per transaction keeps the
// WAL and the lock short while the per-commit cost stays negligible.
const ROWS_PER_STATEMENT = 500;
const ROWS_PER_TRANSACTION = 10_000;

// Published over the last five years, on weekdays, 08:30–12:00 and 13:30–17:30 site time.
const YEARS = 5;
const MORNING = { start: [8, 30], seconds: 3.5 * 3600 } as const;
const AFTERNOON = { start: [13, 30], seconds: 4 * 3600 } as const;
const OFFICE_SECONDS = MORNING.seconds + AFTERNOON.seconds;

// Paragraphs are generated into a pool and recombined: drawing dictionary words for every
// article would make the text, not the store, the bottleneck. 8,192 paragraphs hold some 45,000
// sentences; in a million articles of 500 characters each paragraph recurs a few hundred times
// (as boilerplate does on real portals), and every article is a different combination.
const PARAGRAPH_POOL = 8_192;
/** Topic words for headlines, drawn by frequency once and then uniformly. */
const TOPIC_POOL = 65_536;
/** No pooled sentence is longer: a body overshoots its drawn length by less than this. */
export const MAX_SENTENCE_CHARS = 80;
/** Text read for a summary: more than its 120 characters, with room for folded spaces. */
const SUMMARY_SOURCE_CHARS = 160;

const TOWNS = [
  '中山街道',
  '滨湖街道',
  '江城街道',
  '新港街道',
  '东湖镇',
  '西塘镇',
  '南桥镇',
  '北岸镇',
  '青云镇',
  '枫林镇',
  '桃源镇',
  '白鹭镇',
];
const DEPARTMENTS = [
  '区发展改革委',
  '区教育局',
  '区科技局',
  '区工业和信息化局',
  '区民政局',
  '区司法局',
  '区财政局',
  '区人力资源社会保障局',
  '区自然资源局',
  '区生态环境局',
  '区住房城乡建设局',
  '区交通运输局',
  '区水务局',
  '区农业农村局',
  '区商务局',
  '区文体旅局',
  '区卫生健康委',
  '区应急管理局',
  '区审计局',
  '区市场监管局',
  '区统计局',
  '区医保局',
  '区数据局',
  '区融媒体中心',
];
/** Names for the channels a site lacks, before falling back to 专题N. */
const EXTRA_CHANNEL_NAMES = [
  '乡镇动态',
  '政策解读',
  '招标采购',
  '民生服务',
  '人大工作',
  '政协工作',
  '教育动态',
  '卫生健康',
  '生态环境',
  '文化旅游',
  '交通建设',
  '农业农村',
  '市场监管',
  '安全生产',
  '应急管理',
  '财政信息',
  '统计数据',
  '审计公告',
  '就业创业',
  '社会保障',
  '城乡建设',
  '自然资源',
  '科技创新',
  '营商环境',
  '乡村振兴',
  '双拥工作',
  '民族宗教',
  '退役军人',
  '妇女儿童',
  '志愿服务',
];

type TitleKind = 'news' | 'notice' | 'policy' | 'personnel';

/** The kind of headline a channel carries, from its name (通知公告 carries 关于…的通知). */
function titleKindOf(channel: Pick<Channel, 'name'>): TitleKind {
  if (/人事|招录|任免|招聘/.test(channel.name)) return 'personnel';
  if (/政策|文件|规章|解读|法规/.test(channel.name)) return 'policy';
  if (/通知|公告|公示|招标|采购/.test(channel.name)) return 'notice';
  return 'news';
}

interface TitleParts {
  readonly topic: string;
  readonly other: string;
  readonly org: string;
  readonly town: string;
  readonly name: string;
  readonly year: number;
}

const TITLE_TEMPLATES: Readonly<Record<TitleKind, readonly ((p: TitleParts) => string)[]>> = {
  news: [
    (p) => `${p.org}召开${p.topic}工作会议`,
    (p) => `${p.org}开展${p.topic}专项行动`,
    (p) => `${p.town}举办${p.topic}主题活动`,
    (p) => `${p.name}到${p.town}调研${p.topic}工作`,
    (p) => `${p.org}${p.topic}工作取得新成效`,
    (p) => `${p.year}年${p.org}${p.topic}推进会召开`,
    (p) => `${p.town}：${p.topic}助力${p.other}`,
  ],
  notice: [
    (p) => `关于${p.topic}的通知`,
    (p) => `关于开展${p.year}年度${p.topic}工作的通知`,
    (p) => `${p.org}关于${p.topic}的公告`,
    (p) => `关于${p.topic}有关事项的公示`,
  ],
  policy: [
    (p) => `${p.org}关于印发《${p.topic}实施方案》的通知`,
    (p) => `关于进一步加强${p.topic}工作的意见`,
    (p) => `《${p.topic}管理办法》政策解读`,
    (p) => `${p.year}年${p.org}${p.topic}工作要点`,
  ],
  personnel: [
    (p) => `${p.year}年${p.org}公开招聘${p.topic}人员公示`,
    (p) => `关于${p.name}等同志任职的通知`,
    (p) => `${p.org}${p.year}年度${p.topic}拟录用人员名单公示`,
  ],
};

const TITLE_CHARS = { min: 12, max: 30 } as const;

/** A paragraph of a body: `<p class="indent">…</p>`, as the importer writes paragraphs. */
interface Piece {
  readonly html: string;
  /** The text a reader sees. */
  readonly text: string;
  /** The summary of a body that opens with this paragraph, if the paragraph alone decides it. */
  readonly lead: string | null;
}

/** A pooled paragraph, with where each of its sentences ends, to cut it short. */
interface Paragraph extends Piece {
  /** After each sentence: the offsets in `html` and `text` (which is also the character count). */
  readonly ends: readonly { readonly html: number; readonly text: number }[];
}

/**
 * Pool entries are made the first time they are drawn, from the same seeded stream: a small run
 * makes only what it uses, a large one the whole pool, and both stay deterministic.
 */
class Pool<T> {
  private readonly items: (T | undefined)[];

  constructor(
    private readonly size: number,
    private readonly random: () => number,
    private readonly make: () => T,
  ) {
    // Filled up front: a sparse array would fall back to slow dictionary lookups.
    this.items = new Array<T | undefined>(size).fill(undefined);
  }

  draw(): T {
    const k = Math.floor(this.random() * this.size);
    return (this.items[k] ??= this.make());
  }
}

/** The recombinable text of one seed: paragraphs, headline words, editors. */
interface Writer {
  readonly text: TextSource;
  readonly paragraphs: Pool<Paragraph>;
  readonly topics: Pool<string>;
  readonly editors: readonly string[];
}

function makeParagraph(source: TextSource): Paragraph {
  const count = 3 + Math.floor(source.random() * 6);
  const ends: { html: number; text: number }[] = [];
  let html = '<p class="indent">';
  let text = '';
  while (ends.length < count) {
    const sentence = source.sentence();
    if (sentence.length > MAX_SENTENCE_CHARS) continue;
    html += escapeHtml(sentence);
    text += sentence;
    ends.push({ html: html.length, text: text.length });
  }
  const lead = summarize(text.slice(0, SUMMARY_SOURCE_CHARS));
  // Generated text never contains …: an ellipsis is summarize's, so the summary was cut short.
  return { html: `${html}</p>`, text, ends, lead: lead.endsWith('…') ? lead : null };
}

/** A word of two or more characters: single characters (的, 了) make odd headline topics. */
function topicWord(text: TextSource): string {
  for (;;) {
    const word = text.word();
    if (word.length >= 2) return word;
  }
}

function makeWriter(seed: number): Writer {
  const text = textSource(seededRandom(seed));
  const paragraphs = new Pool(PARAGRAPH_POOL, text.random, () => makeParagraph(text));
  const topics = new Pool(TOPIC_POOL, text.random, () => topicWord(text));
  // A portal has a handful of 责任编辑, not a new one per article.
  const editors = Array.from({ length: 8 }, () => text.personName());
  return { text, paragraphs, topics, editors };
}

/** A headline of 12–30 characters fitting the channel, and its topic words as keywords. */
function makeTitle(writer: Writer, kind: TitleKind, year: number): { title: string; keywords: string } {
  const { text, topics } = writer;
  const templates = TITLE_TEMPLATES[kind];
  for (;;) {
    const words = Array.from({ length: 1 + Math.floor(text.random() * 3) }, () => topics.draw());
    const parts: TitleParts = {
      topic: words.join(''),
      other: topics.draw(),
      org: text.random() < 0.5 ? '区政府' : text.pick(DEPARTMENTS),
      town: text.pick(TOWNS),
      name: text.personName(),
      year,
    };
    const title = text.pick(templates)(parts);
    // Titles are Han text and BMP punctuation, so UTF-16 length is the character count.
    if (title.length < TITLE_CHARS.min || title.length > TITLE_CHARS.max) continue;
    return { title, keywords: title.includes(parts.topic) ? words.join(',') : '' };
  }
}

/**
 * A body of pooled paragraphs whose length is drawn uniformly from half to one and a half times
 * `bodyChars` (the last paragraph is cut after the sentence that reaches it), and its summary.
 */
function makeBody(writer: Writer, bodyChars: number): { bodyHtml: string; summary: string } {
  const target = Math.round(bodyChars * (0.5 + writer.text.random()));
  const pieces: Piece[] = [];
  for (let chars = 0; chars < target;) {
    const piece = cut(writer.paragraphs.draw(), target - chars);
    pieces.push(piece);
    chars += piece.text.length;
  }
  return { bodyHtml: pieces.map((p) => p.html).join('\n'), summary: summaryOf(pieces) };
}

/** The paragraph, or its first sentences up to the one that fills `room` characters. */
function cut(paragraph: Paragraph, room: number): Piece {
  const end = paragraph.text.length <= room ? undefined : paragraph.ends.find((e) => e.text >= room);
  if (!end) return paragraph;
  return { html: `${paragraph.html.slice(0, end.html)}</p>`, text: paragraph.text.slice(0, end.text), lead: null };
}

/**
 * The summary the importer computes, summarize(htmlToText(body)), from the opening text alone:
 * paragraphs of plain sentences read as their text joined by newlines, and what follows the
 * first 120 characters cannot change a summary that was cut short (ends in …).
 */
function summaryOf(pieces: readonly Piece[]): string {
  const lead = pieces[0]?.lead;
  if (lead) return lead;
  let opening = '';
  let read = 0;
  while (read < pieces.length && opening.length < SUMMARY_SOURCE_CHARS)
    opening += (read === 0 ? '' : '\n') + (pieces[read++]?.text ?? '');
  const sliced = opening.length > SUMMARY_SOURCE_CHARS;
  const summary = summarize(sliced ? opening.slice(0, SUMMARY_SOURCE_CHARS) : opening);
  if (summary.endsWith('…') || (read === pieces.length && !sliced)) return summary;
  return summarize(htmlToText(pieces.map((p) => p.html).join('\n')));
}

/**
 * Distinct publish instants for `count` articles, increasing with the index: the office hours of
 * the weekdays in the last five years before the day `now` falls on (site time) are laid end to
 * end, cut into `count` equal slots, and each article takes a random second of its slot.
 */
class PublishTimes {
  private readonly morning: number[] = [];
  private readonly afternoon: number[] = [];
  /** The calendar year of each day: titles cite it. */
  private readonly years: number[] = [];
  private readonly total: number;

  constructor(
    now: Date,
    timeZone: string,
    private readonly count: number,
    private readonly random: () => number,
  ) {
    const today = toLocal(now, timeZone);
    for (let back = YEARS * 365; back >= 1; back--) {
      const day = new Date(Date.UTC(today.year, today.month - 1, today.day - back));
      const weekday = day.getUTCDay();
      if (weekday === 0 || weekday === 6) continue;
      const date = { year: day.getUTCFullYear(), month: day.getUTCMonth() + 1, day: day.getUTCDate(), second: 0 };
      const morning = fromLocal({ ...date, hour: MORNING.start[0], minute: MORNING.start[1] }, timeZone);
      const afternoon = fromLocal({ ...date, hour: AFTERNOON.start[0], minute: AFTERNOON.start[1] }, timeZone);
      if (!morning || !afternoon) continue;
      this.morning.push(morning.getTime());
      this.afternoon.push(afternoon.getTime());
      this.years.push(date.year);
    }
    this.total = this.morning.length * OFFICE_SECONDS;
    // Never reached within SYNTHETIC_LIMITS (five years hold some 35 million office seconds).
    if (this.total < count) throw new RangeError(`${count} articles do not fit in ${this.total} office seconds`);
  }

  /** When the `index`-th article was published (milliseconds since the epoch), and the local year. */
  at(index: number): { ms: number; year: number } {
    const slot = Math.floor((index * this.total) / this.count);
    const next = Math.floor(((index + 1) * this.total) / this.count);
    const second = slot + Math.floor(this.random() * (next - slot));
    const day = Math.floor(second / OFFICE_SECONDS);
    const within = second % OFFICE_SECONDS;
    const ms =
      within < MORNING.seconds
        ? (this.morning[day] ?? 0) + within * 1000
        : (this.afternoon[day] ?? 0) + (within - MORNING.seconds) * 1000;
    return { ms, year: this.years[day] ?? 0 };
  }
}

/** Draws channels for articles: the first of each channel in order, then busier channels first. */
class ChannelPicker {
  private readonly cumulative: Float64Array;

  constructor(
    private readonly list: readonly Channel[],
    private readonly random: () => number,
  ) {
    // Weights 1, 1/√2, 1/√3…: a portal's first columns carry most of its news.
    this.cumulative = new Float64Array(list.length);
    let sum = 0;
    list.forEach((_, i) => (this.cumulative[i] = sum += 1 / Math.sqrt(i + 1)));
  }

  /** Throws if the list is empty: the caller always has at least one channel. */
  at(index: number): Channel {
    const total = this.cumulative[this.cumulative.length - 1] ?? 0;
    const k = index < this.list.length ? index : weightedIndex(this.cumulative, this.random() * total);
    const channel = this.list[k];
    if (!channel) throw new RangeError('no channel to put articles in');
    return channel;
  }
}

function checkWhole(field: keyof typeof SYNTHETIC_LIMITS, value: number): number {
  const { min, max } = SYNTHETIC_LIMITS[field];
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new GazetteError('FIELD_INVALID', { field, reason: `must be a whole number from ${min} to ${max}` });
  }
  return value;
}

/** The next name for an extra channel under `parent`, with its slug. */
function extraChannelName(tree: ChannelTree, parentId: number): { name: string; slug: string } {
  const taken = new Set(tree.children(parentId).map((c) => c.name));
  const name = EXTRA_CHANNEL_NAMES.find((n) => !taken.has(n));
  if (name) return { name, slug: tree.freeSlug(parentId, slugFromName(name)) };
  for (let n = 1; ; n++) {
    if (!taken.has(`专题${n}`)) return { name: `专题${n}`, slug: tree.freeSlug(parentId, `zt${n}`) };
  }
}

async function addListChannel(
  db: Kysely<Database>,
  tree: ChannelTree,
  channel: { siteId: number; parentId: number | null; name: string; slug: string },
  now: Date,
): Promise<Channel> {
  const siblings = tree.children(channel.parentId);
  const sortOrder = (siblings[siblings.length - 1]?.sortOrder ?? 0) + 10;
  return channelRepo.insertChannel(
    db,
    { ...channel, type: 'list', sortOrder, description: '', keywords: '', linkUrl: null, bodyHtml: null },
    now,
  );
}

/**
 * The first `wanted` list channels of the site in navigation order, creating the missing ones
 * under 专题栏目 (itself a list channel, and one of them); `wanted` undefined: all there are.
 */
async function listChannelsFor(
  ctx: ServiceContext,
  site: Site,
  wanted: number | undefined,
): Promise<{ channels: Channel[]; recorded: RecordedEvents }> {
  const now = ctx.clock.now();
  return ctx.store.db.transaction().execute(async (trx) => {
    const all = await channelRepo.listChannels(trx, site.id);
    const before = [...all];
    const created: Channel[] = [];
    let tree = new ChannelTree(all);
    const lists = () => tree.all().filter((c) => c.type === 'list');
    const target = wanted ?? Math.max(lists().length, 1);
    while (lists().length < target) {
      const parent = tree.findChild(null, EXTRA_CHANNELS_PARENT);
      if (parent && parent.type !== 'list') throw new GazetteError('CHANNEL_NOT_LIST', { name: parent.name });
      const { name, slug } = parent
        ? extraChannelName(tree, parent.id)
        : { name: EXTRA_CHANNELS_PARENT, slug: tree.freeSlug(null, slugFromName(EXTRA_CHANNELS_PARENT)) };
      const channel = await addListChannel(
        trx,
        tree,
        { siteId: site.id, parentId: parent?.id ?? null, name, slug },
        now,
      );
      all.push(channel);
      created.push(channel);
      tree = new ChannelTree(all);
    }
    // One event for the columns made here: the pages are compared with the tree before them all.
    const first = created[0];
    const events: ContentEvent[] = first
      ? [{ type: 'channel.changed', siteId: site.id, channelId: first.id, before }]
      : [];
    return { channels: lists().slice(0, target), recorded: await recordEvents(trx, ctx, events) };
  });
}

type ArticleInsert = Insertable<Database['article']>;

/** Makes the rows of one run, in publishing order. */
class ArticleMaker {
  private readonly writer: Writer;
  private readonly times: PublishTimes;
  private readonly picker: ChannelPicker;
  private readonly kinds: Map<number, TitleKind>;

  constructor(
    private readonly site: Site,
    channels: readonly Channel[],
    private readonly total: number,
    seed: number,
    private readonly bodyChars: number,
    now: Date,
  ) {
    this.writer = makeWriter(seed);
    this.times = new PublishTimes(now, site.timeZone, total, this.writer.text.random);
    this.picker = new ChannelPicker(channels, this.writer.text.random);
    this.kinds = new Map(channels.map((c) => [c.id, titleKindOf(c)]));
  }

  row(index: number): ArticleInsert {
    const { text, editors } = this.writer;
    const channel = this.picker.at(index);
    const published = this.times.at(index);
    const stamp = new Date(published.ms).toISOString();
    const { title, keywords } = makeTitle(this.writer, this.kinds.get(channel.id) ?? 'news', published.year);
    const { bodyHtml, summary } = makeBody(this.writer, this.bodyChars);
    return {
      siteId: this.site.id,
      channelId: channel.id,
      title,
      subtitle: '',
      // null prints as 本站; the other half come from a department.
      source: text.random() < 0.5 ? null : text.pick(DEPARTMENTS),
      author: text.personName(),
      responsibleEditor: text.pick(editors),
      publishedAt: stamp,
      bodyHtml,
      summary,
      keywords,
      coverImage: null,
      attachments: '[]',
      status: 'published',
      // Older articles have been read more: up to a few thousand views after five years.
      viewCount: Math.floor(text.random() * text.random() * 4000 * (1 - index / this.total) + text.random() * 200),
      version: 1,
      importKey: null,
      createdBy: null,
      createdAt: stamp,
      updatedAt: stamp,
    };
  }
}

/**
 * Fills the site (the demo site, created if there is none) with `articles` generated, published
 * Chinese articles over `channels` list channels; deterministic for a seed. Articles are not
 * search-indexed (reindexSearch does that, at a few hundred articles a second), and no events
 * are emitted for them: the publisher learns of bulk data by a full rebuild, not a million events.
 */
export async function generateSyntheticArticles(
  ctx: ServiceContext,
  options: SyntheticOptions,
): Promise<SyntheticResult> {
  const started = performance.now();
  const total = checkWhole('articles', options.articles);
  const seed = checkWhole('seed', options.seed ?? SYNTHETIC_DEFAULTS.seed);
  const bodyChars = checkWhole('bodyChars', options.bodyChars ?? SYNTHETIC_DEFAULTS.bodyChars);
  const wanted = options.channels === undefined ? undefined : checkWhole('channels', options.channels);
  const onProgress = options.onProgress ?? (() => {});

  const { site } = await ensureSite(ctx, options.timeZone ?? SYNTHETIC_DEFAULTS.timeZone);
  const { channels, recorded } = await listChannelsFor(ctx, site, wanted);
  sendEvents(ctx, recorded);
  const now = ctx.clock.now();
  const maker = new ArticleMaker(site, channels, total, seed, bodyChars, now);

  onProgress(0, total);
  for (let start = 0; start < total; start += ROWS_PER_TRANSACTION) {
    const end = Math.min(total, start + ROWS_PER_TRANSACTION);
    await ctx.store.db.transaction().execute(async (trx) => {
      // The next statement's rows are made while PostgreSQL stores the last ones (SQLite, in
      // process, stores them when this function next waits, so there it changes nothing).
      let stored: Promise<void> = Promise.resolve();
      for (let from = start; from < end; from += ROWS_PER_STATEMENT) {
        const rows: ArticleInsert[] = [];
        for (let i = from; i < Math.min(end, from + ROWS_PER_STATEMENT); i++) rows.push(maker.row(i));
        await stored;
        stored = trx
          .insertInto('article')
          .values(rows)
          .execute()
          .then(() => onProgress(from + rows.length, total));
      }
      await stored;
      // The run's one audit entry commits with its last articles.
      if (end === total) {
        await appendAudit(trx, ctx.store.dialect, now, systemActor('demo'), {
          action: 'demo.generate',
          targetType: 'site',
          targetId: site.id,
          details: { articles: total, channels: channels.length, seed },
        });
      }
    });
  }
  return { articles: total, channels: channels.length, seconds: (performance.now() - started) / 1000 };
}
