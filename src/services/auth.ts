import { createHash, randomBytes } from 'node:crypto';
import { GazetteError, PASSWORD_PROBLEM_TEXT, actionsOf, passwordProblem } from '../domain/index.js';
import { sessions, users, type UserRow } from '../store/index.js';
import type { Actor } from './actor.js';
import { appendAudit, recordAudit } from './audit.js';
import type { ServiceContext } from './context.js';
import { hashPassword, UNUSABLE_HASH, verifyPassword } from './passwords.js';
import { checkTotp, newTotpSecret, otpauthUrl } from './totp.js';
import { userView } from './users.js';
import type { SessionView } from './views.js';

/** Sign-in policy (等保 2.0 level 3): lock after repeated failures, end idle sessions. */
export const AUTH_POLICY = {
  maxFailures: 5,
  lockMinutes: 15,
  idleMinutes: 30,
  absoluteHours: 12,
} as const;

const MINUTE = 60_000;

export interface SignedIn {
  /** The cookie value; only its hash is stored. */
  readonly token: string;
  readonly session: SessionView;
}

export interface Credentials {
  readonly username: string;
  readonly password: string;
  readonly totp?: string | undefined;
  readonly ip: string | null;
}

const sessionId = (token: string) => createHash('sha256').update(token).digest('hex');

function isLocked(user: UserRow, now: Date): boolean {
  return user.lockedUntil !== null && new Date(user.lockedUntil) > now;
}

/** Checks a password (and second factor), counts failures, locks the account after too many. */
export async function login(ctx: ServiceContext, credentials: Credentials): Promise<SignedIn> {
  const now = ctx.clock.now();
  const user = await users.findUserByName(ctx.store.db, credentials.username);
  // Unknown names cost a hash too, so that response times do not reveal which names exist.
  const passwordOk = await verifyPassword(credentials.password, user?.passwordHash ?? UNUSABLE_HASH);
  const who = { userId: user?.id ?? null, userName: credentials.username, ip: credentials.ip };
  if (!user || user.disabled) {
    await recordAudit(ctx, who, { action: 'auth.login-failed', targetType: 'user', targetId: user?.id ?? null, details: { reason: user ? 'disabled' : 'unknown user' } });
    throw new GazetteError('AUTH_INVALID');
  }
  if (isLocked(user, now)) {
    const minutes = Math.ceil((new Date(user.lockedUntil ?? now).getTime() - now.getTime()) / MINUTE);
    throw new GazetteError('AUTH_LOCKED', { minutes });
  }
  if (!passwordOk) return failLogin(ctx, user, who, 'wrong password');
  if (user.totpEnabled && user.totpSecret) {
    if (!credentials.totp) throw new GazetteError('AUTH_TOTP_REQUIRED');
    if (!checkTotp(user.totpSecret, credentials.totp, now)) return failLogin(ctx, user, who, 'wrong one-time code');
  }
  return openSession(ctx, user, credentials.ip);
}

async function failLogin(ctx: ServiceContext, user: UserRow, who: Pick<Actor, 'userId' | 'userName' | 'ip'>, reason: string): Promise<never> {
  const now = ctx.clock.now();
  const failures = user.failedLogins + 1;
  const locks = failures >= AUTH_POLICY.maxFailures;
  await ctx.store.db.transaction().execute(async (trx) => {
    await users.updateUser(
      trx,
      user.id,
      locks
        ? { failedLogins: 0, lockedUntil: new Date(now.getTime() + AUTH_POLICY.lockMinutes * MINUTE).toISOString() }
        : { failedLogins: failures },
      now,
    );
    await appendAudit(trx, ctx.store.dialect, now, who, {
      action: locks ? 'auth.locked' : 'auth.login-failed',
      targetType: 'user',
      targetId: user.id,
      details: { reason, failures },
    });
  });
  if (locks) throw new GazetteError('AUTH_LOCKED', { minutes: AUTH_POLICY.lockMinutes });
  throw new GazetteError(reason === 'wrong password' ? 'AUTH_INVALID' : 'AUTH_TOTP_INVALID');
}

async function openSession(ctx: ServiceContext, user: UserRow, ip: string | null): Promise<SignedIn> {
  const now = ctx.clock.now();
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  await ctx.store.db.transaction().execute(async (trx) => {
    await sessions.insertSession(trx, {
      id: sessionId(token),
      userId: user.id,
      csrfToken,
      ip,
      createdAt: now.toISOString(),
      lastSeenAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + AUTH_POLICY.absoluteHours * 60 * MINUTE).toISOString(),
    });
    await users.updateUser(trx, user.id, { failedLogins: 0, lockedUntil: null, lastLoginAt: now.toISOString() }, now);
    await appendAudit(trx, ctx.store.dialect, now, { userId: user.id, userName: user.username, ip }, { action: 'auth.login', targetType: 'user', targetId: user.id });
  });
  const current = await users.findUser(ctx.store.db, user.id);
  if (!current) throw new GazetteError('USER_NOT_FOUND', { id: user.id });
  return { token, session: await sessionView(ctx, current, csrfToken) };
}

