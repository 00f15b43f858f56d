import { formatDate, maskText } from '../../domain/index.js';
import { consultations } from '../../store/index.js';
import { systemActor } from '../actor.js';
import { appendAudit } from '../audit.js';
import { requireDataKeyring } from '../cases/personal-data.js';
import { resealRows } from '../cases/reseal.js';
import type { ServiceContext } from '../context.js';
import { COMMENTER_CONTEXT, commenterOf, knownOf } from './office.js';

const BATCH = 200;

/** Key rotation for comments: a batch sealed again with the current key (see resealPersonalData). */
export async function resealComments(ctx: ServiceContext): Promise<number> {
  const keyring = requireDataKeyring(ctx.dataKeys);
  if (!keyring.previous) return 0;
  const stale = await consultations.staleSealedComments(ctx.store.db, keyring.current.id, BATCH);
  return resealRows(ctx.store.db, keyring, 'consultationComment', stale, (c) => commenterOf(ctx, c), COMMENTER_CONTEXT);
}

/**
 * Retention for comments: on consultations that ended before `before`, the commenter is removed
 * and masked in the comment. The comment, its decision and the published 反馈 stay.
 */
export async function anonymiseExpiredComments(
  ctx: ServiceContext,
  siteId: number,
  before: Date,
  retentionYears: number,
  timeZone: string,
): Promise<number> {
  const db = ctx.store.db;
  const now = ctx.clock.now();
  const actor = systemActor('retention');
  let done = 0;
  for (const comment of await consultations.expiredComments(db, siteId, formatDate(before, timeZone), BATCH)) {
    const known = knownOf(commenterOf(ctx, comment));
    await db.transaction().execute(async (trx) => {
      await consultations.updateComment(trx, comment.id, {
        personal: '',
        phoneIndex: '',
        body: maskText(comment.body, known),
        clause: maskText(comment.clause, known),
        anonymisedAt: now.toISOString(),
      });
      await appendAudit(trx, ctx.store.dialect, now, actor, {
        action: 'consultation.anonymise',
        targetType: 'consultation-comment',
        targetId: comment.id,
        details: { retentionYears, consultationId: comment.consultationId },
      });
    });
    done++;
  }
  return done;
}
