import type { Kysely } from 'kysely';
import {
  ChannelTree,
  SHIPPED_TYPES,
  articlePath,
  channelHref,
  channelPagePath,
  chunkPositions,
  listLayout,
  columnTypeOf,
  feedPath,
  formatIsoLocal,
  formatDate,
  formatDateTime,
  siteUrl,
  sourceLabel,
  type Article,
  type Channel,
  type Site,
  type SiteLook,
  type LookImage,
  type FieldDef,
  type FieldValues,
  type ImageValue,
} from '../domain/index.js';
import type { TemplateOverrides } from '../theme/index.js';
import {
  articles,
  contentTypes,
  looks,
  sites,
  themeOverrides,
  type ArticleListing,
  type Database,
} from '../store/index.js';
import { NO_RELATIONS, itemModel, loadItemRelations, type ItemRelations } from './items.js';
import type { SearchResult } from '../search/index.js';
import { findDisclosure, type DisclosureRow } from '../compliance/disclosure/store.js';
import { linkPlaced, type LinkedListing } from './placed-links.js';

/**
 * Page models: everything a template needs, computed here so templates stay simple and the
 * same content always renders to the same bytes. Nothing here depends on the time of day;
 * the date bar and the view count are filled when the page is served.
 */

/** A site with its channel tree: the named one, or the platform's only site. Null when there is none. */
export async function loadSiteView(db: Kysely<Database>, siteId?: number): Promise<SiteView | null> {
  const found = await sites.findSiteWithChannels(db, siteId);
  if (!found) return null;
  const [addedFields, stored, overrides] = await Promise.all([
    contentTypes.addedFields(db, found.site.id),
    looks.findLook(db, found.site.id),
    themeOverrides.siteOverrides(db, found.site.id),
  ]);
  // No templates of its own: `overrides` stays absent and the default theme's engine renders alone.
  const view = {
    site: found.site,
    tree: new ChannelTree(found.channels),
    addedFields,
    ...(overrides && { overrides }),
  };
  // No look saved: `look` stays absent and the theme's default look for the tree applies.
  return stored ? { ...view, look: stored.look } : view;
}

export const RELATED_COUNT = 5;

export interface SiteView {
  readonly site: Site;
  readonly tree: ChannelTree;
  /** The fields the site added to its content types (none when the view was built in memory). */
  readonly addedFields?: readonly (FieldDef & { readonly contentType: string })[];
  /** The site's look (站点外观); absent (a view built in memory): the default look for its tree. */
  readonly look?: SiteLook;
  /** The site's own versions of the default theme's templates; absent: none. */
  readonly overrides?: TemplateOverrides;
}

interface Link {
  readonly title: string;
  readonly url: string;
}

interface ListItem extends Link {
  /** 已废止 and the like, shown beside the title. */
  readonly mark: string;
  readonly date: string;
  readonly datetime: string;
}

interface MetaTag {
  readonly name: string;
  readonly content: string;
}

export interface Frame {
  readonly site: Site;
  /** <link rel="alternate"> feeds: the site's, and the column's where there is one. */
  readonly feeds: readonly { title: string; href: string; type: string }[];
  readonly nav: readonly { name: string; url: string; current: boolean; external: boolean }[];
  readonly title: string;
  readonly metas: readonly MetaTag[];
  readonly canonical: string;
  /** What every page shows of the site's look: the masthead's logo and banner, the favicon (null: the theme's). */
  readonly look: FrameLook;
  /** The digits of the 公安备案号, for the footer's link to its record. */
  readonly policeRecordCode: string;
}

export interface FrameLook {
  readonly logo: LookImage | null;
  readonly banner: LookImage | null;
  readonly favicon: string | null;
}

const NO_LOOK: FrameLook = { logo: null, banner: null, favicon: null };

function frameLook(look: SiteLook | undefined): FrameLook {
  if (!look) return NO_LOOK;
  return { logo: look.logo, banner: look.banner, favicon: look.favicon };
}

function isExternal(url: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(url);
}

