import {
  GazetteError,
  caseFieldInvalid,
  LETTER_RATING_NAMES,
  LETTER_STATUS_NAMES,
  LETTER_STEP_NAMES,
  NEAR_DUPLICATE,
  RATEABLE,
  formatDate,
  isEmailAddress,
  isLetterRating,
  isPhoneNumber,
  letterSimilarity,
  reopensCase,
  textLength,
  type LetterDeskSettings,
  type LetterStatus,
} from '../../domain/index.js';
import type { Insertable, Kysely } from 'kysely';
import { letters, type Database, type Letter } from '../../store/index.js';
import type { Actor } from '../actor.js';
import { appendAudit } from '../audit.js';
import type { ServiceContext } from '../context.js';
import { wordingChecker } from '../content/index.js';
import { currentSite } from '../site.js';
import { workingCalendar } from './calendar.js';
import { checkChallenge, hitLimit, newQueryCode, passwordHash, passwordMatches, randomText } from './public-access.js';
import { checkWriterFiles, followAttachments, storeWriterFiles, type IncomingFile } from './attachments.js';
import { deskOf } from './desk.js';
import { queueHotlineEvents } from './hotline-outbox.js';
import { blindIndex, requireDataKeyring, sealPersonal, type DataKeyring } from './personal-data.js';
import type { LetterFlags, LetterFollow, LetterRatingInput, LetterReceipt, NewLetter } from './views.js';

/** Letters an address may send in an hour, and a phone in a day (shared by every instance: the store counts). */
export const LETTER_LIMITS = { perAddressHour: 5, perPhoneDay: 3, followsPerAddress10Min: 20 } as const;

/** Sealed with this context, so a sealed value cannot be moved into another field. */
export const PERSONAL_CONTEXT = 'letter:personal';

type LetterInsert = Insertable<Database['letter']>;

/** What a new letter row must say; everything else starts empty (no unit, no clock, no reply). */
type Sealed = 'personal' | 'personalKeyId' | 'phoneIndex' | 'agreePublish' | 'showName';
type NewLetterRow = Pick<
  LetterInsert,
  'siteId' | 'type' | 'queryCode' | 'passwordHash' | 'status' | 'title' | 'body' | 'receivedAt' | 'updatedAt'
> &
  Partial<Omit<LetterInsert, Sealed>> & {
    readonly writer: LetterWriter;
    readonly agreePublish: boolean;
    readonly showName: boolean;
  };

/**
 * A letter's row as first written, by the public form or by the import of an old desk's letters:
 * the writer sealed with the current key and indexed by phone, every later field empty unless given.
 */
export function newLetterRow(keyring: DataKeyring, row: NewLetterRow): LetterInsert {
  const { writer, agreePublish, showName, ...given } = row;
  return {
    chosenUnitId: null,
    unitId: null,
    acceptedAt: null,
    clockStartDay: null,
    dueDay: null,
    deadlineDays: null,
    replyUnitId: null,
    answeredAt: null,
    firstAnsweredAt: null,
    publishedAt: null,
    publishedTitle: null,
    publishedBody: null,
    publishedReply: null,
    publishedUnit: null,
    publishedWriter: null,
    rating: null,
    ratedAt: null,
    ratingComment: null,
    duplicateOf: null,
    rejectReason: null,
    anonymisedAt: null,
    ...given,
    personal: sealPersonal(keyring, JSON.stringify(writer), PERSONAL_CONTEXT),
    personalKeyId: keyring.current.id,
    phoneIndex: blindIndex(keyring.current, 'phone', writer.phone),
    agreePublish: agreePublish ? 1 : 0,
    showName: showName ? 1 : 0,
  };
}

/** What the public sees of the letter's writer: a name, a phone, optionally an e-mail and address. */
export interface LetterWriter {
  readonly name: string;
  readonly phone: string;
  readonly email: string;
  readonly address: string;
}

/** Who the public is in the audit log: no account, the address it came from. */
export function publicActor(ip: string | null): Actor {
  return { userId: null, userName: '公众', grants: [], ip };
}

function invalid(field: string, zh: string, en: string): GazetteError {
  return caseFieldInvalid(field, zh, en, field === 'name' ? '姓名' : undefined);
}

