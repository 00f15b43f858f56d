import { Type } from '@fastify/type-provider-typebox';
import { ArticleViewSchema, ROW_ID_MAX } from '../../services/index.js';

/** Every error answer: a stable code, the message in Chinese and in English. */
export const ErrorSchema = Type.Object({
  code: Type.String({ description: 'Stable error code, e.g. SEARCH_QUERY_EMPTY' }),
  message: Type.String({ description: 'Chinese message' }),
  messageEn: Type.String({ description: 'English message' }),
});

/** 409 on a stale save: the article as it is now and the fields changed since the editor's version. */
export const ConflictSchema = Type.Object({
  code: Type.Literal('ARTICLE_VERSION_CONFLICT'),
  message: Type.String(),
  messageEn: Type.String(),
  current: ArticleViewSchema,
  changed: Type.Array(Type.String()),
});

/** The error answers every back-office route may give (documented once, used by each route). */
export const BACK_OFFICE_ERRORS = {
  400: ErrorSchema,
  401: ErrorSchema,
  403: ErrorSchema,
  404: ErrorSchema,
  409: ErrorSchema,
  429: ErrorSchema,
};

/** `:id` in a back-office path. */
export const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: ROW_ID_MAX }) });