export function frame(
  view: SiteView,
  title: string,
  path: string,
  current: Channel | null,
  extra: Partial<Record<string, string>>,
): Frame {
  const { site, tree } = view;
  const top = current ? tree.ancestry(current.id)[0] : undefined;
  const nav = tree.roots().map((channel) => {
    const url = channelHref(view.tree, channel);
    return { name: channel.name, url, current: channel.id === top?.id, external: isExternal(url) };
  });
  const metaValues: Record<string, string | undefined> = {
    SiteName: site.name,
    SiteDomain: site.domain,
    SiteIDCode: site.siteCode,
    ColumnName: current?.name,
    ColumnType: current ? columnTypeOf(current) : undefined,
    ...extra,
    Keywords: extra.Keywords || current?.keywords || site.keywords,
    Description: extra.Description || current?.description || site.description,
    Url: siteUrl(site, path),
  };
  const metas = Object.entries(metaValues)
    .filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '')
    .map(([name, content]) => ({ name, content }));
  const feeds = [{ title: site.name, href: feedPath('/', 'rss'), type: 'application/rss+xml' }];
  if (current && current.type === 'list') {
    feeds.push({
      title: `${current.name} - ${site.name}`,
      href: feedPath(tree.path(current.id), 'rss'),
      type: 'application/rss+xml',
    });
  }
  return {
    site,
    feeds,
    nav,
    title,
    metas,
    canonical: siteUrl(site, path),
    look: frameLook(view.look),
    policeRecordCode: site.policeRecord.replace(/\D/g, ''),
  };
}

/** schema.org NewsArticle for search engines; `<` escaped so the JSON cannot end its script element. */
function newsArticleJsonLd(view: SiteView, article: Article, url: string): string {
  const tz = view.site.timeZone;
  const data = {
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    headline: article.title,
    description: article.summary,
    datePublished: formatIsoLocal(new Date(article.publishedAt ?? article.createdAt), tz),
    dateModified: formatIsoLocal(new Date(article.updatedAt), tz),
    mainEntityOfPage: url,
    author: { '@type': 'Organization', name: article.source ?? view.site.name },
    publisher: { '@type': 'GovernmentOrganization', name: view.site.hostOrganization },
    ...(article.coverImage ? { image: [article.coverImage] } : {}),
  };
  return JSON.stringify(data).replace(/</g, '\\u003c');
}

export function listItem(view: SiteView, listing: LinkedListing): ListItem {
  const at = new Date(listing.publishedAt);
  return {
    title: listing.title,
    mark: listing.listMark,
    url: listing.href ?? articlePath(view.tree.path(listing.channelId), listing, view.site.timeZone),
    date: formatDate(at, view.site.timeZone),
    datetime: at.toISOString(),
  };
}

function breadcrumb(view: SiteView, channel: Channel): Link[] {
  return view.tree.ancestry(channel.id).map((c) => ({ title: c.name, url: channelHref(view.tree, c) }));
}

export function dateRange(view: SiteView, listings: readonly ArticleListing[]): string {
  const newest = listings[0];
  const oldest = listings[listings.length - 1];
  if (!newest || !oldest) return '';
  const from = formatDate(new Date(oldest.publishedAt), view.site.timeZone);
  const to = formatDate(new Date(newest.publishedAt), view.site.timeZone);
  return from === to ? from : `${from} 至 ${to}`;
}

/**
 * A channel's front page (chunk null: the newest articles) or one chunk of its list; null when
 * the chunk is past the last one. The front page's pager names chunks; a chunk page links only
 * to its neighbours, so adding an article changes nothing on older chunks.
 */
export async function channelPage(db: Kysely<Database>, view: SiteView, channel: Channel, chunk: number | null) {
  const ids = view.tree.subtreeIds(channel.id);
  const total = await articles.countPublished(db, ids);
  const shown = shownPositions(total, chunk);
  if (shown === null) return null;
  const listings =
    shown.last < shown.first
      ? []
      : await linkPlaced(db, view, await articles.listPublishedByPosition(db, ids, shown, total));
  const model = channelPageModel(view, channel, chunk, total, listings);
  // Leaders and units are shown together on the column's front page, in their set order.
  if (chunk === null && (channel.contentType === 'leader' || channel.contentType === 'organ'))
    return { ...model, cards: await itemCards(db, view, ids) };
  return model;
}

