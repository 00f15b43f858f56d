import { GazetteError, escapeHtml, parseLocalDateTime, OWN_SOURCE } from '../domain/index.js';
import type { ImportedPage } from './page.js';

/**
 * The page-text format: the text of an article page as a browser shows it (the seed).
 *
 *   今天是2025年12月01日 星期一            ← date bar, optional, ignored
 *   首页 > 政务公开 > 部门动态 > 正文       ← breadcrumb: the columns, nested as written
 *   标题                                   ← title
 *   副标题                                 ← optional subtitle lines
 *   来源: 本站   发布时间:2021-05-20 22:19   ← source (本站 = the site itself) and publish time
 *   (body)                                 ← paragraphs split at blank lines
 */

const BLANK = /^[\s\u00a0\u3000]*$/;
const INDENT = /^[ \t\u00a0\u3000]+/;
const DATE_BAR = /^今天是.{0,40}星期[一二三四五六日天]$/;
const BREADCRUMB_SEPARATOR = /\s*[>＞›»]\s*/;
const BREADCRUMB_LEAD = /^(?:当前位置|您的位置|所在位置|当前的位置)[:：]\s*/;
const HOME_NAMES = new Set(['首页', '网站首页', '主页']);
const CURRENT_PAGE_NAMES = new Set(['正文', '详情', '内容', '正文内容']);
/** A whole line that is only a bracketed title is a section heading: 《融•国家战略》, 【要闻】. */
const SECTION_HEADING = /^(?:《[^《》]+》|【[^【】]+】)$/;
const META_LABEL = /(来源|作者|发布时间|发布日期|责任编辑|编辑|浏览次数|点击数|阅读次数|访问量|字号|字体)\s*[:：]\s*/g;

interface Line {
  readonly number: number;
  readonly text: string;
}

export interface PageMeta {
  source: string | null;
  author: string;
  responsibleEditor: string;
  publishedAtText: string | null;
}

/** Splits a line such as `来源: 本站   发布时间:2021-05-20 22:19` into labelled values. */
export function parseMetaLine(text: string): PageMeta | null {
  const labels = [...text.matchAll(META_LABEL)];
  if (labels.length === 0) return null;
  const values = new Map<string, string>();
  labels.forEach((m, i) => {
    const start = (m.index ?? 0) + m[0].length;
    const end = labels[i + 1]?.index ?? text.length;
    values.set(
      m[1] ?? '',
      text
        .slice(start, end)
        .replace(/[\s\u00a0\u3000]+/g, ' ')
        .trim(),
    );
  });
  const source = values.get('来源') ?? '';
  return {
    source: source === '' || source === OWN_SOURCE ? null : source,
    author: values.get('作者') ?? '',
    responsibleEditor: values.get('责任编辑') ?? values.get('编辑') ?? '',
    publishedAtText: values.get('发布时间') ?? values.get('发布日期') ?? null,
  };
}

/** Breadcrumb line to column names (`首页 > 政务公开 > 部门动态 > 正文` → 政务公开, 部门动态). */
export function parseBreadcrumb(text: string): string[] | null {
  const trimmed = text.trim().replace(BREADCRUMB_LEAD, '');
  const parts = trimmed.split(BREADCRUMB_SEPARATOR).map((p) => p.trim());
  if (parts.length < 2 || !HOME_NAMES.has(parts[0] ?? '')) return null;
  const columns = parts.slice(1);
  if (CURRENT_PAGE_NAMES.has(columns[columns.length - 1] ?? '')) columns.pop();
  return columns.filter((c) => c !== '');
}

/** Body lines to HTML: paragraphs at blank lines, indentation as a class, headings as h2. */
export function bodyToHtml(lines: readonly string[]): string {
  const blocks: string[] = [];
  let paragraph: string[] = [];
  let indent = false;
  const flush = () => {
    if (paragraph.length > 0) blocks.push(`<p${indent ? ' class="indent"' : ''}>${paragraph.join('<br>')}</p>`);
    paragraph = [];
  };
  for (const raw of lines) {
    if (BLANK.test(raw)) {
      flush();
      continue;
    }
    const text = raw.replace(/[\s\u00a0\u3000]+$/, '');
    const content = text.replace(INDENT, '');
    if (SECTION_HEADING.test(content)) {
      flush();
      blocks.push(`<h2>${escapeHtml(content)}</h2>`);
      continue;
    }
    if (paragraph.length === 0) indent = INDENT.test(text);
    paragraph.push(escapeHtml(content));
  }
  flush();
  return blocks.join('\n');
}

function nextLine(lines: readonly Line[], from: number): number {
  let i = from;
  while (i < lines.length && BLANK.test(lines[i]?.text ?? '')) i++;
  return i;
}

/** Parses one page; throws a GazetteError that names the line for every kind of bad input. */
export function parsePageText(text: string, timeZone: string): ImportedPage {
  const lines: Line[] = text.split(/\r\n|\r|\n/).map((t, i) => ({ number: i + 1, text: t }));
  const lastLine = lines.length;
  let i = nextLine(lines, 0);

  if (DATE_BAR.test(lines[i]?.text.trim() ?? '')) i = nextLine(lines, i + 1);

  const crumbLine = lines[i];
  const columns = crumbLine ? parseBreadcrumb(crumbLine.text) : null;
  if (!crumbLine || columns === null) {
    throw new GazetteError('IMPORT_NO_BREADCRUMB', {}, { line: crumbLine?.number ?? lastLine });
  }
  if (columns.length === 0) throw new GazetteError('IMPORT_BREADCRUMB_NO_COLUMN', {}, { line: crumbLine.number });
  i = nextLine(lines, i + 1);

  const titleLine = lines[i];
  if (!titleLine || parseMetaLine(titleLine.text)?.publishedAtText) {
    throw new GazetteError('IMPORT_NO_TITLE', {}, { line: titleLine?.number ?? lastLine });
  }
  const title = titleLine.text.replace(/[\s\u00a0\u3000]+/g, ' ').trim();
  i = nextLine(lines, i + 1);

  // Up to two subtitle lines may stand between the title and the meta line.
  const metaExpectedAt = lines[i]?.number ?? titleLine.number + 1;
  const subtitles: string[] = [];
  let meta: PageMeta | null = null;
  let metaLine: Line | undefined;
  for (let k = 0; k < 3 && i < lines.length; k++) {
    const line = lines[i];
    if (!line) break;
    const parsed = parseMetaLine(line.text);
    if (parsed?.publishedAtText) {
      meta = parsed;
      metaLine = line;
      break;
    }
    subtitles.push(line.text.trim());
    i = nextLine(lines, i + 1);
  }
  if (!meta || !metaLine || meta.publishedAtText === null) {
    throw new GazetteError('IMPORT_NO_PUBLISH_TIME', {}, { line: metaExpectedAt });
  }
  const publishedAt = parseLocalDateTime(meta.publishedAtText, timeZone);
  if (!publishedAt) {
    throw new GazetteError('IMPORT_BAD_DATE', { value: meta.publishedAtText }, { line: metaLine.number });
  }

  const bodyLines = lines.slice(i + 1).map((l) => l.text);
  const bodyHtml = bodyToHtml(bodyLines);
  if (bodyHtml === '') throw new GazetteError('IMPORT_NO_BODY', {}, { line: lastLine });

  return {
    columns,
    columnsLine: crumbLine.number,
    title,
    subtitle: subtitles.join(' '),
    source: meta.source,
    author: meta.author,
    responsibleEditor: meta.responsibleEditor,
    publishedAt,
    bodyHtml,
    keywords: '',
  };
}
