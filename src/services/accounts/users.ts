import {
  GazetteError,
  ROLES,
  isMailboxAddress,
  isPlatformRole,
  isRole,
  type Role,
  type RoleGrant,
} from '../../domain/index.js';
import type { Kysely } from 'kysely';
import { channels, sessions, sites, users, type Database, type UserRow } from '../../store/index.js';
import { requireAnywhere, type Actor } from '../actor.js';
import { appendAudit } from '../audit.js';
import { checkPasswordRules } from './auth.js';
import type { ServiceContext } from '../context.js';
import { hashPassword } from './passwords.js';
import { keysOf, recordServerKey } from './server-key.js';
import { currentSite } from '../site.js';
import type { UserView } from '../views.js';

export function userView(user: UserRow, grants: readonly RoleGrant[], now: Date): UserView {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    roles: [...grants],
    mustChangePassword: user.mustChangePassword === 1,
    totpEnabled: user.totpEnabled === 1,
    disabled: user.disabled === 1,
    locked: user.lockedUntil !== null && new Date(user.lockedUntil) > now,
    lastLoginAt: user.lastLoginAt,
    createdAt: user.createdAt,
    email: user.email,
  };
}

/**
 * An account's e-mail address as given: trimmed, '' or null for none; anything but one plain
 * address is refused naming the field (400).
 */
export function accountEmail(value: string | null | undefined): string | null {
  const email = value?.trim() ?? '';
  if (email === '') return null;
  if (!isMailboxAddress(email))
    throw new GazetteError('FIELD_INVALID', {
      field: 'email',
      reason: {
        zh: '不是有效的电子邮箱地址（例如 wang@example.gov.cn）',
        en: 'not an e-mail address (e.g. wang@example.gov.cn)',
      },
    });
  return email;
}

const USERNAME = /^[a-z][a-z0-9._-]{1,31}$/;
// 三员分立: the security and audit administrators hold nothing else, and nobody is both the
// system administrator and one of them.
const EXCLUSIVE: readonly Role[] = ['security', 'auditor'];

function checkGrants(grants: readonly RoleGrant[]): void {
  for (const grant of grants) {
    if (!isRole(grant.role))
      throw new GazetteError('ROLE_INVALID', { role: String(grant.role), roles: ROLES.join(', ') });
  }
  const kinds = new Set(grants.map((g) => g.role));
  for (const role of EXCLUSIVE) {
    if (kinds.has(role) && kinds.size > 1) {
      throw new GazetteError('FIELD_INVALID', {
        field: 'roles',
        reason: {
          zh: `${role} 不能与其他角色兼任（三员分立）`,
          en: `${role} cannot be combined with another role (separation of duties)`,
        },
      });
    }
  }
  if (
    grants.some(
      (g) => (g.role === 'admin' || isPlatformRole(g.role) || EXCLUSIVE.includes(g.role)) && g.channelId !== null,
    )
  ) {
    throw new GazetteError('FIELD_INVALID', {
      field: 'roles',
      reason: { zh: '管理员角色只能授予整个站点', en: 'administrator roles cover the whole site' },
    });
  }
}

/** Who may manage accounts: the security administrator, or the console (bootstrapping the first ones). */
export type AccountManager = Actor | 'console';

async function requireManager(ctx: ServiceContext, manager: AccountManager): Promise<Actor> {
  if (manager === 'console') return { userId: null, userName: 'console', grants: [], ip: null };
  requireAnywhere(manager, 'user.manage', (await currentSite(ctx.store.db, ctx.siteId)).tree);
  return manager;
}

export interface NewUser {
  readonly username: string;
  readonly displayName: string;
  readonly password: string;
  readonly roles: readonly RoleGrant[];
  /** Make the user choose their own password at first sign-in (default). */
  readonly mustChangePassword?: boolean;
  /** Where the letter desk's alerts are mailed ('' or absent: none). */
  readonly email?: string | null | undefined;
}

export async function createUser(ctx: ServiceContext, manager: AccountManager, input: NewUser): Promise<UserView> {
  const actor = await requireManager(ctx, manager);
  if (!USERNAME.test(input.username)) {
    throw new GazetteError('FIELD_INVALID', {
      field: 'username',
      reason: {
        zh: '2–32 个小写字母、数字或 ._-，以字母开头',
        en: '2–32 lowercase letters, digits or ._-, starting with a letter',
      },
    });
  }
  checkGrants(input.roles);
  const email = accountEmail(input.email);
  checkPasswordRules(input.password, input.username);
  const passwordHash = await hashPassword(keysOf(ctx), input.password);
  const now = ctx.clock.now();
  return ctx.store.db.transaction().execute(async (trx) => {
    if (await users.findUserByName(trx, input.username))
      throw new GazetteError('USER_EXISTS', { username: input.username });
    await recordServerKey(trx, keysOf(ctx));
    const user = await users.insertUser(
      trx,
      {
        username: input.username,
        displayName: input.displayName || input.username,
        passwordHash,
        mustChangePassword: input.mustChangePassword === false ? 0 : 1,
        email,
      },
      now,
    );
    await users.replaceGrants(trx, user.id, input.roles, await grantSite(trx, ctx.siteId, input.roles));
    await appendAudit(trx, ctx.store.dialect, now, actor, {
      action: 'user.create',
      targetType: 'user',
      targetId: user.id,
      details: { username: user.username, roles: input.roles, ...(email !== null && { email }) },
    });
    return userView(user, input.roles, now);
  });
}

/**
 * The site whose roles an account change sets: the context's, else the only site (several: an
 * error naming them); null before the first site, or when only platform-level roles are given.
 */
