import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { audit, rateLimits, type AuditRow, type Database, type Dialect } from '../store/index.js';
import type { Actor } from './actor.js';
import type { ServiceContext } from './context.js';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditRecord {
  readonly action: string;
  readonly targetType: string;
  readonly targetId?: string | number | null;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** JSON with keys in sorted order, so that the same entry always hashes the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** The hash of an entry covers every field and the previous entry's hash: the chain. */
export function entryHash(entry: Omit<AuditRow, 'hash'>): string {
  const { prevHash, ...fields } = entry;
  return createHash('sha256').update(prevHash).update('\n').update(canonical(fields)).digest('hex');
}

// One lock id for the chain's head: on PostgreSQL two writers must not both extend from one entry.
const CHAIN_LOCK = 0x6761_7a65;

/** Appends one entry to the audit chain, inside the caller's transaction. */
export async function appendAudit(
  trx: Kysely<Database>,
  dialect: Dialect,
  now: Date,
  actor: Pick<Actor, 'userId' | 'userName' | 'ip'>,
  record: AuditRecord,
): Promise<AuditRow> {
  if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(${CHAIN_LOCK})`.execute(trx);
  const last = await audit.lastAuditEntry(trx);
  const base = {
    seq: (last?.seq ?? 0) + 1,
    at: now.toISOString(),
    userId: actor.userId,
    userName: actor.userName,
    action: record.action,
    targetType: record.targetType,
    targetId: record.targetId === undefined || record.targetId === null ? null : String(record.targetId),
    details: canonical(record.details ?? {}),
    ip: actor.ip,
    prevHash: last?.hash ?? GENESIS_HASH,
  };
  const entry = { ...base, hash: entryHash(base) };
  await audit.insertAuditEntry(trx, entry);
  return entry;
}

/** Appends an entry in a transaction of its own (sign-in attempts, which change nothing else). */
export function recordAudit(
  ctx: ServiceContext,
  actor: Pick<Actor, 'userId' | 'userName' | 'ip'>,
  record: AuditRecord,
): Promise<AuditRow> {
  return ctx.store.db
    .transaction()
    .execute((trx) => appendAudit(trx, ctx.store.dialect, ctx.clock.now(), actor, record));
}

/** The grain at which a repeated read or refusal is recorded again (recordAuditOncePerMinute). */
const AUDIT_REPEAT_MS = 60_000;

/**
 * Appends an entry unless the same one (same user, action, target and details) was recorded in the
 * current minute. For what a client may repeat at will, reads and refusals, which no rate limit
 * bounds: a flood adds one entry a minute, not one per request, and the auditor still sees who,
 * what and when, to the minute. The count is the store's (rate_limit, as for the rate limits, so
 * every instance shares it) and is taken in the entry's own transaction: an append that fails
 * leaves no count behind to hide the next attempt. True when the entry was written.
 */
export function recordAuditOncePerMinute(
  ctx: ServiceContext,
  actor: Pick<Actor, 'userId' | 'userName' | 'ip'>,
  record: AuditRecord,
): Promise<boolean> {
  const same = canonical([
    actor.userId,
    actor.userName,
    record.action,
    record.targetType,
    record.targetId,
    record.details,
  ]);
  const key = `audit|${createHash('sha256').update(same).digest('hex')}`;
  const now = ctx.clock.now();
  return ctx.store.db.transaction().execute(async (trx) => {
    const { hits } = await rateLimits.hit(trx, key, now.getTime(), AUDIT_REPEAT_MS);
    if (hits > 1) return false;
    await appendAudit(trx, ctx.store.dialect, now, actor, record);
    return true;
  });
}

export interface ChainReport {
  readonly ok: boolean;
  readonly entries: number;
  /** The first entry that does not follow from the one before it (edited, inserted or after a gap). */
  readonly firstBadSeq: number | null;
  readonly reason: string | null;
  /** The last entry's seq and hash: keep them elsewhere to detect a cut-off tail later. */
  readonly head: { readonly seq: number; readonly hash: string } | null;
}

/** Walks the whole chain and checks every link. */
export async function verifyAuditChain(db: Kysely<Database>): Promise<ChainReport> {
  let prev: { seq: number; hash: string } = { seq: 0, hash: GENESIS_HASH };
  let entries = 0;
  const bad = (row: AuditRow, reason: string): ChainReport => ({
    ok: false,
    entries,
    firstBadSeq: row.seq,
    reason,
    head: prev.seq ? prev : null,
  });
  for (;;) {
    const batch = await audit.auditBatch(db, prev.seq, 1000);
    if (batch.length === 0) break;
    for (const row of batch) {
      if (row.seq !== prev.seq + 1) return bad(row, `entry ${prev.seq + 1} is missing`);
      if (row.prevHash !== prev.hash) return bad(row, 'does not link to the entry before it');
      const { hash, ...rest } = row;
      if (entryHash(rest) !== hash) return bad(row, 'its content does not match its hash');
      entries += 1;
      prev = { seq: row.seq, hash: row.hash };
    }
  }
  return { ok: true, entries, firstBadSeq: null, reason: null, head: prev.seq ? prev : null };
}
