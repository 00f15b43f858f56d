import fs from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import {
  CONSULTATIONS_PATH,
  INFO_REQUEST_PATH,
  LETTERS_PATH,
  SURVEYS_PATH,
  parseArticlePath,
  siteUrl,
} from '../../domain/index.js';
import { loadSiteView, locatePublicPath, siteKeyPrefix, type OutputStore, type SiteView } from '../../publish/index.js';
import { manifest, type Database } from '../../store/index.js';
import type { Theme } from '../../theme/index.js';
import { classifyLink, type LinkKind, type LinkTarget } from './classify.js';
import { extractLinks } from './extract.js';
import { Limiter } from '../../limiter.js';
import { EXTERNAL_DEFAULTS, externalProber, OK, type ExternalOptions, type Verdict } from './external.js';

/** A broken link or missing file on a published page. */
export interface LinkFinding {
  readonly pagePath: string;
  /** The article whose page it is, when the page is an article page. */
  readonly articleId: number | null;
  /** The address as written on the page. */
  readonly url: string;
  readonly kind: LinkKind;
  readonly status: number | null;
  readonly reason: string;
}

export interface LinkCheckSetup {
  readonly db: Kysely<Database>;
  readonly theme: Theme;
  readonly output: OutputStore;
  readonly mediaDir: string;
  readonly view: SiteView;
  /** Check links to other sites too (off by default: it reaches out to the network). */
  readonly external?: ExternalOptions | boolean;
  /** The hosts of the platform's other sites (host → site id): links to them are internal. */
  readonly platformHosts?: ReadonlyMap<string, number>;
}

/**
 * Paths the web app answers itself, outside the page renderer: search, the API, the back office,
 * theme assets (checked on disk below), the health check, the site-wide look (src/web/site-mode.ts)
 * the 信息公开目录 (src/web/disclosure-page.ts) and the letter desk's form and follow-up
 * (src/web/letter-pages.ts), the disclosure request's (src/web/info-request-pages.ts). A new dynamic route belongs here too.
 */
const DYNAMIC_PREFIXES: readonly string[] = ['/api/', '/admin/'];
const DYNAMIC_PATHS = new Set([
  '/search',
  '/healthz',
  '/admin',
  '/site-mode.css',
  '/xxgk.html',
  `${LETTERS_PATH}xiexin`,
  `${LETTERS_PATH}chaxun`,
  `${LETTERS_PATH}tongji`,
  `${INFO_REQUEST_PATH}shenqing`,
  `${INFO_REQUEST_PATH}chaxun`,
  SURVEYS_PATH,
  // 意见征集's list (src/web/consultation-pages.ts), linked from every page's footer.
  CONSULTATIONS_PATH,
]);

function notFound(reason: string): Verdict {
  return { ok: false, status: 404, reason };
}

/** A file under `root` named by URL path segments, or null when the path leaves the folder. */
function fileUnder(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = urlPath.split('/').map(decodeURIComponent).join(path.sep);
  } catch {
    return null;
  }
  const file = path.resolve(root, `.${path.sep}${decoded}`);
  return file.startsWith(path.resolve(root) + path.sep) ? file : null;
}

async function isFile(file: string | null): Promise<boolean> {
  if (file === null) return false;
  try {
    return (await fs.stat(file)).isFile();
  } catch {
    return false;
  }
}

/**
 * Checks the links of published pages. Each address is checked once per checker (a sweep of the
 * whole site asks about the home page's link a thousand times): the verdicts are remembered.
 */
export class LinkChecker {
  private readonly verdicts = new Map<string, Promise<Verdict>>();
  private readonly origin: string;
  private readonly probe: ((url: string) => Promise<Verdict>) | null;
  private readonly limiter: Limiter;

  constructor(private readonly setup: LinkCheckSetup) {
    this.origin = siteUrl(setup.view.site, '');
    const external = setup.external === true ? EXTERNAL_DEFAULTS : setup.external || null;
    this.probe = external ? externalProber(external) : null;
    this.limiter = new Limiter(external?.concurrency ?? 1);
  }

  /** The findings of one published page; none when the page is not (or no longer) in the output store. */
  async checkPage(pagePath: string): Promise<LinkFinding[]> {
    const bytes = await this.setup.output.read(pagePath);
    if (bytes === null) return [];
    const articleId = parseArticlePath(pagePath)?.id ?? null;
    const links = extractLinks(bytes.toString('utf8'));
    const checked = await Promise.all(
      links.map(async (url) => {
        const target = classifyLink(url, pagePath, this.origin, this.setup.platformHosts);
        if (!target || (target.kind === 'external' && !this.probe)) return null;
        const verdict = await this.verdict(target);
        return verdict.ok
          ? null
          : { pagePath, articleId, url, kind: target.kind, status: verdict.status, reason: verdict.reason };
      }),
    );
    return checked.filter((f): f is LinkFinding => f !== null);
  }

  private verdict(target: LinkTarget): Promise<Verdict> {
    const key = `${target.kind}:${target.kind === 'external' ? target.url : target.path}:${target.kind === 'internal' ? (target.siteId ?? '') : ''}`;
    let verdict = this.verdicts.get(key);
    if (!verdict) {
      verdict = this.decide(target);
      this.verdicts.set(key, verdict);
    }
    return verdict;
  }

  private async decide(target: LinkTarget): Promise<Verdict> {
    switch (target.kind) {
      case 'media':
        return (await isFile(fileUnder(this.setup.mediaDir, target.path.slice('/media/'.length))))
          ? OK
          : notFound('media file missing');
      case 'external': {
        const probe = this.probe;
        return probe ? this.limiter.run(() => probe(target.url)) : OK;
      }
      case 'internal':
        return this.internal(
          target.path,
          target.siteId === undefined || target.siteId === this.setup.view.site.id
            ? this.setup.view
            : await this.siteView(target.siteId),
        );
    }
  }

  private readonly views = new Map<number, Promise<SiteView | null>>();

  /** Another site of the platform, read once per checker. */
  private siteView(siteId: number): Promise<SiteView | null> {
    let view = this.views.get(siteId);
    if (!view) this.views.set(siteId, (view = loadSiteView(this.setup.db, siteId)));
    return view;
  }

  /** A published page of the site, a path the server answers itself, or a page the renderer would serve (a redirect too). */
  private async internal(urlPath: string, view: SiteView | null): Promise<Verdict> {
    if (!view) return notFound('no such site');
    if (await manifest.findPage(this.setup.db, siteKeyPrefix(view.site.id) + urlPath)) return OK;
    if (DYNAMIC_PATHS.has(urlPath) || DYNAMIC_PREFIXES.some((prefix) => urlPath.startsWith(prefix))) return OK;
    if (urlPath.startsWith('/assets/')) {
      return (await isFile(fileUnder(this.setup.theme.assetsDir, urlPath.slice('/assets/'.length))))
        ? OK
        : notFound('theme asset missing');
    }
    const located = await locatePublicPath(this.setup.db, view, urlPath);
    if (located.kind === 'gone') return { ok: false, status: 410, reason: 'article withdrawn' };
    if (located.kind === 'not-found') return notFound('no such page');
    return OK;
  }
}

/** Pages whose links are checked: HTML pages (feeds and sitemaps are made from the store itself). */
export function isHtmlPage(urlPath: string): boolean {
  return urlPath.endsWith('/') || urlPath.endsWith('.html');
}
