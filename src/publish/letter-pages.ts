import type { Kysely } from 'kysely';
import {
  APPLICANT_CLASSES,
  APPLICANT_CLASS_NAMES,
  DELIVERY_FORMS,
  DELIVERY_WAYS,
  ID_TYPES,
  INFO_REQUEST_PATH,
  LETTER_TYPE_NAMES,
  LETTERS_PATH,
  chunkOf,
  formatDate,
  letterListPath,
  letterPath,
  listLayout,
} from '../domain/index.js';
import { letterAttachments, letters, type Database, type Letter } from '../store/index.js';
import type { LetterStatistics } from '../services/cases/stats.js';
import type { PageChanges } from './deps.js';
import { frame, shownPositions, type SiteView } from './pages.js';
import { homeShowsLetter } from './home-deps.js';

/**
 * The published letters (信箱): a list paginated like a column's (chunks counted from the first
 * letter published, so a new one changes only the newest pages) and a page each. Everything they
 * show was masked when the letter was published (letter.published_*): the personal data is never
 * read here.
 */

const crumb = { title: '领导信箱', url: LETTERS_PATH };

function item(view: SiteView, letter: Letter) {
  return {
    title: letter.publishedTitle ?? '',
    url: letterPath(letter.id),
    type: LETTER_TYPE_NAMES[letter.type].zh,
    unit: letter.publishedUnit ?? '',
    received: formatDate(new Date(letter.receivedAt), view.site.timeZone),
    answered: letter.answeredAt ? formatDate(new Date(letter.answeredAt), view.site.timeZone) : '',
  };
}

/** The public list of answered letters; null for a chunk past the last one. */
export async function letterListPage(db: Kysely<Database>, view: SiteView, chunk: number | null) {
  const total = await letters.countPublished(db, view.site.id);
  const shown = shownPositions(total, chunk);
  if (shown === null) return null;
  const rows = await letters.publishedByPosition(db, view.site.id, shown);
  const layout = listLayout(total);
  const title = chunk === null ? '领导信箱' : `领导信箱（第 ${chunk} 组）`;
  return {
    frame: frame(view, `${title} - ${view.site.name}`, letterListPath(chunk), null, {}),
    breadcrumb: [crumb],
    total,
    letters: rows.map((row) => item(view, row)),
    pager:
      chunk === null
        ? {
            front: true,
            older: layout.olderThanFront === null ? null : letterListPath(layout.olderThanFront),
            earliest: layout.olderThanFront === null ? null : letterListPath(1),
          }
        : {
            front: false,
            latest: letterListPath(null),
            newer: chunk < layout.chunks ? letterListPath(chunk + 1) : letterListPath(null),
            older: chunk > 1 ? letterListPath(chunk - 1) : null,
          },
  };
}

/** A published reply file's address: served while its letter is on the site (web/letter-files.ts). */
export function letterFilePath(file: { id: number; fileName: string }): string {
  return `${LETTERS_PATH}fujian/${file.id}/${encodeURIComponent(file.fileName)}`;
}

/** `1536` → `1.5 KB`, as the file lists print sizes. */
export function fileSizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  return bytes < 1024 * 1024 ? `${Number((bytes / 1024).toFixed(1))} KB` : `${Number((bytes / 1048576).toFixed(1))} MB`;
}

/** The reply's files that went public with the letter, as its page lists them. */
export async function letterPageFiles(db: Kysely<Database>, letterId: number) {
  const rows = await letterAttachments.attachmentsOf(db, letterId, 'reply');
  return rows
    .filter((row) => row.publishedAt !== null)
    .map((row) => ({ name: row.fileName, url: letterFilePath(row), size: fileSizeText(row.size) }));
}

/** One published letter: 受理日期, 答复日期, 答复部门, the question and the reply (and its files). */
export function letterPageModel(
  view: SiteView,
  letter: Letter,
  files: readonly { name: string; url: string; size: string }[] = [],
) {
  const tz = view.site.timeZone;
  const title = letter.publishedTitle ?? '';
  return {
    frame: frame(view, `${title} - ${view.site.name}`, letterPath(letter.id), null, {
      ArticleTitle: title,
      ContentSource: letter.publishedUnit ?? '',
    }),
    breadcrumb: [crumb],
    letter: {
      title,
      type: LETTER_TYPE_NAMES[letter.type].zh,
      writer: letter.publishedWriter ?? '',
      received: formatDate(new Date(letter.receivedAt), tz),
      accepted: letter.acceptedAt ? formatDate(new Date(letter.acceptedAt), tz) : '',
      answered: letter.answeredAt ? formatDate(new Date(letter.answeredAt), tz) : '',
      unit: letter.publishedUnit ?? '',
      // The question is plain text: the template escapes it and keeps its paragraphs.
      paragraphs: (letter.publishedBody ?? '').split(/\n+/).filter((p) => p.trim() !== ''),
      replyHtml: letter.publishedReply ?? '',
      files,
    },
  };
}

