// 站点外观 over HTTP: the look, its save, the live preview, the images and the progress of the
// re-render a save starts. Every route needs site.manage (the site administrator).
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { GazetteError, HOME_BLOCK_KINDS, SERVICE_ICONS } from '../../domain/index.js';
import {
  LOOK_SLOTS,
  SLOT_RULES,
  byteSize,
  lookProgress,
  previewLook,
  saveLook,
  siteLook,
  uploadLookImage,
  type LookSlot,
  type LookState,
} from '../../services/index.js';
import { actorOf } from '../auth.js';
import { contextOf } from '../context.js';
import { BACK_OFFICE_ERRORS, ErrorSchema } from './schemas.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The pages the route's change reaches are written in the background (a new look re-renders
     * every page): its answer does not wait for them, as other writes of the back office do.
     */
    publishInBackground?: boolean;
  }
}

const Url = Type.String({ maxLength: 500, description: 'A path on the site (`/zwgk/`) or an http(s) URL' });
const MoreUrl = Type.String({
  maxLength: 500,
  description: 'Where 更多 leads: a site path or http(s) URL; empty for none',
});
const ChannelIds = Type.Array(Type.Integer(), {
  maxItems: 10,
  description: 'Columns to take articles from; none: the whole site',
});
const LinkEntrySchema = Type.Object({ title: Type.String(), url: Url });
const LookImageSchema = Type.Object({
  url: Type.String({ description: 'A file of the media library (`/media/…`)' }),
  alt: Type.String({ description: 'Its alternative text' }),
});
const block = <K extends string>(kind: K, fields: Parameters<typeof Type.Object>[0], description: string) =>
  Type.Object(
    { id: Type.String({ pattern: '^[a-z][a-z0-9-]*$' }), kind: Type.Literal(kind), title: Type.String(), ...fields },
    { description },
  );

const HomeBlockSchema = Type.Union([
  block('headline', { channelIds: ChannelIds, showSummary: Type.Boolean() }, '头条: the newest article marked 头条'),
  block(
    'pictures',
    { channelIds: ChannelIds, count: Type.Integer({ minimum: 1, maximum: 10 }), moreUrl: MoreUrl },
    '图片新闻: a carousel of articles marked 图片新闻 with a cover',
  ),
  block(
    'tabs',
    {
      tabs: Type.Array(Type.Object({ channelId: Type.Integer(), title: Type.String() }), { minItems: 1, maxItems: 6 }),
      count: Type.Integer({ minimum: 1, maximum: 20 }),
      showDates: Type.Boolean(),
      pictures: Type.Boolean(),
    },
    'Columns side by side as tabs (a tab titled "" takes its column’s name)',
  ),
  block(
    'disclosure',
    { channelId: Type.Integer(), count: Type.Integer({ minimum: 1, maximum: 10 }) },
    '政务公开: a column’s sub-columns with their newest articles',
  ),
  block(
    'services',
    {
      entries: Type.Array(
        Type.Object({ title: Type.String(), url: Url, icon: Type.Union(SERVICE_ICONS.map((i) => Type.Literal(i))) }),
        { minItems: 1, maxItems: 24 },
      ),
      moreUrl: MoreUrl,
    },
    '办事服务: entrances with icons',
  ),
  block(
    'interaction',
    { count: Type.Integer({ minimum: 0, maximum: 10 }) },
    '互动交流 and the latest answered letters',
  ),
  block(
    'topics',
    { count: Type.Integer({ minimum: 1, maximum: 6 }), moreUrl: MoreUrl },
    '专题: banners of the newest topics',
  ),
  block(
    'links',
    {
      groups: Type.Array(
        Type.Object({ title: Type.String(), links: Type.Array(LinkEntrySchema, { minItems: 1, maxItems: 50 }) }),
        { maxItems: 10 },
      ),
    },
    '友情链接: groups of links',
  ),
]);

export const SiteLookSchema = Type.Object(
  {
    mainColour: Type.String({ pattern: '^#[0-9a-f]{6}$', description: 'White text sits on it: at least 4.5:1' }),
    accentColour: Type.String({ pattern: '^#[0-9a-f]{6}$', description: 'White text sits on it: at least 4.5:1' }),
    logo: Type.Union([LookImageSchema, Type.Null()]),
    banner: Type.Union([LookImageSchema, Type.Null()]),
    favicon: Type.Union([Type.String(), Type.Null()], { description: 'A media library URL; null: the theme’s own' }),
    blocks: Type.Array(HomeBlockSchema, {
      maxItems: 20,
      description: `Top to bottom; kinds: ${HOME_BLOCK_KINDS.join(', ')}`,
    }),
  },
  { description: 'The site’s look (站点外观)' },
);

const LookStateSchema = Type.Object({
  look: SiteLookSchema,
  version: Type.Integer({ minimum: 0, description: 'Name it when saving; 0: no look saved yet (the default shows)' }),
  updatedAt: Type.Union([Type.String(), Type.Null()]),
  isDefault: Type.Boolean({ description: 'No look saved: the theme’s default for the site’s columns' }),
});

/** The look in a request body: checked field by field by the service, which names the field it refuses. */
const DraftLook = Type.Unknown({
  description:
    'A SiteLook (the schema of GET /api/v1/site/look’s `look`). Checked field by field: 400 LOOK_INVALID or 422 LOOK_CHANNEL_UNKNOWN naming the field (`blocks[2].count`)',
});

const ProgressSchema = Type.Object({
  tasks: Type.Array(
    Type.Object({
      id: Type.Integer(),
      type: Type.Union([Type.Literal('look.changed'), Type.Literal('theme.changed')]),
      done: Type.Integer({ description: 'Pages written so far (0 and 0 until a large run has counted them)' }),
      total: Type.Integer(),
      since: Type.String(),
    }),
    { description: 'Re-renders still running, oldest first; empty once every page is written' },
  ),
});

