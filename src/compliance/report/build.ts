import type { ColumnFreshness, HomeFreshness } from '../freshness/index.js';
import type { HealthReport, LinkFindingView, ScoredItem, VetoItem } from './schema.js';
import { interpretationsItem, servicesVeto, type InterpretationsInput, type ServicesInput } from './content.js';
import { tamperVeto, type TamperInput } from './tamper.js';

/**
 * A wording finding in published content, as the wording check (src/compliance/wording) reports
 * it. The report takes them as data so that it does not depend on how they are found.
 */
export interface WordingFindingInput {
  readonly severity: 'serious' | 'suspect' | 'custom';
  readonly articleId: number | null;
  /** Where: the article's title, or a page path. */
  readonly where: string;
  /** The text found, and what it should be. */
  readonly text: string;
  readonly suggestion?: string;
}

export interface ReportInput {
  readonly at: Date;
  readonly siteName: string;
  readonly home: HomeFreshness;
  readonly columns: readonly ColumnFreshness[];
  readonly links: {
    readonly pages: number | null;
    readonly external: boolean;
    readonly findings: readonly LinkFindingView[];
  };
  /** Findings of the wording check in published content; absent: not checked. */
  readonly wordingFindings?: readonly WordingFindingInput[] | undefined;
  /** The letter desk (互动交流); absent: not checked. */
  readonly messages?: MessagesInput | undefined;
  /** The published 办事指南 (服务不实用); absent: not checked. */
  readonly services?: ServicesInput | undefined;
  /** Published policies waiting for their 解读; absent: not checked. */
  readonly interpretations?: InterpretationsInput | undefined;
  /** 网页防篡改: the fronts serving the site, or the CMS's own output; absent: not checked. */
  readonly tamper?: TamperInput | undefined;
}

/** The letters as the 互动回应差 veto and the late-reply item see them, one line each. */
export interface MessagesInput {
  /** Whether the site runs a working 咨询建言 channel (its letter desk is open). */
  readonly deskOpen: boolean;
  /** Valid letters of the past year left unanswered for more than 3 months (now, or before their reply). */
  readonly overdue: readonly string[];
  /** Valid letters unanswered for 60 days or more, not yet 3 months. */
  readonly nearing: readonly string[];
  /** Letters past the working-day due day of their type. */
  readonly late: readonly string[];
}

/** Serious findings first in the report's list: they fail the check. */
const SEVERITY_ORDER: Readonly<Record<WordingFindingInput['severity'], number>> = { serious: 0, suspect: 1, custom: 2 };

/** The 单项否决 thresholds (国办秘函〔2019〕19号). */
export const VETO_THRESHOLDS = { homeDays: 14, staleColumns: 5, longStaleColumns: 10, emptyColumns: 5 } as const;

const columnLine = (c: ColumnFreshness) =>
  c.ageDays === null ? `${c.name} (${c.path})` : `${c.name} (${c.path}) ${c.ageDays} 天未更新`;

function countVeto(
  id: VetoItem['id'],
  title: string,
  list: readonly ColumnFreshness[],
  threshold: number,
  todo: string,
  detail: string,
): VetoItem {
  return {
    id,
    title,
    state: list.length >= threshold ? 'fail' : 'pass',
    count: list.length,
    threshold,
    detail,
    todo,
    items: list.map(columnLine),
  };
}

