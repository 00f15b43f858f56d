import type { Kysely } from 'kysely';
import { GazetteError, type Channel } from '../../domain/index.js';
import { channels, sites, users, type Database } from '../../store/index.js';
import type { Actor } from '../actor.js';
import { currentSite, type SiteScope } from '../site.js';

/**
 * The actor's grants on another site of the platform: a shared article or a submission crosses
 * sites, and what a person may do on each side is what they hold there (Gazette itself, acting
 * for the scheduler or the CLI, holds the same everywhere).
 */
export async function actorOn(db: Kysely<Database>, actor: Actor, siteId: number): Promise<Actor> {
  if (actor.userId === null) return actor;
  return { ...actor, grants: (await users.grantsOf(db, [actor.userId], siteId)).get(actor.userId) ?? [] };
}

/** A column of any site with its site's scope; 404 when there is none. */
export async function columnWithScope(
  db: Kysely<Database>,
  channelId: number,
): Promise<{ channel: Channel; scope: SiteScope }> {
  const channel = await channels.findChannel(db, channelId);
  if (!channel) throw new GazetteError('CHANNEL_NOT_FOUND', { id: channelId });
  return { channel, scope: await currentSite(db, channel.siteId) };
}

/** Only list columns hold articles: a single page or a link is refused with the reason (422). */
export function requireListColumn(channel: Channel): void {
  if (channel.type === 'list') return;
  const kind =
    channel.type === 'page' ? { zh: '单页栏目', en: 'single-page column' } : { zh: '链接栏目', en: 'link column' };
  throw new GazetteError('PLACEMENT_NOT_LIST', { name: channel.name, kind });
}

/** Site names by id, for the views. */
export async function siteNames(db: Kysely<Database>, ids: readonly number[]): Promise<Map<number, string>> {
  const names = new Map<number, string>();
  for (const id of new Set(ids)) {
    const site = await sites.findSite(db, id);
    names.set(id, site?.name ?? `#${id}`);
  }
  return names;
}
