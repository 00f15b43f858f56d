import {
  CONSULTATION_KIND_NAMES,
  CONSULTATION_PHASE_NAMES,
  GazetteError,
  consultationPath,
  consultationPhase,
  feedbackHeadline,
  formatDate,
  type ConsultationPhase,
  type FeedbackSummary,
} from '../../domain/index.js';
import { consultations, type Consultation, type ConsultationAttachmentInfo } from '../../store/index.js';
import type { ServiceContext } from '../context.js';
import { currentSite, type SiteScope } from '../site.js';
import type { PublicConsultationRow } from './views.js';

/** What every consultation operation needs: the site, its time zone's today and the instant. */
export interface ConsultationScope {
  readonly scope: SiteScope;
  readonly now: Date;
  readonly today: string;
}

export async function consultationScope(ctx: ServiceContext): Promise<ConsultationScope> {
  const scope = await currentSite(ctx.store.db, ctx.siteId);
  const now = ctx.clock.now();
  return { scope, now, today: formatDate(now, scope.site.timeZone) };
}

export function phaseOf(c: Consultation, at: ConsultationScope): ConsultationPhase {
  return consultationPhase(c.status, c, at.now, at.scope.site.timeZone);
}

/** The consultation on this site (another site's is as missing as one that never was). */
export async function consultationOnSite(ctx: ServiceContext, siteId: number, id: number): Promise<Consultation> {
  const found = await consultations.findConsultation(ctx.store.db, id);
  if (!found || found.siteId !== siteId) throw new GazetteError('CONSULTATION_MISSING', { id });
  return found;
}

export function rowFields(c: Consultation, at: ConsultationScope): PublicConsultationRow {
  const phase = phaseOf(c, at);
  return {
    id: c.id,
    title: c.title,
    kind: c.kind,
    kindName: CONSULTATION_KIND_NAMES[c.kind],
    concernsBusiness: c.concernsBusiness === 1,
    draftingUnit: c.draftingUnit,
    startDay: c.startDay,
    endDay: c.endDay,
    phase,
    phaseName: CONSULTATION_PHASE_NAMES[phase],
    url: consultationPath(c.id),
  };
}

/** Where an attachment is downloaded: the public's address (published only) or the office's (always). */
export const attachmentUrl = (consultationId: number, id: number, by: 'public' | 'office' = 'public') =>
  `/api/v1/${by === 'public' ? 'public/' : ''}consultations/${consultationId}/attachments/${id}`;

export function attachmentViews(list: readonly ConsultationAttachmentInfo[], by: 'public' | 'office') {
  return list.map((a) => ({
    id: a.id,
    fileName: a.fileName,
    mimeType: a.mimeType,
    size: a.size,
    url: attachmentUrl(a.consultationId, a.id, by),
  }));
}

/** The draft and how to respond, as the office and readers both see them. */
export function contentFields(c: Consultation) {
  const { draftHtml, explanationHtml, interpretationHtml, contactName, contactPhone, contactEmail, otherWays } = c;
  return { draftHtml, explanationHtml, interpretationHtml, contactName, contactPhone, contactEmail, otherWays };
}

/** The published 反馈, or null before it is. */
export function feedbackOf(c: Consultation) {
  if (c.feedbackPublishedAt === null || c.feedbackSummary === null) return null;
  const summary = JSON.parse(c.feedbackSummary) as FeedbackSummary;
  return {
    headline: feedbackHeadline(summary),
    summary: { ...summary, items: [...summary.items] },
    text: c.feedbackText,
    publishedAt: new Date(c.feedbackPublishedAt).toISOString(),
  };
}

/** Timestamps as the API shows them, whichever dialect stored them. */
export const iso = (value: string) => new Date(value).toISOString();
