import type { Kysely } from 'kysely';
import type { ContentEvent } from '../domain/index.js';
import { placements, type Database } from '../store/index.js';
import type { ContentEventSink } from './context.js';

export type { ContentEvent };

/** An in-process sink that fans events out to listeners; a listener's failure is not the writer's. */
export class EventHub implements ContentEventSink {
  private readonly listeners = new Set<(event: ContentEvent) => void>();
  readonly failures: unknown[] = [];

  on(listener: (event: ContentEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: ContentEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.failures.push(error);
      }
    }
  }
}

/**
 * The events an article's change sends to the columns it is placed in (引用): publishing it puts
 * it back on their lists, withdrawing it takes it off, and an edit changes what they show of it.
 * Read inside the writer's transaction, emitted with the article's own event after the commit.
 */
/** The event of a placement whose place on its column's list changed (none before it ever went live). */
export function placementChanged(
  placement: {
    readonly siteId: number;
    readonly articleId: number;
    readonly channelId: number;
    readonly publishedAt: string | null;
  },
  change: 'added' | 'removed' | 'edited',
): ContentEvent[] {
  const { siteId, articleId, channelId, publishedAt } = placement;
  return publishedAt === null ? [] : [{ type: 'placement.changed', siteId, articleId, channelId, change, publishedAt }];
}

export async function placementEvents(db: Kysely<Database>, event: ContentEvent): Promise<ContentEvent[]> {
  const change =
    event.type === 'article.published'
      ? 'added'
      : event.type === 'article.withdrawn'
        ? 'removed'
        : event.type === 'article.updated'
          ? 'edited'
          : null;
  if (change === null || !('articleId' in event)) return [];
  const placed = await placements.publishedPlacementsOf(db, event.articleId);
  return placed.flatMap((p) => placementChanged(p, change));
}
