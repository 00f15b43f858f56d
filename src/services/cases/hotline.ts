import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import {
  GazetteError,
  HOTLINE_ACTOR,
  HOTLINE_CLOCK_SKEW_MS,
  HOTLINE_EVENT_TYPES,
  HOTLINE_NOTE_STEP,
  HOTLINE_REPLY_FROM,
  HOTLINE_REPLY_STEP,
  LETTER_STATUS_NAMES,
  LETTER_STEP_NAMES,
  caseFieldInvalid,
  escapeHtml,
  hotlineUrlProblem,
  nextHotlineAttempt,
  sanitizeBodyHtml,
} from '../../domain/index.js';
import {
  hotline,
  letters,
  type Database,
  type HotlineEventRow,
  type HotlineEventStatus,
  type HotlineLinkRow,
  type Letter,
} from '../../store/index.js';
import { requireAnywhere, type Actor } from '../actor.js';
import { appendAudit } from '../audit.js';
import type { ServiceContext } from '../context.js';
import { currentSite } from '../site.js';
import { hotlineSignature, queueHotlineEvents } from './hotline-outbox.js';
import type {
  HotlineCallback,
  HotlineCallbackAnswer,
  HotlineDelivery,
  HotlineDeliveryPage,
  HotlineDeliveryQuery,
  HotlineSecret,
  HotlineSettings,
  HotlineSettingsInput,
} from './hotline-views.js';
import { rateFound } from './intake.js';
import { openPersonal, requireDataKeyring, sealPersonal, sealedWithCurrent } from './personal-data.js';

/**
 * The 12345 city hotline link of the letter desk. Out: every case event of a letter goes to the
 * hotline's address as a signed webhook (queued in the step's transaction, delivered by the
 * scheduler, retried after 1 min, 5 min, 30 min and 2 h, then given up). In: the hotline posts a
 * status note, a reply given on the unit's behalf, or the writer's rating taken by phone; each
 * callback is signed with the same secret, within 5 minutes of the server's clock, and taken once.
 */

/** Where the hotline posts its callbacks, on the site's host. */
export const HOTLINE_CALLBACK_PATH = '/api/v1/public/hotline/callback';
/** How long an attempt may take before it counts as failed. */
export const HOTLINE_TIMEOUT_MS = 10_000;
/** How long a claimed event is held by the instance sending it. */
const LEASE_MS = 2 * 60_000;
const DELIVERY_PAGE_SIZE = 50;

/** The secret is sealed for its site: a value copied to another site's row does not open. */
const secretContext = (siteId: number) => `hotline:${siteId}:secret`;

function settingsView(link: HotlineLinkRow | undefined): HotlineSettings {
  return {
    enabled: link?.enabled === 1,
    url: link?.url ?? '',
    hasSecret: Boolean(link?.secret),
    secretSetAt: link?.secretSetAt ?? null,
    callbackPath: HOTLINE_CALLBACK_PATH,
  };
}

async function manage(ctx: ServiceContext, actor: Actor): Promise<number> {
  const scope = await currentSite(ctx.store.db, ctx.siteId);
  requireAnywhere(actor, 'case.manage', scope.tree);
  return scope.site.id;
}

export async function hotlineSettings(ctx: ServiceContext, actor: Actor): Promise<HotlineSettings> {
  const siteId = await manage(ctx, actor);
  return settingsView(await hotline.linkOf(ctx.store.db, siteId));
}

/** Sets the hotline's address and switches the link on or off (on needs an address and a secret). */
export async function updateHotlineSettings(
  ctx: ServiceContext,
  actor: Actor,
  input: HotlineSettingsInput,
): Promise<HotlineSettings> {
  const siteId = await manage(ctx, actor);
  const db = ctx.store.db;
  const url = input.url.trim();
  const problem = url === '' ? null : hotlineUrlProblem(url);
  if (problem) throw caseFieldInvalid('url', problem.zh, problem.en, '接收地址');
  if (input.enabled && url === '')
    throw caseFieldInvalid('url', '启用前请填写 12345 的接收地址', 'the link needs an address to be on', '接收地址');
  const link = await hotline.linkOf(db, siteId);
  if (input.enabled && !link?.secret)
    throw caseFieldInvalid('enabled', '启用前请先生成共享密钥', 'generate the shared secret first', '启用');
  const now = ctx.clock.now();
  await db.transaction().execute(async (trx) => {
    await hotline.saveLink(trx, siteId, { url, enabled: input.enabled }, now);
    await appendAudit(trx, ctx.store.dialect, now, actor, {
      action: 'hotline.update',
      targetType: 'site',
      targetId: siteId,
      details: { url, enabled: input.enabled },
    });
  });
  return settingsView(await hotline.linkOf(db, siteId));
}

