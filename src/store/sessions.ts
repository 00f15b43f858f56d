import type { Kysely, Selectable } from 'kysely';
import type { Database, SessionTable } from './schema.js';

export type SessionRow = Selectable<SessionTable>;

export async function insertSession(db: Kysely<Database>, session: SessionRow): Promise<void> {
  await db.insertInto('session').values(session).execute();
}

export async function findSession(db: Kysely<Database>, id: string): Promise<SessionRow | undefined> {
  return db.selectFrom('session').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function touchSession(db: Kysely<Database>, id: string, at: Date): Promise<void> {
  await db.updateTable('session').set({ lastSeenAt: at.toISOString() }).where('id', '=', id).execute();
}

export async function deleteSession(db: Kysely<Database>, id: string): Promise<void> {
  await db.deleteFrom('session').where('id', '=', id).execute();
}

/** Ends every session of a user (password change, disabling, lockout by an administrator). */
export async function deleteSessionsOf(db: Kysely<Database>, userId: number, except?: string): Promise<void> {
  let query = db.deleteFrom('session').where('userId', '=', userId);
  if (except) query = query.where('id', '!=', except);
  await query.execute();
}

export async function deleteExpiredSessions(db: Kysely<Database>, idleSince: Date, now: Date): Promise<void> {
  await db
    .deleteFrom('session')
    .where((eb) => eb.or([eb('lastSeenAt', '<', idleSince.toISOString()), eb('expiresAt', '<', now.toISOString())]))
    .execute();
}

/** Every session of a user, the newest first (the owner's session list). */
export async function sessionsOf(db: Kysely<Database>, userId: number): Promise<SessionRow[]> {
  return db.selectFrom('session').selectAll().where('userId', '=', userId).orderBy('createdAt', 'desc').execute();
}

/** The owner gave their password again in this session. */
export async function markVerified(db: Kysely<Database>, id: string, at: Date): Promise<void> {
  await db.updateTable('session').set({ verifiedAt: at.toISOString() }).where('id', '=', id).execute();
}
