import { maskText } from '../../domain/index.js';
import { letterAttachments, letters, sites } from '../../store/index.js';
import { systemActor } from '../actor.js';
import { appendAudit } from '../audit.js';
import type { ServiceContext } from '../context.js';
import { resealWriterFiles } from './attachments.js';
import { deskOf } from './desk.js';
import { writerOf } from './handling.js';
import { PERSONAL_CONTEXT } from './intake.js';
import { requireDataKeyring } from './personal-data.js';
import { resealRows } from './reseal.js';
import { anonymiseExpiredRequests, resealRequests } from './request-upkeep.js';
import { anonymiseExpiredComments, resealComments } from '../consultations/upkeep.js';

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
  const found = await Promise.all(stale.map((row) => letters.findLetter(db, row.id)));
  const due = found.filter(
    (l): l is NonNullable<typeof l> => l !== undefined && l.personalKeyId !== keyring.current.id,
  );
  const done = await resealRows(db, keyring, 'letter', due, (letter) => writerOf(ctx, letter), PERSONAL_CONTEXT);
  if (done > 0) return done;
  // The writers' files, then the disclosure requests: sealed with the same key, each batch in turn.
  const files = await resealWriterFiles(ctx, BATCH);
  if (files > 0) return files;
  // 意见征集's commenters last.
  const requests = await resealRequests(ctx);
  return requests > 0 ? requests : resealComments(ctx);
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
      // The writer's files are personal data through and through: they go, not masked.
      const files = await letterAttachments.deleteWriterAttachments(trx, id);
      await appendAudit(trx, ctx.store.dialect, now, actor, {
        action: 'letter.anonymise',
        targetType: 'letter',
        targetId: id,
        details: { retentionYears: desk.retentionYears, closedAt: letter.updatedAt, ...(files > 0 && { files }) },
      });
      done++;
    });
  }
  return (
    done +
    (await anonymiseExpiredRequests(ctx, siteId, before, desk.retentionYears)) +
    (await anonymiseExpiredComments(ctx, siteId, before, desk.retentionYears, site.timeZone))
  );
}
