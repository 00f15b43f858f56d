import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import {
  GazetteError,
  ChannelTree,
  articlePath,
  htmlToText,
  summarize,
  toLocal,
  type Article,
  type Attachment,
} from '../../domain/index.js';
import { articles, channels, migrationUrls, redirects, sites, type Database, type Dialect } from '../../store/index.js';
import * as disclosures from '../../compliance/disclosure/store.js';
import { isTopic, type DisclosureFields } from '../../compliance/disclosure/index.js';
import type { ServiceContext } from '../context.js';
import { ensureChannelChain } from './channels.js';
import { syncArticleIndex } from './search.js';
import { systemActor } from '../actor.js';
import { appendAudit } from '../audit.js';
import { recordRevision } from './revisions.js';
import { recordEvents, sendEvents } from '../events.js';
import { importEvents } from './import.js';

/** 信息公开 metadata as an old site's 索引号 table gave it. */
export interface MigratedDisclosure {
  readonly indexNo: string;
  readonly organization: string;
  readonly documentNo: string;
  readonly writtenOn: string | null;
  readonly topic: string;
}

/** One article of an old site, extracted and cleaned, ready to store. */
export interface MigratedArticle {
  /** The frontier's URL of the article's page (absolute, with its query). */
  readonly url: string;
  /** Old paths (path + query) that must answer 301 to the article: its page and its further pages. */
  readonly oldPaths: readonly string[];
  /** Column names, top first, after the column map. */
  readonly columns: readonly string[];
  readonly title: string;
  readonly subtitle: string;
  readonly source: string | null;
  readonly author: string;
  readonly publishedAt: Date;
  /** Sanitised, with migrated files' links already pointing at the media library. */
  readonly bodyHtml: string;
  readonly attachments: readonly Attachment[];
  readonly coverImage: string | null;
  readonly disclosure: MigratedDisclosure | null;
  /** A hash of what was extracted: the same hash on a later run means nothing changed. */
  readonly contentHash: string;
}

export type MigratedOutcome = 'imported' | 'updated' | 'unchanged';

export interface MigratedResult {
  readonly outcome: MigratedOutcome;
  readonly article: Article;
  /** The article's public URL path. */
  readonly path: string;
}

/** A migrated page's identity: its old URL. A second run finds the article by it and updates it. */
export function migrationKeyOf(url: string): string {
  return `m:${createHash('sha256').update(url).digest('hex').slice(0, 30)}`;
}

/**
 * Stores one migrated article, its old URLs' redirects and the frontier's note that its page is
 * done, in one transaction: a failure (or a kill) leaves no part of it behind. An article whose
 * extracted content is the same as last time is left as it is.
 */
export async function storeMigratedArticle(ctx: ServiceContext, input: MigratedArticle): Promise<MigratedResult> {
  const now = ctx.clock.now();
  const done = await ctx.store.db.transaction().execute(async (trx) => {
    const site = await sites.findSiteOrOnly(trx, ctx.siteId);
    if (!site) throw new GazetteError('SITE_MISSING');
    const key = migrationKeyOf(input.url);
    const existing = await articles.findArticleByImportKey(trx, site.id, key);
    const seen = await migrationUrls.findUrl(trx, site.id, input.url);
    await lockColumnsIfNew(trx, ctx.store.dialect, site.id, input.columns);
    const { channel, tree, columnsBefore } = await ensureChannelChain(trx, site.id, input.columns, now);
    if (existing && seen?.contentHash === input.contentHash && existing.channelId === channel.id) {
      await migrationUrls.finishUrl(trx, site.id, input.url, { state: 'done', articleId: existing.id }, now);
      const path = articlePath(tree.path(channel.id), existing, site.timeZone);
      return { outcome: 'unchanged' as const, article: existing, path, recorded: null };
    }
    if (channel.type !== 'list' || (channel.contentType ?? 'article') !== 'article')
      throw new GazetteError('IMPORT_COLUMN_NOT_LIST', { name: channel.name, type: channel.type }, {});
    const fields = {
      siteId: site.id,
      channelId: channel.id,
      title: input.title,
      subtitle: input.subtitle,
      source: input.source,
      author: input.author,
      responsibleEditor: '',
      publishedAt: input.publishedAt.toISOString(),
      bodyHtml: input.bodyHtml,
      summary: summarize(htmlToText(input.bodyHtml)),
      keywords: '',
      coverImage: input.coverImage,
      attachments: input.attachments,
      status: 'published' as const,
      importKey: key,
      createdBy: null,
    };
    const article = existing
      ? await articles.updateArticle(trx, existing.id, fields, now)
      : await articles.insertArticle(trx, fields, now);
    if (!article) throw new GazetteError('NOT_FOUND');
    const migrator = systemActor('migrate');
    await recordRevision(trx, article, migrator, existing ? 'reimport' : 'import', now);
    await appendAudit(trx, ctx.store.dialect, now, migrator, {
      action: existing ? 'article.reimport' : 'article.import',
      targetType: 'article',
      targetId: article.id,
      details: { title: article.title, channelId: article.channelId, from: input.url },
    });
    if (input.disclosure) await keepDisclosure(trx, article, input.disclosure, site.timeZone);
    await syncArticleIndex(trx, ctx.store.dialect, article, tree);
    const path = articlePath(tree.path(channel.id), article, site.timeZone);
    await redirects.putRedirects(
      trx,
      site.id,
      input.oldPaths.map((oldPath) => ({ oldPath, target: path, kind: 'article' as const })),
      now,
    );
    await migrationUrls.finishUrl(
      trx,
      site.id,
      input.url,
      { state: 'done', articleId: article.id, contentHash: input.contentHash },
      now,
    );
    const events = importEvents(article, existing, columnsBefore);
    return {
      outcome: existing ? ('updated' as const) : ('imported' as const),
      article,
      path,
      recorded: await recordEvents(trx, ctx, events),
    };
  });
  const { recorded, ...result } = done;
  if (recorded) sendEvents(ctx, recorded);
  return result;
}