async function grantSite(
  db: Kysely<Database>,
  siteId: number | undefined,
  roles: readonly RoleGrant[],
): Promise<number | null> {
  const site =
    siteId !== undefined
      ? siteId
      : roles.every((grant) => isPlatformRole(grant.role))
        ? ((await sites.findOnlySite(db).catch(() => undefined))?.id ?? null)
        : ((await sites.findOnlySite(db))?.id ?? null);
  await checkGrantChannels(db, site, roles);
  return site;
}

/**
 * Each column a role is limited to is a column of the site the role is granted on (another
 * site's, or none at all, is refused by name; it was a foreign-key failure, a 500, until
 * `npm run fuzz` found it).
 */
async function checkGrantChannels(db: Kysely<Database>, siteId: number | null, roles: readonly RoleGrant[]) {
  const named = [...new Set(roles.flatMap((grant) => (grant.channelId === null ? [] : [grant.channelId])))];
  if (named.length === 0) return;
  const known = new Set(siteId === null ? [] : (await channels.listChannels(db, siteId)).map((c) => c.id));
  const missing = named.find((id) => !known.has(id));
  if (missing !== undefined) throw new GazetteError('CHANNEL_NOT_FOUND', { id: missing });
}

export async function listUsers(ctx: ServiceContext, manager: Actor): Promise<UserView[]> {
  await requireManager(ctx, manager);
  const rows = await users.listUsers(ctx.store.db);
  const grants = await users.grantsOf(
    ctx.store.db,
    rows.map((r) => r.id),
    ctx.siteId,
  );
  const now = ctx.clock.now();
  return rows.map((row) => userView(row, grants.get(row.id) ?? [], now));
}

export interface UserPatch {
  readonly displayName?: string | undefined;
  readonly roles?: readonly RoleGrant[] | undefined;
  readonly disabled?: boolean | undefined;
  readonly unlock?: boolean | undefined;
  /** A new initial password; the user must change it at next sign-in. */
  readonly password?: string | undefined;
  /** Switch the second factor off (a lost phone); the user may enrol a new one. */
  readonly resetSecondFactor?: boolean | undefined;
  /** The address the letter desk's alerts go to; '' or null removes it. */
  readonly email?: string | null | undefined;
}

export async function updateUser(ctx: ServiceContext, manager: Actor, id: number, patch: UserPatch): Promise<UserView> {
  const actor = await requireManager(ctx, manager);
  if (patch.roles) checkGrants(patch.roles);
  if (id === actor.userId && (patch.disabled || patch.roles)) {
    throw new GazetteError('FIELD_INVALID', {
      field: 'roles',
      reason: { zh: '不能停用自己或修改自己的角色', en: 'you cannot disable yourself or change your own roles' },
    });
  }
  const existing = await users.findUser(ctx.store.db, id);
  if (!existing) throw new GazetteError('USER_NOT_FOUND', { id });
  if (patch.password !== undefined) checkPasswordRules(patch.password, existing.username);
  const email = patch.email === undefined ? undefined : accountEmail(patch.email);
  const passwordHash = patch.password === undefined ? undefined : await hashPassword(keysOf(ctx), patch.password);
  const now = ctx.clock.now();
  return ctx.store.db.transaction().execute(async (trx) => {
    const row = await users.updateUser(
      trx,
      id,
      {
        ...(patch.displayName !== undefined && { displayName: patch.displayName }),
        ...(email !== undefined && { email }),
        ...(patch.disabled !== undefined && { disabled: patch.disabled ? 1 : 0 }),
        ...(patch.unlock && { lockedUntil: null, failedLogins: 0 }),
        ...(passwordHash && { passwordHash, mustChangePassword: 1, passwordChangedAt: now.toISOString() }),
        ...(patch.resetSecondFactor && {
          totpEnabled: 0,
          totpSecret: null,
          totpPendingSecret: null,
          totpLastStep: null,
        }),
      },
      now,
    );
    if (!row) throw new GazetteError('USER_NOT_FOUND', { id });
    if (patch.roles) await users.replaceGrants(trx, id, patch.roles, await grantSite(trx, ctx.siteId, patch.roles));
    if (patch.disabled || passwordHash || patch.roles || patch.resetSecondFactor)
      await sessions.deleteSessionsOf(trx, id);
    const { password: _secret, email: _given, ...logged } = patch;
    await appendAudit(trx, ctx.store.dialect, now, actor, {
      action: 'user.update',
      targetType: 'user',
      targetId: id,
      details: { ...logged, ...(email !== undefined && { email }), ...(passwordHash && { passwordReset: true }) },
    });
    const grants = (await users.grantsOf(trx, [id], ctx.siteId)).get(id) ?? [];
    return userView(row, grants, now);
  });
}

/** The signed-in user sets (or, with '' or null, removes) the address their alerts are mailed to. */
export async function setOwnEmail(ctx: ServiceContext, actor: Actor, value: string | null): Promise<UserView> {
  const email = accountEmail(value);
  const now = ctx.clock.now();
  return ctx.store.db.transaction().execute(async (trx) => {
    const row = await users.updateUser(trx, actor.userId ?? 0, { email }, now);
    if (!row) throw new GazetteError('AUTH_REQUIRED');
    await appendAudit(trx, ctx.store.dialect, now, actor, {
      action: 'user.email',
      targetType: 'user',
      targetId: row.id,
      details: { email },
    });
    const grants = (await users.grantsOf(trx, [row.id], ctx.siteId)).get(row.id) ?? [];
    return userView(row, grants, now);
  });
}
