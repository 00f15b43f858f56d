import {
  currentSite,
  importAnsweredLetter,
  importPage,
  setArticleMarks,
  updateArticle,
  type Actor,
  type ServiceContext,
} from '../../src/services/index.js';
import { articles } from '../../src/store/index.js';
import { demoSite, makePage } from './factories.js';
import { publishItem, system, typedColumn } from './items.js';

/** The office that imports answered letters (信箱). */
export const OFFICE: Actor = {
  userId: null,
  userName: 'test',
  grants: [{ role: 'office', channelId: null }],
  ip: null,
};

/** A published article at a moment, in a column named by its path of names. */
export async function publishAt(
  ctx: ServiceContext,
  columns: readonly string[],
  title: string,
  at: string,
): Promise<number> {
  return (await importPage(ctx, makePage({ columns: [...columns], title, publishedAt: new Date(at) }))).article.id;
}

/** A cover image given to a published article (an edit, as an editor makes it). */
export async function giveCover(ctx: ServiceContext, id: number, coverImage: string): Promise<void> {
  const article = await articles.findArticle(ctx.store.db, id);
  if (!article) throw new Error(`no article ${id}`);
  await updateArticle(ctx, system, id, { version: article.version, coverImage });
}

/** An answered letter, published on the site. */
export function publishLetter(ctx: ServiceContext, title: string, answered: string): Promise<number> {
  return importAnsweredLetter(ctx, OFFICE, {
    type: 'consult',
    title,
    body: `${title}？`,
    writer: { name: '林一', phone: '13800001111', email: '', address: '' },
    showName: false,
    receivedAt: new Date(new Date(answered).getTime() - 86_400_000),
    answeredAt: new Date(answered),
    unitName: '区政府办公室',
    replyHtml: '<p>已答复。</p>',
    publish: true,
  });
}

/** The ids of what the home fixture made. */
export interface HomeFixture {
  readonly ids: Readonly<Record<string, number>>;
  readonly topicColumn: number;
}

/**
 * The demo site's columns with something for every block of the default look: articles in
 * 本区动态, 通知公告 and two sub-columns of 政务公开 (人事信息 left empty), one marked 头条, two
 * marked 图片新闻 with covers (and one marked without a cover), a 专题 with its banner in a
 * column of its own, and two answered letters.
 */
export async function homeFixture(ctx: ServiceContext): Promise<HomeFixture> {
  await demoSite(ctx);
  const ids: Record<string, number> = {};
  ids.news1 = await publishAt(ctx, ['本区动态'], '区政府召开常务会议', '2025-11-20T09:00:00+08:00');
  ids.news2 = await publishAt(ctx, ['本区动态'], '示范区举办科技活动周', '2025-11-25T10:00:00+08:00');
  ids.notice = await publishAt(ctx, ['通知公告'], '关于元旦放假的通知', '2025-11-26T16:30:00+08:00');
  ids.dept = await publishAt(
    ctx,
    ['政务公开', '部门动态'],
    '区市场监管局开展食品安全检查',
    '2025-11-24T10:05:00+08:00',
  );
  ids.policy = await publishAt(
    ctx,
    ['政务公开', '政策文件'],
    '关于优化营商环境的若干措施',
    '2025-11-18T09:00:00+08:00',
  );
  await giveCover(ctx, ids.news2, '/media/2025/11/keji.jpg');
  await giveCover(ctx, ids.dept, '/media/2025/11/shipin.jpg');
  await setArticleMarks(ctx, system, ids.news2, { headline: true, picture: true });
  await setArticleMarks(ctx, system, ids.dept, { headline: false, picture: true });
  await setArticleMarks(ctx, system, ids.news1, { headline: false, picture: true });
  const topicColumn = await typedColumn(ctx, '专题专栏', 'ztzl', 'topic');
  ids.topic = (
    await publishItem(ctx, topicColumn, '优化营商环境', {
      banner: { url: '/media/2025/11/topic.png', alt: '优化营商环境专题横幅' },
      sections: [{ name: '政策文件', tag: '营商环境' }],
    })
  ).id;
  ids.letter1 = await publishLetter(ctx, '关于图书馆开放时间的咨询', '2025-11-21T09:00:00+08:00');
  ids.letter2 = await publishLetter(ctx, '关于公交线路调整的建议', '2025-11-27T15:00:00+08:00');
  return { ids, topicColumn };
}

/** A column's id by its slug. */
export async function columnId(ctx: ServiceContext, slug: string): Promise<number> {
  const found = (await currentSite(ctx.store.db, ctx.siteId)).tree.all().find((c) => c.slug === slug);
  if (!found) throw new Error(`no column ${slug}`);
  return found.id;
}
