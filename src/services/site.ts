import type { Kysely } from 'kysely';
import { ChannelTree, GazetteError, type Site } from '../domain/index.js';
import { sites, type Database } from '../store/index.js';

export interface SiteScope {
  readonly site: Site;
  readonly tree: ChannelTree;
}

/**
 * The site an operation works on, with its channel tree (permissions are checked against it):
 * the site named by id, or the platform's only site. Several sites and none named is an error
 * that lists them: an operation never picks a site for its caller.
 */
export async function currentSite(db: Kysely<Database>, siteId?: number): Promise<SiteScope> {
  const found = await sites.findSiteWithChannels(db, siteId);
  if (!found)
    throw siteId === undefined
      ? new GazetteError('SITE_MISSING')
      : new GazetteError('SITE_NOT_FOUND', { site: String(siteId) });
  return { site: found.site, tree: new ChannelTree(found.channels) };
}
