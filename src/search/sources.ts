import { htmlToText, type Article, type Channel } from '../domain/index.js';
import type { SearchSource } from './document.js';

/** Only what readers can see is searchable: a published article, or a single-page column. */
export function articleSource(article: Article, channel: Channel): SearchSource | null {
  if (article.status !== 'published' || article.publishedAt === null) return null;
  return {
    key: articleKey(article.id),
    siteId: article.siteId,
    contentType: 'article',
    articleId: article.id,
    channelId: channel.id,
    channelName: channel.name,
    title: article.subtitle ? `${article.title} ${article.subtitle}` : article.title,
    bodyText: htmlToText(article.bodyHtml),
    publishedAt: article.publishedAt,
  };
}

export function channelPageSource(channel: Channel, updatedAt: string): SearchSource | null {
  if (channel.type !== 'page' || !channel.bodyHtml) return null;
  return {
    key: channelKey(channel.id),
    siteId: channel.siteId,
    contentType: 'page',
    articleId: null,
    channelId: channel.id,
    channelName: channel.name,
    title: channel.name,
    bodyText: htmlToText(channel.bodyHtml),
    publishedAt: updatedAt,
  };
}

export const articleKey = (id: number): string => `article:${id}`;
export const channelKey = (id: number): string => `channel:${id}`;
