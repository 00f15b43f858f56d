import type { Kysely } from 'kysely';
import {
  CONSULTATIONS_PATH,
  INFO_REQUEST_PATH,
  LETTERS_PATH,
  LIBRARY_PATH,
  SURVEYS_PATH,
  articlePath,
  defaultLook,
  formatDate,
  letterPath,
  libraryChannelIds,
  type ChannelTree,
  type DisclosureBlock,
  type HeadlineBlock,
  type HomeBlock,
  type ImageValue,
  type InteractionBlock,
  type LinkEntry,
  type LinksBlock,
  type PicturesBlock,
  type ServicesBlock,
  type SiteLook,
  type TabsBlock,
  type TopicsBlock,
} from '../domain/index.js';
import { articleMarks, articles, letters, topics, type Database, type Letter } from '../store/index.js';
import { frame, listItem, type SiteView } from './pages.js';
import { linkPlaced, type SiteViews } from './placed-links.js';

/**
 * The home page's model: the site's look (its own, or the default look for its columns) turned
 * into blocks the templates render in order, each with its kind, id, title and what it lists.
 * Everything a block shows is read here, so templates stay simple and the dependency map
 * (home-deps.ts) can say which changes reach which block.
 */

/** An entry of a list on the home page. */
export interface HomeItem {
  readonly title: string;
  readonly url: string;
  /** 已废止 and the like, shown beside the title. */
  readonly mark: string;
  readonly date: string;
  readonly datetime: string;
}

export interface HomeLink {
  readonly title: string;
  readonly url: string;
  /** Another site: opens normally, with rel="noopener". */
  readonly external: boolean;
}

const isExternal = (url: string) => /^[a-z][a-z0-9+.-]*:/i.test(url);
const homeLink = (entry: LinkEntry): HomeLink => ({ ...entry, external: isExternal(entry.url) });

/** The look the home page is built from: the site's own, else the default look for its columns. */
export function lookOf(view: SiteView): SiteLook {
  return view.look ?? defaultLook(view.tree);
}

/** The columns a block reads: those named with everything below them, or every column of the site when none is named. */
export function scopeIds(tree: ChannelTree, channelIds: readonly number[]): number[] {
  if (channelIds.length === 0) return tree.all().map((c) => c.id);
  const ids = new Set<number>();
  for (const id of channelIds) if (tree.get(id)) for (const sub of tree.subtreeIds(id)) ids.add(sub);
  return [...ids];
}

/** The columns 专题 can be in: a column holds items of its own content type only. */
export function topicColumnIds(tree: ChannelTree): number[] {
  return tree
    .all()
    .filter((c) => c.type === 'list' && c.contentType === 'topic')
    .map((c) => c.id);
}

/** The 信息公开 entrances every site serves, and the 政策文件库 where the site has policy columns. */
function disclosureEntrances(tree: ChannelTree): HomeLink[] {
  return [
    { title: '政府信息公开目录', url: '/xxgk.html', external: false },
    { title: '依申请公开', url: `${INFO_REQUEST_PATH}shenqing`, external: false },
    ...(libraryChannelIds(tree).length > 0 ? [{ title: '政策文件库', url: LIBRARY_PATH, external: false }] : []),
  ];
}

/**
 * 互动交流's entrances. Every site of the platform serves its 领导信箱 list (published with the
 * site), its 意见征集 and its 网上调查 pages (answered for each site), so each is listed.
 */
export const INTERACTION_ENTRANCES: readonly (HomeLink & { readonly text: string })[] = [
  { title: '领导信箱', url: LETTERS_PATH, external: false, text: '写信反映问题、提出意见建议' },
  { title: '意见征集', url: CONSULTATIONS_PATH, external: false, text: '对政策文件草案发表意见' },
  { title: '网上调查', url: SURVEYS_PATH, external: false, text: '参与问卷调查' },
];

async function headlineModel(db: Kysely<Database>, view: SiteView, block: HeadlineBlock) {
  const scope = scopeIds(view.tree, block.channelIds);
  const [newest] = await articleMarks.newestMarked(db, view.site.id, 'headline', scope, { withCover: false, limit: 1 });
  const item = newest ? { ...listItem(view, newest), summary: block.showSummary ? newest.summary : '' } : null;
  return { kind: block.kind, id: block.id, title: block.title, item };
}

async function picturesModel(db: Kysely<Database>, view: SiteView, block: PicturesBlock) {
  const scope = scopeIds(view.tree, block.channelIds);
  const marked = await articleMarks.newestMarked(db, view.site.id, 'picture', scope, {
    withCover: true,
    limit: block.count,
  });
  const items = marked.map((l) => ({
    ...listItem(view, l),
    picture: { url: l.coverImage ?? '', alt: l.title },
  }));
  return { kind: block.kind, id: block.id, title: block.title, moreUrl: block.moreUrl, items };
}

/** The newest entries of a column's list (its sub-columns and placements in it), as lists show them, and the ids of the site's own. */
async function columnEntries(
  db: Kysely<Database>,
  view: SiteView,
  channelId: number,
  count: number,
  views: SiteViews,
): Promise<{ items: HomeItem[]; ids: (number | null)[] }> {
  const listings = await articles.listPublished(db, view.tree.subtreeIds(channelId), { limit: count, offset: 0 });
  const items = (await linkPlaced(db, view, listings, views)).map((l) => listItem(view, l));
  // A placed article's cover is a file of its own site: no picture of it here.
  return { items, ids: listings.map((l) => (l.home ? null : l.id)) };
}

