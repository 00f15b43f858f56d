import { randomBytes, scrypt, timingSafeEqual, type BinaryLike, type ScryptOptions } from 'node:crypto';
import { pepperPassword, type ServerKeys } from './server-key.js';

// N=2^15, r=8, p=1: about 50 ms and 32 MiB per hash on this class of machine — slow for a
// guesser, tolerable for a sign-in. Parameters travel with each hash, so they can be raised later.
const PARAMS = { N: 32768, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;
/** scrypt over HMAC(pepper, password); `scrypt` hashes (no pepper) are older ones, upgraded at sign-in. */
const PEPPERED = 'scrypt-hmac';
const PLAIN = 'scrypt';

function derive(input: BinaryLike, salt: Buffer, params: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(input, salt, KEY_LENGTH, { ...params, maxmem: 128 * 1024 * 1024 }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/** `scrypt-hmac$N$r$p$salt$key`, base64. */
export async function hashPassword(keys: ServerKeys, password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(pepperPassword(keys, password), salt, PARAMS);
  return [PEPPERED, PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(keys: ServerKeys, password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if ((scheme !== PEPPERED && scheme !== PLAIN) || !n || !r || !p || !salt || !key) return false;
  const input = scheme === PEPPERED ? pepperPassword(keys, password) : password.normalize('NFKC');
  const expected = Buffer.from(key, 'base64');
  const actual = await derive(input, Buffer.from(salt, 'base64'), { N: Number(n), r: Number(r), p: Number(p) });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** True for a hash made before the pepper: the next successful sign-in replaces it. */
export function needsRehash(stored: string): boolean {
  return !stored.startsWith(`${PEPPERED}$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$`);
}

/** A hash no password matches, checked for unknown user names so that timing does not tell them apart. */
export const UNUSABLE_HASH = `${PEPPERED}$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${Buffer.alloc(16).toString('base64')}$${Buffer.alloc(KEY_LENGTH).toString('base64')}`;
