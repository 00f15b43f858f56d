import fs from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import path from 'node:path';
import Fastify, { LogController, type FastifyInstance, type FastifyReply } from 'fastify';
import fastifyStatic from '@fastify/static';
import { GazetteError } from '../domain/index.js';
import type { AppContext } from './context.js';
import { errorBody } from './errors.js';
import { installErrorHandler, registerPublicRoutes, sendNotFound } from './public.js';
import { registerApi } from './api/index.js';
import { registerSearchPage } from './search-page.js';
import { registerDisclosurePage } from './disclosure-page.js';
import { registerSiteModeStylesheet } from './site-mode.js';
import { ViewCounter } from './view-counter.js';
import { registerAuth, type AuthOptions } from './auth.js';
import { registerAdmin } from './admin.js';
import { OutputStore, Publisher, type PublishRun } from '../publish/index.js';
import { EventHub } from '../services/index.js';
import { PageCache, VIEWS_REFRESH_MS } from './page-cache.js';
import { watchManifest } from './manifest-watch.js';
import { answerFromMemory, SECURITY_HEADERS } from './static-pages.js';
import { purgeHook } from './purge.js';
import { sites } from '../store/index.js';
import { siteUrl } from '../domain/index.js';
import { linkCheckOnPublish } from '../compliance/index.js';

export interface AppOptions extends AuthOptions {
  readonly logLevel?: string;
  /** How long a shown 浏览次数 may lag (ms, default 5 s); 0 fills it on every read. */
  readonly viewsRefreshMs?: number;
  /** How often to look for pages other processes changed (ms, default 1 s). */
  readonly manifestPollMs?: number;
  /** Bytes of published pages kept in memory (default 32 MiB: the hot pages of any site). */
  readonly pageCacheBytes?: number;
  /** Told the paths of pages that changed after each publish (a CDN purge). */
  readonly onPagesChanged?: (paths: readonly string[]) => void | Promise<void>;
  /** POSTs the changed pages of each publish here (a CDN purge; see purge.ts). */
  readonly purgeUrl?: string | null;
  /** Told of every publish run: the event, each page touched and its outcome, the time taken. */
  readonly onPublished?: (run: PublishRun) => void;
  /** How often read counts are written to the store (ms). */
  readonly viewFlushMs?: number;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The 浏览次数 counter, for tests and for a flush before maintenance. */
    viewCounter: ViewCounter;
    /** The context the app's routes run with (its events reach the publisher), and the publisher. */
    gazette: { readonly context: AppContext; readonly publisher: Publisher; readonly cache: PageCache; readonly links: { idle(): Promise<void> } };
  }
}

