import { createHash, randomBytes } from 'node:crypto';
import {
  GazetteError,
  PASSWORD_PROBLEM_TEXT,
  actionsOf,
  needsSecondFactor,
  passwordProblem,
  type RoleGrant,
} from '../../domain/index.js';
import { audit, sessions, users, type UserRow } from '../../store/index.js';
import type { Actor } from '../actor.js';
import { appendAudit, recordAudit } from '../audit.js';
import type { ServiceContext } from '../context.js';
import { hashPassword, needsRehash, UNUSABLE_HASH, verifyPassword } from './passwords.js';
import { isSealed, keysOf, openSecret, sealSecret } from './server-key.js';
import { matchTotp, newTotpSecret, otpauthUrl } from './totp.js';
import { userView } from './users.js';
import type { SecurityNoticeKind, SessionView } from '../views.js';

/** Sign-in policy (等保 2.0 level 3): lock after repeated failures, end idle sessions. */
export const AUTH_POLICY = {
  maxFailures: 5,
  lockMinutes: 15,
  idleMinutes: 30,
  absoluteHours: 12,
  /** How long a proof of identity (the password) covers sensitive actions (ASVS 3.7.1). */
  proofMinutes: 15,
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
  /** The browser's User-Agent, kept with the session so that its owner can recognise it. */
  readonly userAgent?: string | undefined;
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
  const passwordOk = await verifyPassword(keysOf(ctx), credentials.password, user?.passwordHash ?? UNUSABLE_HASH);
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
    totpStep = matchTotp(openSecret(keysOf(ctx), user.totpSecret), credentials.totp, now);
    // A code already used (seen by a shoulder or a proxy) is as wrong as a mistyped one.
    if (totpStep === null || (user.totpLastStep !== null && totpStep <= user.totpLastStep)) {
      return failLogin(ctx, user, who, 'wrong one-time code');
    }
  }
  const opened = { ip: credentials.ip, userAgent: credentials.userAgent ?? null, totpStep };
  return openSession(ctx, user, opened, await upgrades(ctx, user, credentials.password));
}

/** What a sign-in renews on an account made before the pepper and seed sealing: its hash, its sealed seed. */
async function upgrades(ctx: ServiceContext, user: UserRow, password: string): Promise<users.UserPatch> {
  return {
    ...(needsRehash(user.passwordHash) && { passwordHash: await hashPassword(keysOf(ctx), password) }),
    ...(user.totpSecret !== null &&
      !isSealed(user.totpSecret) && { totpSecret: sealSecret(keysOf(ctx), user.totpSecret) }),
  };
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
  { ip, userAgent, totpStep }: { ip: string | null; userAgent: string | null; totpStep: number | null },
  upgrade: users.UserPatch,
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
      userAgent: userAgent === null ? null : Array.from(userAgent).slice(0, 256).join(''),
      createdAt: now.toISOString(),
      lastSeenAt: now.toISOString(),
      verifiedAt: now.toISOString(),
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
        ...upgrade,
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
  return { token, session: await sessionView(ctx, current, csrfToken, now.toISOString()) };
}

async function sessionView(
  ctx: ServiceContext,
  user: UserRow,
  csrfToken: string,
  openedAt: string,
): Promise<SessionView> {
  const [held, notices] = await Promise.all([
    users.grantsOf(ctx.store.db, [user.id], ctx.siteId),
    securityNotices(ctx, user.id, openedAt),
  ]);
  const grants = held.get(user.id) ?? [];
  return {
    user: userView(user, grants, ctx.clock.now()),
    csrfToken,
    permissions: actionsOf(grants),
    mustEnrolSecondFactor: mustEnrol(ctx, user, grants),
    notices,
  };
}

const NOTICE_ACTIONS = [
  'auth.password-changed',
  'auth.totp-enabled',
  'auth.locked',
  'auth.sessions-ended',
  'user.update',
];

