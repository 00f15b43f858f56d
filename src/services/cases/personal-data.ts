import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { GazetteError } from '../../domain/index.js';

/**
 * Personal data in letters from the public (names, phone numbers, ID numbers, addresses) is kept
 * encrypted at rest under a key that lives only in the environment (GAZETTE_DATA_KEY), apart from
 * the store and from GAZETTE_SECRET_KEY: a stolen database or backup then holds no readable
 * personal data (个人信息保护法 art. 51, GB/T 35273 6.3). Rotation: the old key moves to
 * GAZETTE_DATA_KEY_PREVIOUS, everything still opens, a background job re-seals the rows
 * `sealedWithCurrent` says are old, and the previous key is dropped once none are left.
 *
 * As with the server key, the raw key is never used itself: HKDF-SHA256 derives one key per use
 * (sealing, blind indexes, the public id), so no two uses share one.
 */
export interface DataKey {
  /** Names the key without revealing it (8 hex characters); written into every sealed value. */
  readonly id: string;
  /** The variable the key came from, for error messages. */
  readonly name: string;
  /** AES-256-GCM key for sealing. Not enumerable: a logged or serialised key shows no bytes. */
  readonly sealing: Buffer;
  /** HMAC-SHA256 key for blind indexes. Not enumerable either. */
  readonly indexing: Buffer;
}

/** The keys a process holds: the one it seals with, and during a rotation the one being retired. */
export interface DataKeyring {
  readonly current: DataKey;
  readonly previous?: DataKey | undefined;
}

export const DATA_KEY_VARIABLE = 'GAZETTE_DATA_KEY';
export const PREVIOUS_DATA_KEY_VARIABLE = 'GAZETTE_DATA_KEY_PREVIOUS';

const KEY_BYTES = 32;
const KEY_HEX = KEY_BYTES * 2;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

const derive = (master: Buffer, use: string) =>
  Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), `gazette personal data ${use}`, KEY_BYTES));

const invalid = (name: string, zh: string, en: string) =>
  new GazetteError('DATA_KEY_INVALID', { name, reason: { zh, en } });

/**
 * A key from its 64 hex characters (either case). `name` is the variable it came from, named in
 * the error when the value is wrong. Whitespace is not trimmed: a key with a stray line break is
 * refused with that said, rather than silently accepted by one process and not by another.
 */
export function parseDataKey(hex: string, name: string): DataKey {
  if (hex === '') throw invalid(name, '值为空，应为 64 位十六进制字符', 'it is empty; it needs 64 hex characters');
  if (hex.trim() !== hex)
    throw invalid(name, '首尾含有空格或换行，请删去', 'it has spaces or a line break at its start or end; remove them');
  if (!/^[0-9a-fA-F]*$/.test(hex))
    throw invalid(
      name,
      '含有十六进制以外的字符（只能是 0–9、a–f）',
      'it has characters other than hex digits (0-9, a-f)',
    );
  if (hex.length !== KEY_HEX)
    throw invalid(
      name,
      `长度为 ${hex.length} 个字符，应恰为 ${KEY_HEX} 个（${KEY_BYTES} 字节）`,
      `it has ${hex.length} characters; it needs exactly ${KEY_HEX} (${KEY_BYTES} bytes)`,
    );
  const master = Buffer.from(hex, 'hex');
  const id = createHash('sha256').update(derive(master, 'key id')).digest('hex').slice(0, 8);
  const key = { id, name } as DataKey;
  Object.defineProperties(key, {
    sealing: { value: derive(master, 'sealing'), enumerable: false },
    indexing: { value: derive(master, 'blind index'), enumerable: false },
  });
  master.fill(0);
  return Object.freeze(key);
}

/** A new random key, 64 hex characters (what `gazette key new` prints). */
export function newDataKeyHex(): string {
  return randomBytes(KEY_BYTES).toString('hex');
}

/**
 * The keyring the environment describes, or null when GAZETTE_DATA_KEY is not set (an empty value
 * counts as not set, as for every other setting); the public forms are then off. Refuses a
 * malformed key, a previous key without a current one, and a previous key equal to the current
 * one (or sharing its id, which would make sealed values ambiguous).
 */
