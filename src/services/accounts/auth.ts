import { createHash, randomBytes } from 'node:crypto';
import { GazetteError, PASSWORD_PROBLEM_TEXT, actionsOf, passwordProblem } from '../../domain/index.js';
import { sessions, users, type UserRow } from '../../store/index.js';
import type { Actor } from '../actor.js';
import { appendAudit, recordAudit } from '../audit.js';
import type { ServiceContext } from '../context.js';
import { hashPassword, UNUSABLE_HASH, verifyPassword } from './passwords.js';
import { matchTotp, newTotpSecret, otpauthUrl } from './totp.js';
import { userView } from './users.js';
import type { SessionView } from '../views.js';

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
    await recordAudit(ctx, who, {
      action: 'auth.login-failed',
      targetType: 'user',
      targetId: user?.id ?? null,
      details: { reason: user ? 'disabled' : 'unknown user' },
    });
    throw new GazetteError('AUTH_INVALID');
  }
  if (isLocked(user, now)) {
    // Guessing goes on during a lock: the auditor sees each attempt.
    await recordAudit(ctx, who, {
      action: 'auth.login-while-locked',
      targetType: 'user',
      targetId: user.id,
      details: { passwordRight: passwordOk },
    });
    const minutes = Math.ceil((new Date(user.lockedUntil ?? now).getTime() - now.getTime()) / MINUTE);
    throw new GazetteError('AUTH_LOCKED', { minutes });
  }
  if (!passwordOk) return failLogin(ctx, user, who, 'wrong password');
  let totpStep: number | null = null;
  if (user.totpEnabled && user.totpSecret) {
    if (!credentials.totp) throw new GazetteError('AUTH_TOTP_REQUIRED');
    totpStep = matchTotp(user.totpSecret, credentials.totp, now);
    // A code already used (seen by a shoulder or a proxy) is as wrong as a mistyped one.
    if (totpStep === null || (user.totpLastStep !== null && totpStep <= user.totpLastStep)) {
      return failLogin(ctx, user, who, 'wrong one-time code');
    }
  }
  return openSession(ctx, user, credentials.ip, totpStep);
}

/** Counts a failed proof of identity; true when it locked the account. */
async function countFailure(
  ctx: ServiceContext,
  user: UserRow,
  who: Pick<Actor, 'userId' | 'userName' | 'ip'>,
  reason: string,
): Promise<boolean> {
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
    // A lock ends every session of the account: whoever is guessing may be holding one.
    if (locks) await sessions.deleteSessionsOf(trx, user.id);
  });
  return locks;
}

async function failLogin(
  ctx: ServiceContext,
  user: UserRow,
  who: Pick<Actor, 'userId' | 'userName' | 'ip'>,
  reason: string,
): Promise<never> {
  if (await countFailure(ctx, user, who, reason))
    throw new GazetteError('AUTH_LOCKED', { minutes: AUTH_POLICY.lockMinutes });
  throw new GazetteError(reason === 'wrong password' ? 'AUTH_INVALID' : 'AUTH_TOTP_INVALID');
}

async function openSession(
  ctx: ServiceContext,
  user: UserRow,
  ip: string | null,
  totpStep: number | null,
): Promise<SignedIn> {
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
    await users.updateUser(
      trx,
      user.id,
      {
        failedLogins: 0,
        lockedUntil: null,
        lastLoginAt: now.toISOString(),
        ...(totpStep !== null && { totpLastStep: totpStep }),
      },
      now,
    );
    await appendAudit(
      trx,
      ctx.store.dialect,
      now,
      { userId: user.id, userName: user.username, ip },
      { action: 'auth.login', targetType: 'user', targetId: user.id },
    );
  });
  const current = await users.findUser(ctx.store.db, user.id);
  if (!current) throw new GazetteError('USER_NOT_FOUND', { id: user.id });
  return { token, session: await sessionView(ctx, current, csrfToken) };
}

