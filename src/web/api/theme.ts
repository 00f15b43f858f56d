import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { isGazetteError } from '../../domain/index.js';
import {
  DiffPartSchema,
  MAX_PREVIEW_PAGES,
  checkTemplate,
  getTemplate,
  listTemplates,
  previewTemplate,
  resetTemplate,
  restoreTemplateRevision,
  saveOverride,
  templateRevisionDiff,
  templateRevisions,
} from '../../services/index.js';
import { MAX_TEMPLATE_CHARS, TEMPLATE_NAME_PATTERN } from '../../theme/index.js';
import { actorOf } from '../auth.js';
import { contextOf } from '../context.js';
import { templateProblem } from '../errors.js';
import { BACK_OFFICE_ERRORS, IdParams } from './schemas.js';

/** 模板编辑: a site's own versions of the default theme's templates, for the holders of `theme.edit`. */

const NameParams = Type.Object({
  name: Type.String({
    maxLength: 100,
    pattern: TEMPLATE_NAME_PATTERN,
    description: 'A template of the default theme: `article`, `layout`, `blocks/headline` (its `/` sent as `%2F`)',
  }),
});

const SourceSchema = Type.String({ maxLength: MAX_TEMPLATE_CHARS, description: 'Liquid' });

const SummarySchema = Type.Object({
  name: Type.String(),
  kind: Type.Union([Type.Literal('page'), Type.Literal('partial')]),
  overridden: Type.Boolean(),
  updatedAt: Type.Union([Type.String(), Type.Null()]),
  updatedBy: Type.Union([Type.String(), Type.Null()]),
});

const DetailSchema = Type.Object({
  ...SummarySchema.properties,
  defaultSource: Type.String(),
  source: Type.Union([Type.String(), Type.Null()], { description: "The site's own text; null: the default's" }),
  usedBy: Type.Array(Type.String(), { description: 'The page templates whose pages use it' }),
});

const RevisionSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  action: Type.Union([Type.Literal('save'), Type.Literal('restore'), Type.Literal('reset'), Type.Literal('import')]),
  at: Type.String(),
  userName: Type.Union([Type.String(), Type.Null()]),
  source: Type.Union([Type.String(), Type.Null()], { description: "null: back to the default theme's" }),
});

/** A template's problem: where it is, and what (Chinese, English). */
const ProblemSchema = Type.Object({
  code: Type.String(),
  message: Type.String(),
  messageEn: Type.String(),
  template: Type.String(),
  line: Type.Integer(),
  column: Type.Integer(),
});

/** 422: a template's problem (with where it is), or a preview path that is no page of a template. */
const UnprocessableSchema = Type.Object({
  code: Type.String(),
  message: Type.String(),
  messageEn: Type.String(),
  template: Type.Optional(Type.String()),
  line: Type.Optional(Type.Integer()),
  column: Type.Optional(Type.Integer()),
});

const ERRORS = { ...BACK_OFFICE_ERRORS, 422: UnprocessableSchema };

const config = { permission: 'theme.edit' } as const;
const tags = ['theme'];

export function registerThemeApi(app: FastifyInstance): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  api.get(
    '/api/v1/theme/templates',
    {
      config,
      schema: {
        summary: 'The templates and partials of the default theme, and which the site has overridden',
        tags,
        response: { 200: Type.Object({ items: Type.Array(SummarySchema) }), ...ERRORS },
      },
    },
    async (request) => ({ items: await listTemplates(contextOf(request), actorOf(request)) }),
  );
  api.get(
    '/api/v1/theme/templates/:name',
    {
      config,
      schema: {
        summary: 'A template: its default and its override',
        tags,
        params: NameParams,
        response: { 200: DetailSchema, ...ERRORS },
      },
    },
    async (request) => getTemplate(contextOf(request), actorOf(request), request.params.name),
  );
  api.post(
    '/api/v1/theme/templates/:name/validate',
    {
      config,
      schema: {
        summary: 'Check a draft as saving would, without saving: its problems with their line and column',
        tags,
        params: NameParams,
        body: Type.Object({ source: SourceSchema }),
        response: { 200: Type.Object({ ok: Type.Boolean(), errors: Type.Array(ProblemSchema) }), ...ERRORS },
      },
    },
    async (request) => {
      try {
        await checkTemplate(contextOf(request), actorOf(request), request.params.name, request.body.source);
        return { ok: true, errors: [] };
      } catch (error) {
        if (!isGazetteError(error) || error.code !== 'THEME_TEMPLATE_ERROR') throw error;
        return { ok: false, errors: [templateProblem(error)] };
      }
    },
  );
  registerChanges(app);
  registerHistory(app);
}

