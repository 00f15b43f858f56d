import type { FastifyRequest } from 'fastify';
import { GazetteError } from '../domain/index.js';
import type { ServiceContext } from '../services/index.js';
import type { Store } from '../store/index.js';
import type { Theme } from '../theme/index.js';
import type { ReplicaGuard } from './replica.js';

/** What the web app runs with: the services' context and the theme that renders pages. */
export interface AppContext extends ServiceContext {
  readonly theme: Theme;
  /** Where published pages are written (the output store). */
  readonly outputDir: string;
  /**
   * Where the reader's side runs its own queries (search, pages rendered on request): a read
   * replica when one is configured. Absent, they go to `store`. Publishing and the back office
   * always use `store`, which sees their own writes at once.
   */
  readonly readStore?: Store;
  /** Whether the read replica is fit to read (answers, and is not too far behind): made by the app. */
  readonly replica?: ReplicaGuard;
}

/** The store for the reader's side's queries: the replica while it is fit to read, else the primary. */
export function readerStore(ctx: AppContext): Store {
  return ctx.replica ? ctx.replica.current() : (ctx.readStore ?? ctx.store);
}

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * The app's context for this request's site: the site its Host header (or `/_site/HOST/`, or
     * the back office's `X-Gazette-Site`) reaches. Without one, the context names no site and the
     * services use the platform's only site (several sites: an error listing them).
     */
    siteContext: AppContext | null;
  }
}

/** The context a route works in: the request's site. */
export function contextOf(request: FastifyRequest): AppContext {
  if (!request.siteContext) throw new GazetteError('INTERNAL');
  return request.siteContext;
}
