import type { Kysely } from 'kysely';
import {
  CLOCK_RUNS,
  GazetteError,
  LETTER_STATUS_NAMES,
  LETTER_STEPS,
  LETTER_STEP_NAMES,
  LETTER_STEP_PERMISSION,
  ROLE_ACTIONS,
  caseFieldInvalid,
  canStartLetterStep,
  formatDate,
  holdsAnywhere,
  maskName,
  maskText,
  nextLetterState,
  sanitizeBodyHtml,
  type LetterStatus,
  type LetterStep,
  type WorkingCalendar,
} from '../../domain/index.js';
import { letterAttachments, letters, type Database, type Letter } from '../../store/index.js';
import { requireAnywhere, type Actor } from '../actor.js';
import { appendAudit, recordAudit } from '../audit.js';
import { NO_EVENTS, recordEvents, sendEvents } from '../events.js';
import type { ServiceContext } from '../context.js';
import { currentSite } from '../site.js';
import { answersFor, officeAttachments } from './attachments.js';
import { workingCalendar } from './calendar.js';
import { deskOf, unitRefs } from './desk.js';
import { queueHotlineEvents } from './hotline-outbox.js';
import { PERSONAL_CONTEXT, type LetterWriter } from './intake.js';
import { openPersonal, requireDataKeyring } from './personal-data.js';
import type {
  LetterDetail,
  LetterFlags,
  LetterPage,
  LetterQuery,
  LetterRow,
  LetterStepInput,
  PersonalDataView,
  UnitRef,
} from './views.js';

const PAGE_SIZE = 20;

/** Where the reader stands towards letters: the site's office, and the units they answer for. */
export interface Standing {
  readonly siteId: number;
  /** Holds case.read on the request's site: sees all of its letters. */
  readonly siteReader: boolean;
  readonly units: Map<number, { leader: boolean }>;
}

export async function standingOf(ctx: ServiceContext, actor: Actor): Promise<Standing> {
  const scope = await currentSite(ctx.store.db, ctx.siteId);
  requireAnywhere(actor, 'case.read', scope.tree);
  const units =
    actor.userId !== null && holdsAnywhere(actor.grants, 'case.handle')
      ? await letters.unitsOfUser(ctx.store.db, actor.userId)
      : new Map<number, { leader: boolean }>();
  // A handler reads only the letters of the units they answer for; the office and the site's
  // administrator read every letter of the site.
  const siteReader = actor.grants.some((g) => g.role !== 'handler' && ROLE_ACTIONS[g.role].includes('case.read'));
  return { siteId: scope.site.id, siteReader, units };
}

function visible(standing: Standing, letter: Letter): boolean {
  if (standing.siteReader && letter.siteId === standing.siteId) return true;
  return letter.unitId !== null && standing.units.has(letter.unitId);
}

export async function findVisible(ctx: ServiceContext, standing: Standing, id: number): Promise<Letter> {
  const letter = await letters.findLetter(ctx.store.db, id);
  if (!letter || !visible(standing, letter)) throw new GazetteError('CASE_MISSING', { id });
  return letter;
}

function flagsOf(letter: Letter): LetterFlags {
  const parsed = JSON.parse(letter.flags) as Partial<LetterFlags>;
  return { wording: parsed.wording ?? [], nearDuplicateOf: parsed.nearDuplicateOf ?? null };
}

/** Working days from today to the due day: negative when late, null when no clock runs. */
export function remainingWorkingDays(calendar: WorkingCalendar, letter: Letter, today: string): number | null {
  if (!CLOCK_RUNS.includes(letter.status) || letter.dueDay === null) return null;
  return today <= letter.dueDay
    ? calendar.workingDaysBetween(today, letter.dueDay)
    : -calendar.workingDaysBetween(letter.dueDay, today);
}