/** Preview, save and reset: what changes the template (or would). */
function registerChanges(app: FastifyInstance): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  api.post(
    '/api/v1/theme/templates/:name/preview',
    {
      config,
      schema: {
        summary: "The site's real pages at these paths rendered with the draft; nothing is saved",
        tags,
        params: NameParams,
        body: Type.Object({
          source: SourceSchema,
          paths: Type.Array(Type.String({ minLength: 1, maxLength: 1000 }), {
            minItems: 1,
            maxItems: MAX_PREVIEW_PAGES,
          }),
        }),
        response: {
          200: Type.Object({ pages: Type.Array(Type.Object({ path: Type.String(), html: Type.String() })) }),
          ...ERRORS,
        },
      },
    },
    async (request) => {
      const { source, paths } = request.body;
      return { pages: await previewTemplate(contextOf(request), actorOf(request), request.params.name, source, paths) };
    },
  );
  api.put(
    '/api/v1/theme/templates/:name',
    {
      config,
      schema: {
        summary:
          "Save the site's version of a template: validated, a revision, audited; the pages that use it are published",
        tags,
        params: NameParams,
        body: Type.Object({ source: SourceSchema }),
        response: { 200: DetailSchema, ...ERRORS },
      },
    },
    async (request) => saveOverride(contextOf(request), actorOf(request), request.params.name, request.body.source),
  );
  api.post(
    '/api/v1/theme/templates/:name/reset',
    {
      config,
      schema: {
        summary: "Back to the default theme's template: a revision, audited; the pages that use it are published",
        tags,
        params: NameParams,
        response: { 200: DetailSchema, ...ERRORS },
      },
    },
    async (request) => resetTemplate(contextOf(request), actorOf(request), request.params.name),
  );
}

/** Revisions: the list, a diff, a restore. */
function registerHistory(app: FastifyInstance): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  api.get(
    '/api/v1/theme/templates/:name/revisions',
    {
      config,
      schema: {
        summary: "A template's revisions, newest first",
        tags,
        params: NameParams,
        response: { 200: Type.Object({ items: Type.Array(RevisionSchema) }), ...ERRORS },
      },
    },
    async (request) => ({ items: await templateRevisions(contextOf(request), actorOf(request), request.params.name) }),
  );
  api.get(
    '/api/v1/theme/revisions/:id/diff',
    {
      config,
      schema: {
        summary: 'A revision against the one before it (the default theme’s text before the first)',
        tags,
        params: IdParams,
        response: {
          200: Type.Object({
            id: Type.Integer(),
            name: Type.String(),
            against: Type.Union([Type.Integer(), Type.Null()]),
            unified: Type.String(),
            parts: Type.Array(DiffPartSchema),
          }),
          ...ERRORS,
        },
      },
    },
    async (request) => templateRevisionDiff(contextOf(request), actorOf(request), request.params.id),
  );
  api.post(
    '/api/v1/theme/revisions/:id/restore',
    {
      config,
      schema: {
        summary: 'The template as this revision left it: a new revision, audited; the pages that use it are published',
        tags,
        params: IdParams,
        response: { 200: DetailSchema, ...ERRORS },
      },
    },
    async (request) => restoreTemplateRevision(contextOf(request), actorOf(request), request.params.id),
  );
}