/** Pages a letter's publication touches: its own page, the list pages it is on, and the home page's 互动交流 block while it shows it. */
export async function pagesForLetter(
  db: Kysely<Database>,
  view: SiteView,
  letter: Letter,
  change: 'added' | 'removed' | 'edited',
): Promise<PageChanges> {
  const render = new Set<string>();
  const remove = new Set<string>();
  (change === 'removed' ? remove : render).add(letterPath(letter.id));
  if (await homeShowsLetter(db, view, letter, change)) render.add('/');
  const total = await letters.countPublished(db, view.site.id);
  const layout = listLayout(total);
  render.add(letterListPath(null));
  if (change === 'edited' && letter.publishedAt !== null) {
    render.add(letterListPath(chunkOf(await letters.publishedPosition(db, letter))));
    return { render, remove };
  }
  // Added at the end, or removed from anywhere: the chunks from its place on move (a removal
  // shifts every later letter); a chunk that no longer exists goes.
  const from = change === 'added' ? layout.chunks : 1;
  for (let chunk = Math.max(1, from); chunk <= layout.chunks; chunk++) render.add(letterListPath(chunk));
  if (change === 'removed') remove.add(letterListPath(layout.chunks + 1));
  return { render, remove };
}

/** Every page of the published letters (the full build). */
export async function letterPaths(db: Kysely<Database>, view: SiteView): Promise<string[]> {
  const ids = await letters.publishedIds(db, view.site.id);
  const chunks = listLayout(ids.length).chunks;
  return [
    letterListPath(null),
    ...Array.from({ length: chunks }, (_, i) => letterListPath(i + 1)),
    ...ids.map((id) => letterPath(id)),
  ];
}

/** What the writer typed, shown again with the reason when the letter was refused. */
export interface LetterFormValues {
  readonly type?: string;
  readonly title?: string;
  readonly body?: string;
  readonly name?: string;
  readonly phone?: string;
  readonly email?: string;
  readonly address?: string;
  readonly unitId?: number;
  readonly agreePublish?: boolean;
  readonly showName?: boolean;
}

export interface LetterFormDesk {
  readonly name: string;
  readonly open: boolean;
  readonly closedReason: string | null;
  readonly types: readonly { type: string; name: string; days: number }[];
  readonly titleMin: number;
  readonly titleMax: number;
  readonly bodyMax: number;
  readonly attachmentsMax: number;
  readonly attachmentMb: number;
  readonly units: readonly { id: number; name: string }[];
}

/**
 * The letter form. It works without JavaScript: the text question (and its signed token) is the
 * check; with JavaScript, site.js solves the proof of work and the question is hidden.
 */
export function letterFormPage(
  view: SiteView,
  desk: LetterFormDesk,
  question: { text: string; token: string } | null,
  values: LetterFormValues = {},
  error: { message: string; field: string | null } | null = null,
) {
  return {
    frame: frame(view, `我要写信 - ${desk.name} - ${view.site.name}`, `${LETTERS_PATH}xiexin`, null, {}),
    breadcrumb: [{ title: desk.name, url: LETTERS_PATH }],
    desk,
    question,
    error,
    values: {
      type: values.type ?? desk.types[0]?.type ?? '',
      title: values.title ?? '',
      body: values.body ?? '',
      name: values.name ?? '',
      phone: values.phone ?? '',
      email: values.email ?? '',
      address: values.address ?? '',
      unitId: values.unitId ?? null,
      agreePublish: values.agreePublish ?? true,
      showName: values.showName ?? false,
    },
  };
}

export interface LetterStatusView {
  readonly queryCode: string;
  readonly title: string;
  readonly statusName: string;
  readonly received: string;
  readonly dueDay: string | null;
  readonly answered: string | null;
  readonly replyUnit: string | null;
  readonly replyHtml: string | null;
  readonly rejectReason: string | null;
  readonly rating: string | null;
  readonly canRate: boolean;
  readonly steps: readonly { name: string; at: string }[];
  /** The reply's files, once answered: the writer downloads them with the code and password. */
  readonly files: readonly { id: number; name: string; size: string }[];
}

/**
 * The writer's page: the form for the query code and password, and once they are right, where
 * the letter stands (and the rating form when the reply is in). A receipt just after sending
 * shows the code and password to keep.
 */
export function letterFollowPage(
  view: SiteView,
  deskName: string,
  state: {
    readonly receipt?: { queryCode: string; password: string };
    readonly status?: LetterStatusView;
    /** The code and password the status was opened with, carried by the rating form. */
    readonly password?: string;
    readonly error?: string;
    readonly notice?: string;
    readonly queryCode?: string;
  },
) {
  return {
    frame: frame(view, `信件查询 - ${deskName} - ${view.site.name}`, `${LETTERS_PATH}chaxun`, null, {}),
    breadcrumb: [{ title: deskName, url: LETTERS_PATH }],
    receipt: state.receipt ?? null,
    status: state.status ?? null,
    password: state.password ?? '',
    error: state.error ?? null,
    notice: state.notice ?? null,
    queryCode: state.queryCode ?? state.status?.queryCode ?? state.receipt?.queryCode ?? '',
    ratings: [
      { value: 5, label: '非常满意' },
      { value: 4, label: '满意' },
      { value: 3, label: '基本满意' },
      { value: 2, label: '不满意' },
      { value: 1, label: '非常不满意' },
    ],
  };
}