export function loadDataKeyring(env: Readonly<Record<string, string | undefined>>): DataKeyring | null {
  const currentHex = env[DATA_KEY_VARIABLE];
  const previousHex = env[PREVIOUS_DATA_KEY_VARIABLE];
  const hasPrevious = previousHex !== undefined && previousHex !== '';
  if (currentHex === undefined || currentHex === '') {
    if (hasPrevious)
      throw invalid(
        PREVIOUS_DATA_KEY_VARIABLE,
        `已设置，但 ${DATA_KEY_VARIABLE} 未设置；轮换时旧密钥放在此处，新密钥放在 ${DATA_KEY_VARIABLE}`,
        `it is set but ${DATA_KEY_VARIABLE} is not; in a rotation the old key goes here and the new one in ${DATA_KEY_VARIABLE}`,
      );
    return null;
  }
  const current = parseDataKey(currentHex, DATA_KEY_VARIABLE);
  if (!hasPrevious) return { current };
  const previous = parseDataKey(previousHex, PREVIOUS_DATA_KEY_VARIABLE);
  if (previous.id === current.id) {
    if (previousHex.toLowerCase() === currentHex.toLowerCase())
      throw invalid(
        PREVIOUS_DATA_KEY_VARIABLE,
        `与 ${DATA_KEY_VARIABLE} 相同；轮换时请用 gazette key new 生成新的 ${DATA_KEY_VARIABLE}`,
        `it equals ${DATA_KEY_VARIABLE}; to rotate, put a new key from \`gazette key new\` in ${DATA_KEY_VARIABLE}`,
      );
    throw invalid(
      PREVIOUS_DATA_KEY_VARIABLE,
      `与 ${DATA_KEY_VARIABLE} 的标识 ${current.id} 相同；请重新生成 ${DATA_KEY_VARIABLE}`,
      `it has the same id ${current.id} as ${DATA_KEY_VARIABLE}; generate another ${DATA_KEY_VARIABLE}`,
    );
  }
  return { current, previous };
}

/** The keyring for an operation on personal data; without one the public forms are off (503). */
export function requireDataKeyring(keyring: DataKeyring | null | undefined): DataKeyring {
  if (!keyring) throw new GazetteError('DATA_KEY_MISSING');
  return keyring;
}

const VERSION = 'p1';
const SEALED = /^p1\.([0-9a-f]{8})\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{22,})$/;

/**
 * The authenticated data: the format version and key id (so neither can be swapped), and the
 * caller's context when given, e.g. `case:42:phone`: a value then opens only where it was sealed,
 * and a phone number copied into another case's or another field's column is refused.
 */
const aad = (keyId: string, context: string | undefined) =>
  Buffer.from(context === undefined ? `${VERSION}.${keyId}` : `${VERSION}.${keyId}\n${context}`, 'utf8');

/**
 * `p1.<key id>.<base64url nonce>.<base64url ciphertext ‖ tag>`, sealed with the current key
 * (AES-256-GCM, random 12-byte nonce). `context`, when given, must be given again to open it.
 */
export function sealPersonal(keyring: DataKeyring, value: string, context?: string): string {
  const key = keyring.current;
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key.sealing, nonce);
  cipher.setAAD(aad(key.id, context));
  const body = Buffer.concat([cipher.update(value, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return `${VERSION}.${key.id}.${nonce.toString('base64url')}.${body.toString('base64url')}`;
}

const damaged = (key: DataKey) =>
  invalid(
    key.name,
    '一条加密的个人信息无法解开：数据已被篡改或损坏，或不属于此字段',
    'a sealed personal-data value does not open with it: the value was altered or damaged, or belongs to another field',
  );

/**
 * The value a sealed string holds, opened with whichever key (current or previous) its id names.
 *
 * - no configured key has that id → DATA_KEY_UNKNOWN {keyId}: the operator has dropped a key
 *   too early, or runs with the wrong one;
 * - the key matches but the tag does not verify, or the string is not in the sealed format →
 *   DATA_KEY_INVALID naming that key's variable, with a reason saying the value was altered,
 *   damaged or belongs to another field (another `context`). Since the id is derived from the key,
 *   a matching id means the right key, so a failing tag is the value's fault, not the key's; it is
 *   still a server-side fault (500), never shown as the citizen's.
 */
export function openPersonal(keyring: DataKeyring, sealed: string, context?: string): string {
  const parts = SEALED.exec(sealed);
  if (!parts) throw damaged(keyring.current);
  const [, keyId = '', nonceText = '', bodyText = ''] = parts;
  const key = keyOf(keyring, keyId);
  const nonce = Buffer.from(nonceText, 'base64url');
  const body = Buffer.from(bodyText, 'base64url');
  if (nonce.length !== NONCE_BYTES || body.length < TAG_BYTES) throw damaged(key);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.sealing, nonce);
    decipher.setAAD(aad(key.id, context));
    decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
    return Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]).toString(
      'utf8',
    );
  } catch {
    throw damaged(key);
  }
}