/**
 * The preview is the site's page shown in the back office's sandboxed frame: no script runs, no
 * form posts, nothing but the site's own styles and images; never kept by a cache.
 */
export const PREVIEW_CSP =
  "default-src 'none'; img-src 'self' data: http: https:; style-src 'self' 'unsafe-inline'; font-src 'self'; frame-ancestors 'self'; base-uri 'self'; form-action 'none'; sandbox";

const SlotParams = Type.Object({ slot: Type.Union(LOOK_SLOTS.map((s) => Type.Literal(s))) });
const slotLimits = LOOK_SLOTS.map(
  (s) => `${s} ${byteSize(SLOT_RULES[s].maxBytes)} (${SLOT_RULES[s].types.join(', ')})`,
).join('; ');

/** The upload's `alt` field and its one file (field `file`), read whole up to the transport's limit. */
async function readImage(
  request: FastifyRequest,
): Promise<{ filename: string; data: Buffer; alt?: string; truncated: boolean }> {
  if (!request.isMultipart()) throw new GazetteError('MEDIA_NO_FILE');
  let alt: string | undefined;
  for await (const part of request.parts()) {
    if (part.type === 'field') {
      if (part.fieldname === 'alt') alt = String(part.value);
      continue;
    }
    const data = await part.toBuffer().catch((error: unknown) => {
      if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') return null;
      throw error;
    });
    if (part.fieldname !== 'file') continue;
    // Past the transport's limit the service says how much that is; the bytes read are dropped.
    return { filename: part.filename, data: data ?? Buffer.alloc(0), alt, truncated: data === null };
  }
  throw new GazetteError('MEDIA_NO_FILE');
}

/** The state as its schema types it (the domain's lists are read-only; the answer's are copies). */
function wire(state: LookState) {
  return { ...state, look: { ...state.look, blocks: [...state.look.blocks] } };
}

export function registerLookApi(app: FastifyInstance): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['site'];
  const config = { permission: 'site.manage' } as const;
  api.get(
    '/api/v1/site/look',
    {
      config,
      schema: {
        summary: 'The site’s look (站点外观): colours, logo, banner, favicon and the home page’s blocks',
        tags,
        response: { 200: LookStateSchema, ...BACK_OFFICE_ERRORS },
      },
    },
    async (request) => wire(await siteLook(contextOf(request))),
  );
  api.put(
    '/api/v1/site/look',
    {
      config: { ...config, publishInBackground: true },
      schema: {
        summary:
          'Save the look over the version it was read at; the pages it changes are re-rendered in the background',
        description:
          'Colours reach /look.css only, the blocks the home page only, the logo, banner or favicon every page (GET /api/v1/site/look/progress follows the run; the old pages serve until each new one is written). 409 LOOK_VERSION_CONFLICT when someone saved meanwhile; 422 LOOK_CONTRAST_TOO_LOW with the measured ratio when white text on a colour falls below 4.5:1. Audited `site.look`.',
        tags,
        body: Type.Object({ look: DraftLook, version: Type.Integer({ minimum: 0 }) }),
        response: { 200: LookStateSchema, ...BACK_OFFICE_ERRORS, 422: ErrorSchema },
      },
    },
    async (request) =>
      wire(await saveLook(contextOf(request), actorOf(request), request.body.look, request.body.version)),
  );
  api.post(
    '/api/v1/site/look/preview',
    {
      config: { ...config, publishInBackground: true },
      schema: {
        summary: 'The home page rendered with a draft look, from the site’s real content; nothing is saved',
        tags,
        body: Type.Object({ look: DraftLook }),
        produces: ['text/html'],
        response: {
          200: Type.String({ description: 'The page (text/html)' }),
          ...BACK_OFFICE_ERRORS,
          422: ErrorSchema,
        },
      },
    },
    async (request, reply) => {
      const ctx = contextOf(request);
      const html = await previewLook(ctx, actorOf(request), ctx.theme, request.body.look);
      return reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .header('content-security-policy', PREVIEW_CSP)
        .header('x-robots-tag', 'noindex, nofollow')
        .send(html);
    },
  );
  api.get(
    '/api/v1/site/look/progress',
    {
      config,
      schema: {
        summary: 'The site’s look and template re-renders still running, with the pages written so far',
        tags,
        response: { 200: ProgressSchema, ...BACK_OFFICE_ERRORS },
      },
    },
    async (request) => ({ tasks: await lookProgress(contextOf(request), actorOf(request)) }),
  );
  api.post(
    '/api/v1/site/look/images/:slot',
    {
      config: { ...config, publishInBackground: true },
      schema: {
        summary: 'Upload the logo, banner or favicon (multipart fields `alt`, then `file`) into the media library',
        description: `Checked by content, never by name: ${slotLimits}. Too large: 413 LOOK_IMAGE_TOO_LARGE; not an accepted image (or an SVG with scripts or outside references): 415 LOOK_IMAGE_TYPE, both naming the file and what it is. Then as every media upload: quota, virus check, audit. The answer goes into the look, which is saved apart.`,
        tags,
        params: SlotParams,
        consumes: ['multipart/form-data'],
        response: { 201: LookImageSchema, ...BACK_OFFICE_ERRORS, 413: ErrorSchema, 415: ErrorSchema, 422: ErrorSchema },
      },
    },
    async (request, reply) => {
      const upload = await readImage(request);
      const slot: LookSlot = request.params.slot;
      return reply.code(201).send(await uploadLookImage(contextOf(request), actorOf(request), slot, upload));
    },
  );
}