export async function buildApp(given: AppContext, options: AppOptions = {}): Promise<FastifyInstance> {
  // Every change made through this app (API, scheduler) reaches the publisher after its commit.
  const hub = new EventHub();
  const ctx: AppContext = {
    ...given,
    events: {
      emit(event) {
        given.events?.emit(event);
        hub.emit(event);
      },
    },
  };
  const cache = new PageCache(options.pageCacheBytes ?? 32 * 1024 * 1024);
  let purge: ((paths: readonly string[]) => Promise<void>) | null = null;
  const output = new OutputStore(ctx.outputDir);
  // The links of each changed page are checked after the run, in the background.
  const links = linkCheckOnPublish(ctx, output, (error) => app.log.error({ err: error }, 'link check after publish failed'));
  const publisher = new Publisher(ctx.store, ctx.theme, output, ctx.clock, {
    async onChange(paths) {
      for (const path of paths) cache.delete(path);
      links.pages(paths);
      await options.onPagesChanged?.(paths);
      await purge?.(paths);
    },
    ...(options.onPublished && { onRun: options.onPublished }),
  });
  hub.on((event) => publisher.handle(event));
  // Pages written by another process (a CLI import, another instance) leave the memory cache too.
  const watcher = watchManifest(ctx.store, cache, options.manifestPollMs ?? 1_000);
  // Published pages already in memory are answered before the framework sees the request.
  const siteZone = (await sites.findFirstSite(ctx.store.db))?.timeZone ?? null;
  let fast: ((request: IncomingMessage, response: ServerResponse) => boolean) | null = null;
  const app = Fastify({
    serverFactory: (handler) =>
      http.createServer((request, response) => {
        if (!fast?.(request, response)) handler(request, response);
      }),
    logger: { level: options.logLevel ?? 'info', redact: ['req.headers.cookie', 'req.headers.authorization', 'req.headers["x-csrf-token"]'] },
    // Two log lines per page read would cost more than serving the page; reads are the CDN's or
    // the proxy's to log. Back-office and API calls are logged as usual.
    logController: new LogController({ disableRequestLogging: (request) => !/^\/(api|admin)\//.test(request.url) }),
    // Chinese portal URLs stay short; anything longer is a probe, not a page.
    routerOptions: { ignoreTrailingSlash: false, maxParamLength: 500 },
    frameworkErrors: (error, _request, frameworkReply) => {
      const reply = frameworkReply as unknown as FastifyReply;
      if (error.code === 'FST_ERR_BAD_URL') return void sendNotFound(ctx, reply);
      void reply.code(400).send(errorBody(new GazetteError('BAD_REQUEST', { reason: error.message })));
    },
  });

  if (options.purgeUrl) {
    purge = purgeHook(options.purgeUrl, () => sites.findFirstSite(ctx.store.db).then((site) => (site ? siteUrl(site, '') : null)), app.log);
  }

  app.addHook('onSend', async (_request, reply) => {
    reply.headers(SECURITY_HEADERS);
  });

  installErrorHandler(app, ctx);

  app.get('/healthz', async (_request, reply) => {
    const ok = await ctx.store.ping();
    return ok
      ? reply.send({ status: 'ok', store: ctx.store.dialect })
      : reply.code(503).send(errorBody(new GazetteError('STORE_UNAVAILABLE')));
  });

  await app.register(fastifyStatic, {
    root: ctx.theme.assetsDir,
    prefix: '/assets/',
    maxAge: '1h',
    index: false,
  });

  // Uploaded media: images inline, attachments always downloaded under their safe name.
  fs.mkdirSync(ctx.mediaDir, { recursive: true });
  await app.register(fastifyStatic, {
    root: ctx.mediaDir,
    prefix: '/media/',
    decorateReply: false,
    maxAge: '30d',
    index: false,
    setHeaders(res, filePath) {
      if (path.relative(ctx.mediaDir, filePath).startsWith(`file${path.sep}`)) {
        res.setHeader('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(path.basename(filePath))}`);
      }
    },
  });

  await registerAuth(app, ctx, options);
  await registerApi(app, ctx);
  await registerAdmin(app, ctx);
  registerSearchPage(app, ctx);
  registerDisclosurePage(app, ctx);
  registerSiteModeStylesheet(app, ctx);
  const counter = new ViewCounter(ctx.store.db, options.viewFlushMs);
  counter.start();
  app.addHook('onClose', () => counter.stop());
  app.decorate('viewCounter', counter);
  app.decorate('gazette', { context: ctx, publisher, cache, links });
  // An editor who withdraws or publishes sees the public site already changed when the answer
  // arrives: back-office writes wait for the pages they touched (tens of milliseconds).
  app.addHook('onSend', async (request, _reply, payload) => {
    if (request.method !== 'GET' && request.method !== 'HEAD' && request.url.startsWith('/api/v1/')) await publisher.idle();
    return payload;
  });
  // Pages being written when the app stops are finished first.
  app.addHook('onClose', async () => {
    await publisher.idle();
    await links.idle();
    await watcher.stop();
  });
  const pages = { output, publisher, cache, counter, viewsRefreshMs: options.viewsRefreshMs ?? VIEWS_REFRESH_MS };
  registerPublicRoutes(app, ctx, counter, pages);
  if (siteZone !== null) {
    const fastContext = { counter, timeZone: siteZone, clock: ctx.clock };
    fast = (request, response) => answerFromMemory(request, response, pages, fastContext);
  }
  return app;
}