/** Every field checked against the desk's limits; the first problem is the 400, naming its field. */
function checkFields(input: NewLetter, desk: LetterDeskSettings): void {
  if (!desk.types.some((t) => t.type === input.type)) throw new GazetteError('CASE_TYPE_CLOSED', { type: input.type });
  const title = textLength(input.title.trim());
  if (title < desk.titleMin || title > desk.titleMax)
    throw invalid(
      'title',
      `标题应为 ${desk.titleMin}–${desk.titleMax} 个字（现为 ${title} 个字）`,
      `the title needs ${desk.titleMin}–${desk.titleMax} characters (it has ${title})`,
    );
  const body = textLength(input.body.trim());
  if (body === 0) throw invalid('body', '请填写信件内容', 'the letter is empty');
  if (body > desk.bodyMax)
    throw invalid(
      'body',
      `内容最多 ${desk.bodyMax} 个字（现为 ${body} 个字）`,
      `at most ${desk.bodyMax} characters (it has ${body})`,
    );
  if (input.name.trim() === '') throw invalid('name', '请填写姓名', 'the name is required');
  if (input.phone.trim() === '') throw invalid('phone', '请填写联系电话', 'the phone is required');
  if (!isPhoneNumber(input.phone)) throw invalid('phone', '联系电话格式不正确', 'not a mobile or landline number');
  const email = input.email?.trim() ?? '';
  if (email !== '' && !isEmailAddress(email)) throw invalid('email', '电子邮箱格式不正确', 'not an e-mail address');
}

/**
 * A letter from the public. Checked in this order, each refusal storing nothing: the fields
 * (400 naming the field), the rate limits per address and phone (429), the proof of work or the
 * question (400); then it is stored with its personal data sealed, and the writer gets the query
 * code and password. Wording findings and a near duplicate are flags for the office, never refusals.
 */
export async function submitLetter(
  ctx: ServiceContext,
  input: NewLetter,
  ip: string | null,
  files: readonly IncomingFile[] = [],
): Promise<LetterReceipt> {
  const keyring = requireDataKeyring(ctx.dataKeys);
  const db = ctx.store.db;
  const scope = await currentSite(db, ctx.siteId);
  const desk = await deskOf(db, scope.site.id);
  if (!desk.open) throw new GazetteError('LETTER_DESK_CLOSED');
  checkFields(input, desk);
  if (input.unitId !== undefined) {
    const unit = await letters.findUnit(db, input.unitId);
    if (!desk.writerChoosesUnit || !unit || unit.siteId !== scope.site.id || unit.active !== 1)
      throw invalid('unitId', '所选部门不可选', 'not a unit this desk lets writers choose');
  }
  const attached = await checkWriterFiles(ctx, desk, files);
  const now = ctx.clock.now();
  const nowMs = now.getTime();
  const phoneIndex = blindIndex(keyring.current, 'phone', input.phone);
  await hitLimit(ctx, `letter:ip:${ip ?? '-'}`, LETTER_LIMITS.perAddressHour, 3_600_000, nowMs);
  await hitLimit(ctx, `letter:phone:${phoneIndex}`, LETTER_LIMITS.perPhoneDay, 86_400_000, nowMs);
  const solved = await checkChallenge(ctx, input, nowMs);

  const title = input.title.trim();
  const body = input.body.trim();
  const writer: LetterWriter = {
    name: input.name.trim(),
    phone: input.phone.trim(),
    email: input.email?.trim() ?? '',
    address: input.address?.trim() ?? '',
  };
  const checker = await wordingChecker(db, scope.site.id);
  const recent = await letters.recentLetters(db, scope.site.id, new Date(nowMs - 30 * 86_400_000));
  const near = recent.find((r) => letterSimilarity(`${r.title}\n${r.body}`, `${title}\n${body}`) >= NEAR_DUPLICATE);
  const flags: LetterFlags = {
    wording: checker.check({ title, body }).map((f) => ({ word: f.text, severity: f.severity })),
    nearDuplicateOf: near?.id ?? null,
  };
  const password = randomText(8);
  const receipt = await db.transaction().execute(async (trx) => {
    if (!(await letters.useChallenge(trx, solved.id, solved.expiresAtMs, nowMs)))
      throw new GazetteError('CHALLENGE_FAILED', {
        reason: { zh: '该验证已使用过，请重新验证', en: 'this challenge was already used' },
      });
    const queryCode = newQueryCode(now, scope.site.timeZone);
    const letter = await letters.insertLetter(
      trx,
      newLetterRow(keyring, {
        siteId: scope.site.id,
        type: input.type,
        queryCode,
        passwordHash: passwordHash(ctx, password),
        status: 'received',
        title,
        body,
        writer,
        agreePublish: input.agreePublish,
        showName: input.showName,
        chosenUnitId: input.unitId ?? null,
        receivedAt: now.toISOString(),
        flags: JSON.stringify(flags),
        updatedAt: now.toISOString(),
      }),
    );
    await letters.insertStep(trx, {
      letterId: letter.id,
      step: 'submit',
      fromStatus: null,
      toStatus: 'received',
      actorId: null,
      actorName: '公众',
      unitId: null,
      note: '',
      dueDay: null,
      at: now.toISOString(),
    });
    await appendAudit(trx, ctx.store.dialect, now, publicActor(ip), {
      action: 'letter.receive',
      targetType: 'letter',
      targetId: letter.id,
      details: {
        type: input.type,
        flags: flags.wording.length > 0 || flags.nearDuplicateOf !== null,
        ...(attached.length > 0 && { attachments: attached.length }),
      },
    });
    await storeWriterFiles(trx, keyring, letter, attached, now);
    await queueHotlineEvents(trx, ctx, letter, ['submit'], now);
    return { queryCode, password };
  });
  return receipt;
}