/** How many leaders or units a column's front page shows at most. */
export const CARDS_LIMIT = 200;

async function itemCards(db: Kysely<Database>, view: SiteView, ids: readonly number[]) {
  const items = await contentTypes.publishedItems(db, ids, CARDS_LIMIT);
  const rank = (values: FieldValues) => (typeof values.rank === 'number' ? values.rank : Number.MAX_SAFE_INTEGER);
  return items
    .sort((a, b) => rank(a.fields) - rank(b.fields) || a.id - b.id)
    .map((item) => {
      const text = (name: string) => {
        const value = item.fields[name];
        return typeof value === 'string' ? value : '';
      };
      const photo = item.fields.photo as ImageValue | undefined;
      return {
        title: item.title,
        url: articlePath(view.tree.path(item.channelId), item, view.site.timeZone),
        post: text('post'),
        photo: photo ? { url: photo.url, alt: photo.alt } : null,
        head: text('head'),
        phone: text('phone'),
        address: text('address'),
      };
    });
}

/** Positions (1 = oldest) a channel page shows, or null for a chunk past the last one. */
export function shownPositions(total: number, chunk: number | null): { first: number; last: number } | null {
  const layout = listLayout(total);
  if (chunk !== null && chunk > layout.chunks) return null;
  const shown = chunk === null ? layout.front : [chunk];
  const newest = shown[0];
  const oldest = shown[shown.length - 1];
  if (newest === undefined || oldest === undefined) return { first: 1, last: 0 };
  return { first: chunkPositions(oldest, total).first, last: chunkPositions(newest, total).last };
}

/** The model of a channel page from the articles it shows (newest first), however they were read. */
export function channelPageModel(
  view: SiteView,
  channel: Channel,
  chunk: number | null,
  total: number,
  listings: readonly LinkedListing[],
) {
  const path = view.tree.path(channel.id);
  const url = (n: number | null) => channelPagePath(path, n);
  const children = view.tree.children(channel.id).map((c) => ({ name: c.name, url: channelHref(view.tree, c) }));
  const range = dateRange(view, listings);
  const title = chunk === null ? channel.name : `${channel.name}（${range}）`;
  return {
    frame: frame(view, `${title} - ${view.site.name}`, url(chunk), channel, {}),
    channel: { name: channel.name, description: channel.description, bodyHtml: channel.bodyHtml ?? '' },
    breadcrumb: breadcrumb(view, channel),
    children,
    articles: listings.map((l) => listItem(view, l)),
    pager: listPager(total, chunk, url, range),
  };
}

/**
 * The pager of a list page: the front page names the older chunks; a chunk links only to its
 * neighbours, so adding an entry changes nothing on older chunks.
 */
export function listPager(total: number, chunk: number | null, url: (n: number | null) => string, range: string) {
  const layout = listLayout(total);
  return chunk === null
    ? {
        front: true,
        total,
        older: layout.olderThanFront === null ? null : url(layout.olderThanFront),
        earliest: layout.olderThanFront === null ? null : url(1),
        // Older chunks, newest first, numbered as readers count pages (the front page is 1).
        numbers: olderChunks(layout.olderThanFront).map((n, i) => ({ label: i + 2, url: url(n) })),
      }
    : {
        front: false,
        range,
        latest: url(null),
        newer: chunk < layout.chunks ? url(chunk + 1) : url(null),
        older: chunk > 1 ? url(chunk - 1) : null,
        earliest: chunk > 1 ? url(1) : null,
      };
}

const PAGER_NUMBERS = 8;

function olderChunks(from: number | null): number[] {
  const numbers: number[] = [];
  for (let n = from; n !== null && n >= 1 && numbers.length < PAGER_NUMBERS; n--) numbers.push(n);
  return numbers;
}