/** The tab's picture: its newest listed article of the site's own with a cover image (pictures on), else none. */
async function tabPicture(db: Kysely<Database>, items: readonly HomeItem[], ids: readonly (number | null)[]) {
  const covers = await articleMarks.coversOf(
    db,
    ids.filter((id): id is number => id !== null),
  );
  const index = ids.findIndex((id) => id !== null && covers.has(id));
  const item = items[index];
  const url = covers.get(ids[index] ?? 0);
  return item && url ? { url, alt: item.title, link: item.url, title: item.title } : null;
}

async function tabsModel(db: Kysely<Database>, view: SiteView, block: TabsBlock, views: SiteViews) {
  const tabs = [];
  for (const [i, tab] of block.tabs.entries()) {
    const channel = view.tree.get(tab.channelId);
    if (!channel) continue;
    const { items, ids } = await columnEntries(db, view, channel.id, block.count, views);
    const picture = block.pictures ? await tabPicture(db, items, ids) : null;
    const url = view.tree.path(channel.id);
    tabs.push({ id: `${block.id}-${i + 1}`, title: tab.title || channel.name, url, items, picture });
  }
  return { kind: block.kind, id: block.id, title: block.title, showDates: block.showDates, tabs };
}

async function disclosureModel(db: Kysely<Database>, view: SiteView, block: DisclosureBlock, views: SiteViews) {
  const { tree } = view;
  const column = tree.get(block.channelId);
  const children = column ? tree.children(column.id).filter((c) => c.type === 'list') : [];
  const shown = column && children.length === 0 ? [column] : children;
  const sections = [];
  for (const channel of shown) {
    const { items } = await columnEntries(db, view, channel.id, block.count, views);
    // An empty sub-column would only say 本栏目暂无信息 on the front page: it is left out.
    if (items.length > 0) sections.push({ title: channel.name, url: tree.path(channel.id), items });
  }
  return {
    kind: block.kind,
    id: block.id,
    title: block.title,
    url: column ? tree.path(column.id) : '',
    sections,
    entrances: disclosureEntrances(tree),
  };
}

function servicesModel(block: ServicesBlock) {
  const entries = block.entries.map((entry) => ({ ...homeLink(entry), icon: entry.icon }));
  return { kind: block.kind, id: block.id, title: block.title, moreUrl: block.moreUrl, entries };
}

function letterItem(view: SiteView, letter: Letter): HomeItem {
  const at = new Date(letter.answeredAt ?? letter.publishedAt ?? letter.receivedAt);
  return {
    title: letter.publishedTitle ?? '',
    url: letterPath(letter.id),
    mark: '',
    date: formatDate(at, view.site.timeZone),
    datetime: at.toISOString(),
  };
}

/** The newest published letters (the public list's newest end), newest first. */
export async function newestLetters(db: Kysely<Database>, siteId: number, count: number): Promise<Letter[]> {
  if (count <= 0) return [];
  const total = await letters.countPublished(db, siteId);
  return letters.publishedByPosition(db, siteId, { first: Math.max(1, total - count + 1), last: total });
}

async function interactionModel(db: Kysely<Database>, view: SiteView, block: InteractionBlock) {
  const newest = await newestLetters(db, view.site.id, block.count);
  return {
    kind: block.kind,
    id: block.id,
    title: block.title,
    moreUrl: LETTERS_PATH,
    entrances: INTERACTION_ENTRANCES,
    letters: newest.map((letter) => letterItem(view, letter)),
  };
}

function bannerOf(value: unknown): ImageValue | null {
  if (typeof value !== 'object' || value === null || !('url' in value) || !('alt' in value)) return null;
  const { url, alt } = value as ImageValue;
  return typeof url === 'string' && url !== '' ? { url, alt: typeof alt === 'string' ? alt : '' } : null;
}

async function topicsModel(db: Kysely<Database>, view: SiteView, block: TopicsBlock) {
  const tz = view.site.timeZone;
  const items = (await topics.newestTopics(db, topicColumnIds(view.tree), block.count)).map((topic) => {
    const at = new Date(topic.publishedAt);
    return {
      title: topic.title,
      url: articlePath(view.tree.path(topic.channelId), topic, tz),
      mark: '',
      date: formatDate(at, tz),
      datetime: at.toISOString(),
      banner: bannerOf(topic.fields.banner),
    };
  });
  return { kind: block.kind, id: block.id, title: block.title, moreUrl: block.moreUrl, items };
}

function linksModel(block: LinksBlock) {
  const groups = block.groups.map((group) => ({ title: group.title, links: group.links.map(homeLink) }));
  return { kind: block.kind, id: block.id, title: block.title, groups };
}

/** One block's model, with everything it lists read from the store. */
export function blockModel(db: Kysely<Database>, view: SiteView, block: HomeBlock, views: SiteViews = new Map()) {
  switch (block.kind) {
    case 'headline':
      return headlineModel(db, view, block);
    case 'pictures':
      return picturesModel(db, view, block);
    case 'tabs':
      return tabsModel(db, view, block, views);
    case 'disclosure':
      return disclosureModel(db, view, block, views);
    case 'services':
      return Promise.resolve(servicesModel(block));
    case 'interaction':
      return interactionModel(db, view, block);
    case 'topics':
      return topicsModel(db, view, block);
    case 'links':
      return Promise.resolve(linksModel(block));
  }
}

export type HomeBlockModel = Awaited<ReturnType<typeof blockModel>>;

/** The models of the look's blocks, in order. Read one after another: a publish run renders pages side by side already. */
export async function homeBlocks(db: Kysely<Database>, view: SiteView): Promise<HomeBlockModel[]> {
  const views: SiteViews = new Map();
  const blocks: HomeBlockModel[] = [];
  for (const block of lookOf(view).blocks) blocks.push(await blockModel(db, view, block, views));
  return blocks;
}

export async function homePage(db: Kysely<Database>, view: SiteView) {
  return { frame: frame(view, view.site.name, '/', null, {}), blocks: await homeBlocks(db, view) };
}
