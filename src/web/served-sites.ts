import type { IncomingMessage } from 'node:http';
import { hostOfHeader, type Site } from '../domain/index.js';
import { siteIdForHost } from '../services/index.js';
import { sites, type Store } from '../store/index.js';
import type { StaticPages } from './static-pages.js';

/** How long a host's site is taken as known before it is looked up again (a site moved, archived, removed). */
export const SITE_CACHE_MS = 5_000;

/** The cookie that keeps a reader on the site chosen with `/_site/HOST/…` (local use without DNS). */
export const SITE_COOKIE = 'gz_site';

/** `/_site/HOST/rest` → HOST and `/rest`; null for any other URL. */
export function sitePathOf(url: string): { readonly host: string; readonly rest: string } | null {
  const match = /^\/_site\/([^/?#]+)(.*)$/.exec(url);
  if (!match?.[1]) return null;
  const rest = match[2] ?? '';
  return { host: hostOfHeader(decodeURIComponent(match[1])), rest: rest.startsWith('/') ? rest : `/${rest}` };
}

/** What a request carries that picks its site: its Host, a `/_site/` prefix, the site cookie. */
export interface SiteRequest {
  readonly host: string;
  /** The host of `/_site/HOST/`, or of the cookie it left. */
  readonly chosen?: string | undefined;
}

/** The host a raw request names by its `/_site/` prefix (set by the app's URL rewrite) or cookie. */
export function chosenHostOf(request: IncomingMessage): string | undefined {
  const viaPath = (request as IncomingMessage & { gazetteChosenHost?: string }).gazetteChosenHost;
  if (viaPath) return viaPath;
  const cookie = request.headers.cookie;
  if (!cookie?.includes(`${SITE_COOKIE}=`)) return undefined;
  const value = new RegExp(`(?:^|;\\s*)${SITE_COOKIE}=([^;]+)`).exec(cookie)?.[1];
  return value ? hostOfHeader(decodeURIComponent(value)) : undefined;
}

/**
 * The sites this server answers for, found by host and loaded on first use: a server of a
 * thousand sites reads a site's record when a reader first asks for it, keeps what it read for a
 * few seconds per host, and holds no site's pages outside the shared, byte-bounded page cache.
 */
export class ServedSites {
  private readonly hosts = new Map<string, { readonly siteId: number | null; readonly at: number }>();
  private readonly served = new Map<number, { pages: StaticPages; site: Site; at: number }>();

  constructor(
    private readonly store: Store,
    private readonly make: (site: Site) => StaticPages,
    private readonly ttlMs = SITE_CACHE_MS,
  ) {}

  private static key(request: SiteRequest): string {
    return request.chosen === undefined ? request.host : `${request.host}\u0000${request.chosen}`;
  }

  /** The site a request reaches when that is known and fresh, without waiting; undefined when it must be looked up. */
  known(request: SiteRequest): StaticPages | null | undefined {
    const entry = this.hosts.get(ServedSites.key(request));
    if (!entry || performance.now() - entry.at > this.ttlMs) return undefined;
    if (entry.siteId === null) return null;
    const served = this.served.get(entry.siteId);
    return served && performance.now() - served.at <= this.ttlMs ? served.pages : undefined;
  }

  /** The site a request reaches (see siteIdForHost), or null: the caller answers 404. */
  async forRequest(request: SiteRequest): Promise<StaticPages | null> {
    const known = this.known(request);
    if (known !== undefined) return known;
    const siteId = await siteIdForHost(this.store.db, request.host, request.chosen);
    this.hosts.set(ServedSites.key(request), { siteId, at: performance.now() });
    // Hosts are a handful per site; a flood of made-up Host headers must not grow this for ever.
    if (this.hosts.size > 10_000) this.hosts.clear();
    return siteId === null ? null : this.forId(siteId);
  }

  /** A site's pages by id (its record read again once it is a few seconds old), or null when there is no such site. */
  async forId(siteId: number): Promise<StaticPages | null> {
    const served = this.served.get(siteId);
    if (served && performance.now() - served.at <= this.ttlMs) return served.pages;
    const site = await sites.findSite(this.store.db, siteId);
    if (!site) {
      this.served.delete(siteId);
      return null;
    }
    // The same pages object while the site's time zone is unchanged: in-flight loads are keyed by it.
    const pages = served && served.site.timeZone === site.timeZone ? served.pages : this.make(site);
    this.served.set(siteId, { pages, site, at: performance.now() });
    return pages;
  }
}
