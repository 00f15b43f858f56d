import type { ContentEvent } from '../domain/index.js';
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
