import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { GazetteError } from '../../domain/index.js';
import {
  INTERPRETATION_DUE_DAYS,
  MAX_MEDIA_QUOTA_MB,
  setInterpretationDueDays,
  setMediaQuota,
  setMourning,
  setPlacedPages,
  siteSettings,
} from '../../services/index.js';
import { actorOf } from '../auth.js';
import { contextOf } from '../context.js';
import { BACK_OFFICE_ERRORS } from './schemas.js';

const PlacedPagesSchema = Type.Union([Type.Literal('link'), Type.Literal('copy')], {
  description:
    "How the site's lists show articles placed from other sites (引用): link to their own page, or a copy on this site carrying rel=canonical",
});

const MediaQuotaSchema = Type.Integer({
  minimum: 1,
  maximum: MAX_MEDIA_QUOTA_MB,
  description: 'What each user may upload to the site, in MiB (default 2048); an upload beyond it answers 413',
});

const InterpretationDueDaysSchema = Type.Integer({
  minimum: INTERPRETATION_DUE_DAYS.min,
  maximum: INTERPRETATION_DUE_DAYS.max,
  description:
    'Working days a published policy (政策文件) may wait for a linked 解读 before the health report warns (default 3)',
});

export const SiteSettingsSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  timeZone: Type.String(),
  mourning: Type.Boolean({ description: 'The public pages show in grey (哀悼日置灰)' }),
  placedPages: PlacedPagesSchema,
  mediaQuotaMb: MediaQuotaSchema,
  interpretationDueDays: InterpretationDueDaysSchema,
});

const SitePatchSchema = Type.Object(
  {
    mourning: Type.Optional(Type.Boolean()),
    placedPages: Type.Optional(PlacedPagesSchema),
    mediaQuotaMb: Type.Optional(MediaQuotaSchema),
    interpretationDueDays: Type.Optional(InterpretationDueDaysSchema),
  },
  { additionalProperties: false, minProperties: 1 },
);

/** The site's own settings: read by every back-office user, changed by the site administrator. */
export function registerSiteApi(app: FastifyInstance): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  api.get(
    '/api/v1/site',
    {
      config: { permission: 'signed-in' },
      schema: {
        summary: 'The site being edited',
        tags: ['site'],
        response: { 200: SiteSettingsSchema, ...BACK_OFFICE_ERRORS },
      },
    },
    async (request) => siteSettings(contextOf(request)),
  );
  api.patch(
    '/api/v1/site',
    {
      config: { permission: 'site.manage' },
      schema: {
        summary:
          "Change site settings: grey mode for days of mourning (every public page at once); how placed articles of other sites are shown; each user's media quota; the working days a policy may wait for its 解读",
        tags: ['site'],
        body: SitePatchSchema,
        response: { 200: SiteSettingsSchema, ...BACK_OFFICE_ERRORS },
      },
    },
    async (request) => {
      const ctx = contextOf(request);
      const actor = actorOf(request);
      const { mourning, placedPages, mediaQuotaMb, interpretationDueDays } = request.body;
      // Unknown fields are dropped by validation: a body left with nothing to change is refused.
      if (Object.values(request.body).every((value) => value === undefined))
        throw new GazetteError('BAD_REQUEST', {
          reason: 'give mourning, placedPages, mediaQuotaMb or interpretationDueDays',
        });
      let settings = mourning === undefined ? null : await setMourning(ctx, actor, mourning);
      if (placedPages !== undefined) settings = await setPlacedPages(ctx, actor, placedPages);
      if (mediaQuotaMb !== undefined) settings = await setMediaQuota(ctx, actor, mediaQuotaMb);
      if (interpretationDueDays !== undefined)
        settings = await setInterpretationDueDays(ctx, actor, interpretationDueDays);
      return settings ?? siteSettings(ctx);
    },
  );
}