/** What an article page shows besides the article: its neighbours, 相关文章 and 信息公开 data. */
/** A copy of another site's article kept by the site whose column shows it (引用), and where its own page is. */
export interface PlacedCopy {
  readonly channelId: number;
  /** The article's own page, absolute: the copy's rel=canonical. */
  readonly canonical: string;
  /** The site the article belongs to: its 来源 when the article names none. */
  readonly homeName: string;
}

/** A copy shows no 上一篇/下一篇 or related articles: those are its home column's. */
export const NO_SURROUNDINGS: ArticleSurroundings = {
  previous: undefined,
  next: undefined,
  related: [],
  disclosure: undefined,
};

export interface ArticleSurroundings {
  readonly previous: ArticleListing | undefined;
  readonly next: ArticleListing | undefined;
  /** Newest first. */
  readonly related: readonly ArticleListing[];
  readonly disclosure: DisclosureRow | undefined;
  /** What a typed item's page shows of other items (none for a plain article). */
  readonly relations?: ItemRelations;
}

export async function articlePage(db: Kysely<Database>, view: SiteView, article: Article) {
  if (!view.tree.get(article.channelId) || article.publishedAt === null) return null;
  const [{ previous, next }, related, disclosure, relations] = await Promise.all([
    articles.findNeighbours(db, article),
    articles.publishedBefore(db, article, RELATED_COUNT),
    findDisclosure(db, article.id),
    loadItemRelations(db, view, article, (siteId) => loadSiteView(db, siteId)),
  ]);
  return articlePageModel(view, article, { previous, next, related, disclosure, relations });
}

/** The model of an article page, however its surroundings were read; null when it is not on the site. */
export function articlePageModel(view: SiteView, article: Article, around: ArticleSurroundings, copyIn?: PlacedCopy) {
  const channel = view.tree.get(copyIn ? copyIn.channelId : article.channelId);
  if (!channel || article.publishedAt === null) return null;
  const tz = view.site.timeZone;
  const path = articlePath(view.tree.path(channel.id), article, tz);
  const published = new Date(article.publishedAt);
  const { previous, next, related, disclosure } = around;
  const item = itemModel(view, article, around.relations ?? NO_RELATIONS, disclosure?.indexNo ?? null);
  // A copy names the site the article comes from, never this one, as its 来源.
  const source = copyIn ? (article.source ?? copyIn.homeName) : sourceLabel(article);
  const pageFrame = frame(view, `${article.title} - ${view.site.name}`, path, channel, {
    ArticleTitle: article.title,
    PubDate: formatDateTime(published, tz),
    ContentSource: copyIn ? source : (article.source ?? view.site.name),
    Keywords: article.keywords,
    Description: article.summary,
  });
  return {
    frame: copyIn ? { ...pageFrame, canonical: copyIn.canonical } : pageFrame,
    breadcrumb: breadcrumb(view, channel),
    article: {
      id: article.id,
      title: article.title,
      subtitle: article.subtitle,
      source,
      author: article.author,
      responsibleEditor: article.responsibleEditor,
      published: formatDateTime(published, tz),
      datetime: published.toISOString(),
      bodyHtml: article.bodyHtml,
      attachments: article.attachments,
    },
    jsonLd: newsArticleJsonLd(view, article, copyIn ? copyIn.canonical : siteUrl(view.site, path)),
    // 信息公开 metadata table, for disclosed government information (a policy shows it in its own table).
    disclosure:
      disclosure && article.contentType !== 'policy' ? { ...disclosure, publishedOn: formatDate(published, tz) } : null,
    item,
    previous: previous ? listItem(view, previous) : null,
    next: next ? listItem(view, next) : null,
    related: related.map((l) => listItem(view, l)),
  };
}

export type ErrorStatus = 404 | 410 | 500 | 503;

