import type { Kysely } from 'kysely';
import {
  LETTER_TYPE_NAMES,
  LETTERS_PATH,
  chunkOf,
  formatDate,
  letterListPath,
  letterPath,
  listLayout,
} from '../domain/index.js';
import { letters, type Database, type Letter } from '../store/index.js';
import type { PageChanges } from './deps.js';
import { frame, shownPositions, type SiteView } from './pages.js';

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

/** One published letter: 受理日期, 答复日期, 答复部门, the question and the reply. */
export function letterPageModel(view: SiteView, letter: Letter) {
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
    },
  };
}

/** Pages a letter's publication touches: its own page, and the list pages it is on. */
export async function pagesForLetter(
  db: Kysely<Database>,
  view: SiteView,
  letter: Letter,
  change: 'added' | 'removed' | 'edited',
): Promise<PageChanges> {
  const render = new Set<string>();
  const remove = new Set<string>();
  (change === 'removed' ? remove : render).add(letterPath(letter.id));
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