async function sessionView(ctx: ServiceContext, user: UserRow, csrfToken: string): Promise<SessionView> {
  const grants = (await users.grantsOf(ctx.store.db, [user.id], ctx.siteId)).get(user.id) ?? [];
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
export async function resolveSession(
  ctx: ServiceContext,
  token: string,
  ip: string | null,
): Promise<ActiveSession | null> {
  const now = ctx.clock.now();
  const id = sessionId(token);
  const session = await sessions.findSession(ctx.store.db, id);
  if (!session) return null;
  const idleSince = now.getTime() - new Date(session.lastSeenAt).getTime();
  if (idleSince > AUTH_POLICY.idleMinutes * MINUTE || new Date(session.expiresAt) <= now) {
    await sessions.deleteSession(ctx.store.db, id);
    return null;
  }
  // The account, and the roles it holds on the request's site and on the platform, asked side by
  // side: every signed-in request reads both.
  const [user, held] = await Promise.all([
    users.findUser(ctx.store.db, session.userId),
    users.grantsOf(ctx.store.db, [session.userId], ctx.siteId),
  ]);
  if (!user || user.disabled) return null;
  // One write a minute at most: the idle clock needs no finer grain.
  if (idleSince > MINUTE) await sessions.touchSession(ctx.store.db, id, now);
  const grants = held.get(user.id) ?? [];
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
    await appendAudit(trx, ctx.store.dialect, ctx.clock.now(), session.actor, {
      action: 'auth.logout',
      targetType: 'user',
      targetId: session.actor.userId,
    });
  });
}

export function checkPasswordRules(password: string, username: string): void {
  const problem = passwordProblem(password, username);
  if (problem) throw new GazetteError('PASSWORD_WEAK', { reason: PASSWORD_PROBLEM_TEXT[problem] });
}

/** The user's own password change; ends their other sessions. */
export async function changePassword(
  ctx: ServiceContext,
  session: ActiveSession,
  current: string,
  next: string,
): Promise<void> {
  const now = ctx.clock.now();
  const user = await users.findUser(ctx.store.db, session.actor.userId ?? 0);
  if (!user) throw new GazetteError('AUTH_REQUIRED');
  if (!(await verifyPassword(current, user.passwordHash))) {
    // Guessing the current password from a live session counts like guessing at sign-in.
    if (await countFailure(ctx, user, session.actor, 'wrong current password'))
      throw new GazetteError('AUTH_LOCKED', { minutes: AUTH_POLICY.lockMinutes });
    throw new GazetteError('PASSWORD_CURRENT_WRONG');
  }
  checkPasswordRules(next, user.username);
  if (await verifyPassword(next, user.passwordHash))
    throw new GazetteError('PASSWORD_WEAK', {
      reason: { zh: '不能与当前密码相同', en: 'must differ from the current password' },
    });
  const passwordHash = await hashPassword(next);
  await ctx.store.db.transaction().execute(async (trx) => {
    await users.updateUser(
      trx,
      user.id,
      { passwordHash, mustChangePassword: 0, passwordChangedAt: now.toISOString() },
      now,
    );
    await sessions.deleteSessionsOf(trx, user.id, session.id);
    await appendAudit(trx, ctx.store.dialect, now, session.actor, {
      action: 'auth.password-changed',
      targetType: 'user',
      targetId: user.id,
    });
  });
}

/**
 * Starts second-factor enrolment with a pending secret. A factor already on stays on, with its
 * old secret, until the new one is confirmed: a borrowed session cannot switch it off.
 */
export async function beginTotp(
  ctx: ServiceContext,
  session: ActiveSession,
  issuer: string,
): Promise<{ secret: string; otpauthUrl: string }> {
  const now = ctx.clock.now();
  const secret = newTotpSecret();
  await ctx.store.db.transaction().execute(async (trx) => {
    await users.updateUser(trx, session.actor.userId ?? 0, { totpPendingSecret: secret }, now);
    await appendAudit(trx, ctx.store.dialect, now, session.actor, {
      action: 'auth.totp-enrolment-started',
      targetType: 'user',
      targetId: session.actor.userId,
    });
  });
  return { secret, otpauthUrl: otpauthUrl(secret, session.actor.userName, issuer) };
}

export async function confirmTotp(ctx: ServiceContext, session: ActiveSession, code: string): Promise<void> {
  const now = ctx.clock.now();
  const user = await users.findUser(ctx.store.db, session.actor.userId ?? 0);
  if (!user?.totpPendingSecret) throw new GazetteError('TOTP_NOT_STARTED');
  const step = matchTotp(user.totpPendingSecret, code, now);
  if (step === null) throw new GazetteError('TOTP_CONFIRM_WRONG');
  await ctx.store.db.transaction().execute(async (trx) => {
    await users.updateUser(
      trx,
      user.id,
      { totpSecret: user.totpPendingSecret, totpPendingSecret: null, totpEnabled: 1, totpLastStep: step },
      now,
    );
    await appendAudit(trx, ctx.store.dialect, now, session.actor, {
      action: 'auth.totp-enabled',
      targetType: 'user',
      targetId: user.id,
    });
  });
}
