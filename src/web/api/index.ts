import type { FastifyInstance } from 'fastify';
import fastifySwagger from '@fastify/swagger';
import fastifyMultipart from '@fastify/multipart';
import { MEDIA_LIMITS, contentTypeSchemas } from '../../services/index.js';
import { registerContentTypeApi } from './content-types.js';
import type { AppContext } from '../context.js';
import { registerSearchApi } from './search.js';
import { registerSessionApi } from './session.js';
import { registerArticleApi } from './articles.js';
import { registerArticleMarksApi } from './article-marks.js';
import { registerBackOfficeApi } from './backoffice.js';
import { registerWordingApi } from './wording.js';
import { registerHealthApi } from './health.js';
import { registerDisclosureApi } from './disclosure.js';
import { registerSiteApi } from './site.js';
import { registerLookApi } from './look.js';
import { registerSitesApi } from './sites.js';
import { registerSharingApi } from './sharing.js';
import { registerLetterApi } from './letters.js';
import { registerInfoRequestApi } from './info-requests.js';
import { registerHotlineApi } from './hotline.js';
import { registerLetterStatsApi } from './letter-stats.js';
import { registerSurveyApi } from './surveys.js';
import { registerConsultationApi } from './consultations.js';
import { registerFrontsApi } from './fronts.js';
import { registerThemeApi } from './theme.js';
import { acceptEmptyBodies } from '../empty-body.js';

/** /api/v1: JSON routes whose schemas also generate /api/openapi.json. */
export async function registerApi(app: FastifyInstance, ctx: AppContext): Promise<void> {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Gazette API', version: '1', description: 'Public and back-office API of a Gazette portal' },
      components: {
        // Each content type's values, as `fields` of an item of that type holds them.
        schemas: contentTypeSchemas(),
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'gz_session' },
          csrf: {
            type: 'apiKey',
            in: 'header',
            name: 'X-CSRF-Token',
            description: 'From the sign-in answer; required on every write',
          },
        },
      },
    },
    hideUntagged: true,
  });
  await app.register(fastifyMultipart, {
    limits: { fileSize: MEDIA_LIMITS.attachmentBytes, files: 1, fields: 5, fieldSize: 4096 },
  });
  acceptEmptyBodies(app);
  registerSearchApi(app, ctx);
  registerSessionApi(app);
  registerArticleApi(app);
  registerArticleMarksApi(app);
  registerContentTypeApi(app);
  registerBackOfficeApi(app, ctx);
  registerWordingApi(app);
  registerHealthApi(app);
  registerDisclosureApi(app);
  registerSiteApi(app);
  registerLookApi(app);
  registerSitesApi(app);
  registerSharingApi(app);
  registerLetterApi(app);
  registerInfoRequestApi(app);
  registerHotlineApi(app);
  registerLetterStatsApi(app);
  registerSurveyApi(app);
  registerConsultationApi(app);
  registerFrontsApi(app);
  registerThemeApi(app);
  app.get('/api/openapi.json', { schema: { hide: true } }, () => app.swagger());
}
