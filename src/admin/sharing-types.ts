// The API's shapes for 引用 (placements) and 信息报送 (submissions); see CONTRACT.md.
import type { ArticleStatus } from './types';

export interface SiteRef {
  id: number;
  name: string;
}

export interface PlacementView {
  id: number;
  articleId: number;
  title: string;
  homeSite: SiteRef;
  homeChannelName: string;
  articleStatus: ArticleStatus;
  site: SiteRef;
  channelId: number;
  channelName: string;
  status: ArticleStatus;
  reviewLevel: number;
  reviewLevels: number;
  live: boolean;
  publishedAt: string | null;
  url: string | null;
  updatedAt: string;
}

export type SubmissionStatus = 'pending' | 'adopted' | 'returned';

export interface SubmissionView {
  id: number;
  articleId: number;
  title: string;
  fromSite: SiteRef;
  site: SiteRef;
  channelId: number;
  channelName: string;
  status: SubmissionStatus;
  note: string;
  reason: string;
  submitterName: string;
  submittedAt: string;
  deciderName: string;
  decidedAt: string | null;
  adoptedAs: 'placement' | 'copy' | null;
  placementId: number | null;
  copyId: number | null;
  points: number;
  adoptedStatus: ArticleStatus | null;
}

export interface SubmissionTarget {
  site: SiteRef;
  channelId: number;
  channelName: string;
  points: number;
}

export interface SubmissionStatsRow {
  site: SiteRef;
  submitted: number;
  adopted: number;
  returned: number;
  pending: number;
  rate: number;
  points: number;
  rank: number;
}

export interface SubmissionStats {
  period: string;
  from: string;
  to: string;
  rows: SubmissionStatsRow[];
}