async function rows(ctx: ServiceContext, list: readonly Letter[]): Promise<LetterRow[]> {
  const db = ctx.store.db;
  const unitIds = [...new Set(list.flatMap((l) => (l.unitId === null ? [] : [l.unitId])))];
  const units = new Map(
    (await unitRefs(db, await letters.listUnits(db, null))).filter((u) => unitIds.includes(u.id)).map((u) => [u.id, u]),
  );
  const calendar = await workingCalendar(db);
  const scope = await currentSite(db, ctx.siteId);
  const today = formatDate(ctx.clock.now(), scope.site.timeZone);
  const levels = new Map<number, number>();
  for (const siteId of new Set(list.map((l) => l.siteId))) levels.set(siteId, (await deskOf(db, siteId)).reviewLevels);
  return list.map((l) => ({
    id: l.id,
    siteId: l.siteId,
    queryCode: l.queryCode,
    type: l.type,
    title: l.title,
    status: l.status,
    reviewLevel: l.reviewLevel,
    reviewLevels: levels.get(l.siteId) ?? 0,
    unit: l.unitId === null ? null : (units.get(l.unitId) ?? null),
    receivedAt: l.receivedAt,
    acceptedAt: l.acceptedAt,
    dueDay: l.dueDay,
    remainingWorkingDays: remainingWorkingDays(calendar, l, today),
    answeredAt: l.answeredAt,
    publishedAt: l.publishedAt,
    rating: l.rating,
    reopenCount: l.reopenCount,
    agreePublish: l.agreePublish === 1,
    showName: l.showName === 1,
    flags: flagsOf(l),
  }));
}

/** The letters the reader may see: the office's whole site, a handler's units across the platform. */
export async function listLetters(ctx: ServiceContext, actor: Actor, query: LetterQuery): Promise<LetterPage> {
  const standing = await standingOf(ctx, actor);
  const page = query.page ?? 1;
  const today = formatDate(ctx.clock.now(), (await currentSite(ctx.store.db, standing.siteId)).site.timeZone);
  const filter = {
    statuses: query.status ? [query.status] : undefined,
    text: query.q?.trim() || undefined,
    dueBefore: query.overdue ? today : undefined,
    limit: PAGE_SIZE,
    offset: (page - 1) * PAGE_SIZE,
  };
  const found = standing.siteReader
    ? await letters.listLetters(ctx.store.db, { ...filter, siteIds: [standing.siteId] })
    : await letters.listLetters(ctx.store.db, { ...filter, siteIds: null, unitIds: [...standing.units.keys()] });
  return { items: await rows(ctx, found.rows), total: found.total, page, pageSize: PAGE_SIZE };
}

/** The steps the reader may take on the letter now. */
async function allowedSteps(
  ctx: ServiceContext,
  actor: Actor,
  standing: Standing,
  letter: Letter,
): Promise<LetterStep[]> {
  const levels = (await deskOf(ctx.store.db, letter.siteId)).reviewLevels;
  return LETTER_STEPS.filter((step) => {
    if (!canStartLetterStep(step, letter.status)) return false;
    if (step === 'publish' && letter.agreePublish !== 1) return false;
    if (step === 'unpublish' && letter.publishedAt === null) return false;
    try {
      requireStepRight(actor, standing, letter, step, levels);
      return true;
    } catch {
      return false;
    }
  });
}

export async function letterDetail(ctx: ServiceContext, actor: Actor, id: number): Promise<LetterDetail> {
  const standing = await standingOf(ctx, actor);
  const letter = await findVisible(ctx, standing, id);
  return detailOf(ctx, actor, standing, letter);
}

