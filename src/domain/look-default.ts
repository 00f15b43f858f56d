// The look a site has until it saves its own (站点外观): the default theme's colours and a home
// page built from the site's own columns, so that any site of the platform has a sensible front
// page on its first day, whatever its columns are called.
import type { Channel, ChannelTree } from './channel.js';
import { libraryChannelIds } from './content-types/library.js';
import {
  DEFAULT_ACCENT_COLOUR,
  DEFAULT_MAIN_COLOUR,
  type HomeBlock,
  type ServiceEntry,
  type SiteLook,
} from './look.js';
import { INFO_REQUEST_PATH, LETTERS_PATH, LIBRARY_PATH } from './urls.js';

/** How many articles each default block shows. */
export const DEFAULT_BLOCK_COUNTS = { pictures: 5, tabs: 8, disclosure: 3, interaction: 5, topics: 3 } as const;

/** At most this many columns become tabs. */
const MAX_DEFAULT_TABS = 3;

const isList = (channel: Channel) => channel.type === 'list';

/** The 政务公开 column: the first top-level list column that has list columns below it. */
function disclosureColumn(tree: ChannelTree): Channel | undefined {
  return tree.roots().find((root) => isList(root) && tree.children(root.id).some(isList));
}

/** The first list column holding items of a type (办事指南, 专题), anywhere in the tree. */
function columnOfType(tree: ChannelTree, contentType: Channel['contentType']): Channel | undefined {
  return tree.all().find((c) => isList(c) && c.contentType === contentType);
}

/**
 * 办事服务's entrances: the site's 办事指南 column when it has one, the 政策文件库 when it has
 * policy columns, and the pages every site of the platform serves (信息公开目录, 依申请公开, 领导信箱).
 */
function defaultServices(tree: ChannelTree): ServiceEntry[] {
  const guides = columnOfType(tree, 'guide');
  return [
    ...(guides ? [{ title: guides.name, url: tree.path(guides.id), icon: 'guide' as const }] : []),
    { title: '政府信息公开目录', url: '/xxgk.html', icon: 'search' },
    { title: '依申请公开', url: `${INFO_REQUEST_PATH}shenqing`, icon: 'permit' },
    ...(libraryChannelIds(tree).length > 0
      ? [{ title: '政策文件库', url: LIBRARY_PATH, icon: 'enterprise' as const }]
      : []),
    { title: '领导信箱', url: LETTERS_PATH, icon: 'social' },
  ];
}

/**
 * The default look for a site with these columns: 头条 and 图片新闻 over the whole site, the first
 * (up to three) top-level list columns as tabs, the 政务公开 block on the first top-level list
 * column with list columns below it, 办事服务, 互动交流, 专题 and an empty 友情链接 (the
 * template skips a links block without groups). Blocks whose columns the site lacks are left out.
 */
export function defaultLook(tree: ChannelTree): SiteLook {
  const lists = tree.roots().filter(isList);
  const disclosure = disclosureColumn(tree);
  const guides = columnOfType(tree, 'guide');
  const topics = columnOfType(tree, 'topic');
  const blocks: HomeBlock[] = [
    { kind: 'headline', id: 'headline', title: '头条', channelIds: [], showSummary: true },
    {
      kind: 'pictures',
      id: 'pictures',
      title: '图片新闻',
      channelIds: [],
      count: DEFAULT_BLOCK_COUNTS.pictures,
      moreUrl: '',
    },
  ];
  if (lists.length > 0)
    blocks.push({
      kind: 'tabs',
      id: 'news',
      title: '新闻动态',
      tabs: lists.slice(0, MAX_DEFAULT_TABS).map((c) => ({ channelId: c.id, title: '' })),
      count: DEFAULT_BLOCK_COUNTS.tabs,
      showDates: true,
      pictures: false,
    });
  if (disclosure)
    blocks.push({
      kind: 'disclosure',
      id: 'disclosure',
      title: disclosure.name,
      channelId: disclosure.id,
      count: DEFAULT_BLOCK_COUNTS.disclosure,
    });
  blocks.push(
    {
      kind: 'services',
      id: 'services',
      title: '办事服务',
      entries: defaultServices(tree),
      moreUrl: guides ? tree.path(guides.id) : '',
    },
    { kind: 'interaction', id: 'interaction', title: '互动交流', count: DEFAULT_BLOCK_COUNTS.interaction },
    {
      kind: 'topics',
      id: 'topics',
      title: '专题专栏',
      count: DEFAULT_BLOCK_COUNTS.topics,
      moreUrl: topics ? tree.path(topics.id) : '',
    },
    { kind: 'links', id: 'links', title: '友情链接', groups: [] },
  );
  return {
    mainColour: DEFAULT_MAIN_COLOUR,
    accentColour: DEFAULT_ACCENT_COLOUR,
    logo: null,
    banner: null,
    favicon: null,
    blocks,
  };
}