/**
 * The letter a query code and password name. A wrong code and a wrong password get the same
 * answer, and the attempts per address are limited, so codes cannot be probed.
 */
export async function letterByCode(
  ctx: ServiceContext,
  queryCode: string,
  password: string,
  ip: string | null,
): Promise<Letter> {
  const now = ctx.clock.now().getTime();
  await hitLimit(ctx, `letter:follow:${ip ?? '-'}`, LETTER_LIMITS.followsPerAddress10Min, 600_000, now);
  const letter = await letters.findByQueryCode(ctx.store.db, queryCode.trim().toUpperCase());
  if (!passwordMatches(ctx, password, letter?.passwordHash) || !letter) throw new GazetteError('CASE_NOT_FOUND');
  return letter;
}

/**
 * A reply is rated once. A reopened letter keeps its last rating (the statistics count it) until
 * the next reply, which is rated afresh.
 */
function canRate(letter: Letter): boolean {
  if (!RATEABLE.includes(letter.status) || letter.answeredAt === null) return false;
  return letter.ratedAt === null || letter.ratedAt < letter.answeredAt;
}

const WRITER_STEPS = new Set([
  'submit',
  'accept',
  'reject',
  'merge',
  'assign',
  'approve',
  'hotline-reply',
  'publish',
  'rate',
  'reopen',
]);

/** What the writer sees: where the letter stands, and the reply once it is given. */
export async function followLetter(
  ctx: ServiceContext,
  queryCode: string,
  password: string,
  ip: string | null,
): Promise<LetterFollow> {
  const letter = await letterByCode(ctx, queryCode, password, ip);
  return followView(ctx, letter);
}

async function followView(ctx: ServiceContext, letter: Letter): Promise<LetterFollow> {
  const db = ctx.store.db;
  const answered = letter.answeredAt !== null;
  const unit = letter.replyUnitId === null ? undefined : await letters.findUnit(db, letter.replyUnitId);
  // The writer sees the milestones, not the office's internal routing back and forth.
  const steps = (await letters.stepsOf(db, letter.id))
    .filter((s) => WRITER_STEPS.has(s.step) && !(s.step === 'approve' && s.toStatus === 'reviewing'))
    .map((s) => ({
      step: s.step,
      name: s.step === 'approve' ? '答复' : (LETTER_STEP_NAMES[s.step as keyof typeof LETTER_STEP_NAMES]?.zh ?? s.step),
      at: s.at,
    }));
  return {
    queryCode: letter.queryCode,
    type: letter.type,
    title: letter.title,
    status: letter.status,
    statusName: LETTER_STATUS_NAMES[letter.status].zh,
    receivedAt: letter.receivedAt,
    acceptedAt: letter.acceptedAt,
    dueDay: letter.dueDay,
    answeredAt: letter.answeredAt,
    replyUnit: answered ? (unit?.name ?? null) : null,
    reply: answered ? letter.replyHtml : null,
    rejectReason: letter.status === 'rejected' ? letter.rejectReason : null,
    rating: letter.rating,
    canRate: canRate(letter),
    steps,
    replyAttachments: await followAttachments(ctx, letter),
  };
}

