import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http, { type IncomingMessage } from 'node:http';
import path from 'node:path';
import Fastify, { LogController, type FastifyInstance, type FastifyReply } from 'fastify';
import fastifyStatic from '@fastify/static';
import { GazetteError } from '../domain/index.js';
import type { AppContext } from './context.js';
import { errorBody } from './errors.js';
import { installErrorHandler, registerPublicRoutes, sendNotFound } from './public.js';
import { registerApi } from './api/index.js';
import { registerSearchPage } from './search-page.js';
import { registerFormPosts, registerLetterPages } from './letter-pages.js';
import { registerInfoRequestPages } from './info-request-pages.js';
import { registerConsultationPages } from './consultation-pages.js';
import { registerSurveyPages } from './survey-pages.js';
import { registerDisclosurePage } from './disclosure-page.js';
import { registerLibraryPage } from './library-page.js';
import { registerSiteModeStylesheet } from './site-mode.js';
import { ViewCounter } from './view-counter.js';
import { registerAuth, type AuthOptions } from './auth.js';
import { registerAdmin } from './admin.js';
import {
  OutputStore,
  Publisher,
  SitePublishers,
  siteKeyPrefix,
  siteOutputDir,
  type PublishRun,
} from '../publish/index.js';
import { EventHub } from '../services/index.js';
import { PageCache, VIEWS_REFRESH_MS } from './page-cache.js';
import { watchManifest } from './manifest-watch.js';
import { answerFromMemory, HSTS, pageSecurityHeaders, SECURITY_HEADERS, type StaticPages } from './static-pages.js';
import { httpsCheck } from './https.js';
import { chosenHostOf, ServedSites, sitePathOf, SITE_COOKIE } from './served-sites.js';
import { purgeHook } from './purge.js';
import { publishTasks, sites } from '../store/index.js';
import { escapeHtml, hostOfHeader, siteUrl } from '../domain/index.js';
import { linkCheckOnPublish } from '../compliance/index.js';
import { publicContentSecurityPolicy } from '../theme/index.js';
import { ReplicaGuard, type ReplicaOptions } from './replica.js';
import { schemaCompilers } from './schema-compilers.js';

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
  /** Told each time a publish has recorded pages, the article's own first (front servers push them at once). */
  readonly onPagesRecorded?: () => void;
  /** POSTs the changed pages of each publish here (a CDN purge; see purge.ts). */
  readonly purgeUrl?: string | null;
  /** Told of every publish run: the event, each page touched and its outcome, the time taken. */
  readonly onPublished?: (run: PublishRun) => void;
  /** How often read counts are written to the store (ms). */
  readonly viewFlushMs?: number;
  /** How long a host's site is taken as known before it is looked up again (ms, default 5 s). */
  readonly siteCacheMs?: number;
  /** How the read replica (the context's readStore) is checked. */
  readonly replica?: ReplicaOptions;
  /** Where the log goes (default stdout). */
  readonly logStream?: NodeJS.WritableStream;
  /** The proxies whose X-Forwarded-* headers are believed (Config.trustProxy); none when absent. */
  readonly trustProxy?: string | null;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The 浏览次数 counter, for tests and for a flush before maintenance. */
    viewCounter: ViewCounter;
    /**
     * The context the app's routes run with (its events reach the publishers), the publishers
     * (one per site, made on first use), the page cache every site shares, and the link checks.
     */
    gazette: {
      readonly context: AppContext;
      readonly publisher: SitePublishers;
      readonly cache: PageCache;
      readonly links: { idle(): Promise<void> };
      /** The read replica's guard, when the app has a replica. */
      readonly replica: ReplicaGuard | undefined;
    };
  }
  interface FastifyRequest {
    /** The site the request reaches (by Host, `/_site/HOST/`, or the back office's X-Gazette-Site); null when none. */
    servedSite: StaticPages | null;
  }
}

/** Paths that are the platform's, not a site's: they answer whatever the host. */
const PLATFORM_PATHS = /^\/(healthz|api\/openapi\.json)(\?|$)/;

