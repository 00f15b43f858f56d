import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { scryptSync } from 'node:crypto';
import {
  GazetteError,
  PASSWORD_PROBLEM_TEXT,
  actionsOf,
  type ErrorCode,
  type ErrorParams,
  type Role,
  type RoleGrant,
} from '../../../src/domain/index.js';
import {
  AUTH_POLICY,
  beginTotp,
  base32Decode,
  changePassword,
  checkTotp,
  confirmTotp,
  createUser,
  hashPassword,
  listUsers,
  login,
  logout,
  resolveSession,
  totpCode,
  updateUser,
  verifyAuditChain,
  verifyPassword,
  type ActiveSession,
  type Actor,
  type Credentials,
  type ServiceContext,
  type UserView,
  serverKeys,
  sealSecret,
  openSecret,
} from '../../../src/services/index.js';
import { base32Encode } from '../../../src/services/accounts/totp.js';
import { needsRehash } from '../../../src/services/accounts/passwords.js';
import type { AuditRow } from '../../../src/store/index.js';
import { BACKENDS, contextFor, TEST_KEYS, type TestStore } from '../../helpers/store.js';
import { demoSite } from '../../helpers/factories.js';
import { TEST_PASSWORD, makeRoleAccounts, makeUser } from '../../helpers/backoffice.js';

const MINUTE = 60_000;
const IP = '10.0.0.7';

/**
 * An assert.rejects matcher: a GazetteError with this code and, when given, these params or (a
 * string) this Chinese message.
 */
function gazette(code: ErrorCode, expected?: ErrorParams | string) {
  return (error: unknown): true => {
    assert.ok(error instanceof GazetteError, `expected GazetteError ${code}, got ${String(error)}`);
    assert.equal(error.code, code);
    if (typeof expected === 'string') assert.equal(error.messageIn('zh'), expected);
    else if (expected) assert.deepEqual(error.params, expected);
    return true;
  };
}

const weak = (reason: string) => `密码不符合要求：${reason}`;

/** The actor a user view stands for (what resolveSession would give, without signing in). */
function actorOf(user: UserView): Actor {
  return { userId: user.id, userName: user.username, grants: user.roles, ip: null };
}

const credentials = (username: string, password: string = TEST_PASSWORD, totp?: string): Credentials => ({
  username,
  password,
  totp,
  ip: IP,
});

/** RFC 6238 Appendix B: the SHA-1 secret is the ASCII bytes of "12345678901234567890". */
const RFC_SECRET = Buffer.from('12345678901234567890');