function keyOf(keyring: DataKeyring, keyId: string): DataKey {
  if (keyring.current.id === keyId) return keyring.current;
  if (keyring.previous?.id === keyId) return keyring.previous;
  throw new GazetteError('DATA_KEY_UNKNOWN', { keyId });
}

/** Whether a sealed value is under the current key; the rotation job re-seals those that are not. */
export function sealedWithCurrent(keyring: DataKeyring, sealed: string): boolean {
  return sealed.startsWith(`${VERSION}.${keyring.current.id}.`);
}

/**
 * The value as blind indexes compare it: NFKC (full-width digits and letters become ASCII), trimmed,
 * inner whitespace collapsed to one space; then by kind:
 * - `phone`: digits only; a leading +86 / 0086 (or a bare 86 before an 11-digit mobile number) is
 *   dropped, and a landline written with +86 gets its trunk 0 back, so `+86 10 1234 5678` and
 *   `010-12345678` match;
 * - `idNumber`: no spaces, upper case (the check character X);
 * - `email`: lower case;
 * - anything else (names, addresses): as above.
 */
export function normaliseForIndex(kind: string, value: string): string {
  const text = value.normalize('NFKC').trim().replace(/\s+/g, ' ');
  switch (kind) {
    case 'phone':
      return normalisePhone(text);
    case 'idNumber':
      return text.replace(/ /g, '').toUpperCase();
    case 'email':
      return text.toLowerCase();
    default:
      return text;
  }
}

const MOBILE = /^1[3-9]\d{9}$/;

function normalisePhone(text: string): string {
  const kept = text.replace(/[^\d+]/g, '');
  const international = /^(\+|00)86/.exec(kept);
  const digits = (international ? kept.slice(international[0].length) : kept).replace(/\D/g, '');
  if (international) return MOBILE.test(digits) || digits.startsWith('0') || digits === '' ? digits : `0${digits}`;
  return /^861[3-9]\d{9}$/.test(digits) ? digits.slice(2) : digits;
}

const KIND = /^[a-z][A-Za-z0-9_-]*$/;

/**
 * A keyed hash of the normalised value (HMAC-SHA256 under the key's index subkey, base64url, 32
 * characters = 192 bits), for finding letters by phone number or ID number, and for rate limits per
 * phone, without decrypting anything. The kind is part of the hashed input, so the same digits as a
 * phone and as an ID number do not match. Without the key the index cannot be recomputed, so it
 * does not give the small space of phone numbers away to whoever holds the database.
 */
export function blindIndex(key: DataKey, kind: string, value: string): string {
  if (!KIND.test(kind)) throw new TypeError(`blind index kind ${JSON.stringify(kind)} must match ${String(KIND)}`);
  return createHmac('sha256', key.indexing)
    .update(`gazette blind index v1\0${kind}\0${normaliseForIndex(kind, value)}`, 'utf8')
    .digest('base64url')
    .slice(0, 32);
}

/**
 * The indexes to look a value up by: under the current key first and, during a rotation, under the
 * previous key (rows not yet re-sealed still carry that one), e.g. `WHERE phone_index IN (…)`.
 */
export function blindIndexes(keyring: DataKeyring, kind: string, value: string): readonly string[] {
  const current = blindIndex(keyring.current, kind, value);
  return keyring.previous ? [current, blindIndex(keyring.previous, kind, value)] : [current];
}