function vetoItems(
  input: ReportInput,
  stale: ColumnFreshness[],
  longStale: ColumnFreshness[],
  empty: ColumnFreshness[],
): VetoItem[] {
  const serious = input.wordingFindings?.filter((f) => f.severity === 'serious') ?? [];
  const home = input.home;
  return [
    {
      id: 'home',
      title: '网站不更新（首页信息超过2周未更新）',
      state: home.state === 'stale' ? 'fail' : 'pass',
      count: home.ageDays,
      threshold: VETO_THRESHOLDS.homeDays,
      detail: home.lastUpdate === null ? '站点没有已发布的文章' : `首页最近更新于 ${home.ageDays} 天前`,
      todo:
        home.state === 'stale'
          ? '立即发布新信息'
          : home.state === 'warning'
            ? '近期发布新信息，避免首页超过2周未更新'
            : '',
      items: [],
    },
    countVeto(
      'stale-columns',
      '栏目不更新（动态要闻类超过2周、通知公告和政策文件类超过6个月未更新，累计5个及以上）',
      stale,
      VETO_THRESHOLDS.staleColumns,
      stale.length > 0 ? '更新这些栏目，或把不再维护的栏目更新要求设为“无”并调整栏目设置' : '',
      '按各栏目的更新要求计算',
    ),
    countVeto(
      'long-stale-columns',
      '栏目长期未更新（超过1年未更新的应更新栏目，10个及以上）',
      longStale,
      VETO_THRESHOLDS.longStaleColumns,
      longStale.length > 0 ? '更新或整合、撤销这些栏目' : '',
      '指标未给出天数，Gazette 按超过365天计',
    ),
    countVeto(
      'empty-columns',
      '空白栏目（5个及以上）',
      empty,
      VETO_THRESHOLDS.emptyColumns,
      empty.length > 0 ? '为这些栏目发布内容，或删除不需要的栏目' : '',
      '列表栏目及其子栏目都没有已发布的文章',
    ),
    input.wordingFindings === undefined
      ? {
          id: 'wording',
          title: '严重表述错误',
          state: 'not-checked',
          count: null,
          threshold: 1,
          detail: '未检查（错敏词检查未接入健康报告）',
          todo: '',
          items: [],
        }
      : {
          id: 'wording',
          title: '严重表述错误',
          state: serious.length > 0 ? 'fail' : 'pass',
          count: serious.length,
          threshold: 1,
          detail: '已发布内容中的严重表述错误',
          todo: serious.length > 0 ? '立即更正这些文章' : '',
          items: serious.map((f) => `${f.where}: ${f.text}${f.suggestion ? ` → ${f.suggestion}` : ''}`),
        },
    messagesVeto(input.messages),
    servicesVeto(input.services),
    tamperVeto(input.tamper),
  ];
}

function messagesVeto(messages: MessagesInput | undefined): VetoItem {
  const base = { id: 'messages' as const, title: '互动回应差（超过3个月未回应的留言）', threshold: 1 };
  if (!messages) return { ...base, state: 'not-checked', count: null, detail: '未检查', todo: '', items: [] };
  if (!messages.deskOpen)
    return {
      ...base,
      state: 'fail',
      count: null,
      detail: '没有可用的咨询建言渠道：网上信箱未开通',
      todo: '在后台“网上信箱”设置中开通信箱，并设置受理的信件类型',
      items: [],
    };
  if (messages.overdue.length > 0)
    return {
      ...base,
      state: 'fail',
      count: messages.overdue.length,
      detail: '过去一年内有有效留言超过3个月未答复',
      todo: '立即答复这些留言',
      items: [...messages.overdue],
    };
  return {
    ...base,
    state: messages.nearing.length > 0 ? 'warn' : 'pass',
    count: 0,
    detail:
      messages.nearing.length > 0
        ? `${messages.nearing.length} 件留言已超过60天未答复，满3个月即单项否决`
        : '过去一年内没有超过3个月未答复的有效留言',
    todo: messages.nearing.length > 0 ? '尽快答复这些留言' : '',
    items: [...messages.nearing],
  };
}

function scored(
  id: ScoredItem['id'],
  title: string,
  count: number | null,
  perItem: number,
  maxPenalty: number,
  todo: string,
  items: readonly string[],
  warnOnly = false,
): ScoredItem {
  if (count === null)
    return { id, title, state: 'not-checked', count, perItem, maxPenalty, penalty: 0, todo: '', items: [] };
  const penalty = Math.min(maxPenalty, count * perItem);
  const state = count === 0 ? 'ok' : warnOnly ? 'warning' : 'problem';
  return { id, title, state, count, perItem, maxPenalty, penalty, todo: count === 0 ? '' : todo, items: [...items] };
}

const findingLine = (f: LinkFindingView) =>
  `${f.pagePath}${f.articleTitle ? `（${f.articleTitle}）` : ''}: ${f.url} — ${f.reason}`;

