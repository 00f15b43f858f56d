import type { Kysely } from 'kysely';
import { findDisclosures, type DisclosureRow } from '../compliance/disclosure/store.js';
import type { Article } from '../domain/index.js';
import { articles, type ArticleListing, type Database, type Place } from '../store/index.js';
import { RELATED_COUNT } from './pages.js';

/**
 * The whole site read in its own order, for a full build: each channel along its index, a
 * batch at a time, so that every page's neighbours come from the rows already read instead of
 * a query per page, and no list is read with OFFSET.
 */

const ARTICLE_BATCH = 200;
const LISTING_BATCH = 1000;

const placeOf = (row: { publishedAt: string | null; createdAt: string; id: number }): Place => ({
  publishedAt: row.publishedAt ?? row.createdAt,
  id: row.id,
});

const olderFirst = (a: Place, b: Place) =>
  a.publishedAt === b.publishedAt ? a.id - b.id : a.publishedAt < b.publishedAt ? -1 : 1;

/** One channel's published listings, oldest first. */
async function* channelListings(db: Kysely<Database>, channelId: number): AsyncGenerator<ArticleListing> {
  for (let after: Place | null = null; ;) {
    const batch: ArticleListing[] = await articles.listingsInOrder(db, channelId, after, LISTING_BATCH);
    yield* batch;
    const last = batch[batch.length - 1];
    if (!last || batch.length < LISTING_BATCH) return;
    after = placeOf(last);
  }
}

/**
 * The published listings of several channels (a column and its sub-columns) merged into one
 * order, oldest first: position 1 is the first one given.
 */
export async function* listingsInOrder(
  db: Kysely<Database>,
  channelIds: readonly number[],
): AsyncGenerator<ArticleListing> {
  const heads: { next: ArticleListing; rest: AsyncGenerator<ArticleListing> }[] = [];
  for (const id of channelIds) {
    const rest = channelListings(db, id);
    const first = await rest.next();
    if (!first.done) heads.push({ next: first.value, rest });
  }
  for (;;) {
    // The head that comes first in the merged order (a handful of sub-columns: a scan is enough).
    let first: (typeof heads)[number] | undefined;
    for (const head of heads) if (!first || olderFirst(placeOf(head.next), placeOf(first.next)) < 0) first = head;
    if (!first) return;
    yield first.next;
    const following = await first.rest.next();
    if (following.done) heads.splice(heads.indexOf(first), 1);
    else first.next = following.value;
  }
}

/** An article with what its page shows around it. */
export interface PlacedArticle {
  readonly article: Article;
  readonly previous: ArticleListing | undefined;
  readonly next: ArticleListing | undefined;
  /** Newest first. */
  readonly related: readonly ArticleListing[];
  readonly disclosure: DisclosureRow | undefined;
}

/**
 * One channel's published articles, oldest first, each with its 上一篇 and 下一篇 and the
 * articles published just before it (its 相关文章): the same as the page's own queries give.
 */
export async function* articlesInOrder(db: Kysely<Database>, channelId: number): AsyncGenerator<PlacedArticle> {
  // Newest first: what came before the article being placed.
  const before: ArticleListing[] = [];
  let waiting: { article: Article; disclosure: DisclosureRow | undefined } | null = null;
  for (let after: Place | null = null; ;) {
    const batch = await articles.publishedInOrder(db, channelId, after, ARTICLE_BATCH);
    const disclosures = await findDisclosures(
      db,
      batch.map((a) => a.id),
    );
    for (const article of batch) {
      const listing = articles.listingOf(article);
      // An article is placed once the one after it is known.
      if (waiting) {
        yield { ...waiting, previous: before[0], next: listing, related: before.slice(0, RELATED_COUNT) };
        before.unshift(articles.listingOf(waiting.article));
        before.length = Math.min(before.length, RELATED_COUNT);
      }
      waiting = { article, disclosure: disclosures.get(article.id) };
    }
    const last = batch[batch.length - 1];
    if (!last || batch.length < ARTICLE_BATCH) break;
    after = placeOf(last);
  }
  if (waiting) yield { ...waiting, previous: before[0], next: undefined, related: before.slice(0, RELATED_COUNT) };
}
