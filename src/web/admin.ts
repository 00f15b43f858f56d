import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import fastifyStatic from '@fastify/static';
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { GazetteError, dateBarText } from '../domain/index.js';
import { articlePage, fillIncludes, loadSiteView, renderOnRequest } from '../publish/index.js';
import { getArticle, ROW_ID_MAX } from '../services/index.js';
import { articles } from '../store/index.js';
import { actorOf } from './auth.js';
import { contextOf, type AppContext } from './context.js';
import { articleRead } from './read-audit.js';

/** Where `npm run build:admin` (Vite) puts the back office. */
export const ADMIN_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/admin');

const NOT_BUILT = `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>后台尚未构建</title></head>
<body><main><h1>后台尚未构建 / The back office is not built</h1><p>运行 <code>npm run build:admin</code>（<code>npm start</code> 会自动构建）。</p></main></body></html>`;

/** The back office (a Vite-built single-page app) and the preview of the real article page. */
export async function registerAdmin(app: FastifyInstance, ctx: AppContext, distDir = ADMIN_DIST): Promise<void> {
  const built = fs.existsSync(path.join(distDir, 'index.html'));
  if (built) {
    await app.register(fastifyStatic, {
      root: path.join(distDir, 'assets'),
      prefix: '/admin/assets/',
      decorateReply: false,
      maxAge: '365d',
      immutable: true,
      index: false,
      // A dotfile (.env, .git) put in a served folder by mistake is not served: 404, as if absent.
      dotfiles: 'ignore',
    });
  }
  const shell = async (_request: unknown, reply: FastifyReply) => {
    const html = built ? await fs.promises.readFile(path.join(distDir, 'index.html'), 'utf8') : NOT_BUILT;
    return reply
      .code(built ? 200 : 503)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header(
        'content-security-policy',
        "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; frame-ancestors 'self'; base-uri 'self'; form-action 'self'",
      )
      .send(html);
  };
  app.get('/admin', (_request, reply) => reply.redirect('/admin/', 302));
  app.get('/admin/', shell);
  app.get('/admin/*', shell);

  app.withTypeProvider<TypeBoxTypeProvider>().get(
    '/admin/preview/:id',
    {
      config: { permission: 'article.read' },
      schema: { params: Type.Object({ id: Type.Integer({ minimum: 1, maximum: ROW_ID_MAX }) }) },
    },
    async (request, reply) => {
      await articleRead(request, await getArticle(contextOf(request), actorOf(request), request.params.id));
      const view = await loadSiteView(ctx.store.db, contextOf(request).siteId);
      const article = await articles.findArticle(ctx.store.db, request.params.id);
      if (!view || !article) throw new GazetteError('ARTICLE_NOT_FOUND', { id: request.params.id });
      const now = ctx.clock.now();
      // The page exactly as readers will get it, as if it were published now.
      const model = await articlePage(ctx.store.db, view, {
        ...article,
        status: 'published',
        publishedAt: article.publishedAt ?? now.toISOString(),
      });
      if (!model) throw new GazetteError('ARTICLE_NOT_FOUND', { id: request.params.id });
      const html = fillIncludes(renderOnRequest(ctx.theme, view, 'article', model), {
        today: dateBarText(now, view.site.timeZone),
        views: article.viewCount,
      });
      return reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .header('x-robots-tag', 'noindex, nofollow')
        .send(html);
    },
  );
}
