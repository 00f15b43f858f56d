import type { Kysely, Selectable } from 'kysely';
import { isPlatformRole, isRole, type RoleGrant } from '../domain/index.js';
import type { Database, UserAccountTable } from './schema.js';

export type UserRow = Selectable<UserAccountTable>;

export async function findUser(db: Kysely<Database>, id: number): Promise<UserRow | undefined> {
  return db.selectFrom('userAccount').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findUserByName(db: Kysely<Database>, username: string): Promise<UserRow | undefined> {
  return db.selectFrom('userAccount').selectAll().where('username', '=', username).executeTakeFirst();
}

export async function listUsers(db: Kysely<Database>): Promise<UserRow[]> {
  return db.selectFrom('userAccount').selectAll().orderBy('id').execute();
}

export async function insertUser(
  db: Kysely<Database>,
  user: Pick<UserRow, 'username' | 'displayName' | 'passwordHash' | 'mustChangePassword'> & {
    readonly email?: string | null;
  },
  now: Date,
): Promise<UserRow> {
  const stamp = now.toISOString();
  return db
    .insertInto('userAccount')
    .values({
      ...user,
      totpEnabled: 0,
      disabled: 0,
      failedLogins: 0,
      passwordChangedAt: stamp,
      createdAt: stamp,
      updatedAt: stamp,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export type UserPatch = Partial<Omit<UserRow, 'id' | 'username' | 'createdAt' | 'updatedAt'>>;

export async function updateUser(
  db: Kysely<Database>,
  id: number,
  patch: UserPatch,
  now: Date,
): Promise<UserRow | undefined> {
  return db
    .updateTable('userAccount')
    .set({ ...patch, updatedAt: now.toISOString() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

/**
 * Role grants of each user that hold on a site (its own and the platform-level ones), by user
 * id. Without a site: every grant (a one-site platform, or a caller that stops short of any site
 * work when there are several).
 */
export async function grantsOf(
  db: Kysely<Database>,
  userIds: readonly number[],
  siteId?: number,
): Promise<Map<number, RoleGrant[]>> {
  const byUser = new Map<number, RoleGrant[]>(userIds.map((id) => [id, []]));
  if (userIds.length === 0) return byUser;
  let query = db.selectFrom('roleGrant').selectAll().where('userId', 'in', userIds);
  if (siteId !== undefined) query = query.where((eb) => eb.or([eb('siteId', '=', siteId), eb('siteId', 'is', null)]));
  const rows = await query.orderBy('id').execute();
  for (const row of rows) {
    // The column has a CHECK constraint; anything else means the store was edited by hand.
    if (!isRole(row.role)) throw new TypeError(`role_grant.role holds "${row.role}"`);
    byUser.get(row.userId)?.push({ role: row.role, channelId: row.channelId });
  }
  return byUser;
}

/** The sites a user holds a role on; null among them when the user holds a platform-level role. */
export async function grantSites(db: Kysely<Database>, userId: number): Promise<(number | null)[]> {
  const rows = await db.selectFrom('roleGrant').select('siteId').distinct().where('userId', '=', userId).execute();
  return rows.map((row) => row.siteId);
}

/**
 * Sets a user's roles on a site (and the platform-level roles, which hold on every site); the
 * roles the user holds on other sites stay. `siteId` null: no site yet, the roles hold everywhere.
 */
export async function replaceGrants(
  db: Kysely<Database>,
  userId: number,
  grants: readonly RoleGrant[],
  siteId: number | null,
): Promise<void> {
  await db
    .deleteFrom('roleGrant')
    .where('userId', '=', userId)
    .where((eb) =>
      siteId === null ? eb('siteId', 'is', null) : eb.or([eb('siteId', '=', siteId), eb('siteId', 'is', null)]),
    )
    .execute();
  if (grants.length === 0) return;
  await db
    .insertInto('roleGrant')
    .values(
      grants.map((g) => ({
        userId,
        role: g.role,
        channelId: g.channelId,
        siteId: isPlatformRole(g.role) ? null : siteId,
      })),
    )
    .execute();
}
