import type { Kysely } from 'kysely';
import type { ContentEvent } from '../domain/index.js';
import { placements, publishTasks, type Database } from '../store/index.js';
import type { ContentEventSink, ServiceContext } from './context.js';

export type { ContentEvent };

type Listener = (event: ContentEvent, taskId?: number) => void;

/** An in-process sink that fans events out to listeners; a listener's failure is not the writer's. */
export class EventHub implements ContentEventSink {
  private readonly listeners = new Set<Listener>();
  readonly failures: unknown[] = [];

  /** `durable`: a publisher listens, and events are recorded as publish tasks with their change. */
  constructor(readonly durable = false) {}

  on(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: ContentEvent, taskId?: number): void {
    for (const listener of this.listeners) {
      try {
        listener(event, taskId);
      } catch (error) {
        this.failures.push(error);
      }
    }
  }
}

/** Events a transaction has recorded, to be sent once it commits (`sendEvents`). */
export interface RecordedEvents {
  readonly events: readonly ContentEvent[];
  /** The publish task of each event, in order; empty when the sink is not durable. */
  readonly taskIds: readonly number[];
}

export const NO_EVENTS: RecordedEvents = { events: [], taskIds: [] };

/**
 * Records a change's events in the writer's transaction: with a durable sink, as publish tasks
 * that commit with the change (the outbox), so a crash after the commit leaves them for
 * another instance, or this one started again, to publish.
 */
export async function recordEvents(
  trx: Kysely<Database>,
  ctx: ServiceContext,
  events: readonly ContentEvent[],
): Promise<RecordedEvents> {
  if (!ctx.events?.durable || events.length === 0) return { events, taskIds: [] };
  const taskIds = await publishTasks.addTasks(
    trx,
    events.map((event) => JSON.stringify(event)),
    ctx.clock.now(),
  );
  return { events, taskIds };
}

/** Hands recorded events to the sink, after the commit: the publisher starts on them at once. */
export function sendEvents(ctx: ServiceContext, recorded: RecordedEvents): void {
  for (const [i, event] of recorded.events.entries()) ctx.events?.emit(event, recorded.taskIds[i]);
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
