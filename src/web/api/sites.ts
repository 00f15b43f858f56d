import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { GazetteError } from '../../domain/index.js';
import {
  addSite,
  changeSite,
  listPlatformSites,
  NewSiteSchema,
  platformHealth,
  PlatformSiteSchema,
  removeSite,
  ROW_ID_MAX,
  setDefaultSite,
  SiteHealthSchema,
  SitePatchSchema,
} from '../../services/index.js';
import { sites } from '../../store/index.js';
import { actorOf } from '../auth.js';
import { contextOf } from '../context.js';
import { BACK_OFFICE_ERRORS, IdParams as Id } from './schemas.js';
import type { PlatformSite } from '../../domain/index.js';

/** A site as answered (a fresh list of hosts for the serialiser). */
const view = (site: PlatformSite) => ({ ...site, hosts: [...site.hosts] });

const tags = ['platform'];

/** 站点管理: the platform administrator's sites (by id in the URL; the services take a host). */
export function registerSitesApi(app: FastifyInstance): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  /** The primary host of a site by id, for the services that take a host. */
  const hostOf = async (request: { id: number }, ctx: ReturnType<typeof contextOf>) => {
    const site = await sites.findSite(ctx.store.db, request.id);
    if (!site) throw new GazetteError('SITE_NOT_FOUND', { site: String(request.id) });
    return site.domain;
  };
  api.get(
    '/api/v1/sites',
    {
      config: { permission: 'platform.manage' },
      schema: {
        summary: 'Every site of the platform, and the site unknown hosts get',
        tags,
        response: {
          200: Type.Object({
            items: Type.Array(PlatformSiteSchema),
            defaultSiteId: Type.Union([Type.Integer(), Type.Null()]),
          }),
          ...BACK_OFFICE_ERRORS,
        },
      },
    },
    async (request) => {
      const { sites: items, defaultSiteId } = await listPlatformSites(contextOf(request), actorOf(request));
      return { items: items.map(view), defaultSiteId };
    },
  );
  api.post(
    '/api/v1/sites',
    {
      config: { permission: 'platform.manage' },
      schema: {
        summary: 'Add a site (empty: its columns and content come after)',
        tags,
        body: NewSiteSchema,
        response: { 201: PlatformSiteSchema, ...BACK_OFFICE_ERRORS },
      },
    },
    async (request, reply) =>
      reply.code(201).send(view(await addSite(contextOf(request), actorOf(request), request.body))),
  );
  api.patch(
    '/api/v1/sites/:id',
    {
      config: { permission: 'platform.manage' },
      schema: {
        summary: 'Change a site: name, 网站标识码, hosts, parent, archive or bring back',
        tags,
        params: Id,
        body: SitePatchSchema,
        response: { 200: PlatformSiteSchema, ...BACK_OFFICE_ERRORS },
      },
    },
    async (request) => {
      const ctx = contextOf(request);
      return view(await changeSite(ctx, actorOf(request), await hostOf(request.params, ctx), request.body));
    },
  );
  api.delete(
    '/api/v1/sites/:id',
    {
      config: { permission: 'platform.manage' },
      schema: {
        summary: 'Remove a site and all it holds (a site with content must be archived first)',
        tags,
        params: Id,
        response: { 204: Type.Null(), ...BACK_OFFICE_ERRORS },
      },
    },
    async (request, reply) => {
      const ctx = contextOf(request);
      await removeSite(ctx, actorOf(request), await hostOf(request.params, ctx));
      return reply.code(204).send(null);
    },
  );
  api.get(
    '/api/v1/sites/health',
    {
      config: { permission: 'platform.manage' },
      schema: {
        summary:
          "Every site's latest health report in brief: score, pass or fail, the 单项否决 items that fail (failing sites first)",
        tags,
        response: { 200: Type.Object({ items: Type.Array(SiteHealthSchema) }), ...BACK_OFFICE_ERRORS },
      },
    },
    async (request) => ({ items: await platformHealth(contextOf(request), actorOf(request)) }),
  );
  api.put(
    '/api/v1/sites/default',
    {
      config: { permission: 'platform.manage' },
      schema: {
        summary: 'Name the site that hosts no site claims are answered with (null: a 404 page)',
        tags,
        body: Type.Object(
          { siteId: Type.Union([Type.Integer({ minimum: 1, maximum: ROW_ID_MAX }), Type.Null()]) },
          { additionalProperties: false },
        ),
        response: { 204: Type.Null(), ...BACK_OFFICE_ERRORS },
      },
    },
    async (request, reply) => {
      const ctx = contextOf(request);
      const id = request.body.siteId;
      await setDefaultSite(ctx, actorOf(request), id === null ? null : await hostOf({ id }, ctx));
      return reply.code(204).send(null);
    },
  );
}