async function sessionView(ctx: ServiceContext, user: UserRow, csrfToken: string): Promise<SessionView> {
  const grants = (await users.grantsOf(ctx.store.db, [user.id])).get(user.id) ?? [];
  return { user: userView(user, grants, ctx.clock.now()), csrfToken, permissions: actionsOf(grants) };
}

/** A live session, with who it belongs to. */
export interface ActiveSession {
  readonly id: string;
  readonly actor: Actor;
  readonly csrfToken: string;
  readonly mustChangePassword: boolean;
  readonly view: () => Promise<SessionView>;
}

/** The session a cookie names, if it is still live (not idle too long, not past its end). */
export async function resolveSession(ctx: ServiceContext, token: string, ip: string | null): Promise<ActiveSession | null> {
  const now = ctx.clock.now();
  const id = sessionId(token);
  const session = await sessions.findSession(ctx.store.db, id);
  if (!session) return null;
  const idleSince = now.getTime() - new Date(session.lastSeenAt).getTime();
  if (idleSince > AUTH_POLICY.idleMinutes * MINUTE || new Date(session.expiresAt) <= now) {
    await sessions.deleteSession(ctx.store.db, id);
    return null;
  }
  const user = await users.findUser(ctx.store.db, session.userId);
  if (!user || user.disabled) return null;
  // One write a minute at most: the idle clock needs no finer grain.
  if (idleSince > MINUTE) await sessions.touchSession(ctx.store.db, id, now);
  const grants = (await users.grantsOf(ctx.store.db, [user.id])).get(user.id) ?? [];
  return {
    id,
    actor: { userId: user.id, userName: user.username, grants, ip },
    csrfToken: session.csrfToken,
    mustChangePassword: user.mustChangePassword === 1,
    view: () => sessionView(ctx, user, session.csrfToken),
  };
}

export async function logout(ctx: ServiceContext, session: ActiveSession): Promise<void> {
  await ctx.store.db.transaction().execute(async (trx) => {
    await sessions.deleteSession(trx, session.id);
    await appendAudit(trx, ctx.store.dialect, ctx.clock.now(), session.actor, { action: 'auth.logout', targetType: 'user', targetId: session.actor.userId });
  });
}

export function checkPasswordRules(password: string, username: string): void {
  const problem = passwordProblem(password, username);
  if (problem) throw new GazetteError('PASSWORD_WEAK', { reason: PASSWORD_PROBLEM_TEXT[problem] });
}

/** The user's own password change; ends their other sessions. */
export async function changePassword(ctx: ServiceContext, session: ActiveSession, current: string, next: string): Promise<void> {
  const now = ctx.clock.now();
  const user = await users.findUser(ctx.store.db, session.actor.userId ?? 0);
  if (!user) throw new GazetteError('AUTH_REQUIRED');
  if (!(await verifyPassword(current, user.passwordHash))) throw new GazetteError('PASSWORD_CURRENT_WRONG');
  checkPasswordRules(next, user.username);
  if (await verifyPassword(next, user.passwordHash)) throw new GazetteError('PASSWORD_WEAK', { reason: { zh: '不能与当前密码相同', en: 'must differ from the current password' } });
  const passwordHash = await hashPassword(next);
  await ctx.store.db.transaction().execute(async (trx) => {
    await users.updateUser(trx, user.id, { passwordHash, mustChangePassword: 0, passwordChangedAt: now.toISOString() }, now);
    await sessions.deleteSessionsOf(trx, user.id, session.id);
    await appendAudit(trx, ctx.store.dialect, now, session.actor, { action: 'auth.password-changed', targetType: 'user', targetId: user.id });
  });
}

/** Starts second-factor enrolment: a new secret, not yet required until confirmed with a code. */
export async function beginTotp(ctx: ServiceContext, session: ActiveSession, issuer: string): Promise<{ secret: string; otpauthUrl: string }> {
  const secret = newTotpSecret();
  await users.updateUser(ctx.store.db, session.actor.userId ?? 0, { totpSecret: secret, totpEnabled: 0 }, ctx.clock.now());
  return { secret, otpauthUrl: otpauthUrl(secret, session.actor.userName, issuer) };
}

export async function confirmTotp(ctx: ServiceContext, session: ActiveSession, code: string): Promise<void> {
  const now = ctx.clock.now();
  const user = await users.findUser(ctx.store.db, session.actor.userId ?? 0);
  if (!user?.totpSecret) throw new GazetteError('TOTP_NOT_STARTED');
  if (!checkTotp(user.totpSecret, code, now)) throw new GazetteError('TOTP_CONFIRM_WRONG');
  await ctx.store.db.transaction().execute(async (trx) => {
    await users.updateUser(trx, user.id, { totpEnabled: 1 }, now);
    await appendAudit(trx, ctx.store.dialect, now, session.actor, { action: 'auth.totp-enabled', targetType: 'user', targetId: user.id });
  });
}