describe('TOTP and password hashing (no store)', () => {
  test('RFC 6238 Appendix B SHA-1 vectors, 8 digits', () => {
    const vectors: [number, string][] = [
      [59, '94287082'],
      [1111111109, '07081804'],
      [1111111111, '14050471'],
      [1234567890, '89005924'],
      [2000000000, '69279037'],
      [20000000000, '65353130'],
    ];
    for (const [seconds, code] of vectors) {
      assert.equal(totpCode(RFC_SECRET, new Date(seconds * 1000), 8), code, `T=${seconds}`);
    }
  });

  test('six digits (the app default) are the last six of the same truncation', () => {
    assert.equal(totpCode(RFC_SECRET, new Date(59_000)), '287082');
    assert.equal(totpCode(RFC_SECRET, new Date(1111111109_000)), '081804');
  });

  test('base32: RFC 4648 vectors, unpadded, and round trips', () => {
    const vectors: [string, string][] = [
      ['', ''],
      ['f', 'MY'],
      ['fo', 'MZXQ'],
      ['foo', 'MZXW6'],
      ['foob', 'MZXW6YQ'],
      ['fooba', 'MZXW6YTB'],
      ['foobar', 'MZXW6YTBOI'],
    ];
    for (const [plain, encoded] of vectors) {
      assert.equal(base32Encode(Buffer.from(plain)), encoded);
      assert.equal(base32Decode(encoded).toString(), plain);
    }
    assert.equal(base32Encode(RFC_SECRET), 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    // Lowercase and trailing padding are read too (people type secrets by hand).
    assert.deepEqual(base32Decode('mzxw6ytboi======'), Buffer.from('foobar'));
    const random = Buffer.from([0, 1, 2, 250, 251, 252, 253, 254, 255, 128, 64, 32, 16, 8, 4, 2, 1, 0, 99, 7]);
    assert.deepEqual(base32Decode(base32Encode(random)), random);
    assert.throws(() => base32Decode('MZ1W'), RangeError);
  });

  test('checkTotp accepts the current step and one either side, refuses two steps away and malformed codes', () => {
    const secret = base32Encode(RFC_SECRET);
    const at = new Date(1111111111_000);
    const codeAt = (steps: number) => totpCode(RFC_SECRET, new Date(at.getTime() + steps * 30_000));
    // The five codes are distinct, so acceptance below is about the step, not a collision.
    assert.equal(new Set([-2, -1, 0, 1, 2].map(codeAt)).size, 5);
    assert.equal(checkTotp(secret, codeAt(0), at), true);
    assert.equal(checkTotp(secret, codeAt(-1), at), true);
    assert.equal(checkTotp(secret, codeAt(1), at), true);
    assert.equal(checkTotp(secret, codeAt(-2), at), false);
    assert.equal(checkTotp(secret, codeAt(2), at), false);
    const eight = totpCode(RFC_SECRET, at, 8);
    assert.equal(checkTotp(secret, eight, at), false);
    assert.equal(checkTotp(secret, codeAt(0).slice(1), at), false);
    assert.equal(checkTotp(secret, ` ${codeAt(0)}`, at), false);
    assert.equal(checkTotp(secret, 'abcdef', at), false);
    assert.equal(checkTotp(secret, '', at), false);
  });

  test('password hashes: scrypt over the peppered password, with its parameters, salted, never containing the password', async () => {
    const password = 'Correct-Horse-42';
    const hash = await hashPassword(TEST_KEYS, password);
    const parts = hash.split('$');
    assert.equal(parts.length, 6);
    assert.deepEqual(parts.slice(0, 4), ['scrypt-hmac', '32768', '8', '1']);
    assert.equal(Buffer.from(parts[4] ?? '', 'base64').length, 16);
    assert.equal(Buffer.from(parts[5] ?? '', 'base64').length, 32);
    assert.equal(hash.includes(password), false);
    assert.equal(hash.includes(Buffer.from(password).toString('base64')), false);
    const again = await hashPassword(TEST_KEYS, password);
    assert.notEqual(again, hash, 'a fresh salt each time');
    assert.equal(await verifyPassword(TEST_KEYS, password, hash), true);
    assert.equal(await verifyPassword(TEST_KEYS, password, again), true);
    assert.equal(await verifyPassword(TEST_KEYS, 'correct-horse-42', hash), false);
    assert.equal(await verifyPassword(TEST_KEYS, `${password} `, hash), false);
    assert.equal(await verifyPassword(TEST_KEYS, password, 'plain-text'), false);
    assert.equal(await verifyPassword(TEST_KEYS, password, 'bcrypt$1$2$3$4$5'), false);
    // NFKC: a full-width letter typed by a Chinese input method is the same password.
    assert.equal(await verifyPassword(TEST_KEYS, 'Ｃorrect-Horse-42', hash), true);
  });

  test('2.4.5: a hash depends on the secret key; with another key the right password fails', async () => {
    const password = 'Correct-Horse-42';
    const hash = await hashPassword(TEST_KEYS, password);
    const otherKeys = serverKeys(Buffer.alloc(32, 9));
    assert.equal(await verifyPassword(otherKeys, password, hash), false);
    assert.equal(await verifyPassword(TEST_KEYS, password, hash), true);
    // A hash from before the pepper (plain scrypt) still verifies, and is due to be replaced.
    const salt = Buffer.alloc(16, 1);
    const key = scryptSync(password, salt, 32, { N: 32768, r: 8, p: 1, maxmem: 128 * 1024 * 1024 });
    const legacy = ['scrypt', 32768, 8, 1, salt.toString('base64'), key.toString('base64')].join('$');
    assert.equal(await verifyPassword(otherKeys, password, legacy), true);
    assert.deepEqual([needsRehash(legacy), needsRehash(hash)], [true, false]);
  });

  test('2.8.2: a sealed seed opens with its key only; a seed stored before sealing is read as it is', () => {
    const seed = base32Encode(Buffer.alloc(20, 3));
    const sealed = sealSecret(TEST_KEYS, seed);
    assert.match(sealed, /^v1\.[A-Za-z0-9_-]+$/);
    assert.equal(sealed.includes(seed), false);
    assert.notEqual(sealSecret(TEST_KEYS, seed), sealed, 'a fresh nonce each time');
    assert.equal(openSecret(TEST_KEYS, sealed), seed);
    assert.throws(() => openSecret(serverKeys(Buffer.alloc(32, 9)), sealed), gazette('SECRET_KEY_MISMATCH'));
    assert.equal(openSecret(TEST_KEYS, seed), seed);
    assert.throws(() => serverKeys(Buffer.alloc(16)), gazette('CONFIG_INVALID'));
  });
});

for (const backend of BACKENDS) {
  describe(`sign-in, sessions and accounts on ${backend.name}`, () => {
    let store: TestStore;
    let now = new Date('2025-12-01T01:00:00Z');
    const clock = { now: () => now };
    let ctx: ServiceContext;
    let accounts: Awaited<ReturnType<typeof makeRoleAccounts>>;
    const advance = (ms: number) => {
      now = new Date(now.getTime() + ms);
    };

    const headSeq = async () =>
      (await store.db.selectFrom('auditLog').select('seq').orderBy('seq', 'desc').limit(1).executeTakeFirst())?.seq ??
      0;
    const auditAfter = async (seq: number): Promise<AuditRow[]> =>
      store.db.selectFrom('auditLog').selectAll().where('seq', '>', seq).orderBy('seq').execute();
    /** action, who, target, details of entries after a point. */
    const auditSummary = async (seq: number) =>
      (await auditAfter(seq)).map((row) => ({
        action: row.action,
        userName: row.userName,
        targetId: row.targetId,
        details: JSON.parse(row.details) as unknown,
      }));
    const userRow = (username: string) =>
      store.db.selectFrom('userAccount').selectAll().where('username', '=', username).executeTakeFirstOrThrow();
    const session = async (
      username: string,
      password: string = TEST_PASSWORD,
      totp?: string,
    ): Promise<{ token: string; active: ActiveSession }> => {
      const signed = await login(ctx, credentials(username, password, totp));
      const active = await resolveSession(ctx, signed.token, IP);
      assert.ok(active, 'a fresh session resolves');
      return { token: signed.token, active };
    };
    const failTimes = async (username: string, times: number) => {
      for (let i = 0; i < times; i++) {
        await assert.rejects(login(ctx, credentials(username, 'Wrong-Password-1')), gazette('AUTH_INVALID'));
      }
    };

    before(async () => {
      store = await backend.open();
      ctx = { ...contextFor(store), clock };
      await demoSite(ctx);
      accounts = await makeRoleAccounts(ctx);
    });
    after(() => store.dispose());

    test('a good password opens a session whose token resolves to the actor and its grants', async () => {
      const before = await headSeq();
      const signed = await login(ctx, credentials('editor'));
      assert.match(signed.token, /^[A-Za-z0-9_-]{43}$/);
      assert.match(signed.session.csrfToken, /^[A-Za-z0-9_-]{32}$/);
      assert.equal(signed.session.user.username, 'editor');
      assert.equal(signed.session.user.lastLoginAt, now.toISOString());
      assert.deepEqual(signed.session.user.roles, [{ role: 'editor', channelId: null }]);
      assert.deepEqual(signed.session.permissions, actionsOf([{ role: 'editor', channelId: null }]));
      assert.equal(signed.session.permissions.includes('article.approve'), false);

      const active = await resolveSession(ctx, signed.token, IP);
      assert.ok(active);
      assert.deepEqual(active.actor, {
        userId: accounts.editor.id,
        userName: 'editor',
        grants: [{ role: 'editor', channelId: null }],
        ip: IP,
      });
      assert.equal(active.csrfToken, signed.session.csrfToken);
      assert.equal(active.mustChangePassword, false);
      assert.equal((await active.view()).user.username, 'editor');
      // Only the token's hash is stored.
      const stored = await store.db
        .selectFrom('session')
        .select('id')
        .where('userId', '=', accounts.editor.id)
        .execute();
      assert.equal(
        stored.some((row) => row.id === signed.token),
        false,
      );
      assert.equal(await resolveSession(ctx, `${signed.token}x`, IP), null);

      const entries = await auditAfter(before);
      assert.deepEqual(
        entries.map((e) => [e.action, e.userId, e.userName, e.targetType, e.targetId, e.ip, e.details]),
        [['auth.login', accounts.editor.id, 'editor', 'user', String(accounts.editor.id), IP, '{}']],
      );
    });

    test('a wrong password is AUTH_INVALID, counted and audited', async () => {
      await makeUser(ctx, 'wrongpw', [{ role: 'editor' }]);
      const before = await headSeq();
      await assert.rejects(login(ctx, credentials('wrongpw', 'Not-The-Password-1')), gazette('AUTH_INVALID'));
      assert.equal((await userRow('wrongpw')).failedLogins, 1);
      assert.deepEqual(await auditSummary(before), [
        {
          action: 'auth.login-failed',
          userName: 'wrongpw',
          targetId: String((await userRow('wrongpw')).id),
          details: { failures: 1, reason: 'wrong password' },
        },
      ]);
    });

    test('an unknown user name is the same AUTH_INVALID, audited with no user id', async () => {
      const before = await headSeq();
      await assert.rejects(login(ctx, credentials('nobody-here')), gazette('AUTH_INVALID'));
      const entries = await auditAfter(before);
      assert.deepEqual(
        entries.map((e) => [e.action, e.userId, e.userName, e.targetId, e.ip, JSON.parse(e.details) as unknown]),
        [['auth.login-failed', null, 'nobody-here', null, IP, { reason: 'unknown user' }]],
      );
    });

    test(`${AUTH_POLICY.maxFailures} wrong passwords lock the account for ${AUTH_POLICY.lockMinutes} minutes, even against the right one`, async () => {
      const user = await makeUser(ctx, 'locky', [{ role: 'editor' }]);
      const security = actorOf(accounts.security);
      const before = await headSeq();
      await failTimes('locky', 4);
      assert.equal((await userRow('locky')).failedLogins, 4);
      await assert.rejects(
        login(ctx, credentials('locky', 'Wrong-Password-1')),
        gazette('AUTH_LOCKED', { minutes: 15 }),
      );
      const locked = await userRow('locky');
      assert.equal(locked.lockedUntil, new Date(now.getTime() + 15 * MINUTE).toISOString());
      assert.deepEqual(
        (await auditSummary(before)).map((e) => [e.action, e.details]),
        [
          ['auth.login-failed', { failures: 1, reason: 'wrong password' }],
          ['auth.login-failed', { failures: 2, reason: 'wrong password' }],
          ['auth.login-failed', { failures: 3, reason: 'wrong password' }],
          ['auth.login-failed', { failures: 4, reason: 'wrong password' }],
          ['auth.locked', { failures: 5, reason: 'wrong password' }],
        ],
      );
      assert.equal((await listUsers(ctx, security)).find((u) => u.id === user.id)?.locked, true);

      const lockedAt = now;
      await assert.rejects(login(ctx, credentials('locky')), gazette('AUTH_LOCKED', { minutes: 15 }));
      now = new Date(lockedAt.getTime() + 14 * MINUTE + 59_000);
      await assert.rejects(login(ctx, credentials('locky')), gazette('AUTH_LOCKED', { minutes: 1 }));
      now = new Date(lockedAt.getTime() + 15 * MINUTE);
      assert.equal((await listUsers(ctx, security)).find((u) => u.id === user.id)?.locked, false);
      const signed = await login(ctx, credentials('locky'));
      assert.equal(signed.session.user.locked, false);
      const after = await userRow('locky');
      assert.equal(after.failedLogins, 0);
      assert.equal(after.lockedUntil, null);
    });

    test('a success resets the failure count: 4 failures, success, 4 failures is not locked', async () => {
      await makeUser(ctx, 'resetter', [{ role: 'editor' }]);
      await failTimes('resetter', 4);
      await login(ctx, credentials('resetter'));
      assert.equal((await userRow('resetter')).failedLogins, 0);
      await failTimes('resetter', 4);
      assert.equal((await userRow('resetter')).failedLogins, 4);
      assert.equal((await userRow('resetter')).lockedUntil, null);
      await login(ctx, credentials('resetter'));
      // …and it is the fifth in a row that locks.
      await failTimes('resetter', 4);
      await assert.rejects(
        login(ctx, credentials('resetter', 'Wrong-Password-1')),
        gazette('AUTH_LOCKED', { minutes: 15 }),
      );
    });

    test("the security administrator's unlock works at once; others may not unlock", async () => {
      const user = await makeUser(ctx, 'unlockme', [{ role: 'editor' }]);
      await failTimes('unlockme', 4);
      await assert.rejects(login(ctx, credentials('unlockme', 'Wrong-Password-1')), gazette('AUTH_LOCKED'));
      await assert.rejects(login(ctx, credentials('unlockme')), gazette('AUTH_LOCKED'));
      await assert.rejects(
        updateUser(ctx, actorOf(accounts.admin), user.id, { unlock: true }),
        gazette('PERMISSION_DENIED', { action: 'user.manage' }),
      );
      await assert.rejects(
        updateUser(ctx, actorOf(accounts.editor), user.id, { unlock: true }),
        gazette('PERMISSION_DENIED', { action: 'user.manage' }),
      );

      const before = await headSeq();
      const view = await updateUser(ctx, actorOf(accounts.security), user.id, { unlock: true });
      assert.equal(view.locked, false);
      assert.deepEqual(await auditSummary(before), [
        { action: 'user.update', userName: 'secadmin', targetId: String(user.id), details: { unlock: true } },
      ]);
      const signed = await login(ctx, credentials('unlockme'));
      assert.equal(signed.session.user.username, 'unlockme');
    });

    test('a disabled user cannot sign in (AUTH_INVALID) and loses open sessions', async () => {
      const user = await makeUser(ctx, 'disabledone', [{ role: 'editor' }]);
      const open = await session('disabledone');
      await updateUser(ctx, actorOf(accounts.security), user.id, { disabled: true });
      assert.equal(await resolveSession(ctx, open.token, IP), null);
      const before = await headSeq();
      await assert.rejects(login(ctx, credentials('disabledone')), gazette('AUTH_INVALID'));
      assert.deepEqual(await auditSummary(before), [
        {
          action: 'auth.login-failed',
          userName: 'disabledone',
          targetId: String(user.id),
          details: { reason: 'disabled' },
        },
      ]);
      await updateUser(ctx, actorOf(accounts.security), user.id, { disabled: false });
      assert.equal((await login(ctx, credentials('disabledone'))).session.user.disabled, false);
    });

    test('an idle session ends after 30 minutes; one used every 20 minutes stays alive', async () => {
      await makeUser(ctx, 'idler', [{ role: 'editor' }]);
      const idle = await session('idler');
      const busy = await session('idler');
      const edge = await session('idler');
      const start = now;
      now = new Date(start.getTime() + 30 * MINUTE);
      assert.ok(await resolveSession(ctx, edge.token, IP), 'exactly 30 minutes idle is still alive');
      now = new Date(start.getTime() + 31 * MINUTE);
      assert.equal(await resolveSession(ctx, idle.token, IP), null);
      const left = await store.db
        .selectFrom('session')
        .select('id')
        .where('userId', '=', (await userRow('idler')).id)
        .execute();
      assert.equal(left.length, 2, 'the idle session is deleted, the others remain');

      // The busy one: a fresh start, then used every 20 minutes for four hours.
      const busy2 = await session('idler');
      for (let i = 1; i <= 12; i++) {
        advance(20 * MINUTE);
        const active = await resolveSession(ctx, busy2.token, IP);
        assert.ok(active, `alive after ${i * 20} minutes of steady use`);
      }
      // busy (opened at start, never used since) is long idle.
      assert.equal(await resolveSession(ctx, busy.token, IP), null);
      advance(30 * MINUTE + 1);
      assert.equal(await resolveSession(ctx, busy2.token, IP), null);
    });

    test('a session ends 12 hours after sign-in however busy it is', async () => {
      await makeUser(ctx, 'longday', [{ role: 'editor' }]);
      const open = await session('longday');
      const start = now;
      for (let i = 1; i <= 35; i++) {
        now = new Date(start.getTime() + i * 20 * MINUTE);
        assert.ok(await resolveSession(ctx, open.token, IP), `alive at ${i * 20} minutes`);
      }
      now = new Date(start.getTime() + AUTH_POLICY.absoluteHours * 60 * MINUTE - 1);
      assert.ok(await resolveSession(ctx, open.token, IP), 'alive a millisecond before 12 hours');
      now = new Date(start.getTime() + AUTH_POLICY.absoluteHours * 60 * MINUTE);
      assert.equal(await resolveSession(ctx, open.token, IP), null);
    });

    test('logout ends the session and is audited', async () => {
      const user = await makeUser(ctx, 'leaver', [{ role: 'reviewer' }]);
      const open = await session('leaver');
      const other = await session('leaver');
      const before = await headSeq();
      await logout(ctx, open.active);
      assert.equal(await resolveSession(ctx, open.token, IP), null);
      assert.ok(await resolveSession(ctx, other.token, IP), 'only that session ends');
      assert.deepEqual(await auditSummary(before), [
        { action: 'auth.logout', userName: 'leaver', targetId: String(user.id), details: {} },
      ]);
    });

    test('changePassword: checks the current password and the rules, then ends the other sessions', async () => {
      const user = await makeUser(ctx, 'changer', [{ role: 'editor' }], { mustChangePassword: true });
      const mine = await session('changer');
      const other = await session('changer');
      assert.equal(mine.active.mustChangePassword, true);
      const next = 'Fresh-Secret-2026';

      await assert.rejects(
        changePassword(ctx, mine.active, 'Wrong-Current-1', next),
        gazette('PASSWORD_CURRENT_WRONG'),
      );
      await assert.rejects(
        changePassword(ctx, mine.active, 'Wrong-Current-1', 'weak'),
        gazette('PASSWORD_CURRENT_WRONG'),
      );
      await assert.rejects(
        changePassword(ctx, mine.active, TEST_PASSWORD, 'Ab1-xyz'),
        gazette('PASSWORD_WEAK', weak(PASSWORD_PROBLEM_TEXT['too-short'].zh)),
      );
      await assert.rejects(
        changePassword(ctx, mine.active, TEST_PASSWORD, 'onlylowercaseletters'),
        gazette('PASSWORD_WEAK', weak(PASSWORD_PROBLEM_TEXT['too-simple'].zh)),
      );
      await assert.rejects(
        changePassword(ctx, mine.active, TEST_PASSWORD, 'My-CHANGER-2026'),
        gazette('PASSWORD_WEAK', weak(PASSWORD_PROBLEM_TEXT['contains-username'].zh)),
      );
      // ASVS 2.1.7: three classes and ten characters, yet among the first guesses of a cracker.
      for (const common of ['Password123!', 'P@ssw0rd2024', 'Woaini1314!', 'Admin@123456', 'Zhengfu@2024'])
        await assert.rejects(
          changePassword(ctx, mine.active, TEST_PASSWORD, common),
          gazette('PASSWORD_WEAK', weak(PASSWORD_PROBLEM_TEXT['too-guessable'].zh)),
          common,
        );
      await assert.rejects(
        changePassword(ctx, mine.active, TEST_PASSWORD, TEST_PASSWORD),
        gazette('PASSWORD_WEAK', weak('不能与当前密码相同')),
      );
      assert.equal((await userRow('changer')).mustChangePassword, 1);

      const before = await headSeq();
      advance(MINUTE);
      await changePassword(ctx, mine.active, TEST_PASSWORD, next);
      const row = await userRow('changer');
      assert.equal(row.mustChangePassword, 0);
      assert.equal(row.passwordChangedAt, now.toISOString());
      const still = await resolveSession(ctx, mine.token, IP);
      assert.ok(still, 'the current session stays');
      assert.equal(still.mustChangePassword, false);
      assert.equal(await resolveSession(ctx, other.token, IP), null, 'the other session ends');
      assert.deepEqual(await auditSummary(before), [
        { action: 'auth.password-changed', userName: 'changer', targetId: String(user.id), details: {} },
      ]);

      await assert.rejects(login(ctx, credentials('changer')), gazette('AUTH_INVALID'));
      assert.equal((await login(ctx, credentials('changer', next))).session.user.mustChangePassword, false);
    });

    test('TOTP: enrolment, then sign-in needs the right one-time code', async () => {
      const user = await makeUser(ctx, 'twofactor', [{ role: 'publisher' }]);
      const open = await session('twofactor');
      await assert.rejects(confirmTotp(ctx, open.active, '123456'), gazette('TOTP_NOT_STARTED'));
      const enrolment = await beginTotp(ctx, open.active, '示范区 Gazette');
      assert.match(enrolment.secret, /^[A-Z2-7]{32}$/);
      assert.equal(base32Decode(enrolment.secret).length, 20);
      assert.equal(
        enrolment.otpauthUrl,
        `otpauth://totp/${encodeURIComponent('示范区 Gazette:twofactor')}?secret=${enrolment.secret}&issuer=${encodeURIComponent('示范区 Gazette')}&algorithm=SHA1&digits=6&period=30`,
      );
      const secret = base32Decode(enrolment.secret);
      const codeNow = () => totpCode(secret, now);
      const wrongCode = () => {
        const near = new Set([-1, 0, 1].map((s) => totpCode(secret, new Date(now.getTime() + s * 30_000))));
        const wrong = ['000000', '111111', '222222', '333333'].find((c) => !near.has(c));
        assert.ok(wrong);
        return wrong;
      };
      // Not yet confirmed: not yet required.
      await login(ctx, credentials('twofactor'));

      await assert.rejects(confirmTotp(ctx, open.active, wrongCode()), gazette('TOTP_CONFIRM_WRONG'));
      assert.equal((await userRow('twofactor')).totpEnabled, 0);
      const before = await headSeq();
      await confirmTotp(ctx, open.active, codeNow());
      assert.equal((await userRow('twofactor')).totpEnabled, 1);
      assert.deepEqual(await auditSummary(before), [
        { action: 'auth.totp-enabled', userName: 'twofactor', targetId: String(user.id), details: {} },
      ]);

      advance(5 * MINUTE);
      await assert.rejects(login(ctx, credentials('twofactor')), gazette('AUTH_TOTP_REQUIRED'));
      await assert.rejects(login(ctx, credentials('twofactor', 'Wrong-Password-1')), gazette('AUTH_INVALID'));
      const failedAt = await headSeq();
      await assert.rejects(
        login(ctx, credentials('twofactor', TEST_PASSWORD, wrongCode())),
        gazette('AUTH_TOTP_INVALID'),
      );
      assert.deepEqual(await auditSummary(failedAt), [
        {
          action: 'auth.login-failed',
          userName: 'twofactor',
          targetId: String(user.id),
          details: { failures: 2, reason: 'wrong one-time code' },
        },
      ]);
      // A phone a step behind is still accepted.
      const lagging = totpCode(secret, new Date(now.getTime() - 30_000));
      assert.equal(
        (await login(ctx, credentials('twofactor', TEST_PASSWORD, lagging))).session.user.username,
        'twofactor',
      );
      const signed = await login(ctx, credentials('twofactor', TEST_PASSWORD, codeNow()));
      assert.equal(signed.session.user.totpEnabled, true);
      // A code is good once (RFC 6238 §5.2): the same one again, or an older one, is refused.
      const beforeReplay = await headSeq();
      await assert.rejects(
        login(ctx, credentials('twofactor', TEST_PASSWORD, codeNow())),
        gazette('AUTH_TOTP_INVALID'),
      );
      await assert.rejects(login(ctx, credentials('twofactor', TEST_PASSWORD, lagging)), gazette('AUTH_TOTP_INVALID'));
      // ASVS 2.8.5: each replay is audited and counts towards the lock like any wrong code.
      const replayed = { action: 'auth.login-failed', userName: 'twofactor', targetId: String(user.id) };
      assert.deepEqual(await auditSummary(beforeReplay), [
        { ...replayed, details: { failures: 1, reason: 'wrong one-time code' } },
        { ...replayed, details: { failures: 2, reason: 'wrong one-time code' } },
      ]);
      assert.equal((await userRow('twofactor')).failedLogins, 2);
      advance(30_000);
      assert.equal(
        (await login(ctx, credentials('twofactor', TEST_PASSWORD, codeNow()))).session.user.username,
        'twofactor',
      );
    });

    test('2.8.2 / 2.4.5 in the store: the seed is kept sealed, and an account from before the key is renewed at its next sign-in', async () => {
      const user = await makeUser(ctx, 'sealer', [{ role: 'editor' }]);
      const open = await session('sealer');
      const enrolment = await beginTotp(ctx, open.active, 'Gazette');
      const pending = (await userRow('sealer')).totpPendingSecret ?? '';
      assert.deepEqual([pending.startsWith('v1.'), pending.includes(enrolment.secret)], [true, false]);
      await confirmTotp(ctx, open.active, totpCode(base32Decode(enrolment.secret), now));
      const kept = await userRow('sealer');
      assert.deepEqual(
        [kept.totpSecret?.startsWith('v1.'), kept.totpSecret?.includes(enrolment.secret), kept.totpPendingSecret],
        [true, false, null],
      );
      assert.equal(openSecret(TEST_KEYS, kept.totpSecret ?? ''), enrolment.secret);

      // As an older Gazette left it: plain scrypt, the seed in base32.
      const salt = Buffer.alloc(16, 2);
      const old = scryptSync(TEST_PASSWORD, salt, 32, { N: 32768, r: 8, p: 1, maxmem: 128 * 1024 * 1024 });
      const seed = base32Encode(Buffer.alloc(20, 5));
      await store.db
        .updateTable('userAccount')
        .set({
          passwordHash: ['scrypt', 32768, 8, 1, salt.toString('base64'), old.toString('base64')].join('$'),
          totpSecret: seed,
          totpLastStep: null,
        })
        .where('id', '=', user.id)
        .execute();
      advance(60_000);
      await login(ctx, credentials('sealer', TEST_PASSWORD, totpCode(base32Decode(seed), now)));
      const renewed = await userRow('sealer');
      assert.deepEqual(
        [
          renewed.passwordHash.split('$')[0],
          renewed.totpSecret?.startsWith('v1.'),
          openSecret(TEST_KEYS, renewed.totpSecret ?? ''),
        ],
        ['scrypt-hmac', true, seed],
      );
      assert.equal(await verifyPassword(TEST_KEYS, TEST_PASSWORD, renewed.passwordHash), true);
    });

    test('regression: beginTotp on an account whose second factor was on silently turned it off', async () => {
      // Anyone holding a session (a stolen cookie will do) can call POST /api/v1/session/totp and
      // never confirm: the account then signs in with the password alone, and no audit entry says so.
      await makeUser(ctx, 'twofactor2', [{ role: 'publisher' }]);
      const open = await session('twofactor2');
      const first = await beginTotp(ctx, open.active, 'Gazette');
      await confirmTotp(ctx, open.active, totpCode(base32Decode(first.secret), now));
      const before = await headSeq();
      await beginTotp(ctx, open.active, 'Gazette');
      await assert.rejects(login(ctx, credentials('twofactor2')), gazette('AUTH_TOTP_REQUIRED'));
      assert.equal((await userRow('twofactor2')).totpEnabled, 1);
      assert.ok((await headSeq()) > before, 'a change to the second factor is audited');
    });

    test('2.2.3 / 2.5.5: at sign-in the owner is told what changed in how the account signs in since the last time, and by whom', async () => {
      const user = await makeUser(ctx, 'noticed', [{ role: 'editor' }]);
      const notices = async (password = TEST_PASSWORD, totp?: string) => {
        advance(MINUTE);
        return (await login(ctx, credentials('noticed', password, totp))).session.notices;
      };
      assert.deepEqual(await notices(), [], 'a first sign-in has nothing before it');
      assert.deepEqual(await notices(), [], 'nothing happened since');

      advance(MINUTE);
      const resetAt = now.toISOString();
      await updateUser({ ...ctx }, { ...actorOf(accounts.security), ip: '10.1.2.3' }, user.id, {
        password: 'Reset-By-Security-2025',
      });
      advance(MINUTE);
      const rolesAt = now.toISOString();
      await updateUser(ctx, actorOf(accounts.security), user.id, { roles: [{ role: 'reviewer', channelId: null }] });
      assert.deepEqual(await notices('Reset-By-Security-2025'), [
        { kind: 'password-reset', at: resetAt, by: 'secadmin', ip: '10.1.2.3' },
        { kind: 'roles-changed', at: rolesAt, by: 'secadmin', ip: null },
      ]);

      const open = await session('noticed', 'Reset-By-Security-2025');
      advance(MINUTE);
      const changedAt = now.toISOString();
      await changePassword(ctx, open.active, 'Reset-By-Security-2025', 'Lantern-Owner-2026');
      const enrolment = await beginTotp(ctx, open.active, 'Gazette');
      await confirmTotp(ctx, open.active, totpCode(base32Decode(enrolment.secret), now));
      // notices() signs in a minute on: the code is that minute's.
      const nextCode = totpCode(base32Decode(enrolment.secret), new Date(now.getTime() + MINUTE));
      assert.deepEqual(await notices('Lantern-Owner-2026', nextCode), [
        { kind: 'password-changed', at: changedAt, by: 'noticed', ip: IP },
        { kind: 'second-factor-on', at: changedAt, by: 'noticed', ip: IP },
      ]);
    });

    test('a lost phone: the security administrator resets the second factor and the password alone signs in', async () => {
      const user = await makeUser(ctx, 'lostphone', [{ role: 'editor' }]);
      const open = await session('lostphone');
      const enrol = await beginTotp(ctx, open.active, 'Gazette');
      await confirmTotp(ctx, open.active, totpCode(base32Decode(enrol.secret), now));
      await assert.rejects(login(ctx, credentials('lostphone')), gazette('AUTH_TOTP_REQUIRED'));
      await assert.rejects(
        updateUser(ctx, actorOf(accounts.admin), user.id, { resetSecondFactor: true }),
        gazette('PERMISSION_DENIED'),
      );
      const reset = await updateUser(ctx, actorOf(accounts.security), user.id, { resetSecondFactor: true });
      assert.equal(reset.totpEnabled, false);
      assert.equal(await resolveSession(ctx, open.token, null), null, 'the old sessions end');
      assert.equal((await login(ctx, credentials('lostphone'))).session.user.totpEnabled, false);
    });

    test('createUser: 三员分立, user names, duplicates and unknown roles are refused', async () => {
      const security = actorOf(accounts.security);
      const make = (username: string, roles: RoleGrant[], password = TEST_PASSWORD) =>
        createUser(ctx, security, { username, displayName: username, password, roles });
      const before = await headSeq();
      const combos: [Role, Role][] = [
        ['security', 'editor'],
        ['security', 'admin'],
        ['auditor', 'admin'],
        ['auditor', 'reviewer'],
        ['security', 'auditor'],
      ];
      for (const [a, b] of combos) {
        await assert.rejects(
          make('combo', [
            { role: a, channelId: null },
            { role: b, channelId: null },
          ]),
          gazette('FIELD_INVALID', `字段 roles 无效：${a} 不能与其他角色兼任（三员分立）`),
          `${a} + ${b}`,
        );
      }
      await assert.rejects(
        make('scopedadmin', [{ role: 'admin', channelId: 1 }]),
        gazette('FIELD_INVALID', '字段 roles 无效：管理员角色只能授予整个站点'),
      );
      await assert.rejects(
        make('scopedsec', [{ role: 'security', channelId: 1 }]),
        gazette('FIELD_INVALID', '字段 roles 无效：管理员角色只能授予整个站点'),
      );

      for (const bad of ['', 'a', 'Bob', '1abc', '_abc', 'has space', 'ab/c', '张三', 'a'.repeat(33), 'x@y.cn']) {
        await assert.rejects(
          make(bad, [{ role: 'editor', channelId: null }]),
          gazette('FIELD_INVALID', '字段 username 无效：2–32 个小写字母、数字或 ._-，以字母开头'),
          JSON.stringify(bad),
        );
      }
      await assert.rejects(
        make('editor', [{ role: 'editor', channelId: null }]),
        gazette('USER_EXISTS', { username: 'editor' }),
      );
      const bogus: string = 'superuser';
      await assert.rejects(
        make('bogusrole', [{ role: bogus as Role, channelId: null }]),
        gazette('ROLE_INVALID', {
          role: 'superuser',
          roles: 'editor, reviewer, publisher, admin, security, auditor, platform, office, handler',
        }),
      );
      await assert.rejects(make('weakling', [], 'password'), gazette('PASSWORD_WEAK'));
      assert.equal(await headSeq(), before, 'refused requests change nothing and log nothing');
      assert.equal(
        await store.db
          .selectFrom('userAccount')
          .select('id')
          .where('username', 'in', ['combo', 'bogusrole', 'weakling'])
          .executeTakeFirst(),
        undefined,
      );

      // The longest and shortest good names, with scoped and several roles.
      const long = `a${'b'.repeat(31)}`;
      const made = await make(long, [
        { role: 'editor', channelId: 2 },
        { role: 'reviewer', channelId: 3 },
      ]);
      assert.deepEqual(
        {
          username: made.username,
          roles: made.roles,
          mustChangePassword: made.mustChangePassword,
          locked: made.locked,
          disabled: made.disabled,
          totpEnabled: made.totpEnabled,
        },
        {
          username: long,
          roles: [
            { role: 'editor', channelId: 2 },
            { role: 'reviewer', channelId: 3 },
          ],
          mustChangePassword: true,
          locked: false,
          disabled: false,
          totpEnabled: false,
        },
      );
      await make('ab', [{ role: 'auditor', channelId: null }]);
      assert.deepEqual(await auditSummary(before), [
        {
          action: 'user.create',
          userName: 'secadmin',
          targetId: String(made.id),
          details: {
            username: long,
            roles: [
              { channelId: 2, role: 'editor' },
              { channelId: 3, role: 'reviewer' },
            ],
          },
        },
        {
          action: 'user.create',
          userName: 'secadmin',
          targetId: String((await userRow('ab')).id),
          details: { username: 'ab', roles: [{ channelId: null, role: 'auditor' }] },
        },
      ]);
    });

    test('only the security administrator (or the console) manages accounts', async () => {
      const input = {
        username: 'notmade',
        displayName: 'x',
        password: TEST_PASSWORD,
        roles: [{ role: 'editor' as const, channelId: null }],
      };
      for (const role of ['editor', 'reviewer', 'publisher', 'admin', 'auditor'] as const) {
        const actor = actorOf(accounts[role]);
        await assert.rejects(listUsers(ctx, actor), gazette('PERMISSION_DENIED', { action: 'user.manage' }), role);
        await assert.rejects(
          createUser(ctx, actor, input),
          gazette('PERMISSION_DENIED', { action: 'user.manage' }),
          role,
        );
        await assert.rejects(
          updateUser(ctx, actor, accounts.editor.id, { disabled: true }),
          gazette('PERMISSION_DENIED', { action: 'user.manage' }),
          role,
        );
      }
      const listed = await listUsers(ctx, actorOf(accounts.security));
      assert.deepEqual(
        listed.slice(0, 10).map((u) => [u.username, u.roles.map((g) => g.role)]),
        [
          ['editor', ['editor']],
          ['reviewer', ['reviewer']],
          ['publisher', ['publisher']],
          ['siteadmin', ['admin']],
          ['secadmin', ['security']],
          ['auditor', ['auditor']],
          ['platformadmin', ['platform']],
          ['office', ['office']],
          ['handler', ['handler']],
          ['reviewer2', ['reviewer']],
        ],
      );
      assert.equal(
        listed.some((u) => u.username === 'notmade'),
        false,
      );
      // The security administrator may not disable themself or change their own roles.
      await assert.rejects(
        updateUser(ctx, actorOf(accounts.security), accounts.security.id, { disabled: true }),
        gazette('FIELD_INVALID', '字段 roles 无效：不能停用自己或修改自己的角色'),
      );
    });

    test('the audit chain the sign-ins wrote is intact', async () => {
      const report = await verifyAuditChain(store.db);
      assert.equal(report.ok, true);
      assert.equal(report.entries, await headSeq());
    });
  });
}
