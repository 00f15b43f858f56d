// The health report as GET /api/v1/health gives it (src/compliance/report/schema.ts is the source).
export type VetoState = 'pass' | 'warn' | 'fail' | 'not-checked' | 'not-applicable';
export type ScoredState = 'ok' | 'warning' | 'problem' | 'not-checked';
export type ColumnState = 'ok' | 'warning' | 'stale' | 'long-stale' | 'empty' | 'exempt';
export type LinkKind = 'internal' | 'media' | 'external';

export interface VetoItem {
  id: string;
  title: string;
  state: VetoState;
  count: number | null;
  threshold: number | null;
  detail: string;
  todo: string;
  items: string[];
}
export interface ScoredItem {
  id: string;
  title: string;
  state: ScoredState;
  count: number | null;
  perItem: number;
  maxPenalty: number;
  penalty: number;
  todo: string;
  items: string[];
}
export interface ColumnFreshness {
  channelId: number;
  name: string;
  path: string;
  rule: 'dynamic' | 'notice' | 'policy' | 'none';
  lastUpdate: string | null;
  ageDays: number | null;
  limitDays: number | null;
  state: ColumnState;
}
export interface LinkFindingView {
  pagePath: string;
  articleId: number | null;
  articleTitle: string | null;
  editUrl: string | null;
  url: string;
  kind: LinkKind;
  status: number | null;
  reason: string;
}

export interface HealthReport {
  at: string;
  siteName: string;
  passed: boolean;
  score: number;
  vetoes: VetoItem[];
  scored: ScoredItem[];
  home: { lastUpdate: string | null; ageDays: number | null; limitDays: number; state: 'ok' | 'warning' | 'stale' };
  columns: ColumnFreshness[];
  links: { pages: number | null; external: boolean; counts: Record<LinkKind, number>; findings: LinkFindingView[] };
  wording: { checked: boolean; serious: number; suspect: number; custom: number };
}

export interface HealthRunSummary {
  id: number;
  at: string;
  score: number;
  vetoes: number;
  nightly: boolean;
}
export interface WeeklyUpdates {
  weeks: string[];
  series: { channelId: number; name: string; counts: number[] }[];
}
export interface HealthOverview {
  latest: HealthReport | null;
  history: HealthRunSummary[];
  weekly: WeeklyUpdates;
}
