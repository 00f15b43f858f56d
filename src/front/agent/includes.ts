import fs from 'node:fs/promises';
import path from 'node:path';
import { dateBarText, fromLocal, toLocal } from '../../domain/index.js';
import { todayFile, viewsFile, type FrontLayout } from '../layout.js';
import type { FrontSite } from '../protocol.js';
import type { ArticleRef } from './apply.js';
import { writeAtomic } from './files.js';
import type { FrontState } from './state.js';

/** The date bar is checked at least this often as well as at midnight (a clock set forward or back). */
const RECHECK_MS = 3_600_000;
/** Served files touched per query, read a page at a time (a site may have a million). */
const TOUCH_PAGE = 1000;

/** The next local midnight after `now` in the zone (01:00 on a day whose midnight is skipped). */
export function nextMidnight(now: Date, timeZone: string): Date {
  const today = toLocal(now, timeZone);
  const next = new Date(Date.UTC(today.year, today.month - 1, today.day + 1));
  const day = {
    year: next.getUTCFullYear(),
    month: next.getUTCMonth() + 1,
    day: next.getUTCDate(),
    minute: 0,
    second: 0,
  };
  return (
    fromLocal({ ...day, hour: 0 }, timeZone) ??
    fromLocal({ ...day, hour: 1 }, timeZone) ??
    new Date(now.getTime() + RECHECK_MS)
  );
}

/** `host siteId;` lines: the map nginx chooses a site's folder by. */
export function hostsMapText(sites: readonly FrontSite[]): string {
  return sites.flatMap((site) => site.hosts.map((host) => `${host} ${site.id};\n`)).join('');
}

async function readText(file: string): Promise<string | null> {
  return fs.readFile(file, 'utf8').catch(() => null);
}

/**
 * What nginx includes into served pages: each site's date bar (rewritten at the site's midnight,
 * then the site's HTML files are touched, so their Last-Modified and weak ETag change with the
 * date and no cache keeps yesterday's), the 浏览次数 of articles, and the hosts map.
 */
export class Includes {
  private readonly timers = new Map<number, NodeJS.Timeout>();
  private closed = false;

  constructor(
    private readonly state: FrontState,
    private readonly layout: FrontLayout,
    private readonly now: () => Date,
  ) {}

  /** Writes the hosts map and every site's date bar, and sets the midnight timers. */
  async start(): Promise<void> {
    await this.sitesChanged(this.state.sites());
  }

  async sitesChanged(sites: readonly FrontSite[]): Promise<void> {
    await writeAtomic(this.layout, this.layout.hostsMap, hostsMapText(sites));
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    for (const site of sites) await this.refreshToday(site);
  }

  /** Rewrites a site's date bar when it changed, touches its pages then, and sets the next check. */
  private async refreshToday(site: FrontSite): Promise<void> {
    const now = this.now();
    const text = dateBarText(now, site.timeZone);
    const file = todayFile(this.layout, site.id);
    if ((await readText(file)) !== text) {
      await writeAtomic(this.layout, file, text);
      await this.touchPages(site.id, now);
    }
    if (this.closed) return;
    const wait = Math.min(RECHECK_MS, Math.max(1000, nextMidnight(now, site.timeZone).getTime() - now.getTime()));
    const timer = setTimeout(() => {
      this.refreshToday(site).catch((error: unknown) =>
        console.error(`gazette front: the date bar of site ${site.id} could not be written: ${String(error)}`),
      );
    }, wait);
    timer.unref();
    clearTimeout(this.timers.get(site.id));
    this.timers.set(site.id, timer);
  }

  /** Sets the modification time of every served HTML file of the site. */
  private async touchPages(siteId: number, at: Date): Promise<void> {
    const query = this.state.db.prepare(
      "select file from served where file > ? and file < ? and file like '%.html' order by file limit ?",
    );
    let after = `${siteId}/`;
    for (;;) {
      const rows = query.all(after, `${siteId}/\uffff`, TOUCH_PAGE) as { file: string }[];
      for (const { file } of rows)
        await fs.utimes(path.join(this.layout.www, file), at, at).catch(() => undefined /* the guard puts it back */);
      const last = rows.at(-1);
      if (!last || rows.length < TOUCH_PAGE) return;
      after = last.file;
    }
  }

  /** Writes the articles' 浏览次数 files: the count pushed by the CMS and the reads counted here since. */
  async writeViews(articles: readonly ArticleRef[]): Promise<void> {
    const shown = this.state.db.prepare(
      'select base + local as n from views_shown where site_id = ? and article_id = ?',
    );
    const now = this.now();
    for (const { siteId, articleId, file } of articles) {
      const row = shown.get(siteId, articleId) as { n: number } | undefined;
      if (!row) continue;
      await writeAtomic(this.layout, viewsFile(this.layout, siteId, articleId), String(row.n));
      // nginx's weak ETag is the page file's time and size: a new count is a new ETag, so a
      // browser revalidating the page gets the new count, not a 304 (the date bar does the same).
      if (file) await fs.utimes(path.join(this.layout.www, file), now, now).catch(() => undefined);
    }
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
