import {
  CONSULTATIONS_PATH,
  INFO_REQUEST_PATH,
  LETTERS_PATH,
  LIBRARY_PATH,
  SITE_MAP_PATH,
  SURVEYS_PATH,
  channelHref,
  feedPath,
  libraryChannelIds,
  type ChannelTree,
} from '../domain/index.js';
import { CATALOGUE_PATH } from '../compliance/disclosure/catalogue.js';
import { frame, type SiteView } from './pages.js';

/**
 * 网站地图 (`/sitemap.html`): every column of the site as a nested list, and the site's own pages.
 * The columns come as a flat list in tree order, each saying whether its sub-columns follow
 * (`opens`) and how many nested lists end after it (`closes`): templates need no recursion.
 */
export interface SiteMapColumn {
  readonly name: string;
  /** The column's page, or a link column's target. */
  readonly url: string;
  readonly external: boolean;
  /** Its sub-columns follow, in a list of their own. */
  readonly opens: boolean;
  /** Nested lists (with the item that holds each) closed after this one. */
  readonly closes: number;
}

export interface SiteMapGroup {
  readonly title: string;
  readonly links: readonly { readonly title: string; readonly url: string }[];
}

/** What the site map shows of the channel tree: the dependency map compares it before and after a change. */
export interface SiteMapContent {
  readonly columns: readonly SiteMapColumn[];
  readonly groups: readonly SiteMapGroup[];
}

const isExternal = (url: string) => /^[a-z][a-z0-9+.-]*:/i.test(url);

function columnsOf(tree: ChannelTree): SiteMapColumn[] {
  const out: { -readonly [K in keyof SiteMapColumn]: SiteMapColumn[K] }[] = [];
  const walk = (parentId: number | null) => {
    for (const channel of tree.children(parentId)) {
      const url = channelHref(tree, channel);
      const entry = { name: channel.name, url, external: isExternal(url), opens: false, closes: 0 };
      out.push(entry);
      if (tree.children(channel.id).length === 0) continue;
      entry.opens = true;
      walk(channel.id);
      const last = out[out.length - 1];
      if (last) last.closes++;
    }
  };
  walk(null);
  return out;
}

/** The site's own pages, grouped as readers look for them; the 政策文件库 only where the site has policy columns. */
function groupsOf(tree: ChannelTree): SiteMapGroup[] {
  const library = libraryChannelIds(tree).length > 0 ? [{ title: '政策文件库', url: LIBRARY_PATH }] : [];
  return [
    {
      title: '政务公开',
      links: [
        { title: '政府信息公开目录', url: CATALOGUE_PATH },
        { title: '依申请公开', url: `${INFO_REQUEST_PATH}shenqing` },
        ...library,
      ],
    },
    {
      title: '互动交流',
      links: [
        { title: '领导信箱', url: LETTERS_PATH },
        { title: '我要写信', url: `${LETTERS_PATH}xiexin` },
        { title: '意见征集', url: CONSULTATIONS_PATH },
        { title: '网上调查', url: SURVEYS_PATH },
      ],
    },
    {
      title: '网站服务',
      links: [
        { title: '站内搜索', url: '/search' },
        { title: 'RSS 订阅', url: feedPath('/', 'rss') },
      ],
    },
  ];
}

export function siteMapContent(tree: ChannelTree): SiteMapContent {
  return { columns: columnsOf(tree), groups: groupsOf(tree) };
}

export function siteMapPage(view: SiteView) {
  const title = '网站地图';
  return {
    frame: frame(view, `${title} - ${view.site.name}`, SITE_MAP_PATH, null, {}),
    title,
    ...siteMapContent(view.tree),
  };
}