async function detailOf(ctx: ServiceContext, actor: Actor, standing: Standing, letter: Letter): Promise<LetterDetail> {
  const db = ctx.store.db;
  const [row] = await rows(ctx, [letter]);
  const units = await unitRefs(db, await letters.listUnits(db, null));
  const unitName = (unitId: number | null) =>
    unitId === null ? null : (units.find((u) => u.id === unitId)?.name ?? null);
  const replyUnit: UnitRef | null = units.find((u) => u.id === letter.replyUnitId) ?? null;
  const steps = await letters.stepsOf(db, letter.id);
  const files = await officeAttachments(ctx, letter);
  return {
    ...(row as LetterRow),
    body: letter.body,
    reply: letter.replyHtml,
    replyUnit,
    rejectReason: letter.rejectReason,
    duplicateOf: letter.duplicateOf,
    ratingComment: letter.ratingComment,
    published:
      letter.publishedAt === null
        ? null
        : {
            title: letter.publishedTitle ?? '',
            body: letter.publishedBody ?? '',
            reply: letter.publishedReply ?? '',
            unit: letter.publishedUnit ?? '',
          },
    steps: steps.map((s) => ({
      step: s.step,
      name: LETTER_STEP_NAMES[s.step as keyof typeof LETTER_STEP_NAMES]?.zh ?? s.step,
      fromStatus: (s.fromStatus as LetterStatus | null) ?? null,
      toStatus: s.toStatus as LetterStatus,
      actorName: s.actorName,
      unit: unitName(s.unitId),
      note: s.note,
      dueDay: s.dueDay,
      at: s.at,
    })),
    allowedSteps: await allowedSteps(ctx, actor, standing, letter),
    writerAttachments: files.writer,
    replyAttachments: files.reply,
    canEditReplyAttachments: letter.status === 'assigned' && answersFor(actor, standing, letter),
  };
}

/** The writer's name, phone, e-mail and address, opened for the reader; every reading is audited. */
export async function letterPersonalData(ctx: ServiceContext, actor: Actor, id: number): Promise<PersonalDataView> {
  const standing = await standingOf(ctx, actor);
  const scope = await currentSite(ctx.store.db, ctx.siteId);
  requireAnywhere(actor, 'case.personal', scope.tree);
  const letter = await findVisible(ctx, standing, id);
  const writer = writerOf(ctx, letter);
  await recordAudit(ctx, actor, {
    action: 'letter.personal-read',
    targetType: 'letter',
    targetId: letter.id,
    details: {},
  });
  return writer;
}

export function writerOf(ctx: ServiceContext, letter: Letter): LetterWriter {
  if (letter.anonymisedAt !== null) return { name: '', phone: '', email: '', address: '' };
  const keyring = requireDataKeyring(ctx.dataKeys);
  return JSON.parse(openPersonal(keyring, letter.personal, PERSONAL_CONTEXT)) as LetterWriter;
}

/**
 * Beyond the step's permission: a unit's steps are its members', its first review its leader's,
 * and the office's steps are taken on the letter's own site.
 */
function requireStepRight(actor: Actor, standing: Standing, letter: Letter, step: LetterStep, levels: number): void {
  const permission = LETTER_STEP_PERMISSION[step];
  if (!holdsAnywhere(actor.grants, permission)) throw new GazetteError('PERMISSION_DENIED', { action: permission });
  const member = letter.unitId === null ? undefined : standing.units.get(letter.unitId);
  const office = standing.siteReader && letter.siteId === standing.siteId && holdsAnywhere(actor.grants, 'case.screen');
  const denied = () => new GazetteError('PERMISSION_DENIED', { action: permission });
  if (permission === 'case.handle') {
    if (!member) throw denied();
    return;
  }
  if (step === 'approve' || step === 'send-back') {
    // The first of two levels, or the only one, is the unit leader's; the second is the office's.
    const leaderLevel = letter.reviewLevel === 0;
    if (leaderLevel ? !member?.leader : !office) throw denied();
    if (levels === 0) throw denied();
    return;
  }
  if (letter.siteId !== standing.siteId || !standing.siteReader) throw denied();
}

function requireText(value: string | undefined, field: string, zh: string, en: string): string {
  const text = value?.trim() ?? '';
  if (text === '') throw caseFieldInvalid(field, zh, en);
  return text;
}

/**
 * One step of a letter's handling, with its permission, in one transaction: the letter changes
 * only if it is still in the status read (a step someone else took meanwhile refuses this one),
 * and the step is kept with who, when, the unit and the note.
 */
