import type { Channel } from './channel.js';
import type { LookPart } from './look.js';

/**
 * What changed, as the publisher needs to know it to re-render exactly the pages involved.
 * Emitted after the transaction commits, never for a change that was rolled back. `siteId` is
 * the site whose pages change (the publisher of that site takes the event); a task saved by a
 * release before the platform has none, and the publisher finds it from the article or column.
 */
export type ContentEvent = SiteEvent &
  (
    | { readonly type: 'article.published'; readonly articleId: number; readonly channelId: number }
    | {
        readonly type: 'article.updated';
        readonly articleId: number;
        readonly channelId: number;
        /** Where it was before the edit: a move or a new 发布时间 changes other lists. */
        readonly previousChannelId: number;
        readonly previousPublishedAt: string | null;
        /**
         * Only its typed values changed (a policy's 有效性): its neighbours, feeds and the home page
         * show none of them, so only its page, the lists that show its mark and the sitemap change.
         */
        readonly valuesOnly?: boolean;
      }
    | { readonly type: 'article.withdrawn'; readonly articleId: number; readonly channelId: number }
    | { readonly type: 'article.deleted'; readonly articleId: number; readonly channelId: number }
    /**
     * An item's own page shows another item that changed (a policy lists its 解读; a 解读 shows
     * its policy's 有效性): that one page is rendered again, nothing else.
     */
    | { readonly type: 'item.shown'; readonly articleId: number; readonly channelId: number }
    /**
     * An article shown in one more column (引用) came onto that column's list, left it, or changed
     * as the list shows it (its title, or the address of its page). `siteId` and `channelId` are
     * the placing site and column; `publishedAt` the placement's place in the column.
     */
    | {
        readonly type: 'placement.changed';
        readonly articleId: number;
        readonly channelId: number;
        readonly change: 'added' | 'removed' | 'edited';
        readonly publishedAt: string;
      }
    /** `before`: the site's columns as they were, so that the pages are compared on what changed. */
    | { readonly type: 'channel.changed'; readonly channelId: number; readonly before: readonly Channel[] }
    | { readonly type: 'channel.deleted'; readonly channelId: number; readonly before: readonly Channel[] }
    /** A letter (信箱) was published, unpublished, or published again with a new reply. */
    | { readonly type: 'letter.changed'; readonly letterId: number; readonly change: 'added' | 'removed' | 'edited' }
    /** Its 头条 or 图片新闻 mark was set or cleared: only the home page shows those. */
    | { readonly type: 'article.marked'; readonly articleId: number; readonly channelId: number }
    /** The site's look (站点外观) changed: the parts of the site it reaches. */
    | { readonly type: 'look.changed'; readonly parts: readonly LookPart[] }
    /** Templates of the site's theme were overridden, restored or reset: the pages that use them. */
    | { readonly type: 'theme.changed'; readonly templates: readonly string[] }
  );

interface SiteEvent {
  readonly siteId: number;
}