/**
 * The writer rates the reply. 不满意 and 非常不满意 reopen the letter: it goes back to the unit
 * that answered, on a new clock of the type's working days from today.
 */
export async function rateLetter(
  ctx: ServiceContext,
  queryCode: string,
  password: string,
  input: LetterRatingInput,
  ip: string | null,
): Promise<LetterFollow> {
  const found = await letterByCode(ctx, queryCode, password, ip);
  return followView(ctx, await rateFound(ctx, found, input, { actor: publicActor(ip), name: '写信人' }));
}

/** Who rates: the writer (with the query code and password), or 12345 for a rating taken by phone. */
export interface Rater {
  readonly actor: Actor;
  /** The rating step's actor name. */
  readonly name: string;
  /** Runs first in the rating's transaction (12345 records its callback there: a refusal keeps neither). */
  readonly within?: (trx: Kysely<Database>) => Promise<void>;
}

/** The rating of a letter found by its writer or by 12345: the rules and the reopening are the same. */
export async function rateFound(
  ctx: ServiceContext,
  found: Letter,
  input: LetterRatingInput,
  rater: Rater,
): Promise<Letter> {
  const rating = input.rating;
  if (!isLetterRating(rating)) throw invalid('rating', '评价应为 1–5', 'between 1 and 5');
  if (!canRate(found))
    throw new GazetteError('CASE_STEP_INVALID', {
      status: LETTER_STATUS_NAMES[found.status],
      step: { zh: '评价', en: 'rate' },
    });
  const db = ctx.store.db;
  const now = ctx.clock.now();
  const scope = await currentSite(db, found.siteId);
  const reopen = reopensCase(rating) && found.replyUnitId !== null;
  const desk = await deskOf(db, found.siteId);
  const days = desk.types.find((t) => t.type === found.type)?.days ?? found.deadlineDays ?? 5;
  const today = formatDate(now, scope.site.timeZone);
  const due = reopen ? (await workingCalendar(db)).addWorkingDays(today, days) : null;
  return db.transaction().execute(async (trx) => {
    await rater.within?.(trx);
    const status: LetterStatus = reopen ? 'assigned' : found.status;
    const saved = await letters.updateLetter(trx, found.id, found.status, {
      rating,
      ratedAt: now.toISOString(),
      ratingComment: input.comment?.trim() ?? null,
      ...(reopen && {
        status,
        reviewLevel: 0,
        unitId: found.replyUnitId,
        clockStartDay: today,
        dueDay: due,
        deadlineDays: days,
        answeredAt: null,
        // A new round: the rating belongs to the old reply, the next reply is rated afresh.
        reopenCount: found.reopenCount + 1,
      }),
      updatedAt: now.toISOString(),
    });
    if (!saved)
      throw new GazetteError('CASE_STEP_INVALID', {
        status: LETTER_STATUS_NAMES[found.status],
        step: { zh: '评价', en: 'rate' },
      });
    await letters.insertStep(trx, {
      letterId: found.id,
      step: 'rate',
      fromStatus: found.status,
      toStatus: found.status,
      actorId: null,
      actorName: rater.name,
      unitId: null,
      note: `${LETTER_RATING_NAMES[rating].zh}${input.comment?.trim() ? `：${input.comment.trim()}` : ''}`,
      dueDay: null,
      at: now.toISOString(),
    });
    if (reopen)
      await letters.insertStep(trx, {
        letterId: found.id,
        step: 'reopen',
        fromStatus: found.status,
        toStatus: 'assigned',
        actorId: null,
        actorName: rater.name,
        unitId: found.replyUnitId,
        note: '',
        dueDay: due,
        at: now.toISOString(),
      });
    await appendAudit(trx, ctx.store.dialect, now, rater.actor, {
      action: 'letter.rate',
      targetType: 'letter',
      targetId: found.id,
      details: { rating, reopened: reopen },
    });
    await queueHotlineEvents(trx, ctx, saved, reopen ? ['rate', 'reopen'] : ['rate'], now);
    return saved;
  });
}
