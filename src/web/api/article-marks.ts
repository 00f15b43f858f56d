import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { ArticleMarksInputSchema, ArticleMarksSchema, getArticleMarks, setArticleMarks } from '../../services/index.js';
import { actorOf } from '../auth.js';
import { contextOf } from '../context.js';
import { BACK_OFFICE_ERRORS, IdParams } from './schemas.js';

/** 头条 and 图片新闻: an article's marks for the home page. */
export function registerArticleMarksApi(app: FastifyInstance): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['articles'];

  api.get(
    '/api/v1/articles/:id/marks',
    {
      config: { permission: 'article.read' },
      schema: {
        summary: 'Whether the article is marked 头条 (headline) and 图片新闻 (picture news) for the home page',
        tags,
        params: IdParams,
        response: { 200: ArticleMarksSchema, ...BACK_OFFICE_ERRORS },
      },
    },
    async (request) => getArticleMarks(contextOf(request), actorOf(request), request.params.id),
  );

  api.put(
    '/api/v1/articles/:id/marks',
    {
      config: { permission: 'article.publish' },
      schema: {
        summary:
          'Mark the article 头条 and/or 图片新闻 (a picture-news article shows once it has a cover image); needs article.publish in its column',
        tags,
        params: IdParams,
        body: ArticleMarksInputSchema,
        response: { 200: ArticleMarksSchema, ...BACK_OFFICE_ERRORS },
      },
    },
    async (request) => setArticleMarks(contextOf(request), actorOf(request), request.params.id, request.body),
  );
}