export async function buildApp(given: AppContext, options: AppOptions = {}): Promise<FastifyInstance> {
  // Every change made through this app (API, scheduler) reaches the publisher after its commit.
  // The publisher listens, so each change records its publish tasks in its own transaction.
  const hub = new EventHub(true);
  const replica = given.readStore ? new ReplicaGuard(given.store, given.readStore, options.replica) : undefined;
  const ctx: AppContext = {
    ...given,
    ...(replica && { replica }),
    events: {
      durable: true,
      emit(event, taskId) {
        given.events?.emit(event);
        hub.emit(event, taskId);
      },
    },
  };
  const cache = new PageCache(options.pageCacheBytes ?? 32 * 1024 * 1024);
  let purge: ((siteId: number, paths: readonly string[]) => Promise<void>) | null = null;
  const siteLinks = new Map<number, ReturnType<typeof linkCheckOnPublish>>();
  const outputs = new Map<number, OutputStore>();
  const outputOf = (siteId: number) => {
    let output = outputs.get(siteId);
    if (!output) outputs.set(siteId, (output = new OutputStore(siteOutputDir(ctx.outputDir, siteId))));
    return output;
  };
  // The links of each changed page are checked after the run, in the background.
  const linksOf = (siteId: number) => {
    let links = siteLinks.get(siteId);
    if (!links) {
      links = linkCheckOnPublish({ ...ctx, siteId }, outputOf(siteId), (error) =>
        app.log.error({ err: error, site: siteId }, 'link check after publish failed'),
      );
      siteLinks.set(siteId, links);
    }
    return links;
  };
  const publishers = new SitePublishers(
    (siteId) =>
      new Publisher(ctx.store, ctx.theme, outputOf(siteId), ctx.clock, {
        siteId,
        async onChange(paths) {
          const prefix = siteKeyPrefix(siteId);
          for (const path of paths) cache.delete(prefix + path);
          linksOf(siteId).pages(paths);
          await options.onPagesChanged?.(paths);
          await purge?.(siteId, paths);
        },
        ...(options.onPublished && { onRun: options.onPublished }),
        ...(options.onPagesRecorded && { onRecorded: options.onPagesRecorded }),
        onError: (error, event) =>
          app.log.error(
            { err: error, site: siteId, event: event.type },
            `publish run failed; it is tried again in ${publishTasks.TASK_RETRY_MS / 1000} s`,
          ),
        onTemplateError: (path, message) =>
          app.log.error({ site: siteId, path }, `a template of the site failed; the page was kept: ${message}`),
      }),
  );
  hub.on((event, taskId) => publishers.handle(event, taskId));
  // Pages written by another process (a CLI import, another instance) leave the memory cache too.
  const watcher = watchManifest(ctx.store, cache, options.manifestPollMs ?? 1_000);
  const counter = new ViewCounter(ctx.store.db, ctx.store.dialect, options.viewFlushMs);
  const viewsRefreshMs = options.viewsRefreshMs ?? VIEWS_REFRESH_MS;
  // One policy for every answer but the back office's shell; the theme's inline scripts by hash.
  const contentSecurityPolicy = publicContentSecurityPolicy(ctx.theme);
  const pageHeaders = pageSecurityHeaders(contentSecurityPolicy);
  const served = new ServedSites(
    ctx.store,
    (site) => ({
      siteId: site.id,
      timeZone: site.timeZone,
      prefix: siteKeyPrefix(site.id),
      output: outputOf(site.id),
      publisher: publishers.for(site.id),
      cache,
      counter,
      viewsRefreshMs,
      securityHeaders: pageHeaders,
    }),
    options.siteCacheMs,
  );
  const siteRequestOf = (request: IncomingMessage) => ({
    host: hostOfHeader(request.headers.host),
    chosen: chosenHostOf(request),
  });
  // Published pages already in memory are answered before the framework sees the request.
  // A reader's own choice of site (/_site/, its cookie) is never answered here: those answers are
  // private (no shared cache may keep them for the host's URL), which the router's path marks.
  // The same rule as Fastify's request.protocol, for every answer (the fast path's and a
  // malformed address's too, which Fastify's trusting request never sees).
  const isHttps = httpsCheck(options.trustProxy);
  const fastContext = {
    counter,
    clock: ctx.clock,
    isHttps,
    siteOf: (request: IncomingMessage) =>
      chosenHostOf(request) === undefined ? served.known({ host: hostOfHeader(request.headers.host) }) : undefined,
  };
  const app = Fastify({
    serverFactory: (handler) =>
      http.createServer((request, response) => {
        if (!answerFromMemory(request, response, fastContext)) handler(request, response);
      }),
    // `/_site/HOST/…` reaches any site without DNS: the prefix is taken off before routing and
    // the host kept for the site lookup (and in a cookie, so that the site's own links stay on it).
    rewriteUrl: (request) => {
      const url = request.url ?? '/';
      const viaPath = sitePathOf(url);
      if (!viaPath) return url;
      (request as IncomingMessage & { gazetteChosenHost?: string }).gazetteChosenHost = viaPath.host;
      return viaPath.rest;
    },
    trustProxy: options.trustProxy ?? false,
    schemaController: { compilersFactory: schemaCompilers },
    // The id is the reference a 500 answer gives (ASVS 7.4.1): Fastify's own, req-1, req-2…,
    // starts again at every restart and in every instance, so one reference would name many errors.
    genReqId: () => randomBytes(8).toString('hex'),
    logger: {
      level: options.logLevel ?? 'info',
      redact: ['req.headers.cookie', 'req.headers.authorization', 'req.headers["x-csrf-token"]'],
      // One entry, one line (ASVS 7.3.1): JSON escapes \n and ", but leaves U+2028, U+2029 and
      // U+0085 as they are, which many readers of logs (Python's splitlines, editors) take for line ends.
      hooks: { streamWrite: escapeLineSeparators },
      ...(options.logStream && { stream: options.logStream }),
    },
    // Two log lines per page read would cost more than serving the page; reads are the CDN's or
    // the proxy's to log. Back-office and API calls are logged as usual.
    logController: new LogController({ disableRequestLogging: (request) => !/^\/(api|admin)\//.test(request.url) }),
    // Chinese portal URLs stay short; anything longer is a probe, not a page.
    routerOptions: { ignoreTrailingSlash: false, maxParamLength: 500 },
    frameworkErrors: (error, request, frameworkReply) => {
      const reply = frameworkReply as unknown as FastifyReply;
      // Answers made here skip the onSend hooks, so they carry the security headers themselves.
      void reply.headers(SECURITY_HEADERS).header('content-security-policy', contentSecurityPolicy);
      if (isHttps(request.raw)) void reply.header('strict-transport-security', HSTS);
      // A URL too malformed for the router still gets its site's 404 page.
      if (error.code === 'FST_ERR_BAD_URL') {
        return void served
          .forRequest(siteRequestOf(request.raw))
          .catch(() => null)
          .then((site) => {
            request.servedSite = site;
            return sendNotFound(ctx, reply);
          });
      }
      void reply.code(400).send(errorBody(new GazetteError('BAD_REQUEST', { reason: error.message })));
    },
  });

  if (options.purgeUrl) {
    const url = options.purgeUrl;
    const hooks = new Map<number, ReturnType<typeof purgeHook>>();
    purge = (siteId, paths) => {
      let hook = hooks.get(siteId);
      if (!hook)
        hooks.set(
          siteId,
          (hook = purgeHook(
            url,
            () => sites.findSite(ctx.store.db, siteId).then((site) => (site ? siteUrl(site, '') : null)),
            app.log,
          )),
        );
      return hook(paths);
    };
  }

  app.addHook('onSend', async (request, reply) => {
    reply.headers(SECURITY_HEADERS);
    if (isHttps(request.raw)) reply.header('strict-transport-security', HSTS);
    // The back office's shell sets its own.
    if (!reply.hasHeader('content-security-policy')) reply.header('content-security-policy', contentSecurityPolicy);
    // A page reached by `/_site/HOST/` or its cookie is one reader's choice: no shared cache keeps it.
    if (chosenHostOf(request.raw) !== undefined && !request.url.startsWith('/api/'))
      reply.header('cache-control', 'private, no-store');
    // What the API answers (a session's CSRF token, drafts, accounts) is no cache's to keep.
    if (request.url.startsWith('/api/') && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    // …and, opened in a browser tab, is a download, never a page (ASVS 14.4.2).
    if (request.url.startsWith('/api/') && !reply.hasHeader('content-disposition'))
      reply.header('content-disposition', 'attachment; filename="api.json"');
  });

  installErrorHandler(app, ctx);

  // Each request finds its site first: readers by host, the back office by its site switcher.
  app.decorateRequest('servedSite', null);
  app.decorateRequest('siteContext', null);
  app.addHook('onRequest', async (request, reply) => {
    // The health check answers for the platform, and must answer when the store does not.
    if (PLATFORM_PATHS.test(request.url)) return;
    // The back office's site switcher names its site for the API and the back office only: a
    // public page chosen by a request header would let anyone poison a shared cache.
    const office = request.url.startsWith('/api/') || request.url.startsWith('/admin');
    const picked = office ? request.headers['x-gazette-site'] : undefined;
    const named = typeof picked === 'string' && /^\d+$/.test(picked) ? await served.forId(Number(picked)) : undefined;
    if (named === null) throw new GazetteError('SITE_NOT_FOUND', { site: String(picked) });
    const siteRequest = siteRequestOf(request.raw);
    const site = named ?? (await served.forRequest(siteRequest));
    request.servedSite = site;
    request.siteContext = site ? { ...ctx, siteId: site.siteId } : ctx;
    const viaPath = (request.raw as IncomingMessage & { gazetteChosenHost?: string }).gazetteChosenHost;
    if (viaPath && site) void reply.setCookie(SITE_COOKIE, viaPath, { path: '/', httpOnly: true, sameSite: 'lax' });
    if (site || request.url.startsWith('/api/') || request.url.startsWith('/admin')) return;
    if (request.url.startsWith('/assets/') || request.url.startsWith('/media/')) return;
    return sendUnknownHost(reply, siteRequest.chosen ?? siteRequest.host);
  });

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
    // A dotfile (.env, .git) put in a served folder by mistake is not served: 404, as if absent.
    dotfiles: 'ignore',
  });

  // Uploaded media: images inline, attachments always downloaded under their safe name.
  fs.mkdirSync(ctx.mediaDir, { recursive: true });
  await app.register(fastifyStatic, {
    root: ctx.mediaDir,
    prefix: '/media/',
    decorateReply: false,
    maxAge: '30d',
    index: false,
    // A dotfile (.env, .git) put in a served folder by mistake is not served: 404, as if absent.
    dotfiles: 'ignore',
    setHeaders(res, filePath) {
      if (path.relative(ctx.mediaDir, filePath).startsWith(`file${path.sep}`)) {
        res.setHeader(
          'content-disposition',
          `attachment; filename*=UTF-8''${encodeURIComponent(path.basename(filePath))}`,
        );
      }
    },
  });

  await registerAuth(app, ctx, options);
  await registerApi(app, ctx);
  await registerAdmin(app, ctx);
  registerSearchPage(app, ctx);
  registerFormPosts(app);
  registerLetterPages(app, ctx);
  registerInfoRequestPages(app, ctx);
  registerConsultationPages(app, ctx);
  registerSurveyPages(app, ctx);
  registerDisclosurePage(app, ctx);
  registerLibraryPage(app, ctx);
  registerSiteModeStylesheet(app, ctx);
  counter.start();
  app.addHook('onClose', () => counter.stop());
  app.decorate('viewCounter', counter);
  const links = { idle: async () => void (await Promise.all([...siteLinks.values()].map((l) => l.idle()))) };
  app.decorate('gazette', { context: ctx, publisher: publishers, cache, links, replica });
  if (replica) {
    replica.start(app.log);
    app.addHook('onClose', () => replica.stop());
  }
  // An editor who withdraws or publishes sees the public site already changed when the answer
  // arrives: back-office writes wait for the pages they touched (tens of milliseconds).
  app.addHook('onSend', async (request, _reply, payload) => {
    // …except those whose pages are written in the background (a new look: every page, with progress).
    const background = request.routeOptions.config.publishInBackground === true;
    if (request.method !== 'GET' && request.method !== 'HEAD' && request.url.startsWith('/api/v1/') && !background)
      await publishers.idle();
    return payload;
  });
  // Pages being written when the app stops are finished first.
  app.addHook('onClose', async () => {
    await publishers.idle();
    await links.idle();
    await watcher.stop();
  });
  registerPublicRoutes(app, ctx, counter);
  return app;
}

/** A log line with the Unicode line separators escaped; they occur only inside its JSON strings. */
function escapeLineSeparators(line: string): string {
  return line.replace(/[\u0085\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The answer to a host no site of the platform claims: a plain 404 page that says so. */
function sendUnknownHost(reply: FastifyReply, host: string) {
  const text = '站点不存在 (404)';
  const html =
    `<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>${text}</title></head><body><main><h1>${text}</h1>` +
    `<p>域名 ${escapeHtml(host)} 不属于本平台的任何网站。</p><p>This host name belongs to no site of this platform.</p></main></body></html>\n`;
  return reply.code(404).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
}