// --- 依申请公开: the applicant's form and follow-up ----------------------------------------------

const INFO_REQUEST_CRUMB = { title: '依申请公开', url: `${INFO_REQUEST_PATH}shenqing` };

/** The request form's values as the applicant left them (text fields; the class picks the variant). */
export type InfoRequestFormValues = Partial<Record<string, string>>;

/**
 * The request form (条例 Art. 29), one form with two variants: a citizen gives a name and an ID,
 * an organisation its name, credit code, legal representative and contact. Without JavaScript
 * both parts show and the class chosen decides which counts; site.js hides the other part.
 */
export function infoRequestFormPage(
  view: SiteView,
  options: { open: boolean; closedReason: string | null },
  question: { text: string; token: string } | null,
  values: InfoRequestFormValues = {},
  error: { message: string; field: string | null } | null = null,
) {
  return {
    frame: frame(view, `依申请公开 - ${view.site.name}`, `${INFO_REQUEST_PATH}shenqing`, null, {}),
    breadcrumb: [INFO_REQUEST_CRUMB],
    open: options.open,
    closedReason: options.closedReason,
    question,
    error,
    classes: APPLICANT_CLASSES.map((value) => ({ value, name: APPLICANT_CLASS_NAMES[value].zh })),
    idTypes: ID_TYPES,
    deliveryForms: DELIVERY_FORMS,
    deliveryWays: DELIVERY_WAYS,
    values: { applicantClass: 'natural', deliveryForm: '纸质', deliveryWay: '邮寄', idType: '居民身份证', ...values },
  };
}

export interface InfoRequestStatusView {
  readonly queryCode: string;
  readonly description: string;
  readonly statusName: string;
  readonly submitted: string;
  readonly receivedDay: string | null;
  readonly dueDay: string | null;
  readonly extension: string | null;
  readonly outcomeName: string | null;
  readonly answeredDay: string | null;
  readonly replyDocument: { fileName: string; size: string } | null;
  readonly steps: readonly { name: string; at: string; note: string }[];
}

/** The applicant's page: the code and password form, the receipt, where the request stands. */
export function infoRequestFollowPage(
  view: SiteView,
  state: {
    readonly receipt?: { queryCode: string; password: string };
    readonly status?: InfoRequestStatusView;
    readonly password?: string;
    readonly error?: string;
    readonly queryCode?: string;
  },
) {
  return {
    frame: frame(view, `申请查询 - 依申请公开 - ${view.site.name}`, `${INFO_REQUEST_PATH}chaxun`, null, {}),
    breadcrumb: [INFO_REQUEST_CRUMB],
    receipt: state.receipt ?? null,
    status: state.status ?? null,
    password: state.password ?? '',
    error: state.error ?? null,
    queryCode: state.queryCode ?? state.status?.queryCode ?? state.receipt?.queryCode ?? '',
  };
}

// --- 办理统计: the letter desk's figures -----------------------------------------------------------

type Figures = LetterStatistics['total'];

const percent = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(1)}%`);

/** The figures as the page prints them: rates as percentages, a dash where nothing was counted. */
function printed(row: Figures) {
  return {
    ...row,
    closedRate: percent(row.closedRate),
    onTimeRate: percent(row.onTimeRate),
    satisfiedRate: percent(row.satisfiedRate),
    averageWorkingDays: row.averageWorkingDays === null ? '—' : `${row.averageWorkingDays} 个工作日`,
  };
}

/** The public 办理统计 page: a year's letters by type, unit and month, in tables. */
export function letterStatsPage(
  view: SiteView,
  deskName: string,
  stats: LetterStatistics,
  years: readonly number[],
  error: string | null = null,
) {
  const rows = (list: LetterStatistics['byType']) => list.map((r) => ({ name: r.name, ...printed(r) }));
  return {
    frame: frame(view, `办理统计 - ${deskName} - ${view.site.name}`, `${LETTERS_PATH}tongji`, null, {}),
    breadcrumb: [{ title: deskName, url: LETTERS_PATH }],
    deskName,
    stats,
    total: printed(stats.total),
    years,
    error,
    tables: [
      { caption: `${stats.year} 年按信件类型统计`, by: '信件类型', rows: rows(stats.byType) },
      { caption: `${stats.year} 年按承办单位统计`, by: '承办单位', rows: rows(stats.byUnit) },
      { caption: `${stats.year} 年按月统计`, by: '月份', rows: rows(stats.byMonth) },
    ],
  };
}
