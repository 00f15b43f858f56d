import { Type, type Static } from 'typebox';

/**
 * The platform's sites as the API and the CLI read and write them, described once: the
 * services' input and output types, the API's validation and /api/openapi.json.
 */
const Host = Type.String({ minLength: 1, maxLength: 253, description: 'A host name, e.g. swj.example.gov.cn' });

export const PlatformSiteSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  domain: Type.String({ description: 'The host absolute URLs use (SiteDomain)' }),
  hosts: Type.Array(Type.String(), { description: 'Every host that reaches the site, the domain first' }),
  status: Type.Union([Type.Literal('active'), Type.Literal('archived')], {
    description: 'archived: kept, no longer served',
  }),
  parentId: Type.Union([Type.Integer(), Type.Null()], { description: 'The site this one sits under' }),
  siteCode: Type.String({ description: '网站标识码' }),
  hostOrganization: Type.String({ description: '主办单位' }),
  timeZone: Type.String(),
});

export const NewSiteSchema = Type.Object(
  {
    host: Host,
    name: Type.String({ minLength: 1, maxLength: 100 }),
    siteCode: Type.Optional(Type.String({ maxLength: 10, description: '网站标识码: 10 letters or digits' })),
    parentHost: Type.Optional(Host),
    hostOrganization: Type.Optional(Type.String({ maxLength: 100, description: '主办单位; the name when not given' })),
    timeZone: Type.Optional(Type.String({ maxLength: 64 })),
  },
  { additionalProperties: false },
);
export type NewSiteInput = Static<typeof NewSiteSchema>;

export const SitePatchSchema = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    siteCode: Type.Optional(Type.String({ maxLength: 10 })),
    hostOrganization: Type.Optional(Type.String({ maxLength: 100 })),
    addHosts: Type.Optional(Type.Array(Host, { maxItems: 20, description: 'Hosts to add; each must be free' })),
    removeHosts: Type.Optional(Type.Array(Host, { maxItems: 20, description: 'Hosts to take away; one stays' })),
    primaryHost: Type.Optional(Type.Union([Host], { description: 'The host absolute URLs use; added when new' })),
    parentHost: Type.Optional(Type.Union([Host, Type.Null()], { description: 'The parent site, or null for none' })),
    status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('archived')])),
  },
  { additionalProperties: false },
);
export type SitePatch = Static<typeof SitePatchSchema>;

/** One site's line on the platform health overview: its latest report in brief. */
export const SiteHealthSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  domain: Type.String(),
  status: Type.Union([Type.Literal('active'), Type.Literal('archived')]),
  latest: Type.Union(
    [
      Type.Object({
        at: Type.String({ format: 'date-time' }),
        score: Type.Integer(),
        passed: Type.Boolean(),
        failed: Type.Array(
          Type.Object({ id: Type.String(), title: Type.String(), count: Type.Union([Type.Integer(), Type.Null()]) }),
          { description: 'The 单项否决 items that fail' },
        ),
      }),
      Type.Null(),
    ],
    { description: 'null: never checked' },
  ),
});
export type SiteHealth = Static<typeof SiteHealthSchema>;
