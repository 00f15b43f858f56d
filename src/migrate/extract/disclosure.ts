// 信息公开 metadata: the 索引号 block government pages put above a document (a table, a dl or a
// list of label/value pairs), mapped to Gazette's disclosure fields.
import { isTag, isText, type AnyNode, type Element } from 'domhandler';
import type { ExtractedDisclosure } from '../types.js';
import { flatText } from './dom.js';

/**
 * Every label such blocks use, the mapped ones and the others: the others only mark where a value
 * ends. Longer first where one ends another (主题分类 before 分类).
 */
const LABELS = [
  '索引号',
  '主题分类',
  '体裁分类',
  '组配分类',
  '服务对象分类',
  '信息分类',
  '分类',
  '发布机构',
  '发文机关',
  '发文机构',
  '发布单位',
  '公开主体',
  '发文字号',
  '文件编号',
  '文号',
  '成文日期',
  '发文日期',
  '发布日期',
  '公开日期',
  '生成日期',
  '生效日期',
  '废止日期',
  '发布时间',
  '有效性',
  '是否有效',
  '时效',
  '名称',
  '标题',
  '主题词',
  '关键词',
  '信息来源',
  '公开方式',
  '公开范围',
  '公开时限',
  '公开形式',
  '内容概述',
  '摘要',
  '所属主题',
  '统一编号',
  '登记号',
];
const GAP = '[\\s\\u00a0\\u3000]*';
/** Labels are often spaced out to line up (文\u3000\u3000号). */
const LABEL_SOURCE = LABELS.map((label) => [...label].join(GAP)).join('|');
/** A label with a colon anywhere, or alone at the start of a cell. */
const LABEL = new RegExp(`(${LABEL_SOURCE})${GAP}[:：]|(?:^|\\n)${GAP}(${LABEL_SOURCE})${GAP}(?=\\n|$)`, 'g');
const INDEX_NO = /索[\s\u00a0\u3000]*引[\s\u00a0\u3000]*号/;
const CONTAINERS = new Set(['table', 'dl', 'ul', 'ol', 'div', 'section', 'p']);
const INLINE = new Set(['a', 'strong', 'b', 'em', 'i', 'u', 'font', 'sub', 'sup']);
/** A metadata block is short; an element this long is the page around it. */
const BLOCK_TEXT_MAX = 1000;
const NONE = new Set(['无', '暂无', '/', '-', '—', '空']);

/** The block's text with a line break at each cell (td, dd, li, span…), so values end at their cell. */
function cellText(el: Element): string {
  let out = '';
  const walk = (node: AnyNode): void => {
    if (isText(node)) out += node.data;
    else if (isTag(node)) {
      if (node.name === 'script' || node.name === 'style') return;
      const cell = !INLINE.has(node.name);
      if (cell) out += '\n';
      node.children.forEach(walk);
      if (cell) out += '\n';
    }
  };
  walk(el);
  return out.replace(/[ \t\r\u00a0\u3000]+/g, ' ');
}

/** Label (spaces dropped) → value, the first of each label kept. */
function labelledValues(text: string): Map<string, string> {
  const matches = [...text.matchAll(LABEL)];
  const values = new Map<string, string>();
  matches.forEach((m, i) => {
    const label = (m[1] ?? m[2] ?? '').replace(/[\s\u00a0\u3000]/g, '');
    const start = (m.index ?? 0) + m[0].length;
    const end = matches[i + 1]?.index ?? text.length;
    const value = text
      .slice(start, end)
      .split('\n')
      .map((line) => line.trim())
      .join('')
      .replace(/^[:：]\s*/, '')
      .trim();
    if (!values.has(label)) values.set(label, NONE.has(value) ? '' : value);
  });
  return values;
}

/** 2021-05-20, 2021年05月20日, 2021/5/20 → 2021-05-20; anything else → null. */
export function normaliseDate(text: string): string | null {
  const m = /(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})/.exec(text);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return `${m[1]}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function isBlock(el: Element): boolean {
  if (!CONTAINERS.has(el.name) || flatText([el]).length > BLOCK_TEXT_MAX) return false;
  const values = labelledValues(cellText(el));
  return values.has('索引号') && values.size >= 2;
}

/** The smallest block around an 索引号 label that holds at least one more label; null when none. */
export function findDisclosureBlock(elements: readonly Element[]): Element | null {
  for (const label of elements) {
    if (!label.children.some((c) => isText(c) && INDEX_NO.test(c.data))) continue;
    for (let at: AnyNode | null = label; at; at = at.parent) {
      if (!isTag(at)) break;
      if (flatText([at]).length > BLOCK_TEXT_MAX) break;
      if (isBlock(at)) return at;
    }
  }
  return null;
}

export function readDisclosure(block: Element): ExtractedDisclosure | null {
  const values = labelledValues(cellText(block));
  const first = (...labels: string[]) =>
    labels.map((l) => values.get(l)).find((v) => v !== undefined && v !== '') ?? '';
  const indexNo = first('索引号');
  if (!indexNo) return null;
  return {
    indexNo,
    organization: first('发布机构', '发文机关', '发文机构', '发布单位', '公开主体'),
    documentNo: first('文号', '发文字号', '文件编号'),
    writtenOn: normaliseDate(first('成文日期', '发文日期')),
    topic: first('主题分类'),
  };
}
