import type { Kysely } from 'kysely';
import {
  CHANNEL_TYPES,
  CONTENT_TYPE_KEYS,
  UPDATE_RULES,
  type Channel,
  type ChannelType,
  type NewChannel,
} from '../domain/index.js';
import type { ChannelRow, Database } from './schema.js';

function toChannelType(value: string): ChannelType {
  const type = CHANNEL_TYPES.find((t) => t === value);
  // The column has a CHECK constraint, so anything else means the store was edited by hand.
  if (!type) throw new TypeError(`channel.type holds "${value}", not one of ${CHANNEL_TYPES.join(', ')}`);
  return type;
}

function toChannel(row: ChannelRow): Channel {
  const { createdAt: _c, updatedAt: _u, type, updateRule, contentType, ...rest } = row;
  return {
    ...rest,
    type: toChannelType(type),
    updateRule: UPDATE_RULES.find((r) => r === updateRule) ?? 'none',
    contentType: CONTENT_TYPE_KEYS.find((k) => k === contentType) ?? 'article',
  };
}

export async function listChannels(db: Kysely<Database>, siteId: number): Promise<Channel[]> {
  const rows = await db
    .selectFrom('channel')
    .selectAll()
    .where('siteId', '=', siteId)
    .orderBy('sortOrder')
    .orderBy('id')
    .execute();
  return rows.map(toChannel);
}

export async function findChannel(db: Kysely<Database>, id: number): Promise<Channel | undefined> {
  const row = await db.selectFrom('channel').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toChannel(row);
}

export async function insertChannel(db: Kysely<Database>, channel: NewChannel, now: Date): Promise<Channel> {
  const stamp = now.toISOString();
  const row = await db
    .insertInto('channel')
    .values({ ...channel, createdAt: stamp, updatedAt: stamp })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toChannel(row);
}

export async function updateChannel(
  db: Kysely<Database>,
  id: number,
  patch: Partial<Omit<NewChannel, 'siteId'>>,
  now: Date,
): Promise<Channel | undefined> {
  const row = await db
    .updateTable('channel')
    .set({ ...patch, updatedAt: now.toISOString() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  return row && toChannel(row);
}

/** Deletes a channel; the store refuses (foreign key) while it has children or articles. */
export async function deleteChannel(db: Kysely<Database>, id: number): Promise<boolean> {
  const result = await db.deleteFrom('channel').where('id', '=', id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}
