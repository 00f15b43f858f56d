import type { Kysely } from 'kysely';
import {
  DEFAULT_LETTER_DESK,
  GazetteError,
  caseFieldInvalid,
  LETTER_TYPE_NAMES,
  letterDeskProblems,
  type LetterDeskSettings,
} from '../../domain/index.js';
import { letters, sites, users, type CaseUnit, type Database } from '../../store/index.js';
import { requireAnywhere, type Actor } from '../actor.js';
import { appendAudit } from '../audit.js';
import type { ServiceContext } from '../context.js';
import { currentSite } from '../site.js';
import type { LetterDeskInput, NewUnit, PublicDesk, UnitPatch, UnitRef, UnitView } from './views.js';

/** A site's desk settings: what it stored, else the defaults (a new site offers the desk). */
export async function deskOf(db: Kysely<Database>, siteId: number): Promise<LetterDeskSettings> {
  const stored = await letters.deskSettings(db, siteId);
  if (stored === undefined) return DEFAULT_LETTER_DESK;
  // Stored by updateLetterDesk after validation; fields added later take their defaults.
  return { ...DEFAULT_LETTER_DESK, ...(JSON.parse(stored) as Partial<LetterDeskSettings>) };
}

/** The settings as the API answers them. */
function deskView(desk: LetterDeskSettings): LetterDeskInput {
  return { ...desk, types: desk.types.map((t) => ({ ...t })) };
}

export async function letterDesk(ctx: ServiceContext, actor: Actor): Promise<LetterDeskInput> {
  const scope = await currentSite(ctx.store.db, ctx.siteId);
  requireAnywhere(actor, 'case.read', scope.tree);
  return deskView(await deskOf(ctx.store.db, scope.site.id));
}

export async function updateLetterDesk(
  ctx: ServiceContext,
  actor: Actor,
  input: LetterDeskInput,
): Promise<LetterDeskInput> {
  const scope = await currentSite(ctx.store.db, ctx.siteId);
  requireAnywhere(actor, 'case.manage', scope.tree);
  // Limits a client leaves out (the attachment limits came later) keep what the desk has.
  const settings: LetterDeskSettings = {
    ...(await deskOf(ctx.store.db, scope.site.id)),
    ...input,
    name: input.name.trim(),
  };
  const problem = letterDeskProblems(settings)[0];
  if (problem)
    throw caseFieldInvalid(problem.field, problem.zh, problem.en, problem.field === 'name' ? '信箱名称' : undefined);
  const now = ctx.clock.now();
  await ctx.store.db.transaction().execute(async (trx) => {
    await letters.saveDeskSettings(trx, scope.site.id, JSON.stringify(settings), now);
    await appendAudit(trx, ctx.store.dialect, now, actor, {
      action: 'letter-desk.update',
      targetType: 'site',
      targetId: scope.site.id,
      details: { ...settings },
    });
  });
  return deskView(settings);
}

/** Units with their sites' names. */
export async function unitRefs(db: Kysely<Database>, units: readonly CaseUnit[]): Promise<UnitRef[]> {
  const names = new Map((await sites.listSites(db)).map((s) => [s.id, s.name]));
  return units.map((u) => ({ id: u.id, name: u.name, siteId: u.siteId, siteName: names.get(u.siteId) ?? '' }));
}

/** The public form's view of the desk: its types and limits, its units, and whether it takes letters now. */
export async function publicDesk(ctx: ServiceContext): Promise<PublicDesk> {
  const scope = await currentSite(ctx.store.db, ctx.siteId);
  const desk = await deskOf(ctx.store.db, scope.site.id);
  const units = desk.writerChoosesUnit
    ? (await letters.listUnits(ctx.store.db, [scope.site.id])).filter((u) => u.active === 1)
    : [];
  const closedReason = !desk.open
    ? '本站暂未开通网上信箱'
    : ctx.dataKeys
      ? null
      : '网上信箱暂不可用：服务器未配置个人信息加密密钥（GAZETTE_DATA_KEY）';
  return {
    name: desk.name,
    open: closedReason === null,
    closedReason,
    types: desk.types.map((t) => ({ type: t.type, name: LETTER_TYPE_NAMES[t.type].zh, days: t.days })),
    titleMin: desk.titleMin,
    titleMax: desk.titleMax,
    bodyMax: desk.bodyMax,
    attachmentsMax: desk.attachmentsMax,
    attachmentMb: desk.attachmentMb,
    units: await unitRefs(ctx.store.db, units),
  };
}

async function unitViews(db: Kysely<Database>, units: readonly CaseUnit[]): Promise<UnitView[]> {
  const refs = await unitRefs(db, units);
  const members = await letters.membersOf(
    db,
    units.map((u) => u.id),
  );
  return units.map((u, i) => ({
    id: u.id,
    siteId: u.siteId,
    siteName: refs[i]?.siteName ?? '',
    name: u.name,
    sortOrder: u.sortOrder,
    active: u.active === 1,
    members: members
      .filter((m) => m.unitId === u.id)
      .map((m) => ({ userId: m.userId, name: m.name, leader: m.leader })),
  }));
}

