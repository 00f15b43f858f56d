import {
  GazetteError,
  defaultLook,
  siteUrl,
  type ChannelTree,
  type HomeBlock,
  type LinkGroup,
  type Site,
  type SiteLook,
} from '../domain/index.js';
import {
  currentSite,
  saveLook,
  setArticleMarks,
  systemActor,
  updateArticle,
  type ServiceContext,
} from '../services/index.js';
import { articles } from '../store/index.js';
import { demoArticleId } from './demo-articles.js';

/**
 * The demo portal's home page (issue 22): one article marked 头条 with its summary, four marked
 * 图片新闻 with the theme's demo pictures as covers, and a saved look with every block (the tabs
 * 本区动态 / 通知公告 / 部门动态 with pictures, 友情链接 to the central, provincial and city
 * governments and to the platform's other demo sites). All through the services an editor and the
 * site administrator use, after the demo articles and items exist.
 */

const ACTOR = systemActor('gazette serve');

const HEADLINE = {
  title: '示范区2025年科技活动周开幕 百余项成果集中亮相',
  summary:
    '11月18日，示范区2025年科技活动周在区科技馆开幕。本届科技周为期7天，设置人工智能、智能制造、绿色低碳等6个展区，集中展示百余项科技成果。',
};

const PICTURES: readonly { readonly title: string; readonly cover: string }[] = [
  { title: HEADLINE.title, cover: '/assets/demo/news-science.svg' },
  { title: '区市场监管局开展“守护消费”食品安全专项检查', cover: '/assets/demo/news-food-safety.svg' },
  { title: '示范区关于进一步优化营商环境的若干措施', cover: '/assets/demo/news-business.svg' },
  {
    title: '百年逐“一”梦 使命“同”担当丨吴江以“融入式党建”新成效向党“表白”',
    cover: '/assets/demo/news-ceremony.svg',
  },
];

/** Governments above the district: every district portal links them. */
const GOVERNMENT_LINKS: LinkGroup = {
  title: '政府网站',
  links: [
    { title: '中国政府网', url: 'https://www.gov.cn/' },
    { title: '江苏省人民政府', url: 'https://www.jiangsu.gov.cn/' },
    { title: '苏州市人民政府', url: 'https://www.suzhou.gov.cn/' },
  ],
};

/** 部门 and 镇街 groups: the platform's other demo sites, at their own addresses. */
function platformLinks(others: readonly Site[]): LinkGroup[] {
  const town = (site: Site) => /(镇|乡|街道)/.test(site.name);
  const group = (title: string, sites: readonly Site[]): LinkGroup[] =>
    sites.length === 0 ? [] : [{ title, links: sites.map((s) => ({ title: s.name, url: siteUrl(s, '/') })) }];
  return [
    ...group(
      '部门网站',
      others.filter((s) => !town(s)),
    ),
    ...group('镇街网站', others.filter(town)),
  ];
}

/** The demo's look: the default for its columns, with the tabs of the issue and the link groups filled in. */
export function demoLook(tree: ChannelTree, others: readonly Site[]): SiteLook {
  const look = defaultLook(tree);
  const column = (path: string) => tree.findByPath(path.split('/'));
  const tabs = ['bqdt', 'tzgg', 'zwgk/bmdt'].flatMap((path) => {
    const found = column(path);
    return found ? [{ channelId: found.id, title: '' }] : [];
  });
  const blocks = look.blocks.map((block): HomeBlock => {
    if (block.kind === 'tabs') return { ...block, title: '要闻动态', tabs, pictures: true };
    if (block.kind === 'links') return { ...block, groups: [GOVERNMENT_LINKS, ...platformLinks(others)] };
    return block;
  });
  return { ...look, blocks };
}

/** An edit of a published demo article, at its current version. */
async function edit(ctx: ServiceContext, id: number, patch: { coverImage?: string; summary?: string }) {
  const article = await articles.findArticle(ctx.store.db, id);
  if (!article) throw new GazetteError('ARTICLE_NOT_FOUND', { id });
  await updateArticle(ctx, ACTOR, id, { version: article.version, ...patch });
}

/** Marks the demo's 头条 and 图片新闻 and saves the portal's look; the number of picture-news articles. */
export async function createDemoHome(ctx: ServiceContext, portal: Site, others: readonly Site[]): Promise<number> {
  const site = { ...ctx, siteId: portal.id };
  for (const picture of PICTURES) {
    const id = await demoArticleId(ctx.store.db, portal.id, picture.title);
    await edit(site, id, { coverImage: picture.cover });
    await setArticleMarks(site, ACTOR, id, { headline: picture.title === HEADLINE.title, picture: true });
  }
  await edit(site, await demoArticleId(ctx.store.db, portal.id, HEADLINE.title), { summary: HEADLINE.summary });
  const { tree } = await currentSite(ctx.store.db, portal.id);
  await saveLook(site, ACTOR, demoLook(tree, others), 0);
  return PICTURES.length;
}