function scoredItems(
  input: ReportInput,
  stale: ColumnFreshness[],
  warning: ColumnFreshness[],
  empty: ColumnFreshness[],
): ScoredItem[] {
  const own = input.links.findings.filter((f) => f.kind !== 'external');
  const external = input.links.findings.filter((f) => f.kind === 'external');
  const suspect = input.wordingFindings?.filter((f) => f.severity !== 'serious');
  return [
    scored(
      'broken-links',
      '站内链接和附件失效',
      own.length,
      2,
      30,
      '在文章中改正或删除这些链接，补传缺失的文件',
      own.map(findingLine),
    ),
    scored(
      'external-links',
      '外部链接失效',
      input.links.external ? external.length : null,
      1,
      10,
      '核实并改正指向外站的链接',
      external.map(findingLine),
    ),
    scored('stale-columns', '未按要求更新的栏目', stale.length, 5, 25, '更新这些栏目', stale.map(columnLine)),
    scored(
      'warning-columns',
      '即将超期的栏目',
      warning.length,
      2,
      10,
      '近期更新这些栏目',
      warning.map(columnLine),
      true,
    ),
    scored('empty-columns', '空白栏目', empty.length, 5, 20, '发布内容或删除栏目', empty.map(columnLine)),
    scored(
      'home-warning',
      '首页即将超过2周未更新',
      input.home.state === 'warning' ? 1 : 0,
      5,
      5,
      '近期发布新信息',
      [],
      true,
    ),
    scored(
      'wording-suspect',
      '疑似表述问题',
      suspect ? suspect.length : null,
      1,
      10,
      '核实并更正',
      suspect?.map((f) => `${f.where}: ${f.text}`) ?? [],
    ),
    scored(
      'late-letters',
      '超期未答复的留言和政府信息公开申请',
      input.messages ? input.messages.late.length : null,
      1,
      10,
      '督促承办单位答复',
      input.messages?.late ?? [],
    ),
    interpretationsItem(input.interpretations),
  ];
}

/**
 * The report: veto items (单项否决: any failure fails the site whatever its score) and scored
 * items. The score starts at 100 and each scored item takes off `perItem` points per thing counted,
 * at most `maxPenalty` (so that one kind of problem cannot hide all others); never below 0.
 */
export function buildHealthReport(input: ReportInput): HealthReport {
  const stale = input.columns.filter((c) => c.state === 'stale' || c.state === 'long-stale');
  const longStale = input.columns.filter((c) => c.state === 'long-stale');
  const warning = input.columns.filter((c) => c.state === 'warning');
  const empty = input.columns.filter((c) => c.state === 'empty');
  const vetoes = vetoItems(input, stale, longStale, empty);
  const items = scoredItems(input, stale, warning, empty);
  const findings = input.links.findings;
  const wording = input.wordingFindings;
  return {
    at: input.at.toISOString(),
    siteName: input.siteName,
    passed: !vetoes.some((v) => v.state === 'fail'),
    score: Math.max(0, 100 - items.reduce((sum, item) => sum + item.penalty, 0)),
    vetoes,
    scored: items,
    home: input.home,
    columns: [...input.columns],
    links: {
      pages: input.links.pages,
      external: input.links.external,
      counts: {
        internal: findings.filter((f) => f.kind === 'internal').length,
        media: findings.filter((f) => f.kind === 'media').length,
        external: findings.filter((f) => f.kind === 'external').length,
      },
      findings: [...findings],
    },
    wording: {
      checked: wording !== undefined,
      serious: wording?.filter((f) => f.severity === 'serious').length ?? 0,
      suspect: wording?.filter((f) => f.severity === 'suspect').length ?? 0,
      custom: wording?.filter((f) => f.severity === 'custom').length ?? 0,
      findings: [...(wording ?? [])]
        .sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity])
        .map((f) => ({
          severity: f.severity,
          articleId: f.articleId,
          where: f.where,
          text: f.text,
          suggestion: f.suggestion ?? '',
          editUrl: f.articleId === null ? null : `/admin/articles/${f.articleId}`,
        })),
    },
  };
}