const ERROR_TEXT: Readonly<Record<ErrorStatus, { heading: string; hint: string }>> = {
  404: {
    heading: '您访问的页面不存在',
    hint: '页面可能已被删除、更名或暂时不可用。请检查网址，或从首页和栏目导航继续浏览。',
  },
  410: { heading: '该信息已撤销', hint: '这篇文章已由本站撤下，不再公开。请从首页和栏目导航浏览其他信息。' },
  500: {
    heading: '服务器暂时无法处理您的请求',
    hint: '请稍后再试。如果问题持续存在，请通过页面底部的联系方式告诉我们。',
  },
  503: {
    heading: '服务暂时不可用',
    hint: '系统正在恢复，请几秒钟后刷新页面。',
  },
};

export function errorPage(view: SiteView, status: ErrorStatus) {
  const { heading, hint } = ERROR_TEXT[status];
  return { frame: frame(view, `${heading} - ${view.site.name}`, '/', null, {}), status, heading, hint };
}

export interface SearchPageParams {
  readonly q: string;
  /** null: this site; 'all': with its sub-sites; an id: that sub-site. */
  readonly site: 'all' | number | null;
  readonly channelId: number | null;
  readonly from: string | null;
  readonly to: string | null;
  readonly type: string | null;
  readonly page: number;
}

/** The search page: the form with its filters, then the results or the reason there are none. */
export function searchPage(
  view: SiteView,
  params: SearchPageParams,
  result: SearchResult | null,
  error: string | null,
  subSites: readonly { id: number; name: string }[] = [],
) {
  const link = (changes: Partial<SearchPageParams>) => {
    const merged = { ...params, ...changes };
    const query = new URLSearchParams();
    query.set('q', merged.q);
    if (merged.site !== null) query.set('site', String(merged.site));
    if (merged.channelId !== null) query.set('channel', String(merged.channelId));
    if (merged.from) query.set('from', merged.from);
    if (merged.to) query.set('to', merged.to);
    if (merged.type) query.set('type', merged.type);
    if (merged.page > 1) query.set('page', String(merged.page));
    return `/search?${query.toString()}`;
  };
  const channelOptions: { id: number; label: string; selected: boolean }[] = [];
  const walk = (parentId: number | null, depth: number) => {
    for (const channel of view.tree.children(parentId)) {
      if (channel.type === 'link') continue;
      channelOptions.push({
        id: channel.id,
        label: `${'　'.repeat(depth)}${channel.name}`,
        selected: channel.id === params.channelId,
      });
      walk(channel.id, depth + 1);
    }
  };
  walk(null, 0);
  const pages = result?.pages ?? 1;
  const page = result?.page ?? 1;
  const first = Math.max(1, Math.min(page - 4, pages - 8));
  const numbers = [];
  for (let n = first; n <= Math.min(pages, first + 8); n++)
    numbers.push({ n, url: link({ page: n }), current: n === page });
  const title = params.q ? `“${params.q}”的搜索结果` : '站内搜索';
  return {
    frame: frame(view, `${title} - ${view.site.name}`, '/search', null, {}),
    params,
    channelOptions,
    // A site with sites under it (the portal) lets readers search them too.
    siteOptions:
      subSites.length === 0
        ? []
        : [
            { value: '', label: '本站', selected: params.site === null },
            { value: 'all', label: '本站及下属站点', selected: params.site === 'all' },
            ...subSites.map((s) => ({ value: String(s.id), label: s.name, selected: params.site === s.id })),
          ],
    types: [
      { value: '', label: '全部', selected: !params.type },
      { value: 'article', label: '文章', selected: params.type === 'article' },
      ...SHIPPED_TYPES.filter((t) => t.key !== 'article').map((t) => ({
        value: t.key,
        label: t.label,
        selected: params.type === t.key,
      })),
      { value: 'page', label: '栏目页面', selected: params.type === 'page' },
    ],
    error,
    result,
    didYouMeanUrl: result?.didYouMean ? link({ q: result.didYouMean, page: 1 }) : null,
    pagination:
      result && result.pages > 1
        ? {
            previous: page > 1 ? link({ page: page - 1 }) : null,
            next: page < pages ? link({ page: page + 1 }) : null,
            numbers,
          }
        : null,
  };
}
