import type { Kysely } from 'kysely';
import type { Article, ChannelTree, HomeBlock, Site, SiteLook } from '../domain/index.js';
import {
  articleMarks,
  articles,
  letters,
  topics,
  type ArticleMark,
  type Database,
  type Letter,
} from '../store/index.js';
import type { ArticleChange } from './deps.js';
import { homeBlocks, lookOf, scopeIds, topicColumnIds } from './home.js';
import type { SiteView } from './pages.js';

/**
 * The dependency map of the home page: whether a change reaches `/`. Each block shows a window
 * of some list (the newest `count` of a column, of the articles marked 头条 or 图片新闻, of the
 * 专题, of the published letters); a change renders `/` exactly when what changed is, or for a
 * removal or an edit was, inside one of those windows. Everything is read as it is after the
 * change: an entry is in a window when fewer than `count` entries of its list are newer than it.
 */

type Placed = Pick<Article, 'id' | 'channelId' | 'publishedAt' | 'createdAt'>;
type At = { readonly id: number; readonly publishedAt: string };

/** Whether the entry is among the newest `count` of a column's list (sub-columns and placements included). */
async function inColumnWindow(
  db: Kysely<Database>,
  tree: ChannelTree,
  columnId: number,
  entry: Placed & At,
  count: number,
): Promise<boolean> {
  if (!tree.get(columnId)) return false;
  const ids = tree.subtreeIds(columnId);
  if (!ids.includes(entry.channelId)) return false;
  return (await articles.countPublishedAfter(db, ids, entry)) < count;
}

/** The columns whose newest entries a list block shows, each with how many. */
function listWindows(tree: ChannelTree, block: HomeBlock): { columnId: number; count: number }[] {
  if (block.kind === 'tabs') return block.tabs.map((tab) => ({ columnId: tab.channelId, count: block.count }));
  if (block.kind !== 'disclosure') return [];
  const children = tree.children(block.channelId).filter((c) => c.type === 'list');
  const sections = children.length > 0 ? children.map((c) => c.id) : [block.channelId];
  return sections.map((columnId) => ({ columnId, count: block.count }));
}

/** Whether an entry at its place in a column's list is inside a list block (tabs, 政务公开) of the look. */
async function inListBlocks(db: Kysely<Database>, view: SiteView, entry: Placed & At): Promise<boolean> {
  for (const block of lookOf(view).blocks)
    for (const window of listWindows(view.tree, block))
      if (await inColumnWindow(db, view.tree, window.columnId, entry, window.count)) return true;
  return false;
}

/** What the marked and 专题 blocks need of the article: its type, cover and marks (read once, when a block asks). */
interface ArticleFacts {
  readonly topic: boolean;
  readonly cover: boolean;
  readonly marks: readonly ArticleMark[];
}

async function factsOf(db: Kysely<Database>, id: number): Promise<ArticleFacts | null> {
  const [row, marks] = await Promise.all([articles.findArticle(db, id), articleMarks.marksOf(db, id)]);
  if (!row) return null;
  return { topic: row.contentType === 'topic', cover: !!row.coverImage, marks };
}

/**
 * Whether the site's own article, at this place, is inside a 头条, 图片新闻 or 专题 block. A
 * picture block counts the article as having a cover after an edit: the edit may have taken its
 * cover away (the event does not say), and then it was in the block.
 */
async function inArticleBlock(
  db: Kysely<Database>,
  view: SiteView,
  block: HomeBlock,
  article: Placed & At,
  change: { readonly kind: ArticleChange; readonly facts: ArticleFacts },
): Promise<boolean> {
  const { kind, facts } = change;
  const siteId = view.site.id;
  switch (block.kind) {
    case 'topics': {
      const ids = topicColumnIds(view.tree);
      if (!facts.topic || !ids.includes(article.channelId)) return false;
      return (await topics.countTopicsAfter(db, ids, article)) < block.count;
    }
    case 'headline': {
      const scope = scopeIds(view.tree, block.channelIds);
      if (!facts.marks.includes('headline') || !scope.includes(article.channelId)) return false;
      return (await articleMarks.countMarkedAfter(db, siteId, 'headline', scope, false, article)) < 1;
    }
    case 'pictures': {
      const scope = scopeIds(view.tree, block.channelIds);
      if (!facts.marks.includes('picture') || !scope.includes(article.channelId)) return false;
      // A picture's caption shows none of the typed values a 'marked' change is about.
      if (kind === 'marked' || (!facts.cover && kind !== 'edited')) return false;
      return (await articleMarks.countMarkedAfter(db, siteId, 'picture', scope, true, article)) < block.count;
    }
    default:
      return false;
  }
}

const ARTICLE_BLOCKS: readonly HomeBlock['kind'][] = ['headline', 'pictures', 'topics'];

