import { Type, type Static } from 'typebox';
import { EDIT_PERMISSION, GazetteError, localDayStart, toLocal } from '../../domain/index.js';
import {
  DISCLOSURE_FORMS,
  DISCLOSURE_TOPICS,
  buildDisclosureReport,
  cleanDisclosure,
  formatIndexNo,
  indexYear,
  type DisclosureInput,
  type DisclosureReport,
} from '../../compliance/disclosure/index.js';
import * as disclosures from '../../compliance/disclosure/store.js';
import { requireAnywhere, requirePermission, type Actor } from '../actor.js';
import { appendAudit } from '../audit.js';
import type { ServiceContext } from '../context.js';
import { loadArticle } from './editorial.js';
import { policyValuesFrom } from './items.js';
import { recordRevision } from './revisions.js';
import { syncArticleIndex } from './search.js';
import { articles } from '../../store/index.js';
import { RequestTableSchema } from '../cases/info-request-views.js';
import { requestTableOf } from '../cases/request-table.js';
import { currentSite, type SiteScope } from '../site.js';
import { recordEvents, sendEvents, type ContentEvent } from '../events.js';

/**
 * 信息公开 metadata of an article. The 索引号 is handed out once, when the article is first marked
 * as disclosed, and never changes afterwards — not when the 发布机构's code or the 发布日期's year
 * is corrected later: an index number, once published, is cited in 依申请公开 requests, replies and
 * annual reports, and a citation must keep pointing at the same document. Removing the metadata
 * (or deleting the article) retires the number; marking the article again gives it a new one.
 */

export const DisclosureViewSchema = Type.Object({
  articleId: Type.Integer(),
  indexNo: Type.String({
    description: '索引号: organisation code / year - 5-digit serial, e.g. 113205090141600114/2025-00012',
  }),
  organization: Type.String({ description: '发布机构' }),
  organizationCode: Type.String({ description: '统一社会信用代码 of the 发布机构 (18 characters, GB 32100)' }),
  documentNo: Type.String({ description: '文号, e.g. 吴政发〔2025〕12号; empty when none' }),
  writtenOn: Type.Union([Type.String({ format: 'date' }), Type.Null()], { description: '成文日期' }),
  topic: Type.String({ description: '主题分类' }),
  disclosureForm: Type.String({ description: '公开方式: 主动公开 or 依申请公开' }),
  year: Type.Integer(),
  serial: Type.Integer(),
});
export type DisclosureView = Static<typeof DisclosureViewSchema>;

export const DisclosureInputSchema = Type.Object({
  organization: Type.Optional(Type.String({ maxLength: 100, description: 'Default: the site’s 主办单位' })),
  organizationCode: Type.Optional(
    Type.String({ maxLength: 40, description: 'Default: the code last used on this site for the same 发布机构' }),
  ),
  documentNo: Type.Optional(Type.String({ maxLength: 60 })),
  writtenOn: Type.Optional(Type.Union([Type.String({ maxLength: 20 }), Type.Null()])),
  topic: Type.String({ maxLength: 40 }),
  disclosureForm: Type.Optional(Type.String({ maxLength: 20, description: 'Default: 主动公开' })),
});

export const DisclosureEditSchema = Type.Object({
  disclosure: Type.Union([DisclosureViewSchema, Type.Null()]),
  defaults: Type.Object({ organization: Type.String(), organizationCode: Type.String() }),
  topics: Type.Array(Type.String()),
  forms: Type.Array(Type.String()),
});
export type DisclosureEdit = Static<typeof DisclosureEditSchema>;

const CountSchema = { total: Type.Integer(), withdrawn: Type.Integer() };
export const DisclosureReportSchema = Type.Object({
  year: Type.Integer(),
  ...CountSchema,
  byTopic: Type.Array(Type.Object({ topic: Type.String(), ...CountSchema })),
  byForm: Type.Array(Type.Object({ disclosureForm: Type.String(), ...CountSchema })),
  byOrganization: Type.Array(
    Type.Object({ organization: Type.String(), organizationCode: Type.String(), ...CountSchema }),
  ),
  requests: RequestTableSchema,
});

function viewOf(row: disclosures.DisclosureRow): DisclosureView {
  return { ...row };
}

async function defaultsFor(ctx: ServiceContext, scope: SiteScope, organization?: string) {
  const name = organization?.trim() || scope.site.hostOrganization;
  return {
    organization: name,
    organizationCode: (await disclosures.lastCodeOf(ctx.store.db, scope.site.id, name)) ?? '',
  };
}

/** The article's metadata (null when it is not disclosed) with what the form offers. */
export async function getDisclosure(ctx: ServiceContext, actor: Actor, articleId: number): Promise<DisclosureEdit> {
  const scope = await currentSite(ctx.store.db, ctx.siteId);
  const article = await loadArticle(ctx.store.db, scope, articleId);
  requirePermission(actor, 'article.read', article.channelId, scope.tree);
  const row = await disclosures.findDisclosure(ctx.store.db, articleId);
  return {
    disclosure: row ? viewOf(row) : null,
    defaults: await defaultsFor(ctx, scope, row?.organization),
    topics: [...DISCLOSURE_TOPICS],
    forms: [...DISCLOSURE_FORMS],
  };
}