/**
 * A new shared secret, answered this once (the store keeps it sealed with the data key, since
 * signing needs it back). The old one stops working at once, both ways.
 */
export async function rotateHotlineSecret(ctx: ServiceContext, actor: Actor): Promise<HotlineSecret> {
  const siteId = await manage(ctx, actor);
  const keyring = requireDataKeyring(ctx.dataKeys);
  const secret = randomBytes(32).toString('base64url');
  const now = ctx.clock.now();
  await ctx.store.db.transaction().execute(async (trx) => {
    await hotline.saveSecret(
      trx,
      siteId,
      { secret: sealPersonal(keyring, secret, secretContext(siteId)), keyId: keyring.current.id },
      now,
    );
    await appendAudit(trx, ctx.store.dialect, now, actor, {
      action: 'hotline.secret',
      targetType: 'site',
      targetId: siteId,
      details: {},
    });
  });
  return { ...settingsView(await hotline.linkOf(ctx.store.db, siteId)), secret };
}

function deliveryView(row: HotlineEventRow & { queryCode: string }): HotlineDelivery[] {
  const type = HOTLINE_EVENT_TYPES.find((t) => t === row.type);
  const status = (['pending', 'delivered', 'failed'] as const).find((s) => s === row.status);
  if (!type || !status) return [];
  return [
    {
      id: row.id,
      eventId: row.eventId,
      type,
      letterId: row.letterId,
      queryCode: row.queryCode,
      status,
      attempts: row.attempts,
      nextAttemptAt: row.nextAttemptAt,
      lastStatus: row.lastStatus,
      lastError: row.lastError,
      createdAt: row.createdAt,
      deliveredAt: row.deliveredAt,
    },
  ];
}

/** The site's webhooks, newest first: pending (with their next attempt), delivered, failed. */
export async function hotlineDeliveries(
  ctx: ServiceContext,
  actor: Actor,
  query: HotlineDeliveryQuery,
): Promise<HotlineDeliveryPage> {
  const siteId = await manage(ctx, actor);
  const page = query.page ?? 1;
  const found = await hotline.listEvents(ctx.store.db, siteId, {
    status: query.status,
    limit: DELIVERY_PAGE_SIZE,
    offset: (page - 1) * DELIVERY_PAGE_SIZE,
  });
  return { items: found.rows.flatMap(deliveryView), total: found.total, page, pageSize: DELIVERY_PAGE_SIZE };
}

function openSecret(ctx: ServiceContext, link: HotlineLinkRow & { secret: string }): string {
  return openPersonal(requireDataKeyring(ctx.dataKeys), link.secret, secretContext(link.siteId));
}

// --- In: the hotline's callbacks ---------------------------------------------------------------

/** A callback's signature headers and the body exactly as it came. */
export interface SignedCallback {
  readonly timestamp: string | undefined;
  readonly signature: string | undefined;
  readonly body: Buffer;
}

const refused = (zh: string, en: string) => new GazetteError('SIGNATURE_INVALID', { reason: { zh, en } });

/**
 * Checks a callback before anything is read from its body: the signature under the site's secret
 * (compared in constant time), then the timestamp within 5 minutes of the server's clock, then
 * that the link is on. Every refusal comes before any change.
 */
