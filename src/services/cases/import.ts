import { randomBytes } from 'node:crypto';
import { caseFieldInvalid, formatDate, sanitizeBodyHtml, type LetterType } from '../../domain/index.js';
import { letters } from '../../store/index.js';
import { requireAnywhere, type Actor } from '../actor.js';
import { appendAudit } from '../audit.js';
import type { ServiceContext } from '../context.js';
import { NO_EVENTS, recordEvents, sendEvents } from '../events.js';
import { currentSite } from '../site.js';
import { publicationOf } from './handling.js';
import { newLetterRow, type LetterWriter } from './intake.js';
import { requireDataKeyring } from './personal-data.js';

/** A letter answered before it reached Gazette: an old desk's archive, or the demo's. */
export interface AnsweredLetter {
  readonly type: LetterType;
  readonly title: string;
  readonly body: string;
  readonly writer: LetterWriter;
  readonly showName: boolean;
  readonly receivedAt: Date;
  readonly answeredAt: Date;
  /** The unit of the site that answered (made when the site has none of that name). */
  readonly unitName: string;
  readonly replyHtml: string;
  /** Whether the writer agreed to publication: then it is published, masked. */
  readonly publish: boolean;
}

/**
 * Takes in a letter that was answered elsewhere, with its dates: sealed like any other, masked
 * when published, its history one `import` step. It has no query code the writer knows (a
 * random one, no password), so nobody rates it.
 */
export async function importAnsweredLetter(ctx: ServiceContext, actor: Actor, input: AnsweredLetter): Promise<number> {
  const keyring = requireDataKeyring(ctx.dataKeys);
  const db = ctx.store.db;
  const scope = await currentSite(db, ctx.siteId);
  requireAnywhere(actor, 'case.screen', scope.tree);
  if (input.answeredAt < input.receivedAt)
    throw caseFieldInvalid('answeredAt', '答复日期早于来信日期', 'answered before it was received');
  const now = ctx.clock.now();
  const reply = sanitizeBodyHtml(input.replyHtml);
  let recorded = NO_EVENTS;
  const id = await db.transaction().execute(async (trx) => {
    const unit =
      (await letters.findUnitByName(trx, scope.site.id, input.unitName)) ??
      (await letters.insertUnit(trx, { siteId: scope.site.id, name: input.unitName, sortOrder: 0 }, now));
    const shown = publicationOf(
      { title: input.title, body: input.body, replyHtml: reply, showName: input.showName ? 1 : 0 },
      input.writer,
      unit.name,
    );
    const answeredAt = input.answeredAt.toISOString();
    const letter = await letters.insertLetter(
      trx,
      newLetterRow(keyring, {
        siteId: scope.site.id,
        type: input.type,
        queryCode: `${formatDate(input.receivedAt, scope.site.timeZone).replaceAll('-', '')}I${randomBytes(4).toString('hex').toUpperCase()}`,
        // No password opens it: the writer was answered by the old desk.
        passwordHash: '-',
        status: input.publish ? 'published' : 'answered',
        title: input.title,
        body: input.body,
        writer: input.writer,
        agreePublish: input.publish,
        showName: input.showName,
        unitId: unit.id,
        receivedAt: input.receivedAt.toISOString(),
        acceptedAt: input.receivedAt.toISOString(),
        replyHtml: reply,
        replyUnitId: unit.id,
        answeredAt,
        firstAnsweredAt: answeredAt,
        ...(input.publish && { publishedAt: answeredAt, ...shown }),
        updatedAt: now.toISOString(),
      }),
    );
    await letters.insertStep(trx, {
      letterId: letter.id,
      step: 'import',
      fromStatus: null,
      toStatus: letter.status,
      actorId: actor.userId,
      actorName: actor.userName,
      unitId: unit.id,
      note: '',
      dueDay: null,
      at: now.toISOString(),
    });
    await appendAudit(trx, ctx.store.dialect, now, actor, {
      action: 'letter.import',
      targetType: 'letter',
      targetId: letter.id,
      details: { type: input.type, published: input.publish },
    });
    if (input.publish)
      recorded = await recordEvents(trx, ctx, [
        { type: 'letter.changed', siteId: scope.site.id, letterId: letter.id, change: 'added' },
      ]);
    return letter.id;
  });
  sendEvents(ctx, recorded);
  return id;
}
