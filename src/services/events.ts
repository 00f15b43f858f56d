import type { ContentEventSink } from './context.js';

/**
 * What changed, as the publisher needs to know it to re-render exactly the pages involved.
 * Emitted after the transaction commits, never for a change that was rolled back.
 */
export type ContentEvent =
  | { readonly type: 'article.published'; readonly articleId: number; readonly channelId: number }
  | { readonly type: 'article.updated'; readonly articleId: number; readonly channelId: number; readonly previousChannelId: number }
  | { readonly type: 'article.withdrawn'; readonly articleId: number; readonly channelId: number }
  | { readonly type: 'article.deleted'; readonly articleId: number; readonly channelId: number }
  | { readonly type: 'channel.changed'; readonly channelId: number }
  | { readonly type: 'channel.deleted'; readonly channelId: number };

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