/** The kind of notice an audit entry on the account is, if it is one. */
function noticeKind(row: audit.AuditRow): SecurityNoticeKind | null {
  const details = JSON.parse(row.details) as Record<string, unknown>;
  switch (row.action) {
    case 'auth.password-changed':
      return 'password-changed';
    case 'auth.totp-enabled':
      return 'second-factor-on';
    case 'auth.locked':
      return 'locked';
    case 'auth.sessions-ended':
      return 'sessions-ended';
    default:
      if (details.passwordReset) return 'password-reset';
      if (details.resetSecondFactor) return 'second-factor-reset';
      if (details.roles) return 'roles-changed';
      if (details.disabled === true) return 'disabled';
      return null;
  }
}

/**
 * ASVS 2.2.3 / 2.5.5: what changed in how the account signs in between its sign-in before this
 * session and this one: a password or factor changed by someone else is seen by the owner.
 * Gazette has no mail channel of its own; the back office shows these once signed in.
 */
async function securityNotices(ctx: ServiceContext, userId: number, openedAt: string): Promise<SessionView['notices']> {
  const db = ctx.store.db;
  // This session's sign-in and the one before it, by their places in the log (two can share a millisecond).
  const [current, previous] = await audit.lastSignIns(db, userId, openedAt, 2);
  if (current === undefined || previous === undefined) return [];
  const rows = await audit.entriesOnAccount(db, userId, NOTICE_ACTIONS, previous, current);
  return rows.flatMap((row) => {
    const kind = noticeKind(row);
    return kind ? [{ kind, at: row.at, by: row.userName, ip: row.ip }] : [];
  });
}

/** An administrative account without its second factor, where the policy asks for one (ASVS 4.3.1). */
function mustEnrol(ctx: ServiceContext, user: UserRow, grants: readonly RoleGrant[]): boolean {
  return ctx.adminMfa !== 'optional' && user.totpEnabled !== 1 && needsSecondFactor(grants);
}