export async function stepLetter(
  ctx: ServiceContext,
  actor: Actor,
  id: number,
  step: LetterStep,
  input: LetterStepInput,
): Promise<LetterDetail> {
  const db = ctx.store.db;
  const standing = await standingOf(ctx, actor);
  const letter = await findVisible(ctx, standing, id);
  const desk = await deskOf(db, letter.siteId);
  if (!canStartLetterStep(step, letter.status))
    throw new GazetteError('CASE_STEP_INVALID', {
      status: LETTER_STATUS_NAMES[letter.status],
      step: LETTER_STEP_NAMES[step],
    });
  requireStepRight(actor, standing, letter, step, desk.reviewLevels);
  const now = ctx.clock.now();
  const scope = await currentSite(db, letter.siteId);
  const today = formatDate(now, scope.site.timeZone);
  const calendar = await workingCalendar(db);
  const next = nextLetterState(step, letter, desk.reviewLevels);
  const note = input.note?.trim() ?? '';
  let patch: Parameters<typeof letters.updateLetter>[3] = {};
  let unitId: number | null = letter.unitId;
  let dueDay: string | null = null;

  switch (step) {
    case 'accept': {
      const days = desk.types.find((t) => t.type === letter.type)?.days ?? 5;
      dueDay = calendar.addWorkingDays(today, days);
      patch = { acceptedAt: now.toISOString(), clockStartDay: today, deadlineDays: days, dueDay };
      break;
    }
    case 'reject':
      patch = {
        rejectReason: requireText(
          input.reason ?? input.note,
          'reason',
          '请选择或填写不予受理的理由',
          'give the reason',
        ),
      };
      break;
    case 'merge': {
      const target = input.duplicateOf === undefined ? undefined : await letters.findLetter(db, input.duplicateOf);
      if (!target || target.siteId !== letter.siteId || target.id >= letter.id || target.status === 'merged')
        throw caseFieldInvalid(
          'duplicateOf',
          '应为本站更早的、未被合并的信件',
          'an earlier letter of the site, not itself merged',
        );
      patch = { duplicateOf: target.id };
      break;
    }
    case 'assign': {
      const unit = input.unitId === undefined ? undefined : await letters.findUnit(db, input.unitId);
      if (!unit || unit.active !== 1) throw caseFieldInvalid('unitId', '请选择在用的承办单位', 'choose an active unit');
      if (input.dueDay !== undefined && input.dueDay < today)
        throw caseFieldInvalid('dueDay', '办理期限不能早于今天', 'the due day is in the past');
      // A deadline on a Sunday or in the Spring Festival is one nobody can meet on the day.
      if (input.dueDay !== undefined && !calendar.isWorkingDay(input.dueDay))
        throw caseFieldInvalid('dueDay', '办理期限应为工作日', 'the due day is not a working day');
      unitId = unit.id;
      dueDay = input.dueDay ?? letter.dueDay;
      patch = { unitId, dueDay };
      break;
    }
    case 'return':
      requireText(input.note, 'note', '请填写退回理由', 'say why the letter goes back');
      unitId = null;
      patch = { unitId: null };
      break;
    case 'recall':
      unitId = null;
      patch = { unitId: null };
      break;
    case 'reply': {
      const reply = sanitizeBodyHtml(requireText(input.reply, 'reply', '请填写答复内容', 'the reply is empty'));
      patch = { replyHtml: reply, replyUnitId: letter.unitId };
      break;
    }
    case 'approve':
      if (input.reply !== undefined)
        patch = {
          replyHtml: sanitizeBodyHtml(requireText(input.reply, 'reply', '答复内容不能为空', 'the reply is empty')),
        };
      break;
    case 'send-back':
      requireText(input.note, 'note', '请填写退回修改的意见', 'say what to change');
      break;
    case 'publish': {
      if (letter.agreePublish !== 1) throw new GazetteError('LETTER_NOT_PUBLISHABLE', { id: letter.id });
      patch = await publishedSnapshot(ctx, db, letter, now);
      break;
    }
    case 'unpublish':
      patch = { publishedAt: null };
      break;
  }
  if (next.status === 'answered' && step !== 'unpublish')
    patch = { ...patch, answeredAt: now.toISOString(), firstAnsweredAt: letter.firstAnsweredAt ?? now.toISOString() };

  // Publishing (again) and unpublishing change the site's pages: the publisher hears of it.
  const pageChange =
    step === 'publish' ? (letter.publishedAt === null ? 'added' : 'edited') : step === 'unpublish' ? 'removed' : null;
  let recorded = NO_EVENTS;
  const saved = await db.transaction().execute(async (trx) => {
    const changed = await letters.updateLetter(trx, letter.id, letter.status, {
      ...patch,
      status: next.status,
      reviewLevel: next.reviewLevel,
      updatedAt: now.toISOString(),
    });
    if (!changed)
      throw new GazetteError('CASE_STEP_INVALID', {
        status: LETTER_STATUS_NAMES[letter.status],
        step: LETTER_STEP_NAMES[step],
      });
    await letters.insertStep(trx, {
      letterId: letter.id,
      step,
      fromStatus: letter.status,
      toStatus: next.status,
      actorId: actor.userId,
      actorName: actor.userName,
      unitId: step === 'return' || step === 'recall' ? letter.unitId : unitId,
      note: step === 'reject' ? (patch.rejectReason ?? note) : note,
      dueDay,
      at: now.toISOString(),
    });
    await appendAudit(trx, ctx.store.dialect, now, actor, {
      action: `letter.${step}`,
      targetType: 'letter',
      targetId: letter.id,
      details: { from: letter.status, to: next.status, ...(unitId !== null && { unitId }), ...(note && { note }) },
    });
    await queueHotlineEvents(trx, ctx, changed, [step], now);
    // The reply's files go on the site with the letter, and come off with it.
    if (pageChange)
      await letterAttachments.publishReplyAttachments(trx, letter.id, step === 'publish' ? now.toISOString() : null);
    if (pageChange)
      recorded = await recordEvents(trx, ctx, [
        { type: 'letter.changed', siteId: letter.siteId, letterId: letter.id, change: pageChange },
      ]);
    return changed;
  });
  sendEvents(ctx, recorded);
  return detailOf(ctx, actor, await standingOf(ctx, actor), saved);
}

