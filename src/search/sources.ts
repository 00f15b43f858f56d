import { htmlToText, valuesText, type Article, type Channel, type ChannelTree } from '../domain/index.js';
import type { SearchSource } from './document.js';

/** Only what readers can see is searchable: a published article, or a single-page column. */
export function articleSource(article: Article, tree: ChannelTree): SearchSource | null {
  const channel = tree.get(article.channelId);
  if (!channel || article.status !== 'published' || article.publishedAt === null) return null;
  return {
    key: articleKey(article.id),
    siteId: article.siteId,
    contentType: article.contentType,
    articleId: article.id,
    articleVersion: article.version,
    channelId: channel.id,
    channelName: channel.name,
    channelAncestry: tree.ancestry(channel.id).map((c) => c.id),
    title: article.subtitle ? `${article.title} ${article.subtitle}` : article.title,
    // A typed item is found by its values too (a guide's 办理地点, a policy's 文号).
    bodyText: [htmlToText(article.bodyHtml), ...valuesText(article.fields)].filter((t) => t !== '').join('\n'),
    publishedAt: article.publishedAt,
  };
}

export function channelPageSource(channel: Channel, tree: ChannelTree, updatedAt: string): SearchSource | null {
  if (channel.type !== 'page' || !channel.bodyHtml) return null;
  return {
    key: channelKey(channel.id),
    siteId: channel.siteId,
    contentType: 'page',
    articleId: null,
    channelId: channel.id,
    channelName: channel.name,
    channelAncestry: tree.ancestry(channel.id).map((c) => c.id),
    title: channel.name,
    bodyText: htmlToText(channel.bodyHtml),
    publishedAt: updatedAt,
  };
}

export const articleKey = (id: number): string => `article:${id}`;
export const channelKey = (id: number): string => `channel:${id}`;