/**
 * The units letters can be routed to. The office routes across the platform (a letter to the
 * portal may go to any department's or town's unit), so its list holds every site's units.
 */
export async function listUnits(ctx: ServiceContext, actor: Actor, scopeOf: 'site' | 'platform'): Promise<UnitView[]> {
  const scope = await currentSite(ctx.store.db, ctx.siteId);
  requireAnywhere(actor, 'case.read', scope.tree);
  const active = new Set((await sites.listSites(ctx.store.db)).filter((s) => s.status === 'active').map((s) => s.id));
  const units = await letters.listUnits(ctx.store.db, scopeOf === 'site' ? [scope.site.id] : null);
  return unitViews(
    ctx.store.db,
    units.filter((u) => active.has(u.siteId)),
  );
}

export async function addUnit(ctx: ServiceContext, actor: Actor, input: NewUnit): Promise<UnitView> {
  const scope = await currentSite(ctx.store.db, ctx.siteId);
  requireAnywhere(actor, 'case.manage', scope.tree);
  const name = input.name.trim();
  if (name === '') throw caseFieldInvalid('name', '不能为空', 'empty', '单位名称');
  const now = ctx.clock.now();
  const unit = await ctx.store.db.transaction().execute(async (trx) => {
    if (await letters.findUnitByName(trx, scope.site.id, name))
      throw caseFieldInvalid('name', `已有名为“${name}”的单位`, `a unit named ${name} exists`, '单位名称');
    const made = await letters.insertUnit(trx, { siteId: scope.site.id, name, sortOrder: input.sortOrder ?? 0 }, now);
    await appendAudit(trx, ctx.store.dialect, now, actor, {
      action: 'case-unit.create',
      targetType: 'case-unit',
      targetId: made.id,
      details: { name },
    });
    return made;
  });
  return (await unitViews(ctx.store.db, [unit]))[0] as UnitView;
}

/**
 * The accounts a unit's members are chosen from: those holding the handler role on the site.
 * The site administrator cannot list the accounts (that is the security administrator's under
 * 三员分立), so this answers names and numbers of the handlers only.
 */
export async function unitCandidates(ctx: ServiceContext, actor: Actor): Promise<{ userId: number; name: string }[]> {
  const scope = await currentSite(ctx.store.db, ctx.siteId);
  requireAnywhere(actor, 'case.manage', scope.tree);
  return letters.handlersOfSite(ctx.store.db, scope.site.id);
}

/** Renames, reorders, closes a unit, or sets its members (each must hold the handler role somewhere). */
export async function updateUnit(ctx: ServiceContext, actor: Actor, id: number, patch: UnitPatch): Promise<UnitView> {
  const scope = await currentSite(ctx.store.db, ctx.siteId);
  requireAnywhere(actor, 'case.manage', scope.tree);
  const now = ctx.clock.now();
  const unit = await ctx.store.db.transaction().execute(async (trx) => {
    const found = await letters.findUnit(trx, id);
    if (!found || found.siteId !== scope.site.id) throw new GazetteError('CASE_UNIT_NOT_FOUND', { id });
    const name = patch.name?.trim();
    if (name !== undefined && name !== found.name && (await letters.findUnitByName(trx, scope.site.id, name)))
      throw caseFieldInvalid('name', `已有名为“${name}”的单位`, `a unit named ${name} exists`, '单位名称');
    if (patch.members) {
      for (const [i, member] of patch.members.entries()) {
        const user = await users.findUser(trx, member.userId);
        if (!user) throw caseFieldInvalid(`members[${i}].userId`, '没有这个用户', 'no such user');
        const grants = (await users.grantsOf(trx, [member.userId], scope.site.id)).get(member.userId) ?? [];
        if (!grants.some((g) => g.role === 'handler'))
          throw caseFieldInvalid(
            `members[${i}].userId`,
            `${user.username} 在本站没有“承办”角色`,
            `${user.username} holds no handler (承办) role on this site`,
          );
      }
      await letters.setMembers(trx, id, patch.members);
    }
    const changed = await letters.updateUnit(trx, id, {
      ...(name !== undefined && { name }),
      ...(patch.sortOrder !== undefined && { sortOrder: patch.sortOrder }),
      ...(patch.active !== undefined && { active: patch.active ? 1 : 0 }),
    });
    await appendAudit(trx, ctx.store.dialect, now, actor, {
      action: 'case-unit.update',
      targetType: 'case-unit',
      targetId: id,
      details: { ...patch },
    });
    return changed;
  });
  return (await unitViews(ctx.store.db, [unit]))[0] as UnitView;
}