export async function verifyHotlineCallback(ctx: ServiceContext, signed: SignedCallback): Promise<void> {
  const scope = await currentSite(ctx.store.db, ctx.siteId);
  const link = await hotline.linkOf(ctx.store.db, scope.site.id);
  if (!link?.secret) throw refused('本站未设置 12345 共享密钥', 'this site has no 12345 shared secret');
  const given = /^sha256=([0-9a-f]{64})$/i.exec(signed.signature ?? '')?.[1];
  if (given === undefined)
    throw refused(
      '缺少签名或格式不正确（X-Gazette-Signature: sha256=<64 位十六进制>）',
      'X-Gazette-Signature is missing or not sha256=<64 hex digits>',
    );
  const timestamp = signed.timestamp ?? '';
  if (!/^\d{1,12}$/.test(timestamp))
    throw refused(
      '缺少时间戳或格式不正确（X-Gazette-Timestamp：Unix 秒）',
      'X-Gazette-Timestamp is missing or not in unix seconds',
    );
  const expected = Buffer.from(
    hotlineSignature(openSecret(ctx, { ...link, secret: link.secret }), timestamp, signed.body).slice(7),
    'hex',
  );
  if (!timingSafeEqual(expected, Buffer.from(given.toLowerCase(), 'hex')))
    throw refused('签名不符', 'the signature does not match the body');
  if (Math.abs(ctx.clock.now().getTime() - Number(timestamp) * 1000) > HOTLINE_CLOCK_SKEW_MS)
    throw refused(
      '时间戳过期（stale）：与服务器时间相差超过 5 分钟',
      'stale: the timestamp is more than 5 minutes from the server’s clock',
    );
  if (link.enabled !== 1) throw new GazetteError('HOTLINE_DISABLED');
}

/** Who the audit log names for a callback: 12345, from the address it came from. */
function hotlineActor(ip: string | null): Actor {
  return { userId: null, userName: HOTLINE_ACTOR, grants: [], ip };
}

/**
 * A verified callback, taken once: its event id is recorded in the transaction of its change, so
 * a refusal (a replay, an unknown letter, a step the letter's status does not allow) stores nothing.
 */
export async function takeHotlineCallback(
  ctx: ServiceContext,
  input: HotlineCallback,
  ip: string | null,
): Promise<HotlineCallbackAnswer> {
  const db = ctx.store.db;
  const scope = await currentSite(db, ctx.siteId);
  const siteId = scope.site.id;
  const replay = () => new GazetteError('REPLAY_REFUSED', { eventId: input.eventId });
  if (await hotline.callbackSeen(db, siteId, input.eventId)) throw replay();
  const letter = await letters.findByQueryCode(db, input.queryCode.trim().toUpperCase());
  if (!letter || letter.siteId !== siteId)
    throw new GazetteError('HOTLINE_CASE_NOT_FOUND', { queryCode: input.queryCode });
  const now = ctx.clock.now();
  const actor = hotlineActor(ip);
  const record = async (trx: Kysely<Database>) => {
    const taken = await hotline.recordCallback(trx, {
      siteId,
      eventId: input.eventId,
      letterId: letter.id,
      kind: input.kind,
      receivedAt: now.toISOString(),
    });
    if (!taken) throw replay();
  };
  let saved: Letter;
  switch (input.kind) {
    case 'reply':
      saved = await hotlineReply(ctx, letter, input, { actor, record, now });
      break;
    case 'rating':
      if (input.rating === undefined) throw caseFieldInvalid('rating', '请给出评价（1–5）', 'the rating is missing');
      saved = await rateFound(
        ctx,
        letter,
        { rating: input.rating, ...(input.note?.trim() && { comment: input.note.trim() }) },
        { actor, name: HOTLINE_ACTOR, within: record },
      );
      break;
    case 'status':
      saved = await hotlineNote(ctx, letter, input, { actor, record, now });
      break;
  }
  return {
    eventId: input.eventId,
    kind: input.kind,
    letter: {
      queryCode: saved.queryCode,
      status: saved.status,
      dueDay: saved.dueDay,
      answeredAt: saved.answeredAt,
      rating: saved.rating,
    },
  };
}

interface Taking {
  readonly actor: Actor;
  readonly record: (trx: Kysely<Database>) => Promise<void>;
  readonly now: Date;
}

