import type { Channel, ChannelTree } from './channel.js';

/**
 * What a change to the channel tree (a column renamed, moved, reordered, retyped, created or
 * deleted) changes on the public pages, worked out from the tree before and after: each kind
 * of page is compared on exactly what it shows of the columns. The publisher turns this into
 * page paths (which needs the store: a column's articles and list sizes).
 */
export interface ChannelTreeChange {
  /** The navigation (the top-level columns, their names, addresses and order): every page shows it. */
  readonly navigation: boolean;
  /** The home page's blocks (the top-level list columns). */
  readonly homeBlocks: boolean;
  /** Columns (of the tree after) whose own pages show something that changed: heading, breadcrumb, sub-column list, address. */
  readonly pages: ReadonlySet<number>;
  /** Columns whose feeds' title, description or address changed. */
  readonly feeds: ReadonlySet<number>;
  /** Columns whose article pages show something that changed: breadcrumb, the column's name and metadata, address. */
  readonly articles: ReadonlySet<number>;
  /** Columns in both trees whose address changed (their articles' addresses with them). */
  readonly moved: ReadonlySet<number>;
  /** Columns of the tree before whose pages are no longer where they were: deleted, moved, or no longer a list or page. */
  readonly gone: ReadonlySet<number>;
  /** The column addresses in the sitemap (every column but links). */
  readonly sitemapColumns: boolean;
}

/** Where a column's link goes: a link column's target, else its own front page. */
export function channelHref(tree: ChannelTree, channel: Channel): string {
  return channel.type === 'link' && channel.linkUrl ? channel.linkUrl : tree.path(channel.id);
}

const navigationOf = (tree: ChannelTree) => JSON.stringify(tree.roots().map((c) => [c.name, channelHref(tree, c)]));
const homeBlocksOf = (tree: ChannelTree) =>
  JSON.stringify(
    tree
      .roots()
      .filter((c) => c.type === 'list')
      .map((c) => [c.id, c.name, c.slug]),
  );
const breadcrumbOf = (tree: ChannelTree, id: number) =>
  JSON.stringify(tree.ancestry(id).map((c) => [c.name, channelHref(tree, c)]));
const childrenOf = (tree: ChannelTree, id: number) =>
  JSON.stringify(tree.children(id).map((c) => [c.name, channelHref(tree, c)]));
const sitemapColumnsOf = (tree: ChannelTree) =>
  JSON.stringify(
    tree
      .all()
      .filter((c) => c.type !== 'link')
      .map((c) => tree.path(c.id)),
  );

/** What an article page shows of its column (the frame's metadata and feed link, the breadcrumb, its address). */
function articleFrameOf(tree: ChannelTree, c: Channel): string {
  return JSON.stringify([c.name, c.type, c.description, c.keywords, tree.path(c.id), breadcrumbOf(tree, c.id)]);
}

/** What a column's own pages show of it (and what its articles' pages show) plus its content and sub-columns. */
function channelFrameOf(tree: ChannelTree, c: Channel): string {
  return JSON.stringify([articleFrameOf(tree, c), c.bodyHtml, childrenOf(tree, c.id)]);
}

const feedOf = (tree: ChannelTree, c: Channel) => JSON.stringify([c.name, c.type, c.description, tree.path(c.id)]);

export function diffChannelTrees(before: ChannelTree, after: ChannelTree): ChannelTreeChange {
  const pages = new Set<number>();
  const feeds = new Set<number>();
  const articles = new Set<number>();
  const moved = new Set<number>();
  const gone = new Set<number>();
  for (const channel of after.all()) {
    if (channel.type === 'link') continue;
    const old = before.get(channel.id);
    if (!old || old.type === 'link') {
      pages.add(channel.id);
      feeds.add(channel.id);
      articles.add(channel.id);
      continue;
    }
    if (channelFrameOf(before, old) !== channelFrameOf(after, channel)) pages.add(channel.id);
    if (feedOf(before, old) !== feedOf(after, channel)) feeds.add(channel.id);
    if (articleFrameOf(before, old) !== articleFrameOf(after, channel)) articles.add(channel.id);
    if (before.path(old.id) !== after.path(channel.id)) moved.add(channel.id);
  }
  for (const old of before.all()) {
    if (old.type === 'link') continue;
    const now = after.get(old.id);
    if (!now || now.type !== old.type || moved.has(old.id)) gone.add(old.id);
  }
  return {
    navigation: navigationOf(before) !== navigationOf(after),
    homeBlocks: homeBlocksOf(before) !== homeBlocksOf(after),
    pages,
    feeds,
    articles,
    moved,
    gone,
    sitemapColumns: sitemapColumnsOf(before) !== sitemapColumnsOf(after),
  };
}