async function inArticleBlocks(
  db: Kysely<Database>,
  view: SiteView,
  article: Placed & At,
  kind: ArticleChange,
): Promise<boolean> {
  const blocks = lookOf(view).blocks.filter((b) => ARTICLE_BLOCKS.includes(b.kind));
  if (blocks.length === 0) return false;
  const facts = await factsOf(db, article.id);
  if (!facts) return false;
  for (const block of blocks) if (await inArticleBlock(db, view, block, article, { kind, facts })) return true;
  return false;
}

/** Whether `/` shows, or (removed, edited) showed, the site's own article at this place. */
export async function homeShowsArticle(
  db: Kysely<Database>,
  view: SiteView,
  article: Placed,
  kind: ArticleChange,
): Promise<boolean> {
  if (article.publishedAt === null || !view.tree.get(article.channelId)) return false;
  const at = { ...article, publishedAt: article.publishedAt };
  return (await inListBlocks(db, view, at)) || inArticleBlocks(db, view, at, kind);
}

/** Whether `/` shows, or showed, an entry placed (引用) in a column of the site: only its lists show placements. */
export async function homeShowsPlacement(db: Kysely<Database>, view: SiteView, entry: Placed): Promise<boolean> {
  if (entry.publishedAt === null || !view.tree.get(entry.channelId)) return false;
  return inListBlocks(db, view, { ...entry, publishedAt: entry.publishedAt });
}

/**
 * Whether `/` shows, or showed, an article whose 头条 or 图片新闻 mark was just set or cleared:
 * it is published on the site and would be inside the block of that mark with it. (Which of its
 * marks changed is not said, so both blocks are asked.)
 */
export async function homeShowsMarked(db: Kysely<Database>, view: SiteView, article: Article): Promise<boolean> {
  if (article.status !== 'published' || article.publishedAt === null || !view.tree.get(article.channelId)) return false;
  const at = { id: article.id, publishedAt: article.publishedAt };
  for (const block of lookOf(view).blocks) {
    if (block.kind !== 'headline' && block.kind !== 'pictures') continue;
    const scope = scopeIds(view.tree, block.channelIds);
    if (!scope.includes(article.channelId)) continue;
    const picture = block.kind === 'pictures';
    if (picture && !article.coverImage) continue;
    const mark = picture ? 'picture' : 'headline';
    const newer = await articleMarks.countMarkedAfter(db, view.site.id, mark, scope, picture, at);
    if (newer < (picture ? block.count : 1)) return true;
  }
  return false;
}

/** The most letters an 互动交流 block of the look shows; 0 when none does. */
function lettersShown(look: SiteLook): number {
  return Math.max(0, ...look.blocks.map((b) => (b.kind === 'interaction' ? b.count : 0)));
}

/**
 * When an unpublished letter had been published (what `publishedAt` held before it was cleared):
 * its steps say it. A letter imported as published took its answer's time; publishing it again
 * while it is published keeps the first time. Null when the steps do not tell.
 */
async function publishedBefore(db: Kysely<Database>, letter: Letter): Promise<string | null> {
  let published = false;
  let at: string | null = null;
  for (const step of await letters.stepsOf(db, letter.id)) {
    if (step.step === 'import' && step.toStatus === 'published') {
      [published, at] = [true, letter.answeredAt];
    } else if (step.step === 'publish' && !published) {
      [published, at] = [true, step.at];
    } else if (step.step === 'unpublish') published = false;
  }
  return at;
}

/** Whether `/` shows, or (removed) showed, a letter: among the newest published ones an 互动交流 block lists. */
export async function homeShowsLetter(
  db: Kysely<Database>,
  view: SiteView,
  letter: Letter,
  change: 'added' | 'removed' | 'edited',
): Promise<boolean> {
  const count = lettersShown(lookOf(view));
  if (count === 0) return false;
  const publishedAt = change === 'removed' ? await publishedBefore(db, letter) : letter.publishedAt;
  // Not knowing where it was, the page is rendered again: it may have shown it.
  if (publishedAt === null) return change === 'removed';
  const total = await letters.countPublished(db, view.site.id);
  // Its place counts itself while it is published; unpublished, the letters before it: what
  // is left of the list is newer than it either way.
  const place = await letters.publishedPosition(db, { ...letter, publishedAt });
  return total - place < count;
}

/**
 * Whether the home page's blocks read differently from two channel trees (the articles did not
 * change): each block's model from the tree before and after, compared whole. A block naming a
 * column, a tab titled by its column, the default look built from the columns, an address in a
 * moved column: whatever the home page shows of the tree is in them.
 */
export async function homeChangedWithTree(
  db: Kysely<Database>,
  site: Site,
  look: SiteLook | undefined,
  before: ChannelTree,
  after: ChannelTree,
): Promise<boolean> {
  const was = await homeBlocks(db, { site, tree: before, ...(look && { look }) });
  const now = await homeBlocks(db, { site, tree: after, ...(look && { look }) });
  return JSON.stringify(was) !== JSON.stringify(now);
}