/**
 * Marks an article as disclosed government information or corrects its metadata. Changing its
 * metadata is changing what its public page shows, so it takes the permission an edit of the
 * article takes in its current state (article.edit for a draft, article.publish once published).
 */
export async function setDisclosure(
  ctx: ServiceContext,
  actor: Actor,
  articleId: number,
  input: DisclosureInput,
): Promise<DisclosureView> {
  const now = ctx.clock.now();
  const scope = await currentSite(ctx.store.db, ctx.siteId);
  const defaults = await defaultsFor(ctx, scope, input.organization);
  const fields = cleanDisclosure(input, defaults);
  const { row, recorded } = await ctx.store.db.transaction().execute(async (trx) => {
    await disclosures.lockArticle(trx, ctx.store.dialect, articleId);
    const article = await loadArticle(trx, scope, articleId);
    requirePermission(actor, EDIT_PERMISSION[article.status], article.channelId, scope.tree);
    const existing = await disclosures.findDisclosure(trx, articleId);
    let row: disclosures.DisclosureRow;
    if (existing) {
      row = await disclosures.updateDisclosure(trx, articleId, fields);
    } else {
      const year = indexYear(article.publishedAt, article.createdAt, scope.site.timeZone);
      const serial = await disclosures.nextSerial(trx, fields.organizationCode, year);
      const indexNo = formatIndexNo(fields.organizationCode, year, serial);
      row = await disclosures.insertDisclosure(trx, { ...fields, articleId, indexNo, year, serial });
    }
    // A policy holds this metadata as its values too: they are kept the same.
    if (article.contentType === 'policy') {
      const saved = await articles.updateArticle(
        trx,
        articleId,
        { fields: policyValuesFrom(article.fields, row) },
        now,
      );
      if (saved) {
        await recordRevision(trx, saved, actor, 'edit', now);
        await syncArticleIndex(trx, ctx.store.dialect, saved, scope.tree);
      }
    }
    await appendAudit(trx, ctx.store.dialect, now, actor, {
      action: existing ? 'disclosure.update' : 'disclosure.create',
      targetType: 'article',
      targetId: articleId,
      details: { indexNo: row.indexNo, ...fields },
    });
    return { row, recorded: await recordEvents(trx, ctx, pageEvents(article)) };
  });
  sendEvents(ctx, recorded);
  return viewOf(row);
}

/** Takes the metadata off: the article is no longer disclosed information; its 索引号 is retired, not freed. */
export async function removeDisclosure(ctx: ServiceContext, actor: Actor, articleId: number): Promise<void> {
  const now = ctx.clock.now();
  const scope = await currentSite(ctx.store.db, ctx.siteId);
  const recorded = await ctx.store.db.transaction().execute(async (trx) => {
    const article = await loadArticle(trx, scope, articleId);
    requirePermission(actor, EDIT_PERMISSION[article.status], article.channelId, scope.tree);
    const existing = await disclosures.findDisclosure(trx, articleId);
    if (!existing) throw new GazetteError('DISCLOSURE_NOT_FOUND', { id: articleId });
    await disclosures.deleteDisclosure(trx, articleId);
    await appendAudit(trx, ctx.store.dialect, now, actor, {
      action: 'disclosure.delete',
      targetType: 'article',
      targetId: articleId,
      details: { indexNo: existing.indexNo },
    });
    return recordEvents(trx, ctx, pageEvents(article));
  });
  sendEvents(ctx, recorded);
}

/** A published article's page shows the metadata table: it is rendered again. */
function pageEvents(article: {
  id: number;
  siteId: number;
  channelId: number;
  status: string;
  publishedAt: string | null;
}): ContentEvent[] {
  if (article.status !== 'published') return [];
  return [
    {
      type: 'article.updated',
      siteId: article.siteId,
      articleId: article.id,
      channelId: article.channelId,
      previousChannelId: article.channelId,
      previousPublishedAt: article.publishedAt,
    },
  ];
}

export const REPORT_YEARS = { min: 2000, max: 2100 };

/** The annual report's figures for a year (the site's calendar year, in its time zone; default this year). */
export async function disclosureReport(
  ctx: ServiceContext,
  actor: Actor,
  requested?: number,
): Promise<DisclosureReport> {
  const scope = await currentSite(ctx.store.db, ctx.siteId);
  requireAnywhere(actor, 'article.read', scope.tree);
  const year = requested ?? toLocal(ctx.clock.now(), scope.site.timeZone).year;
  if (!Number.isInteger(year) || year < REPORT_YEARS.min || year > REPORT_YEARS.max) {
    throw new GazetteError('FIELD_INVALID', {
      field: 'year',
      reason: {
        zh: `年份应在 ${REPORT_YEARS.min}–${REPORT_YEARS.max} 之间`,
        en: `a year from ${REPORT_YEARS.min} to ${REPORT_YEARS.max}`,
      },
    });
  }
  const from = localDayStart(`${year}-01-01`, scope.site.timeZone);
  const to = localDayStart(`${year + 1}-01-01`, scope.site.timeZone);
  if (!from || !to) throw new GazetteError('FIELD_INVALID', { field: 'year', reason: String(year) });
  const cells = await disclosures.reportCells(ctx.store.db, scope.site.id, from.toISOString(), to.toISOString());
  return buildDisclosureReport(year, cells, await requestTableOf(ctx.store.db, scope.site.id, year));
}
