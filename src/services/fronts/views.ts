import { Type, type Static } from 'typebox';
import { Nullable, Time } from '../views.js';

/**
 * Front servers (分发) and their tamper events as the API, the back office and the CLI read them,
 * described once: the services' output types, the API's answers and /api/openapi.json.
 */

export const FrontStateSchema = Type.Union(
  [
    Type.Literal('new'),
    Type.Literal('ok'),
    Type.Literal('behind'),
    Type.Literal('down'),
    Type.Literal('refused'),
    Type.Literal('disk-full'),
  ],
  {
    description:
      'new: not reached yet; ok: up to date; behind: changes still to push; down: not reachable (retried with backoff); ' +
      'refused: the front refused the push or its token (see lastError); disk-full: the front has no space for the batch',
  },
);
export type FrontStateName = Static<typeof FrontStateSchema>;

export const FrontStatusSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  url: Type.String({ description: "The agent's base URL" }),
  allSites: Type.Boolean({ description: 'Whether the front serves every site of the platform' }),
  sites: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String(), domain: Type.String() }), {
    description: 'The sites it serves (every site when allSites)',
  }),
  state: FrontStateSchema,
  lastError: Nullable(Type.String()),
  ackedSeq: Nullable(Type.Integer({ description: 'The last manifest change applied; null until the front is read' })),
  latestSeq: Type.Integer({ description: 'The newest manifest change on the CMS' }),
  behind: Type.Integer({ description: 'Changes the front has not applied yet' }),
  behindSeconds: Nullable(
    Type.Integer({ description: 'Age of the oldest change not applied yet; null when up to date' }),
  ),
  failures: Type.Integer({ description: 'Failed attempts in a row' }),
  nextAttemptAt: Nullable(Time),
  lastContactAt: Nullable(Time),
  lastPushAt: Nullable(Time),
  lastSweepAt: Nullable(Time),
  sweepEveryMs: Nullable(Type.Integer()),
  unhandledEvents: Type.Integer({ description: 'Tamper events of this front nobody has handled yet' }),
  createdAt: Time,
});
export type FrontStatus = Static<typeof FrontStatusSchema>;

export const TamperKindSchema = Type.Union([
  Type.Literal('modified'),
  Type.Literal('removed'),
  Type.Literal('added'),
  Type.Literal('symlink'),
  Type.Literal('directory'),
]);

export const FrontEventViewSchema = Type.Object({
  id: Type.Integer(),
  frontId: Nullable(Type.Integer({ description: 'Null once the front was removed' })),
  frontName: Type.String(),
  remoteId: Type.Integer({ description: "The event's id on the front" }),
  at: Time,
  siteId: Type.Integer(),
  path: Type.String({ description: 'The public path of the page (where a foreign file was found)' }),
  file: Type.String({ description: "The file under the front's www folder" }),
  kind: TamperKindSchema,
  detail: Type.String({ description: 'A unified diff of a text file, or a description' }),
  quarantine: Nullable(
    Type.String({ description: "Where the foreign file is kept, under the front's quarantine folder" }),
  ),
  restored: Type.Boolean({ description: 'Whether the published file was put back' }),
  handledAt: Nullable(Time),
  handledBy: Nullable(Type.String({ description: 'Who handled it (null: not yet, or the console)' })),
  note: Type.String(),
});
export type FrontEventView = Static<typeof FrontEventViewSchema>;

export const FrontEventQuerySchema = Type.Object(
  {
    siteId: Type.Optional(Type.Integer({ minimum: 1 })),
    unhandled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type FrontEventQuery = Static<typeof FrontEventQuerySchema>;

export const NewFrontSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 64 }),
    url: Type.String({ minLength: 1, maxLength: 2048 }),
    tokenFile: Type.String({ minLength: 1, maxLength: 4096 }),
    siteIds: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { description: 'Absent or empty: every site' })),
  },
  { additionalProperties: false },
);
export type NewFrontInput = Static<typeof NewFrontSchema>;

/** What each kind of tamper event means, in words (the health report, the alert mail). */
export const TAMPER_KIND_LABELS = {
  modified: '文件被改动',
  removed: '文件被删除',
  added: '出现未发布的文件',
  symlink: '出现符号链接',
  directory: '目录被改动',
} as const satisfies Record<Static<typeof TamperKindSchema>, string>;
