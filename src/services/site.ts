import type { Kysely } from 'kysely';
import { ChannelTree, GazetteError, type Site } from '../domain/index.js';
import { channels, sites, type Database } from '../store/index.js';

export interface SiteScope {
  readonly site: Site;
  readonly tree: ChannelTree;
}

/** The site the back office works on, with its channel tree (permissions are checked against it). */
export async function currentSite(db: Kysely<Database>): Promise<SiteScope> {
  const site = await sites.findFirstSite(db);
  if (!site) throw new GazetteError('SITE_MISSING');
  return { site, tree: new ChannelTree(await channels.listChannels(db, site.id)) };
}