/**
 * Articles of one new column come in on several workers at once: on PostgreSQL the first to make
 * the column holds this lock until it commits, and the others then find the column made.
 */
async function lockColumnsIfNew(trx: Kysely<Database>, dialect: Dialect, siteId: number, names: readonly string[]) {
  if (dialect !== 'postgres') return;
  const tree = new ChannelTree(await channels.listChannels(trx, siteId));
  let parentId: number | null = null;
  for (const name of names) {
    const found = tree.findChild(parentId, name);
    if (!found) {
      await sql`select pg_advisory_xact_lock(hashtext(${`migrate-columns:${siteId}`}))`.execute(trx);
      return;
    }
    parentId = found.id;
  }
}

const INDEX_NO = /^(.+)\/(\d{4})-(\d{1,9})$/;

/**
 * The old 索引号 is kept as it was: it is cited in documents and requests. A number in Gazette's
 * own form also moves the organisation's serial past it, so a number handed out later never
 * repeats one that came over.
 */
async function keepDisclosure(
  trx: Kysely<Database>,
  article: Article,
  found: MigratedDisclosure,
  timeZone: string,
): Promise<void> {
  const parts = INDEX_NO.exec(found.indexNo);
  const year = parts ? Number(parts[2]) : toLocal(new Date(article.publishedAt ?? article.createdAt), timeZone).year;
  const organizationCode = parts?.[1] ?? '';
  const serial = parts ? Number(parts[3]) : 0;
  const fields: DisclosureFields = {
    organization: found.organization,
    organizationCode,
    documentNo: found.documentNo,
    writtenOn: found.writtenOn,
    // A 主题分类 outside the national list (old sites made up their own) is filed under 综合政务.
    topic: isTopic(found.topic) ? found.topic : '综合政务',
    disclosureForm: '主动公开',
  };
  const current = await disclosures.findDisclosure(trx, article.id);
  if (current) await disclosures.updateDisclosure(trx, article.id, fields);
  else
    await disclosures.insertDisclosure(trx, { ...fields, articleId: article.id, indexNo: found.indexNo, year, serial });
  if (parts) await disclosures.raiseSerial(trx, organizationCode, year, serial);
}

/**
 * Points a migrated article's links at pages that came over after it (its body was stored while
 * they were still to come): one transaction, a revision saying so, the article re-published.
 */
export async function relinkMigratedArticle(ctx: ServiceContext, articleId: number, bodyHtml: string): Promise<void> {
  const now = ctx.clock.now();
  const recorded = await ctx.store.db.transaction().execute(async (trx) => {
    const before = await articles.findArticle(trx, articleId);
    if (!before) throw new GazetteError('NOT_FOUND');
    const article = await articles.updateArticle(
      trx,
      articleId,
      { bodyHtml, summary: summarize(htmlToText(bodyHtml)) },
      now,
    );
    if (!article) throw new GazetteError('NOT_FOUND');
    const tree = new ChannelTree(await channels.listChannels(trx, article.siteId));
    await recordRevision(trx, article, systemActor('migrate'), 'relink', now);
    await syncArticleIndex(trx, ctx.store.dialect, article, tree);
    return recordEvents(trx, ctx, importEvents(article, before, null));
  });
  sendEvents(ctx, recorded);
}
