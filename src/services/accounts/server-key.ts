import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import { GazetteError } from '../../domain/index.js';
import { sites, type Database } from '../../store/index.js';

/**
 * The installation's secret key, kept apart from the store (GAZETTE_SECRET_KEY, or the file
 * secret.key in the data folder): a stolen database or backup alone then neither cracks a
 * password offline (ASVS 2.4.5, the pepper) nor reads a second factor's seed (ASVS 2.8.2).
 * Each use gets its own key derived from it (HKDF), so no two uses share one.
 */
export interface ServerKeys {
  /** Mixed into every password before scrypt. */
  readonly pepper: Buffer;
  /** Encrypts one-time-code seeds at rest (AES-256-GCM). */
  readonly sealing: Buffer;
  /** Signs the public forms' proof-of-work and text challenges (HMAC). */
  readonly challenge: Buffer;
  /** Names the key without revealing it: kept in the store to catch a wrong or missing key at start. */
  readonly fingerprint: string;
}

const SECRET_KEY_BYTES = 32;

const derive = (master: Buffer, use: string) =>
  Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), `gazette ${use}`, SECRET_KEY_BYTES));

export function serverKeys(master: Buffer): ServerKeys {
  if (master.length < SECRET_KEY_BYTES) {
    throw new GazetteError('CONFIG_INVALID', {
      name: 'GAZETTE_SECRET_KEY',
      reason: `the key has ${master.length} bytes; it needs at least ${SECRET_KEY_BYTES}`,
    });
  }
  return {
    pepper: derive(master, 'password pepper'),
    sealing: derive(master, 'totp sealing'),
    challenge: derive(master, 'form challenge'),
    fingerprint: derive(master, 'key fingerprint').subarray(0, 16).toString('hex'),
  };
}

/** The context's keys, for an operation on passwords or seeds: a context without them is a wiring mistake. */
export function keysOf(ctx: { readonly keys?: ServerKeys | undefined }): ServerKeys {
  if (!ctx.keys)
    throw new GazetteError('CONFIG_INVALID', {
      name: 'GAZETTE_SECRET_KEY',
      reason: 'no secret key reached this operation',
    });
  return ctx.keys;
}

/** A new random master key, base64 (what `secret.key` holds). */
export function newSecretKey(): string {
  return randomBytes(SECRET_KEY_BYTES).toString('base64');
}

/** The password as scrypt sees it: HMAC-SHA256 under the pepper. */
export function pepperPassword(keys: ServerKeys, password: string): Buffer {
  return createHmac('sha256', keys.pepper).update(password.normalize('NFKC')).digest();
}

const SEALED = 'v1.';

/** `v1.` + base64url(nonce ‖ tag ‖ ciphertext). */
export function sealSecret(keys: ServerKeys, plain: string): string {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keys.sealing, nonce);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return SEALED + Buffer.concat([nonce, cipher.getAuthTag(), body]).toString('base64url');
}

/** Whether a stored seed is sealed; seeds stored before sealing existed are plain base32. */
export function isSealed(stored: string): boolean {
  return stored.startsWith(SEALED);
}

/** The seed a stored value holds; a plain (older) one is returned as it is, and sealed at the next sign-in. */
export function openSecret(keys: ServerKeys, stored: string): string {
  if (!isSealed(stored)) return stored;
  const raw = Buffer.from(stored.slice(SEALED.length), 'base64url');
  try {
    const decipher = createDecipheriv('aes-256-gcm', keys.sealing, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    // The fingerprint check at start makes this a damaged row, not a wrong key.
    throw new GazetteError('SECRET_KEY_MISMATCH', { what: 'one-time-code seed' });
  }
}

const FINGERPRINT_SETTING = 'secret_key_fingerprint';

/**
 * Refuses to run on a store whose passwords were made with another key: with the wrong key every
 * sign-in would fail as a wrong password, and every new hash would be made with a key the other
 * instances do not have. A store without passwords yet has no fingerprint and passes.
 */
export async function checkServerKey(db: Kysely<Database>, keys: ServerKeys): Promise<void> {
  const recorded = await sites.findSetting(db, FINGERPRINT_SETTING);
  if (recorded === undefined) {
    if (await db.selectFrom('userAccount').select('id').limit(1).executeTakeFirst()) await recordServerKey(db, keys);
    return;
  }
  const same =
    recorded.length === keys.fingerprint.length &&
    timingSafeEqual(Buffer.from(recorded), Buffer.from(keys.fingerprint));
  if (!same) throw new GazetteError('SECRET_KEY_MISMATCH', { what: 'store' });
}

/**
 * Records the key's fingerprint with the first account the store keeps (in that write's
 * transaction), or at the first start of a store that has accounts from before the key. Not
 * earlier: `restore` and `migrate-store` need an empty store to write into.
 */
export async function recordServerKey(db: Kysely<Database>, keys: ServerKeys): Promise<void> {
  if ((await sites.findSetting(db, FINGERPRINT_SETTING)) === undefined)
    await sites.putSetting(db, FINGERPRINT_SETTING, keys.fingerprint);
}
