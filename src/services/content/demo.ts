import { ChannelTree, GazetteError, type NewChannel, type NewSite, type Site } from '../../domain/index.js';
import { channels, sites } from '../../store/index.js';
import type { ServiceContext } from '../context.js';
import { syncChannelPageIndex } from './search.js';
import { DEFAULT_STOP_WORDS, searchLists } from '../../search/index.js';

/** The demo district portal that a first start creates: identity, footer data and columns. */
export const DEMO_SITE: Omit<NewSite, 'timeZone'> = {
  name: '示范区人民政府',
  domain: 'www.example.gov.cn',
  hostOrganization: '示范区人民政府办公室',
  siteCode: '3205090001',
  icpRecord: '苏ICP备00000000号',
  policeRecord: '苏公网安备 32050902000000号',
  address: '示范区人民政府大楼（中山路1号）',
  contact: '0512-00000000',
  description: '示范区人民政府门户网站：本区动态、通知公告、政务公开。',
  keywords: '示范区,人民政府,政务公开',
};

type DemoChannel = Pick<NewChannel, 'name' | 'slug' | 'type' | 'description' | 'keywords'> &
  Partial<Pick<NewChannel, 'linkUrl' | 'bodyHtml' | 'updateRule'>> & { children?: DemoChannel[] };

export const DEMO_CHANNELS: readonly DemoChannel[] = [
  {
    name: '本区动态',
    slug: 'bqdt',
    type: 'list',
    description: '本区要闻与工作动态',
    keywords: '本区动态,要闻',
    updateRule: 'dynamic',
  },
  {
    name: '通知公告',
    slug: 'tzgg',
    type: 'list',
    description: '政府及部门发布的通知、公告',
    keywords: '通知,公告',
    updateRule: 'notice',
  },
  {
    name: '政务公开',
    slug: 'zwgk',
    type: 'list',
    description: '政府信息公开',
    keywords: '政务公开,信息公开',
    children: [
      {
        name: '部门动态',
        slug: 'bmdt',
        type: 'list',
        description: '各部门工作动态',
        keywords: '部门动态',
        updateRule: 'dynamic',
      },
      {
        name: '政策文件',
        slug: 'zcwj',
        type: 'list',
        description: '规范性文件与政策解读',
        keywords: '政策文件',
        updateRule: 'policy',
      },
      {
        name: '人事信息',
        slug: 'rsxx',
        type: 'list',
        description: '任免、招录与公示',
        keywords: '人事信息',
        updateRule: 'none',
      },
    ],
  },
  {
    name: '走进本区',
    slug: 'zjbq',
    type: 'page',
    description: '本区概况',
    keywords: '区情,概况',
    bodyHtml:
      '<p class="indent">示范区位于长江三角洲腹地，总面积约1176平方公里，下辖8个镇、4个街道。</p>' +
      '<p class="indent">这里是一个演示站点：Gazette 首次启动时自动创建，用于展示栏目、文章与页面框架。</p>',
  },
];

/** Creates the demo site and its columns in one transaction; returns the site. */
export async function createDemoSite(ctx: ServiceContext, timeZone: string): Promise<Site> {
  const now = ctx.clock.now();
  return ctx.store.db.transaction().execute(async (trx) => {
    const site = await sites.insertSite(trx, { ...DEMO_SITE, timeZone }, now);
    const add = async (list: readonly DemoChannel[], parentId: number | null) => {
      for (const [index, { children, ...fields }] of list.entries()) {
        const channel = await channels.insertChannel(
          trx,
          { linkUrl: null, bodyHtml: null, ...fields, siteId: site.id, parentId, sortOrder: (index + 1) * 10 },
          now,
        );
        if (children) await add(children, channel.id);
      }
    };
    await add(DEMO_CHANNELS, null);
    const all = await channels.listChannels(trx, site.id);
    const tree = new ChannelTree(all);
    for (const channel of all) await syncChannelPageIndex(trx, ctx.store.dialect, channel, tree, now);
    await searchLists.addStopWords(trx, site.id, DEFAULT_STOP_WORDS);
    return site;
  });
}

/**
 * The site an operation works on (the context's, else the only one; several: an error naming
 * them), creating the demo site when the store has none yet (first start).
 */
export async function ensureSite(ctx: ServiceContext, timeZone: string): Promise<{ site: Site; created: boolean }> {
  const existing = await sites.findSiteOrOnly(ctx.store.db, ctx.siteId);
  if (existing) return { site: existing, created: false };
  if (ctx.siteId !== undefined) throw new GazetteError('SITE_NOT_FOUND', { site: String(ctx.siteId) });
  return { site: await createDemoSite(ctx, timeZone), created: true };
}