/** A live session, with who it belongs to. */
export interface ActiveSession {
  readonly id: string;
  readonly actor: Actor;
  readonly csrfToken: string;
  readonly mustChangePassword: boolean;
  /** An administrative account that must turn on its second factor before anything else. */
  readonly mustEnrolSecondFactor: boolean;
  /** When its owner last gave their password in it. */
  readonly verifiedAt: Date;
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
    mustEnrolSecondFactor: mustEnrol(ctx, user, grants),
    verifiedAt: new Date(session.verifiedAt ?? session.createdAt),
    view: () => sessionView(ctx, user, session.csrfToken, session.createdAt),
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
  if (!(await verifyPassword(keysOf(ctx), current, user.passwordHash))) {
    // Guessing the current password from a live session counts like guessing at sign-in.
    if (await countFailure(ctx, user, session.actor, 'wrong current password'))
      throw new GazetteError('AUTH_LOCKED', { minutes: AUTH_POLICY.lockMinutes });
    throw new GazetteError('PASSWORD_CURRENT_WRONG');
  }
  checkPasswordRules(next, user.username);
  if (await verifyPassword(keysOf(ctx), next, user.passwordHash))
    throw new GazetteError('PASSWORD_WEAK', {
      reason: { zh: '不能与当前密码相同', en: 'must differ from the current password' },
    });
  const passwordHash = await hashPassword(keysOf(ctx), next);
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
    await users.updateUser(trx, session.actor.userId ?? 0, { totpPendingSecret: sealSecret(keysOf(ctx), secret) }, now);
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
  const step = matchTotp(openSecret(keysOf(ctx), user.totpPendingSecret), code, now);
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

/** A session as its owner sees it in the list: never its token or its stored id. */
export interface SessionListItem {
  /** Names the session in this list (to end it); not the token, and not the stored id either. */
  readonly ref: string;
  readonly ip: string | null;
  readonly userAgent: string | null;
  readonly createdAt: string;
  readonly lastSeenAt: string;
  readonly current: boolean;
}

const sessionRef = (id: string) => createHash('sha256').update(`ref:${id}`).digest('hex').slice(0, 16);

/** The owner's live sessions: this one first, then the others newest first (ASVS 3.3.4). */
export async function listSessions(ctx: ServiceContext, session: ActiveSession): Promise<SessionListItem[]> {
  const now = ctx.clock.now();
  const idleSince = new Date(now.getTime() - AUTH_POLICY.idleMinutes * MINUTE);
  const rows = await sessions.sessionsOf(ctx.store.db, session.actor.userId ?? 0);
  return rows
    .filter((row) => new Date(row.lastSeenAt) >= idleSince && new Date(row.expiresAt) > now)
    .map((row) => ({
      ref: sessionRef(row.id),
      ip: row.ip,
      userAgent: row.userAgent,
      createdAt: row.createdAt,
      lastSeenAt: row.lastSeenAt,
      current: row.id === session.id,
    }))
    .sort((a, b) => Number(b.current) - Number(a.current));
}

/** Ends one of the owner's sessions (another browser, a lost laptop); the current one ends by signing out. */
export async function endSession(ctx: ServiceContext, session: ActiveSession, ref: string): Promise<void> {
  const rows = await sessions.sessionsOf(ctx.store.db, session.actor.userId ?? 0);
  const target = rows.find((row) => sessionRef(row.id) === ref);
  if (!target) throw new GazetteError('SESSION_NOT_FOUND', { ref });
  await ctx.store.db.transaction().execute(async (trx) => {
    await sessions.deleteSession(trx, target.id);
    await appendAudit(trx, ctx.store.dialect, ctx.clock.now(), session.actor, {
      action: 'auth.session-ended',
      targetType: 'user',
      targetId: session.actor.userId,
      details: { ref, current: target.id === session.id },
    });
  });
}

/** Ends every other session of the owner ("sign out everywhere else"); how many ended. */
export async function endOtherSessions(ctx: ServiceContext, session: ActiveSession): Promise<number> {
  const userId = session.actor.userId ?? 0;
  return ctx.store.db.transaction().execute(async (trx) => {
    const others = (await sessions.sessionsOf(trx, userId)).filter((row) => row.id !== session.id);
    await sessions.deleteSessionsOf(trx, userId, session.id);
    await appendAudit(trx, ctx.store.dialect, ctx.clock.now(), session.actor, {
      action: 'auth.sessions-ended',
      targetType: 'user',
      targetId: userId,
      details: { count: others.length },
    });
    return others.length;
  });
}

/**
 * The owner gives their password again before a sensitive action (ASVS 3.7.1): the session
 * counts as proved for AUTH_POLICY.proofMinutes. A wrong password counts towards the lock,
 * as at sign-in: a borrowed session must not become a way to guess.
 */
export async function confirmPassword(ctx: ServiceContext, session: ActiveSession, password: string): Promise<void> {
  const now = ctx.clock.now();
  const user = await users.findUser(ctx.store.db, session.actor.userId ?? 0);
  if (!user) throw new GazetteError('AUTH_REQUIRED');
  if (!(await verifyPassword(keysOf(ctx), password, user.passwordHash))) {
    if (await countFailure(ctx, user, session.actor, 'wrong password to confirm'))
      throw new GazetteError('AUTH_LOCKED', { minutes: AUTH_POLICY.lockMinutes });
    throw new GazetteError('PASSWORD_CURRENT_WRONG');
  }
  await ctx.store.db.transaction().execute(async (trx) => {
    await sessions.markVerified(trx, session.id, now);
    await appendAudit(trx, ctx.store.dialect, now, session.actor, {
      action: 'auth.password-confirmed',
      targetType: 'user',
      targetId: user.id,
    });
  });
}

/** Refuses a sensitive action when the session's last proof of identity is too old. */
export function requireRecentProof(ctx: ServiceContext, session: ActiveSession): void {
  const age = ctx.clock.now().getTime() - session.verifiedAt.getTime();
  if (age > AUTH_POLICY.proofMinutes * MINUTE)
    throw new GazetteError('REAUTH_REQUIRED', { minutes: AUTH_POLICY.proofMinutes });
}
