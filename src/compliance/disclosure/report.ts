import type { RequestTable } from '../../domain/index.js';
import { DISCLOSURE_FORMS, DISCLOSURE_TOPICS } from './rules.js';
import type { ReportCell } from './store.js';

/** A row of the annual report: published that year (including since withdrawn), and withdrawn. */
export interface ReportCount {
  readonly total: number;
  readonly withdrawn: number;
}

/**
 * The figures a 政府信息公开工作年度报告 asks for, for one year: disclosed articles published that
 * year by 主题分类, by 公开方式 and by 发布机构. `total` counts every article published that year,
 * `withdrawn` those of them withdrawn since (they were published, so they count).
 */
export interface DisclosureReport {
  readonly year: number;
  readonly total: number;
  readonly withdrawn: number;
  /** Every 主题分类 in the national order, zeros included (the report's table has every row). */
  readonly byTopic: (ReportCount & { readonly topic: string })[];
  readonly byForm: (ReportCount & { readonly disclosureForm: string })[];
  /** Most published first, then by name. */
  readonly byOrganization: (ReportCount & { readonly organization: string; readonly organizationCode: string })[];
  /** 收到和处理政府信息公开申请情况: the requests (依申请公开) of the year. */
  readonly requests: RequestTable;
}

function tally<K extends string>(
  cells: readonly ReportCell[],
  keyOf: (cell: ReportCell) => K,
): Map<K, { total: number; withdrawn: number }> {
  const counts = new Map<K, { total: number; withdrawn: number }>();
  for (const cell of cells) {
    const count = counts.get(keyOf(cell)) ?? { total: 0, withdrawn: 0 };
    count.total += cell.n;
    if (cell.status === 'withdrawn') count.withdrawn += cell.n;
    counts.set(keyOf(cell), count);
  }
  return counts;
}

const NONE = { total: 0, withdrawn: 0 };

export function buildDisclosureReport(
  year: number,
  cells: readonly ReportCell[],
  requests: RequestTable,
): DisclosureReport {
  const all = tally(cells, () => 'all');
  const topics = tally(cells, (cell) => cell.topic);
  const forms = tally(cells, (cell) => cell.disclosureForm);
  const organizations = tally(cells, (cell) => `${cell.organization}\u0000${cell.organizationCode}`);
  // A topic or form no longer on the list (renamed nationally) still counts, after the listed ones.
  const topicNames = [
    ...DISCLOSURE_TOPICS,
    ...[...topics.keys()].filter((t) => !(DISCLOSURE_TOPICS as readonly string[]).includes(t)).sort(),
  ];
  const formNames = [
    ...DISCLOSURE_FORMS,
    ...[...forms.keys()].filter((f) => !(DISCLOSURE_FORMS as readonly string[]).includes(f)).sort(),
  ];
  return {
    year,
    ...(all.get('all') ?? NONE),
    byTopic: topicNames.map((topic) => ({ topic, ...(topics.get(topic) ?? NONE) })),
    byForm: formNames.map((disclosureForm) => ({ disclosureForm, ...(forms.get(disclosureForm) ?? NONE) })),
    byOrganization: [...organizations]
      .map(([key, count]) => {
        const [organization = '', organizationCode = ''] = key.split('\u0000');
        return { organization, organizationCode, ...count };
      })
      .sort(
        (a, b) =>
          b.total - a.total ||
          (a.organization < b.organization ? -1 : a.organization > b.organization ? 1 : 0) ||
          (a.organizationCode < b.organizationCode ? -1 : 1),
      ),
    requests,
  };
}
