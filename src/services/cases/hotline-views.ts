import { Type, type Static } from 'typebox';
import type { HotlineEventType } from '../../domain/index.js';
import { Day, Nullable, Time } from '../views.js';
import { LetterStatusSchema, LetterTypeSchema } from './views.js';

/** The 12345 hotline link as the API reads and writes it, described once (types, validation, OpenAPI). */

export const HotlineEventTypeSchema = Type.Union(
  [
    Type.Literal('received'),
    Type.Literal('accepted'),
    Type.Literal('rejected'),
    Type.Literal('merged'),
    Type.Literal('assigned'),
    Type.Literal('returned'),
    Type.Literal('recalled'),
    Type.Literal('answered'),
    Type.Literal('published'),
    Type.Literal('unpublished'),
    Type.Literal('rated'),
    Type.Literal('reopened'),
  ],
  {
    description:
      'What happened to the letter: received 收到, accepted 受理, rejected 不予受理, merged 合并重复件, assigned 转办, returned 退回, recalled 收回, answered 已答复 (by the unit or by 12345), published 公开, unpublished 撤销公开, rated 评价, reopened 不满意重办',
  },
);

export const HotlineSettingsSchema = Type.Object({
  enabled: Type.Boolean({ description: 'Whether webhooks go out and callbacks are taken' }),
  url: Type.String({ description: 'The hotline’s webhook address; empty until set' }),
  hasSecret: Type.Boolean({ description: 'Whether a shared secret was generated (it is shown once, when made)' }),
  secretSetAt: Nullable(Time),
  callbackPath: Type.String({ description: 'Where the hotline posts its callbacks, on this site’s host' }),
});
export type HotlineSettings = Static<typeof HotlineSettingsSchema>;

export const HotlineSettingsInputSchema = Type.Object(
  {
    enabled: Type.Boolean(),
    url: Type.String({ maxLength: 2000, description: 'https:// (or http:// inside the office network); empty: none' }),
  },
  { additionalProperties: false },
);
export type HotlineSettingsInput = Static<typeof HotlineSettingsInputSchema>;

export const HotlineSecretSchema = Type.Object({
  ...HotlineSettingsSchema.properties,
  secret: Type.String({
    description:
      'The new shared secret, shown this once: the HMAC-SHA256 key (its UTF-8 bytes) of both directions. The old one stops working now.',
  }),
});
export type HotlineSecret = Static<typeof HotlineSecretSchema>;

/** The JSON body of every webhook (signed as sent). No personal data: the title and reply are masked. */
export const HotlineWebhookSchema = Type.Object({
  id: Type.String({ description: 'The event id, also in X-Gazette-Event-Id: the same on every retry' }),
  type: HotlineEventTypeSchema,
  occurredAt: Time,
  letter: Type.Object({
    queryCode: Type.String(),
    type: LetterTypeSchema,
    title: Type.String({ description: 'Masked like a published letter (names, phones, ID numbers, addresses)' }),
    status: LetterStatusSchema,
    unit: Nullable(Type.String({ description: 'The unit handling it, or that answered' })),
    dueDay: Nullable(Day),
    answeredAt: Nullable(Time),
    reply: Nullable(Type.String({ description: 'The reply (HTML, masked) once answered' })),
    rating: Nullable(Type.Integer({ minimum: 1, maximum: 5 })),
  }),
});
export type HotlineWebhook = Static<typeof HotlineWebhookSchema>;

// The schema lists every event type of the domain, no more and no fewer.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const HOTLINE_EVENT_TYPES_LISTED: Same<Static<typeof HotlineEventTypeSchema>, HotlineEventType> = true;

export const HotlineDeliveryStatusSchema = Type.Union(
  [Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('failed')],
  { description: 'pending: waiting for its (next) attempt; delivered: a 2xx came back; failed: given up' },
);

export const HotlineDeliverySchema = Type.Object({
  id: Type.Integer(),
  eventId: Type.String(),
  type: HotlineEventTypeSchema,
  letterId: Type.Integer(),
  queryCode: Type.String(),
  status: HotlineDeliveryStatusSchema,
  attempts: Type.Integer(),
  nextAttemptAt: Nullable(Time),
  lastStatus: Nullable(Type.Integer({ description: 'The HTTP status of the last attempt; null: no answer' })),
  lastError: Nullable(Type.String()),
  createdAt: Time,
  deliveredAt: Nullable(Time),
});
export type HotlineDelivery = Static<typeof HotlineDeliverySchema>;

export const HotlineDeliveryQuerySchema = Type.Object({
  status: Type.Optional(HotlineDeliveryStatusSchema),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
});
export type HotlineDeliveryQuery = Static<typeof HotlineDeliveryQuerySchema>;

export const HotlineDeliveryPageSchema = Type.Object({
  items: Type.Array(HotlineDeliverySchema),
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
});
export type HotlineDeliveryPage = Static<typeof HotlineDeliveryPageSchema>;

/** What the hotline posts back: a status note, a reply on the unit's behalf, or a rating taken by phone. */
export const HotlineCallbackSchema = Type.Object(
  {
    eventId: Type.String({
      minLength: 1,
      maxLength: 100,
      pattern: '^[\\x21-\\x7e]+$',
      description: 'Unique per sender: a second callback with the same id is refused (409 REPLAY_REFUSED)',
    }),
    queryCode: Type.String({ minLength: 1, maxLength: 40 }),
    kind: Type.Union([Type.Literal('status'), Type.Literal('reply'), Type.Literal('rating')], {
      description:
        'status: a note kept as a step (no change of status); reply: the hotline answered on the unit’s behalf (the letter becomes answered); rating: the writer rated the reply through 12345 (1–2 reopen it)',
    }),
    status: Type.Optional(Type.String({ maxLength: 50, description: 'The hotline’s own status (kind status)' })),
    reply: Type.Optional(Type.String({ maxLength: 20_000, description: 'The reply, text or HTML (sanitised)' })),
    rating: Type.Optional(Type.Integer({ minimum: 1, maximum: 5, description: '5 非常满意 … 1 非常不满意' })),
    note: Type.Optional(
      Type.String({
        maxLength: 500,
        description: 'A note: the status note’s text, the rating’s comment, or kept with the reply step',
      }),
    ),
  },
  { additionalProperties: false },
);
export type HotlineCallback = Static<typeof HotlineCallbackSchema>;

export const HotlineCallbackAnswerSchema = Type.Object({
  eventId: Type.String(),
  kind: Type.Union([Type.Literal('status'), Type.Literal('reply'), Type.Literal('rating')]),
  letter: Type.Object({
    queryCode: Type.String(),
    status: LetterStatusSchema,
    dueDay: Nullable(Day),
    answeredAt: Nullable(Time),
    rating: Nullable(Type.Integer()),
  }),
});
export type HotlineCallbackAnswer = Static<typeof HotlineCallbackAnswerSchema>;