/** A reply as text (lines become paragraphs) or HTML, sanitised like a unit's reply. */
function replyHtmlOf(reply: string | undefined): string {
  const text = reply?.trim() ?? '';
  const html = /<[a-z!/]/i.test(text)
    ? text
    : text
        .split(/\n+/)
        .map((line) => line.trim())
        .filter((line) => line !== '')
        .map((line) => `<p>${escapeHtml(line)}</p>`)
        .join('');
  const clean = sanitizeBodyHtml(html).trim();
  if (clean.replace(/<[^>]*>/g, '').trim() === '')
    throw caseFieldInvalid('reply', '请填写答复内容', 'the reply is empty');
  return clean;
}

/** The hotline answered on the unit's behalf: the letter is answered with its reply. */
async function hotlineReply(
  ctx: ServiceContext,
  letter: Letter,
  input: HotlineCallback,
  taking: Taking,
): Promise<Letter> {
  const reply = replyHtmlOf(input.reply);
  const stepInvalid = () =>
    new GazetteError('CASE_STEP_INVALID', {
      status: LETTER_STATUS_NAMES[letter.status],
      step: LETTER_STEP_NAMES[HOTLINE_REPLY_STEP],
    });
  if (!HOTLINE_REPLY_FROM.includes(letter.status)) throw stepInvalid();
  const at = taking.now.toISOString();
  return ctx.store.db.transaction().execute(async (trx) => {
    await taking.record(trx);
    const saved = await letters.updateLetter(trx, letter.id, letter.status, {
      status: 'answered',
      reviewLevel: 0,
      replyHtml: reply,
      replyUnitId: letter.unitId ?? letter.replyUnitId,
      answeredAt: at,
      firstAnsweredAt: letter.firstAnsweredAt ?? at,
      updatedAt: at,
    });
    if (!saved) throw stepInvalid();
    await letters.insertStep(trx, {
      letterId: letter.id,
      step: HOTLINE_REPLY_STEP,
      fromStatus: letter.status,
      toStatus: 'answered',
      actorId: null,
      actorName: HOTLINE_ACTOR,
      unitId: saved.replyUnitId,
      note: input.note?.trim() ?? '',
      dueDay: null,
      at,
    });
    await appendAudit(trx, ctx.store.dialect, taking.now, taking.actor, {
      action: `letter.${HOTLINE_REPLY_STEP}`,
      targetType: 'letter',
      targetId: letter.id,
      details: { from: letter.status, to: 'answered', eventId: input.eventId },
    });
    await queueHotlineEvents(trx, ctx, saved, [HOTLINE_REPLY_STEP], taking.now);
    return saved;
  });
}

/** A note from the hotline (its own status of the case), kept as a step; the letter does not change. */
async function hotlineNote(
  ctx: ServiceContext,
  letter: Letter,
  input: HotlineCallback,
  taking: Taking,
): Promise<Letter> {
  const note = [input.status?.trim(), input.note?.trim()].filter((part) => part).join('：');
  if (note === '') throw caseFieldInvalid('note', '请填写状态或说明', 'give a status or a note');
  await ctx.store.db.transaction().execute(async (trx) => {
    await taking.record(trx);
    await letters.insertStep(trx, {
      letterId: letter.id,
      step: HOTLINE_NOTE_STEP,
      fromStatus: letter.status,
      toStatus: letter.status,
      actorId: null,
      actorName: HOTLINE_ACTOR,
      unitId: null,
      note,
      dueDay: null,
      at: taking.now.toISOString(),
    });
    await appendAudit(trx, ctx.store.dialect, taking.now, taking.actor, {
      action: `letter.${HOTLINE_NOTE_STEP}`,
      targetType: 'letter',
      targetId: letter.id,
      details: { note, eventId: input.eventId },
    });
  });
  return letter;
}

// --- Out: delivering the outbox ----------------------------------------------------------------

export interface HotlineDeliveryReport {
  readonly delivered: number;
  /** Attempts that failed and will be tried again. */
  readonly retried: number;
  /** Attempts that failed for the last time: the event is given up. */
  readonly failed: number;
}

export interface HotlineDeliveryOptions {
  readonly timeoutMs?: number;
  /** Events taken per run (default 50). */
  readonly limit?: number;
}

