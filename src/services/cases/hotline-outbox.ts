import { createHmac, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { hotlineEventOf, maskText } from '../../domain/index.js';
import { hotline, letters, type Database, type Letter } from '../../store/index.js';
import type { ServiceContext } from '../context.js';
import type { HotlineWebhook } from './hotline-views.js';
import { PERSONAL_CONTEXT, type LetterWriter } from './intake.js';
import { openPersonal, requireDataKeyring } from './personal-data.js';

/**
 * The outgoing side of the 12345 link: a case event of a letter becomes one outbox row, written
 * in the transaction of the step itself (a step rolled back sends nothing, a step committed is
 * never lost to a crash), and the scheduler delivers it. Signatures are made here for both sides.
 */

/** `sha256=` + hex HMAC-SHA256 under the secret's UTF-8 bytes, over `${timestamp}.${body}`. */
export function hotlineSignature(secret: string, timestamp: string, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex')}`;
}

/**
 * Queues the hotline's events for the steps just taken on a letter (in the caller's transaction),
 * when the letter's site has its link switched on. Steps that are no event for the hotline (the
 * unit's internal review, notes) queue nothing.
 */
export async function queueHotlineEvents(
  trx: Kysely<Database>,
  ctx: ServiceContext,
  letter: Letter,
  steps: readonly string[],
  now: Date,
): Promise<void> {
  const types = steps.flatMap((step) => hotlineEventOf(step, letter.status) ?? []);
  if (types.length === 0) return;
  const link = await hotline.linkOf(trx, letter.siteId);
  if (!link || link.enabled !== 1 || link.url === '') return;
  const view = await letterView(trx, ctx, letter);
  for (const type of types) {
    const eventId = randomUUID();
    const body: HotlineWebhook = { id: eventId, type, occurredAt: now.toISOString(), letter: view };
    await hotline.insertEvent(trx, {
      siteId: letter.siteId,
      letterId: letter.id,
      eventId,
      type,
      body: JSON.stringify(body),
      status: 'pending',
      attempts: 0,
      nextAttemptAt: now.toISOString(),
      lastStatus: null,
      lastError: null,
      createdAt: now.toISOString(),
      deliveredAt: null,
    });
  }
}

/**
 * The letter as the hotline sees it. No personal data leaves: no name, phone, e-mail or address
 * field, and the title and reply masked as on a published letter (the writer's own name, phone,
 * e-mail and address, and any ID number, wherever they appear). The hotline needs the reply's
 * wording to tell a caller, not the writer's identity, which it can ask the office for.
 */
async function letterView(
  trx: Kysely<Database>,
  ctx: ServiceContext,
  letter: Letter,
): Promise<HotlineWebhook['letter']> {
  const unitId = letter.unitId ?? letter.replyUnitId;
  const unit = unitId === null ? undefined : await letters.findUnit(trx, unitId);
  const writer = writerOf(ctx, letter);
  const known = {
    names: writer.name ? [writer.name] : [],
    phones: writer.phone ? [writer.phone] : [],
    emails: writer.email ? [writer.email] : [],
    addresses: writer.address ? [writer.address] : [],
  };
  const answered = letter.answeredAt !== null;
  return {
    queryCode: letter.queryCode,
    type: letter.type,
    title: maskText(letter.title, known),
    status: letter.status,
    unit: unit?.name ?? null,
    dueDay: letter.dueDay,
    answeredAt: letter.answeredAt,
    reply: answered ? maskText(letter.replyHtml, known, { landlines: false }) : null,
    rating: letter.rating,
  };
}

function writerOf(ctx: ServiceContext, letter: Letter): LetterWriter {
  if (letter.anonymisedAt !== null) return { name: '', phone: '', email: '', address: '' };
  return JSON.parse(openPersonal(requireDataKeyring(ctx.dataKeys), letter.personal, PERSONAL_CONTEXT)) as LetterWriter;
}
