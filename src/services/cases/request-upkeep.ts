import { maskText } from '../../domain/index.js';
import { infoRequests } from '../../store/index.js';
import { systemActor } from '../actor.js';
import { appendAudit } from '../audit.js';
import type { ServiceContext } from '../context.js';
import { APPLICANT_CONTEXT, applicantOf } from './info-requests.js';
import { requireDataKeyring } from './personal-data.js';
import { resealRows } from './reseal.js';

const BATCH = 200;

/** Key rotation for requests: a batch sealed again with the current key (see resealPersonalData). */
export async function resealRequests(ctx: ServiceContext): Promise<number> {
  const keyring = requireDataKeyring(ctx.dataKeys);
  if (!keyring.previous) return 0;
  const stale = await infoRequests.staleSealed(ctx.store.db, keyring.current.id, BATCH);
  return resealRows(ctx.store.db, keyring, 'infoRequest', stale, (r) => applicantOf(ctx, r), APPLICANT_CONTEXT);
}

/**
 * Retention for requests: answered longer ago than `before`, the applicant's identity and contact
 * are removed and masked in the description. The request, its steps, its outcome and its reply
 * document (the office's record of what it answered) stay, and so do the annual figures.
 */
export async function anonymiseExpiredRequests(
  ctx: ServiceContext,
  siteId: number,
  before: Date,
  retentionYears: number,
) {
  const db = ctx.store.db;
  const now = ctx.clock.now();
  const actor = systemActor('retention');
  let done = 0;
  for (const request of await infoRequests.expiredRequests(db, siteId, before, BATCH)) {
    const applicant = applicantOf(ctx, request);
    const known = {
      names: [applicant.name, applicant.contactName, applicant.legalRepresentative].filter(Boolean),
      phones: [applicant.phone],
      emails: applicant.email ? [applicant.email] : [],
      addresses: applicant.address ? [applicant.address] : [],
    };
    await db.transaction().execute(async (trx) => {
      const changed = await trx
        .updateTable('infoRequest')
        .set({
          personal: '',
          phoneIndex: '',
          description: maskText(request.description, known),
          anonymisedAt: now.toISOString(),
        })
        .where('id', '=', request.id)
        .where('updatedAt', '=', request.updatedAt)
        .executeTakeFirst();
      if (changed.numUpdatedRows === 0n) return;
      await appendAudit(trx, ctx.store.dialect, now, actor, {
        action: 'info-request.anonymise',
        targetType: 'info-request',
        targetId: request.id,
        details: { retentionYears, answeredAt: request.answeredAt },
      });
      done++;
    });
  }
  return done;
}
