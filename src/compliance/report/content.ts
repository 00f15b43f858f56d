import type { ScoredItem, VetoItem } from './schema.js';

/**
 * The report items about typed content: 服务不实用 (办事服务, a veto) and the 政策解读 that
 * published policies wait for (a scored item). They take their facts as data (src/services/health
 * reads them) so that the report does not depend on how they are found.
 */

/** The 办事指南 as the 服务不实用 veto sees them. */
export interface ServicesInput {
  /** Published 办事指南 of the site. */
  readonly guides: number;
  /** One line per published guide with a fault: elements missing, or its 网上办理 link broken. */
  readonly faults: readonly string[];
}

/** Published policies without a published 解读 linked to them, one line each. */
export interface InterpretationsInput {
  /** Working days a policy may wait for its 解读 (the site's setting). */
  readonly dueDays: number;
  /** Past their due day: these warn. */
  readonly overdue: readonly string[];
  /** Still within the limit: listed, without a warning. */
  readonly pending: readonly string[];
}

/** 累计超过5个事项: the sixth guide with a fault fails the site. */
export const SERVICES_FAULT_THRESHOLD = 6;

/**
 * 服务不实用: a site that offers no 办事服务 (no published 办事指南) fails at once; guides whose
 * elements are missing or whose 网上办理 link is broken fail it past five, and warn before.
 */
export function servicesVeto(services: ServicesInput | undefined): VetoItem {
  const base = {
    id: 'services' as const,
    title: '服务不实用（未提供办事服务，或办事指南要素缺失、网上办理链接失效累计超过5个事项）',
    threshold: SERVICES_FAULT_THRESHOLD,
  };
  if (!services) return { ...base, state: 'not-checked', count: null, detail: '未检查', todo: '', items: [] };
  if (services.guides === 0)
    return {
      ...base,
      state: 'fail',
      count: null,
      detail: '没有已发布的办事指南：未提供办事服务',
      todo: '在“办事指南”类型的栏目中发布本单位的办事指南',
      items: [],
    };
  const faults = services.faults.length;
  return {
    ...base,
    state: faults >= SERVICES_FAULT_THRESHOLD ? 'fail' : faults > 0 ? 'warn' : 'pass',
    count: faults,
    detail:
      faults > 0
        ? `已发布 ${services.guides} 个办事指南，其中 ${faults} 个要素缺失或网上办理链接失效`
        : `已发布 ${services.guides} 个办事指南，要素齐全，网上办理链接有效`,
    todo: faults > 0 ? '补全这些办事指南的要素，改正失效的网上办理链接' : '',
    items: [...services.faults],
  };
}

/** Points off per policy past its due day, and at most. */
const INTERPRETATION_POINTS = { perItem: 1, maxPenalty: 5 } as const;

/**
 * 政策解读: a published policy without a linked 解读 is listed until one is; past the site's limit
 * in working days it warns (and takes a point off), before it is only pending.
 */
export function interpretationsItem(interpretations: InterpretationsInput | undefined): ScoredItem {
  const base = { id: 'interpretations' as const, ...INTERPRETATION_POINTS };
  if (!interpretations)
    return { ...base, title: '政策文件未及时解读', state: 'not-checked', count: null, penalty: 0, todo: '', items: [] };
  const { dueDays, overdue, pending } = interpretations;
  return {
    ...base,
    title: `政策文件未及时解读（发布后 ${dueDays} 个工作日内未关联政策解读）`,
    state: overdue.length > 0 ? 'warning' : 'ok',
    count: overdue.length,
    penalty: Math.min(INTERPRETATION_POINTS.maxPenalty, overdue.length * INTERPRETATION_POINTS.perItem),
    todo:
      overdue.length > 0
        ? '为这些政策文件发布解读，并在解读的“解读的政策文件”中关联'
        : pending.length > 0
          ? '在时限内为这些政策文件发布解读'
          : '',
    items: [...overdue, ...pending],
  };
}
