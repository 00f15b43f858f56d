import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { setMourning, siteSettings } from '../../services/index.js';
import { actorOf } from '../auth.js';
import { contextOf } from '../context.js';
import { BACK_OFFICE_ERRORS } from './schemas.js';

export const SiteSettingsSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  timeZone: Type.String(),
  mourning: Type.Boolean({ description: 'The public pages show in grey (哀悼日置灰)' }),
});

const SitePatchSchema = Type.Object({ mourning: Type.Boolean() }, { additionalProperties: false });

/** The site's own settings: read by every back-office user, changed by the site administrator. */
export function registerSiteApi(app: FastifyInstance): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  api.get(
    '/api/v1/site',
    {
      config: { permission: 'signed-in' },
      schema: { summary: 'The site being edited', tags: ['site'], response: { 200: SiteSettingsSchema, ...BACK_OFFICE_ERRORS } },
    },
    async (request) => siteSettings(contextOf(request)),
  );
  api.patch(
    '/api/v1/site',
    {
      config: { permission: 'site.manage' },
      schema: {
        summary: 'Change site settings: grey mode for days of mourning (applies to every public page at once)',
        tags: ['site'],
        body: SitePatchSchema,
        response: { 200: SiteSettingsSchema, ...BACK_OFFICE_ERRORS },
      },
    },
    async (request) => setMourning(contextOf(request), actorOf(request), request.body.mourning),
  );
}
