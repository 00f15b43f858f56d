import type { VetoItem } from './schema.js';

/**
 * 网页防篡改: the national indicators make a tampered site a 单项否决. The item takes its facts as
 * data (src/services/fronts reads them): the front servers serving the site, or, with none, the
 * CMS's own output checked against the manifest.
 */
export interface TamperInput {
  /** The fronts serving the site, by name; none: the CMS serves it itself. */
  readonly fronts: readonly string[];
  /** Fronts not reached lately, one line each. */
  readonly unreachable: readonly string[];
  /** Fronts whose last full sweep is too old, one line each. */
  readonly staleSweeps: readonly string[];
  /** The site's tamper events nobody has handled, one line each. */
  readonly unhandled: readonly string[];
  /**
   * Without fronts: the output store against the manifest (pages checked, and one line per file
   * missing, different or unknown); null when this run did not check it (only full runs do).
   */
  readonly output: { readonly checked: number; readonly faults: readonly string[] } | null;
}

export const TAMPER_TITLE = '网页防篡改（页面被篡改未处置，前端服务器失联或未按时全量校验）';

export function tamperVeto(input: TamperInput | undefined): VetoItem {
  const base = { id: 'tamper' as const, title: TAMPER_TITLE, threshold: 1 };
  if (!input) return { ...base, state: 'not-checked', count: null, detail: '未检查', todo: '', items: [] };
  const { fronts, unreachable, staleSweeps, unhandled, output } = input;
  const outputFaults = output?.faults ?? [];
  const items = [...unhandled, ...unreachable, ...staleSweeps, ...outputFaults];
  const todo = [
    unhandled.length > 0 ? '核查篡改原因，并在后台“前端服务器”中将事件标记为已处理' : '',
    unreachable.length > 0 ? '检查前端服务器及其防篡改代理（gazette front）是否运行、网络是否连通' : '',
    staleSweeps.length > 0 ? '检查前端服务器的防篡改代理是否按时全量校验' : '',
    outputFaults.length > 0 ? '运行 gazette verify-output --repair 恢复输出文件' : '',
  ]
    .filter((line) => line !== '')
    .join('；');
  const parts = [
    unhandled.length > 0 ? `${unhandled.length} 起篡改事件未处理` : '',
    unreachable.length > 0 ? `${unreachable.length} 台前端服务器近 5 分钟未联系上` : '',
    staleSweeps.length > 0 ? `${staleSweeps.length} 台前端服务器未按时全量校验` : '',
    outputFaults.length > 0 ? `${outputFaults.length} 个输出文件与发布清单不符` : '',
  ].filter((part) => part !== '');
  const failed = items.length > 0;
  const served =
    fronts.length > 0
      ? `由 ${fronts.length} 台前端服务器提供（${fronts.join('、')}）`
      : '由 CMS 直接提供（未配置前端服务器）';
  if (fronts.length === 0 && output === null && !failed)
    return {
      ...base,
      state: 'not-checked',
      count: null,
      detail: `本站${served}；输出文件与清单的校验随每晚的全面检查进行，也可随时运行 gazette verify-output`,
      todo: '',
      items: [],
    };
  const fine =
    fronts.length > 0
      ? '均在 5 分钟内联系上，全量校验按时进行，没有未处理的篡改事件'
      : `${output?.checked ?? 0} 个页面的输出文件与发布清单一致`;
  return {
    ...base,
    state: failed ? 'fail' : 'pass',
    count: items.length,
    detail: `本站${served}：${failed ? parts.join('；') : fine}`,
    todo,
    items,
  };
}
