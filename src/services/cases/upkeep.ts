import { maskText } from '../../domain/index.js';
import { letters, sites } from '../../store/index.js';
import { systemActor } from '../actor.js';
import { appendAudit } from '../audit.js';
import type { ServiceContext } from '../context.js';
import { deskOf } from './desk.js';
import { writerOf } from './handling.js';
import { PERSONAL_CONTEXT } from './intake.js';
import { blindIndex, requireDataKeyring, sealPersonal } from './personal-data.js';
import { anonymiseExpiredRequests, resealRequests } from './request-upkeep.js';

const BATCH = 200;

/**
 * Key rotation: letters whose personal data is sealed with GAZETTE_DATA_KEY_PREVIOUS are sealed
 * again with GAZETTE_DATA_KEY, a batch at a time (the scheduler calls this until it answers 0;
 * `gazette key rotate` runs it to the end). Each letter is rewritten only if no one changed it
 * meanwhile, so a rotation running beside the office loses nothing.
 */
export async function resealPersonalData(ctx: ServiceContext): Promise<number> {
  const keyring = requireDataKeyring(ctx.dataKeys);
  if (!keyring.previous) return 0;
  const db = ctx.store.db;
  const stale = await db
    .selectFrom('letter')
    .selectAll()
    .where('personalKeyId', '!=', keyring.current.id)
    .where('anonymisedAt', 'is', null)
    .orderBy('id')
    .limit(BATCH)
    .execute();
  let done = 0;
  for (const row of stale) {
    const letter = await letters.findLetter(db, row.id);
    if (!letter || letter.personalKeyId === keyring.current.id) continue;
    const writer = writerOf(ctx, letter);
    const result = await db
      .updateTable('letter')
      .set({
        personal: sealPersonal(keyring, JSON.stringify(writer), PERSONAL_CONTEXT),
        personalKeyId: keyring.current.id,
        phoneIndex: blindIndex(keyring.current, 'phone', writer.phone),
      })
      .where('id', '=', letter.id)
      .where('personal', '=', letter.personal)
      .executeTakeFirst();
    if (result.numUpdatedRows > 0n) done++;
  }
  // Disclosure requests are sealed with the same key: their batch comes once the letters are done.
  return done > 0 ? done : resealRequests(ctx);
}

const CLOSED = ['answered', 'published', 'rejected', 'merged'] as const;

/**
 * Retention: the personal data of letters (and of disclosure requests) closed more than the
 * desk's retention years ago (default 3) is removed, and the writer's name, phone, e-mail and address are masked in the
 * letter and its reply. The letter, its steps and its statistics stay. Each anonymisation is an
 * audit entry. Run by the nightly job of each site.
 */
export async function anonymiseExpiredLetters(ctx: ServiceContext, siteId: number): Promise<number> {
  if (!ctx.dataKeys) return 0;
  const db = ctx.store.db;
  const site = await sites.findSite(db, siteId);
  if (!site) return 0;
  const desk = await deskOf(db, siteId);
  const now = ctx.clock.now();
  const before = new Date(now);
  before.setUTCFullYear(before.getUTCFullYear() - desk.retentionYears);
  const expired = await db
    .selectFrom('letter')
    .select('id')
    .where('siteId', '=', siteId)
    .where('status', 'in', CLOSED)
    .where('anonymisedAt', 'is', null)
    .where('updatedAt', '<', before.toISOString())
    .orderBy('id')
    .limit(BATCH)
    .execute();
  const actor = systemActor('retention');
  let done = 0;
  for (const { id } of expired) {
    const letter = await letters.findLetter(db, id);
    if (!letter || letter.anonymisedAt !== null) continue;
    const writer = writerOf(ctx, letter);
    const known = {
      names: [writer.name],
      phones: [writer.phone],
      emails: writer.email ? [writer.email] : [],
      addresses: writer.address ? [writer.address] : [],
    };
    await db.transaction().execute(async (trx) => {
      const changed = await trx
        .updateTable('letter')
        .set({
          personal: '',
          phoneIndex: '',
          title: maskText(letter.title, known),
          body: maskText(letter.body, known),
          replyHtml: maskText(letter.replyHtml, known),
          anonymisedAt: now.toISOString(),
        })
        .where('id', '=', id)
        .where('updatedAt', '=', letter.updatedAt)
        .executeTakeFirst();
      if (changed.numUpdatedRows === 0n) return;
      await appendAudit(trx, ctx.store.dialect, now, actor, {
        action: 'letter.anonymise',
        targetType: 'letter',
        targetId: id,
        details: { retentionYears: desk.retentionYears, closedAt: letter.updatedAt },
      });
      done++;
    });
  }
  return done + (await anonymiseExpiredRequests(ctx, siteId, before, desk.retentionYears));
}