/**
 * What the site will show, masked once here: the writer's name only if they agreed to show it,
 * and their phone, e-mail, ID numbers and address masked wherever they appear in the letter and
 * the reply. The pages are made from this, never from the personal data.
 */
async function publishedSnapshot(ctx: ServiceContext, db: Kysely<Database>, letter: Letter, now: Date) {
  const unit = letter.replyUnitId === null ? undefined : await letters.findUnit(db, letter.replyUnitId);
  return {
    // Published again (a reopened letter's new reply): it keeps its place in the public list.
    publishedAt: letter.publishedAt ?? now.toISOString(),
    ...publicationOf(letter, writerOf(ctx, letter), unit?.name ?? ''),
  };
}

/** The letter as the site shows it: masked, with the name only if the writer agreed to show it. */
export function publicationOf(
  letter: { readonly title: string; readonly body: string; readonly replyHtml: string; readonly showName: number },
  writer: LetterWriter,
  unitName: string,
) {
  const known = {
    names: letter.showName === 1 ? [] : [writer.name],
    phones: [writer.phone],
    emails: writer.email ? [writer.email] : [],
    addresses: writer.address ? [writer.address] : [],
  };
  return {
    publishedTitle: maskText(letter.title, known),
    publishedBody: maskText(letter.body, known),
    // The reply's own landlines are the unit's numbers to call; the writer's are known and masked.
    publishedReply: maskText(letter.replyHtml, known, { landlines: false }),
    publishedUnit: unitName,
    publishedWriter: letter.showName === 1 ? writer.name : maskName(writer.name),
  };
}