/**
 * One round of the outbox (the scheduler runs one per tick): each due event is claimed, signed
 * with its site's current secret and POSTed; a 2xx marks it delivered, anything else (another
 * status, a redirect, no answer within the timeout) schedules the next attempt or gives it up.
 * Sites go in parallel; a site's events go one by one in order, and its first failure ends its
 * round (the address is likely down; the rest stay due for the next round). A site whose secret
 * does not open (its data key is gone) keeps its events pending, and the error is thrown once
 * every other site's round is done.
 */
export async function deliverHotlineEvents(
  ctx: ServiceContext,
  options: HotlineDeliveryOptions = {},
): Promise<HotlineDeliveryReport> {
  const db = ctx.store.db;
  const due = await hotline.dueEvents(db, ctx.clock.now(), options.limit ?? 50);
  const bySite = new Map<number, typeof due>();
  for (const event of due) bySite.set(event.siteId, [...(bySite.get(event.siteId) ?? []), event]);
  const report = { delivered: 0, retried: 0, failed: 0 };
  // One site's trouble (its secret does not open) leaves its events pending, not the others'.
  const rounds = await Promise.allSettled(
    [...bySite.entries()].map(async ([siteId, events]) => {
      const secret = await secretForSending(ctx, siteId);
      for (const event of events) {
        const outcome = await attempt(ctx, event, secret, options.timeoutMs ?? HOTLINE_TIMEOUT_MS);
        if (outcome === 'skipped') continue;
        report[outcome]++;
        if (outcome !== 'delivered') break;
      }
    }),
  );
  const trouble = rounds.find((round) => round.status === 'rejected');
  if (trouble) throw trouble.reason;
  return report;
}

/** The site's secret, opened; sealed again under the current data key when a rotation left it under the previous one. */
async function secretForSending(ctx: ServiceContext, siteId: number): Promise<string | null> {
  const link = await hotline.linkOf(ctx.store.db, siteId);
  if (!link?.secret) return null;
  const secret = openSecret(ctx, { ...link, secret: link.secret });
  const keyring = requireDataKeyring(ctx.dataKeys);
  if (!sealedWithCurrent(keyring, link.secret))
    await hotline.saveSecret(
      ctx.store.db,
      siteId,
      { secret: sealPersonal(keyring, secret, secretContext(siteId)), keyId: keyring.current.id },
      ctx.clock.now(),
      { rotated: false },
    );
  return secret;
}

async function attempt(
  ctx: ServiceContext,
  event: HotlineEventRow & { url: string },
  secret: string | null,
  timeoutMs: number,
): Promise<'delivered' | 'retried' | 'failed' | 'skipped'> {
  const db = ctx.store.db;
  if (!(await hotline.claimEvent(db, event, new Date(ctx.clock.now().getTime() + LEASE_MS)))) return 'skipped';
  const attempts = event.attempts + 1;
  let status: number | null = null;
  let error: string | null = null;
  if (secret === null) error = 'no shared secret';
  else {
    const timestamp = String(Math.floor(ctx.clock.now().getTime() / 1000));
    try {
      const response = await fetch(event.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Gazette-Hotline/1',
          'x-gazette-event-id': event.eventId,
          'x-gazette-timestamp': timestamp,
          'x-gazette-signature': hotlineSignature(secret, timestamp, event.body),
        },
        body: event.body,
        // A redirect is not a delivery (and is not followed to wherever it points).
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      status = response.status;
      await response.body?.cancel();
      if (status < 200 || status > 299) error = `HTTP ${status}`;
    } catch (thrown) {
      error = thrown instanceof Error ? `${thrown.name}: ${thrown.message}`.slice(0, 500) : String(thrown);
    }
  }
  const now = ctx.clock.now();
  if (error === null) {
    await hotline.finishAttempt(db, event.id, {
      status: 'delivered',
      nextAttemptAt: null,
      lastStatus: status,
      lastError: null,
      deliveredAt: now.toISOString(),
    });
    return 'delivered';
  }
  const next = nextHotlineAttempt(attempts, now);
  const outcome: HotlineEventStatus = next ? 'pending' : 'failed';
  await hotline.finishAttempt(db, event.id, {
    status: outcome,
    nextAttemptAt: next?.toISOString() ?? null,
    lastStatus: status,
    lastError: error,
    deliveredAt: null,
  });
  return next ? 'retried' : 'failed';
}
