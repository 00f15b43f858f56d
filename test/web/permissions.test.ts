import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { PLATFORM_ROLES, ROLES, type LetterStep, type Role } from '../../src/domain/index.js';
import {
  addContentField,
  addSite,
  createArticle,
  createChannel,
  createWordingEntry,
  currentSite,
  platformConsole,
  setDefaultSite,
  siteLook,
  placeArticle,
  setDisclosure,
  setSubmissionColumn,
  stepArticle,
  stepPlacement,
  submitArticle,
  systemActor,
  addUnit,
  updateUnit,
  letterDesk,
  putCalendarDays,
  stepLetter,
  submitLetter,
  putReplyDocument,
  stepInfoRequest,
  submitInfoRequest,
  addLetterReplyFile,
  createSurvey,
  setSurveyStatus,
  createConsultation,
  addConsultationAttachment,
  publishConsultation,
  submitComment,
  consultationComments,
  type ConsultationInput,
  type SurveyInput,
  type Actor,
  type LetterStepInput,
  type ArticleView,
  type ServiceContext,
} from '../../src/services/index.js';
import { DEFAULT_THEME_DIR, themeFiles } from '../../src/theme/index.js';
import { demoApp } from '../helpers/app.js';
import { contextFor, testStore, type TestStore } from '../helpers/store.js';
import { fronts } from '../../src/store/index.js';
import { letterIdOf, letterInput, solvedPow } from '../helpers/letters.js';
import { citizenRequest, requestIdOf } from '../helpers/info-requests.js';
import { pdfOfSize } from '../helpers/uploads.js';
import {
  actorFor,
  makeRoleAccounts,
  makeUser,
  multipart,
  signIn,
  ROLE_ACCOUNTS,
  TEST_PASSWORD,
  type ApiClient,
} from '../helpers/backoffice.js';

const ALL = ROLES;
const READERS: Role[] = ['editor', 'reviewer', 'publisher', 'admin'];
const WRITERS: Role[] = ['editor', 'reviewer', 'publisher'];
const REVIEWERS: Role[] = ['reviewer', 'publisher'];
const CASE_READERS: Role[] = ['admin', 'office', 'handler'];

/**
 * Who may call each back-office route, written out by hand (not derived from the code's role
 * table, so that a change to either one shows up here).
 */
const MATRIX: Readonly<Record<string, readonly Role[]>> = {
  'GET /api/v1/session': ALL,
  'DELETE /api/v1/session': ALL,
  'POST /api/v1/session/password': ALL,
  'POST /api/v1/session/totp': ALL,
  'POST /api/v1/session/totp/confirm': ALL,
  'GET /api/v1/session/sites': ALL,
  'POST /api/v1/session/confirm': ALL,
  'PUT /api/v1/session/email': ALL,
  'GET /api/v1/sessions': ALL,
  'DELETE /api/v1/sessions': ALL,
  'DELETE /api/v1/sessions/{ref}': ALL,
  'GET /api/v1/site': ALL,
  'PATCH /api/v1/site': ['admin'],
  'GET /api/v1/site/look': ['admin'],
  'PUT /api/v1/site/look': ['admin'],
  'POST /api/v1/site/look/preview': ['admin'],
  'GET /api/v1/site/look/progress': ['admin'],
  'POST /api/v1/site/look/images/{slot}': ['admin'],
  'GET /api/v1/theme/templates': ['admin'],
  'GET /api/v1/theme/templates/{name}': ['admin'],
  'POST /api/v1/theme/templates/{name}/validate': ['admin'],
  'POST /api/v1/theme/templates/{name}/preview': ['admin'],
  'PUT /api/v1/theme/templates/{name}': ['admin'],
  'POST /api/v1/theme/templates/{name}/reset': ['admin'],
  'GET /api/v1/theme/templates/{name}/revisions': ['admin'],
  'GET /api/v1/theme/revisions/{id}/diff': ['admin'],
  'POST /api/v1/theme/revisions/{id}/restore': ['admin'],
  'GET /api/v1/dashboard': READERS,
  'GET /api/v1/articles': READERS,
  'POST /api/v1/articles': WRITERS,
  'GET /api/v1/articles/{id}': READERS,
  'PATCH /api/v1/articles/{id}': WRITERS,
  'DELETE /api/v1/articles/{id}': WRITERS,
  'POST /api/v1/articles/{id}/submit': WRITERS,
  'POST /api/v1/articles/{id}/approve': REVIEWERS,
  'POST /api/v1/articles/{id}/reject': REVIEWERS,
  'POST /api/v1/articles/{id}/publish': ['publisher'],
  'POST /api/v1/articles/{id}/withdraw': ['publisher'],
  'GET /api/v1/articles/{id}/revisions': READERS,
  'GET /api/v1/articles/{id}/revisions/{n}': READERS,
  'GET /api/v1/articles/{id}/revisions/{n}/diff': READERS,
  'POST /api/v1/articles/{id}/revisions/{n}/restore': WRITERS,
  'GET /api/v1/channels': ALL,
  'GET /api/v1/channels/{id}': ALL,
  'POST /api/v1/channels': ['admin'],
  'PATCH /api/v1/channels/{id}': ['admin'],
  'DELETE /api/v1/channels/{id}': ['admin'],
  'GET /api/v1/content-types': READERS,
  'POST /api/v1/content-types/{type}/fields': ['admin'],
  'DELETE /api/v1/content-types/{type}/fields/{name}': ['admin'],
  'GET /api/v1/media': READERS,
  'POST /api/v1/media': READERS,
  'GET /api/v1/users': ['security'],
  'POST /api/v1/users': ['security'],
  'PATCH /api/v1/users/{id}': ['security'],
  'GET /api/v1/audit': ['auditor'],
  'GET /api/v1/audit/verify': ['auditor'],
  'GET /api/v1/articles/{id}/marks': READERS,
  'PUT /api/v1/articles/{id}/marks': ['publisher'],
  'GET /api/v1/articles/{id}/disclosure': READERS,
  'PUT /api/v1/articles/{id}/disclosure': WRITERS,
  'DELETE /api/v1/articles/{id}/disclosure': WRITERS,
  'GET /api/v1/disclosure/report': READERS,
  'GET /admin/preview/{id}': READERS,
  'POST /api/v1/wording/check': [...READERS, 'security'],
  'GET /api/v1/wording/entries': [...READERS, 'security'],
  'POST /api/v1/wording/entries': ['admin'],
  'PATCH /api/v1/wording/entries/{id}': ['admin'],
  'DELETE /api/v1/wording/entries/{id}': ['admin'],
  'POST /api/v1/articles/{id}/wording-override': ['security'],
  'GET /api/v1/health': READERS,
  'GET /api/v1/fronts': ['platform'],
  'GET /api/v1/fronts/events': ['admin', 'platform'],
  'POST /api/v1/fronts/events/{id}/handle': ['admin', 'platform'],
  'POST /api/v1/health/run': ['admin'],
  'GET /api/v1/sites': ['platform'],
  'POST /api/v1/sites': ['platform'],
  'PATCH /api/v1/sites/{id}': ['platform'],
  'DELETE /api/v1/sites/{id}': ['platform'],
  'PUT /api/v1/sites/default': ['platform'],
  'GET /api/v1/sites/health': ['platform'],
  'GET /api/v1/placements': READERS,
  'POST /api/v1/placements': WRITERS,
  'POST /api/v1/placements/{id}/approve': REVIEWERS,
  'POST /api/v1/placements/{id}/reject': REVIEWERS,
  'POST /api/v1/placements/{id}/publish': ['publisher'],
  'POST /api/v1/placements/{id}/withdraw': ['publisher'],
  'DELETE /api/v1/placements/{id}': WRITERS,
  'GET /api/v1/articles/{id}/placements': READERS,
  'GET /api/v1/submissions': READERS,
  'GET /api/v1/submissions/targets': WRITERS,
  'POST /api/v1/submissions': WRITERS,
  'POST /api/v1/submissions/{id}/adopt': WRITERS,
  'POST /api/v1/submissions/{id}/return': WRITERS,
  'GET /api/v1/submissions/stats': READERS,
  'GET /api/v1/submission-columns': ALL,
  'PUT /api/v1/channels/{id}/submissions': ['admin'],
  'GET /api/v1/letter-desk': CASE_READERS,
  'PUT /api/v1/letter-desk': ['admin'],
  'GET /api/v1/case-units': CASE_READERS,
  'POST /api/v1/case-units': ['admin'],
  'GET /api/v1/case-units/candidates': ['admin'],
  'PATCH /api/v1/case-units/{id}': ['admin'],
  'GET /api/v1/hotline': ['admin'],
  'PUT /api/v1/hotline': ['admin'],
  'POST /api/v1/hotline/secret': ['admin'],
  'GET /api/v1/hotline/deliveries': ['admin'],
  'GET /api/v1/letter-stats': CASE_READERS,
  'GET /api/v1/info-requests': ['admin', 'office'],
  'GET /api/v1/info-requests/{id}': ['admin', 'office'],
  'GET /api/v1/info-requests/{id}/applicant': ['office'],
  'POST /api/v1/info-requests/{id}/confirm': ['office'],
  'POST /api/v1/info-requests/{id}/ask-correction': ['office'],
  'POST /api/v1/info-requests/{id}/corrected': ['office'],
  'POST /api/v1/info-requests/{id}/consult': ['office'],
  'POST /api/v1/info-requests/{id}/consulted': ['office'],
  'POST /api/v1/info-requests/{id}/extend': ['office'],
  'POST /api/v1/info-requests/{id}/answer': ['office'],
  'PUT /api/v1/info-requests/{id}/reply-document': ['office'],
  'GET /api/v1/info-requests/{id}/reply-document': ['admin', 'office'],
  'GET /api/v1/letters': CASE_READERS,
  'GET /api/v1/letter-alerts': CASE_READERS,
  'GET /api/v1/letters/{id}': CASE_READERS,
  'GET /api/v1/letters/{id}/personal': ['office', 'handler'],
  'POST /api/v1/letters/{id}/accept': ['office'],
  'POST /api/v1/letters/{id}/reject': ['office'],
  'POST /api/v1/letters/{id}/merge': ['office'],
  'POST /api/v1/letters/{id}/assign': ['office'],
  'POST /api/v1/letters/{id}/return': ['handler'],
  'POST /api/v1/letters/{id}/recall': ['office'],
  'POST /api/v1/letters/{id}/reply': ['handler'],
  'POST /api/v1/letters/{id}/approve': ['office', 'handler'],
  'POST /api/v1/letters/{id}/send-back': ['office', 'handler'],
  'POST /api/v1/letters/{id}/publish': ['office'],
  'POST /api/v1/letters/{id}/unpublish': ['office'],
  'GET /api/v1/calendar/{year}': ALL,
  'PUT /api/v1/calendar': ['platform'],
  'DELETE /api/v1/calendar/{day}': ['platform'],
  'PUT /api/v1/calendar/{year}': ['platform'],
  // The files of a letter: the writer's are personal data; the reply's are drafted by the unit.
  'GET /api/v1/letters/{id}/writer-attachments/{attachmentId}': ['office', 'handler'],
  'GET /api/v1/letters/{id}/reply-attachments/{attachmentId}': CASE_READERS,
  'POST /api/v1/letters/{id}/reply-attachments': ['handler'],
  'DELETE /api/v1/letters/{id}/reply-attachments/{attachmentId}': ['handler'],
  // 意见征集: run by the office, which alone reads the commenters.
  'GET /api/v1/consultations': ['office'],
  'POST /api/v1/consultations': ['office'],
  'POST /api/v1/consultations/period': ['office'],
  'GET /api/v1/consultations/{id}': ['office'],
  'PUT /api/v1/consultations/{id}': ['office'],
  'POST /api/v1/consultations/{id}/publish': ['office'],
  'POST /api/v1/consultations/{id}/withdraw': ['office'],
  'PUT /api/v1/consultations/{id}/feedback': ['office'],
  'POST /api/v1/consultations/{id}/feedback/publish': ['office'],
  'POST /api/v1/consultations/{id}/attachments': ['office'],
  'GET /api/v1/consultations/{id}/attachments/{attachmentId}': ['office'],
  'DELETE /api/v1/consultations/{id}/attachments/{attachmentId}': ['office'],
  'GET /api/v1/consultations/{id}/comments': ['office'],
  'PUT /api/v1/consultations/{id}/comments/{commentId}': ['office'],
  'GET /api/v1/consultations/{id}/comments/{commentId}/commenter': ['office'],
  // 网上调查: run by the office.
  'GET /api/v1/surveys': ['office'],
  'POST /api/v1/surveys': ['office'],
  'GET /api/v1/surveys/{id}': ['office'],
  'PUT /api/v1/surveys/{id}': ['office'],
  'POST /api/v1/surveys/{id}/publish': ['office'],
  'POST /api/v1/surveys/{id}/withdraw': ['office'],
  'GET /api/v1/surveys/{id}/results': ['office'],
  'GET /api/v1/surveys/{id}/results.csv': ['office'],
};

const CONSULTATION_INPUT: ConsultationInput = {
  title: '矩阵征求意见稿',
  kind: 'rule',
  concernsBusiness: false,
  draftingUnit: '区司法局',
  draftHtml: '<p>第一条</p>',
  explanationHtml: '<p>起草说明</p>',
  startDay: '2025-12-01',
  endDay: '2025-12-31',
  contactName: '法规科',
  contactPhone: '0512-63001234',
  contactEmail: 'sfj@example.gov.cn',
  otherWays: '',
};

const SURVEY_INPUT: SurveyInput = {
  title: '矩阵调查',
  description: '<p>说明</p>',
  startDay: '2025-12-01',
  endDay: '2025-12-31',
  respondentRule: 'phone',
  resultsPublic: true,
  questions: [{ kind: 'single', title: '评价', required: true, options: ['满意', '不满意'] }],
};

/** Routes about the signed-in person, not a site: the same on every site. */
const USER_LEVEL = new Set([
  'GET /api/v1/session',
  'DELETE /api/v1/session',
  'POST /api/v1/session/password',
  'POST /api/v1/session/totp',
  'POST /api/v1/session/totp/confirm',
  'GET /api/v1/session/sites',
  'POST /api/v1/session/confirm',
  'PUT /api/v1/session/email',
  'GET /api/v1/sessions',
  'DELETE /api/v1/sessions',
  'DELETE /api/v1/sessions/{ref}',
  // The site's name, time zone and grey mode: what its public pages show anyway.
  'GET /api/v1/site',
  // The national holiday calendar under every deadline: the same for every site.
  'GET /api/v1/calendar/{year}',
]);

/** The same client working on another site, as the back office's site switcher sends it. */
function onSite(client: ApiClient, siteId: number): ApiClient {
  return {
    ...client,
    request: (method, url, body, headers = {}) =>
      client.request(method, url, body, { 'x-gazette-site': String(siteId), ...headers }),
  };
}

describe('permission matrix: every role × every back-office route × own and other site', () => {
  let store: TestStore;
  let app: FastifyInstance;
  let ctx: ServiceContext;
  let accounts: Awaited<ReturnType<typeof makeRoleAccounts>>;
  let channelId: number;
  let png: Buffer;
  let serial = 0;
  let otherSite: number;
  /** A column of this site that takes placements, one of the other site that takes submissions, one here that does too. */
  let placeColumn: number;
  let otherColumn: number;
  let inboxColumn: number;
  /** A unit the handler account leads. */
  let unitId: number;

  before(async () => {
    store = await testStore();
    // The demo site by id: the routes below add other sites to the store.
    ctx = { ...contextFor(store), siteId: 1 };
    app = await demoApp(store, { app: { loginPerMinute: 1000, writesPerMinute: 1000 } });
    accounts = await makeRoleAccounts(ctx);
    channelId = (await currentSite(store.db)).tree.all().find((c) => c.slug === 'bqdt')?.id ?? 0;
    png = await sharp({ create: { width: 20, height: 20, channels: 3, background: '#c00' } })
      .png()
      .toBuffer();
    // The routes below add sites: the demo site stays the one an unnamed host (the test's) reaches.
    await setDefaultSite(ctx, platformConsole('test'), 'www.example.gov.cn');
    // A site where the role accounts hold no site role: only the platform-level roles reach it.
    otherSite = (await addSite(ctx, platformConsole('test'), { host: 'other.example.gov.cn', name: '其他站点' })).id;
    const tree = (await currentSite(store.db, 1)).tree;
    placeColumn = tree.all().find((c) => c.slug === 'tzgg')?.id ?? 0;
    inboxColumn = tree.all().find((c) => c.slug === 'bmdt')?.id ?? 0;
    const system = systemActor('test');
    const other = { ...ctx, siteId: otherSite };
    otherColumn = (await createChannel(other, system, { name: '上级来稿', slug: 'sjlg' })).id;
    await setSubmissionColumn(other, system, otherColumn, { open: true, points: 1 });
    await setSubmissionColumn(ctx, system, inboxColumn, { open: true, points: 1 });
    unitId = (await addUnit(ctx, actorFor(accounts.admin), { name: '矩阵单位' })).id;
    await updateUnit(ctx, actorFor(accounts.admin), unitId, {
      members: [{ userId: accounts.handler.id, leader: true }],
    });
  });
  after(async () => {
    await app?.close();
    await store.dispose();
  });

  /**
   * Fixtures kept for the next call that asks for the same one, until a call is not refused. A
   * refused call changes nothing, and most calls of the matrix are refused: making a fresh
   * published article, letter or consultation for each took most of this suite's minutes. A call
   * that was let through may have changed what it acted on, so every kept fixture goes then.
   */
  const kept = new Map<string, Promise<unknown>>();
  /** `make`, answering a second call with the same arguments with the fixture it made first (while kept). */
  function reusable<A extends unknown[], T>(make: (...args: A) => Promise<T>): (...args: A) => Promise<T> {
    return (...args) => {
      const key = `${make.name} ${JSON.stringify(args)}`;
      const found = kept.get(key) as Promise<T> | undefined;
      if (found) return found;
      const made = make(...args);
      kept.set(key, made);
      // A fixture that failed to be made is not kept: the next call tries again.
      void made.catch(() => kept.get(key) === made && kept.delete(key));
      return made;
    };
  }

  /** An article in the state a route acts on, written by `author`. */
  async function newArticle(
    state: 'draft' | 'submitted' | 'approved' | 'published',
    author: Role = 'editor',
  ): Promise<ArticleView> {
    const writer = actorFor(accounts[author]);
    let view = await createArticle(ctx, writer, { channelId, title: `矩阵测试${++serial}`, bodyHtml: '<p>正文</p>' });
    if (state === 'draft') return view;
    view = await stepArticle(ctx, writer, view.id, 'submit');
    if (state === 'submitted') return view;
    view = await stepArticle(ctx, actorFor(accounts.reviewer2), view.id, 'approve');
    if (state === 'approved') return view;
    return stepArticle(ctx, actorFor(accounts.publisher), view.id, 'publish');
  }

  /** A placement of a fresh published article in 通知公告, in the state a route acts on (placed by the editor). */
  async function newPlacement(state: 'submitted' | 'approved' | 'published'): Promise<number> {
    const a = await newArticle('published');
    let view = await placeArticle(ctx, actorFor(accounts.editor), { articleId: a.id, channelId: placeColumn });
    if (state === 'submitted') return view.id;
    view = await stepPlacement(ctx, actorFor(accounts.reviewer2), view.id, 'approve');
    if (state === 'approved') return view.id;
    return (await stepPlacement(ctx, actorFor(accounts.publisher), view.id, 'publish')).id;
  }

  /** A tamper event of this site, reported by a front of the platform (the front made once). */
  async function newFrontEvent(): Promise<number> {
    const front =
      (await fronts.findFrontByName(store.db, 'matrix-front')) ??
      (await fronts.insertFront(store.db, {
        name: 'matrix-front',
        url: 'http://127.0.0.1:9',
        tokenFile: '/nonexistent/front.token',
        siteIds: '',
        createdAt: '2025-12-01T01:00:00.000Z',
      }));
    const remoteId = ++serial;
    const [event] = await fronts.storeEvents(
      store.db,
      front,
      [
        {
          remoteId,
          at: '2025-12-01T00:30:00.000Z',
          siteId: 1,
          path: '/bqdt/',
          file: '1/bqdt/index.html',
          kind: 'modified',
          detail: '@@ -1 +1 @@\n-a\n+b\n',
          quarantine: null,
          restored: 1,
        },
      ],
      remoteId,
    );
    assert.ok(event, 'the event was stored');
    return event.id;
  }

  /** A pending submission to this site's 部门动态, from the other site. */
  async function newSubmission(): Promise<number> {
    const other = { ...ctx, siteId: otherSite };
    const system = systemActor('test');
    const made = await createArticle(other, system, {
      channelId: otherColumn,
      title: `来稿${++serial}`,
      bodyHtml: '<p>来稿正文</p>',
    });
    return (await submitArticle(other, system, { articleId: made.id, channelId: inboxColumn })).id;
  }

  /** A letter of this site in the state a route acts on (with the unit the handler account leads). */
  async function newLetter(
    state: 'received' | 'accepted' | 'assigned' | 'reviewing' | 'reviewed-once' | 'answered' | 'published',
  ): Promise<number> {
    const receipt = await submitLetter(
      ctx,
      { ...letterInput({ phone: `139${String(++serial).padStart(8, '0')}` }), altcha: await solvedPow(ctx) },
      `198.18.${Math.floor(serial / 200)}.${serial % 200}`,
    );
    const id = await letterIdOf(store.db, receipt.queryCode);
    const office = actorFor(accounts.office);
    const handler = actorFor(accounts.handler);
    const steps: [Actor, LetterStep, LetterStepInput][] = [
      [office, 'accept', {}],
      [office, 'assign', { unitId }],
      [handler, 'reply', { reply: '<p>答复</p>' }],
      [handler, 'approve', {}],
      [office, 'approve', {}],
      [office, 'publish', {}],
    ];
    const order = ['received', 'accepted', 'assigned', 'reviewing', 'reviewed-once', 'answered', 'published'];
    for (const [actor, step, input] of steps.slice(0, order.indexOf(state)))
      await stepLetter(ctx, actor, id, step, input);
    return id;
  }

  /** A letter routed to the handler's unit with a file from its writer and one on the reply in draft. */
  async function newLetterWithFiles(): Promise<{ id: number; writerFile: number; replyFile: number }> {
    const receipt = await submitLetter(
      ctx,
      { ...letterInput({ phone: `136${String(++serial).padStart(8, '0')}` }), altcha: await solvedPow(ctx) },
      `198.20.${Math.floor(serial / 200)}.${serial % 200}`,
      [{ filename: '来信附件.pdf', data: pdfOfSize(700, `w${serial}`) }],
    );
    const id = await letterIdOf(store.db, receipt.queryCode);
    await stepLetter(ctx, actorFor(accounts.office), id, 'accept', {});
    await stepLetter(ctx, actorFor(accounts.office), id, 'assign', { unitId });
    const detail = await addLetterReplyFile(ctx, actorFor(accounts.handler), id, {
      filename: '答复附件.pdf',
      data: pdfOfSize(700, `d${serial}`),
    });
    const [writerFile, replyFile] = [detail.writerAttachments[0]?.id, detail.replyAttachments[0]?.id];
    // Without the files every call would be a 404, which the matrix counts as allowed: no file, no test.
    assert.ok(writerFile && replyFile, 'the letter has a file from its writer and one on its reply');
    return { id, writerFile, replyFile };
  }

  /** A consultation of the site: a draft, or published with an attachment and a comment. */
  async function newConsultation(
    state: 'draft' | 'published' = 'published',
  ): Promise<{ id: number; attachmentId: number; commentId: number }> {
    const office = actorFor(accounts.office);
    const made = await createConsultation(ctx, office, { ...CONSULTATION_INPUT, title: `矩阵征集${++serial}` });
    if (state === 'draft') return { id: made.id, attachmentId: 0, commentId: 0 };
    const attached = await addConsultationAttachment(ctx, office, made.id, {
      filename: '征求意见稿.pdf',
      data: pdfOfSize(700, `a${serial}`),
    });
    await publishConsultation(ctx, office, made.id);
    await submitComment(
      ctx,
      made.id,
      { name: '张三', phone: `135${String(serial).padStart(8, '0')}`, body: '建议', altcha: await solvedPow(ctx) },
      `198.21.${Math.floor(serial / 200)}.${serial % 200}`,
    );
    const commentId = (await consultationComments(ctx, office, made.id))[0]?.id;
    const attachmentId = attached.attachments[0]?.id;
    assert.ok(commentId && attachmentId, 'the consultation has an attachment and a comment');
    return { id: made.id, attachmentId, commentId };
  }

  /** A survey of the site, a draft or published (opens 1 December, the pinned day). */
  async function newSurvey(state: 'draft' | 'published'): Promise<number> {
    const office = actorFor(accounts.office);
    const made = await createSurvey(ctx, office, { ...SURVEY_INPUT, title: `矩阵调查${++serial}` });
    if (state === 'draft') return made.id;
    return (await setSurveyStatus(ctx, office, made.id, 'published')).id;
  }

  /** A disclosure request moved by the office as far as `state`, with its reply document from 'documented' on. */
  async function newInfoRequest(
    state: 'submitted' | 'processing' | 'correcting' | 'consulting' | 'documented',
  ): Promise<number> {
    const receipt = await submitInfoRequest(
      ctx,
      { ...citizenRequest({ phone: `137${String(++serial).padStart(8, '0')}` }), altcha: await solvedPow(ctx) },
      `198.19.${Math.floor(serial / 200)}.${serial % 200}`,
    );
    const id = await requestIdOf(store.db, receipt.queryCode);
    const office = actorFor(accounts.office);
    if (state === 'submitted') return id;
    await stepInfoRequest(ctx, office, id, 'confirm', {});
    if (state === 'correcting') await stepInfoRequest(ctx, office, id, 'ask-correction', { note: '请补正' });
    if (state === 'consulting') await stepInfoRequest(ctx, office, id, 'consult', { note: '征求意见' });
    if (state === 'documented')
      await putReplyDocument(ctx, office, id, { filename: 'reply.pdf', data: pdfOfSize(600, `reply${serial}`) });
    return id;
  }

  const article = reusable(newArticle);
  const placement = reusable(newPlacement);
  const frontEvent = reusable(newFrontEvent);
  const submission = reusable(newSubmission);
  const letter = reusable(newLetter);
  const letterWithFiles = reusable(newLetterWithFiles);
  const consultation = reusable(newConsultation);
  const survey = reusable(newSurvey);
  const infoRequest = reusable(newInfoRequest);

  /**
   * Calls one route as a client, with fixtures that an allowed role can really act on (kept ones
   * where the call changes only what it is given; new ones where the setup changes them first).
   */
  async function call(route: string, role: Role, client: ApiClient): Promise<LightMyRequestResponse> {
    const ownDraft = () => article('draft', WRITERS.includes(role) ? role : 'editor');
    switch (route) {
      case 'GET /api/v1/session':
      case 'GET /api/v1/session/sites':
      case 'GET /api/v1/site':
      case 'GET /api/v1/dashboard':
      case 'GET /api/v1/articles':
      case 'GET /api/v1/channels':
      case 'GET /api/v1/media':
      case 'GET /api/v1/users':
      case 'GET /api/v1/audit':
      case 'GET /api/v1/audit/verify':
        return client.request('GET', route.slice(4));
      case 'DELETE /api/v1/session':
        return (await signIn(app, ROLE_ACCOUNTS[role])).request('DELETE', '/api/v1/session');
      case 'POST /api/v1/session/password':
        return client.request('POST', '/api/v1/session/password', {
          currentPassword: 'not-it',
          newPassword: 'New-Password-2025',
        });
      case 'POST /api/v1/session/totp':
        return client.request('POST', '/api/v1/session/totp', {});
      case 'POST /api/v1/session/totp/confirm':
        return client.request('POST', '/api/v1/session/totp/confirm', { code: '000000' });
      case 'POST /api/v1/session/confirm':
        return client.request('POST', '/api/v1/session/confirm', { password: TEST_PASSWORD });
      case 'PUT /api/v1/session/email':
        return client.request('PUT', '/api/v1/session/email', { email: `${role}@example.gov.cn` });
      case 'GET /api/v1/sessions':
        return client.request('GET', '/api/v1/sessions');
      case 'DELETE /api/v1/sessions':
        return client.request('DELETE', '/api/v1/sessions');
      case 'DELETE /api/v1/sessions/{ref}':
        return client.request('DELETE', '/api/v1/sessions/0123456789abcdef');
      case 'PATCH /api/v1/site':
        return client.request('PATCH', '/api/v1/site', { mourning: false });
      case 'GET /api/v1/site/look':
      case 'GET /api/v1/site/look/progress':
        return client.request('GET', route.slice(4));
      case 'PUT /api/v1/site/look': {
        // The look as it is: an allowed save changes nothing, so every role meets the same version.
        const { look, version } = await siteLook(ctx);
        return client.request('PUT', '/api/v1/site/look', { look, version });
      }
      case 'POST /api/v1/site/look/preview':
        return client.request('POST', '/api/v1/site/look/preview', { look: (await siteLook(ctx)).look });
      case 'POST /api/v1/site/look/images/{slot}': {
        const form = multipart({ alt: '网站标志' }, { name: 'logo.png', data: png, type: 'image/png' });
        return client.request('POST', '/api/v1/site/look/images/logo', form.body, { 'content-type': form.contentType });
      }
      case 'GET /api/v1/theme/templates':
      case 'GET /api/v1/theme/templates/{name}':
      case 'GET /api/v1/theme/templates/{name}/revisions':
        return client.request('GET', route.slice(4).replace('{name}', 'footer'));
      case 'POST /api/v1/theme/templates/{name}/validate':
        return client.request('POST', '/api/v1/theme/templates/footer/validate', { source: '<footer></footer>' });
      case 'POST /api/v1/theme/templates/{name}/preview':
        return client.request('POST', '/api/v1/theme/templates/footer/preview', {
          source: '<footer></footer>',
          paths: ['/'],
        });
      case 'PUT /api/v1/theme/templates/{name}':
        // The default's own text: an allowed save changes no page.
        return client.request('PUT', '/api/v1/theme/templates/footer', {
          source: themeFiles(DEFAULT_THEME_DIR).source('footer'),
        });
      case 'POST /api/v1/theme/templates/{name}/reset':
        return client.request('POST', '/api/v1/theme/templates/footer/reset');
      case 'GET /api/v1/theme/revisions/{id}/diff':
        return client.request('GET', '/api/v1/theme/revisions/1/diff');
      case 'POST /api/v1/theme/revisions/{id}/restore':
        return client.request('POST', '/api/v1/theme/revisions/1/restore');
      case 'POST /api/v1/articles':
        return client.request('POST', '/api/v1/articles', { channelId, title: '新稿', bodyHtml: '<p>x</p>' });
      case 'GET /api/v1/articles/{id}':
        return client.request('GET', `/api/v1/articles/${(await article('draft')).id}`);
      case 'PATCH /api/v1/articles/{id}': {
        const a = await ownDraft();
        return client.request('PATCH', `/api/v1/articles/${a.id}`, { version: a.version, title: '改' });
      }
      case 'DELETE /api/v1/articles/{id}':
        return client.request('DELETE', `/api/v1/articles/${(await ownDraft()).id}`);
      case 'POST /api/v1/articles/{id}/submit':
        return client.request('POST', `/api/v1/articles/${(await ownDraft()).id}/submit`, {});
      case 'POST /api/v1/articles/{id}/approve':
        return client.request('POST', `/api/v1/articles/${(await article('submitted')).id}/approve`, {});
      case 'POST /api/v1/articles/{id}/reject':
        return client.request('POST', `/api/v1/articles/${(await article('submitted')).id}/reject`, {
          comment: '退回',
        });
      case 'POST /api/v1/articles/{id}/publish':
        return client.request('POST', `/api/v1/articles/${(await article('approved')).id}/publish`, {});
      case 'POST /api/v1/articles/{id}/withdraw':
        return client.request('POST', `/api/v1/articles/${(await article('published')).id}/withdraw`, { reason: '撤' });
      case 'GET /api/v1/articles/{id}/revisions':
        return client.request('GET', `/api/v1/articles/${(await article('draft')).id}/revisions`);
      case 'GET /api/v1/articles/{id}/revisions/{n}':
        return client.request('GET', `/api/v1/articles/${(await article('draft')).id}/revisions/1`);
      case 'GET /api/v1/articles/{id}/revisions/{n}/diff':
        return client.request('GET', `/api/v1/articles/${(await article('draft')).id}/revisions/1/diff`);
      case 'POST /api/v1/articles/{id}/revisions/{n}/restore': {
        const a = await ownDraft();
        return client.request('POST', `/api/v1/articles/${a.id}/revisions/1/restore`, { version: a.version });
      }
      case 'GET /api/v1/channels/{id}':
        return client.request('GET', `/api/v1/channels/${channelId}`);
      case 'POST /api/v1/channels':
        return client.request('POST', '/api/v1/channels', { name: `新栏目${++serial}`, slug: `new${serial}` });
      case 'PATCH /api/v1/channels/{id}':
        return client.request('PATCH', `/api/v1/channels/${channelId}`, { description: '本区新闻' });
      case 'GET /api/v1/content-types':
        return client.request('GET', '/api/v1/content-types');
      case 'POST /api/v1/content-types/{type}/fields':
        return client.request('POST', '/api/v1/content-types/article/fields', {
          name: `added${++serial}`,
          label: `添加的字段${serial}`,
          kind: 'text',
        });
      case 'DELETE /api/v1/content-types/{type}/fields/{name}': {
        const name = `removed${++serial}`;
        await addContentField(ctx, actorFor(accounts.admin), 'article', {
          name,
          label: `待删字段${serial}`,
          kind: 'text',
        });
        return client.request('DELETE', `/api/v1/content-types/article/fields/${name}`);
      }
      case 'DELETE /api/v1/channels/{id}': {
        const channel = await createChannel(ctx, actorFor(accounts.admin), {
          name: `待删${++serial}`,
          slug: `del${serial}`,
        });
        return client.request('DELETE', `/api/v1/channels/${channel.id}`);
      }
      case 'POST /api/v1/media': {
        const form = multipart({ alt: '红色方块' }, { name: 'red.png', data: png, type: 'image/png' });
        return client.request('POST', '/api/v1/media', form.body, { 'content-type': form.contentType });
      }
      case 'POST /api/v1/users':
        return client.request('POST', '/api/v1/users', {
          username: `user${++serial}`,
          displayName: '新用户',
          password: 'Initial-Pass-2025',
          roles: [{ role: 'editor', channelId: null }],
        });
      case 'PATCH /api/v1/users/{id}':
        return client.request('PATCH', `/api/v1/users/${accounts.editor.id}`, { displayName: '编辑' });
      case 'GET /api/v1/articles/{id}/marks':
        return client.request('GET', `/api/v1/articles/${(await article('draft')).id}/marks`);
      case 'PUT /api/v1/articles/{id}/marks':
        return client.request('PUT', `/api/v1/articles/${(await article('published')).id}/marks`, {
          headline: true,
          picture: false,
        });
      case 'GET /api/v1/articles/{id}/disclosure':
        return client.request('GET', `/api/v1/articles/${(await article('draft')).id}/disclosure`);
      case 'PUT /api/v1/articles/{id}/disclosure':
        return client.request('PUT', `/api/v1/articles/${(await ownDraft()).id}/disclosure`, {
          topic: '综合政务',
          organizationCode: '113205090141600114',
        });
      case 'DELETE /api/v1/articles/{id}/disclosure': {
        const a = await newArticle('draft', WRITERS.includes(role) ? role : 'editor');
        await setDisclosure(ctx, actorFor(accounts.publisher), a.id, {
          topic: '综合政务',
          organizationCode: '113205090141600114',
        });
        return client.request('DELETE', `/api/v1/articles/${a.id}/disclosure`);
      }
      case 'GET /api/v1/disclosure/report':
        return client.request('GET', '/api/v1/disclosure/report?year=2025');
      case 'GET /api/v1/health':
        return client.request('GET', '/api/v1/health');
      case 'GET /api/v1/fronts':
      case 'GET /api/v1/fronts/events':
        return client.request('GET', route.slice(4));
      case 'POST /api/v1/fronts/events/{id}/handle':
        return client.request('POST', `/api/v1/fronts/events/${await frontEvent()}/handle`, { note: '已处理' });
      case 'POST /api/v1/health/run':
        return client.request('POST', '/api/v1/health/run', {});
      case 'GET /admin/preview/{id}':
        return client.request('GET', `/admin/preview/${(await article('draft')).id}`);
      case 'POST /api/v1/wording/check':
        return client.request('POST', '/api/v1/wording/check', { title: '国家旅游局', bodyHtml: '<p>正文</p>' });
      case 'GET /api/v1/wording/entries':
        return client.request('GET', '/api/v1/wording/entries?source=site');
      case 'POST /api/v1/wording/entries':
        return client.request('POST', '/api/v1/wording/entries', {
          phrase: `错词${++serial}`,
          kind: 'wrong',
          severity: 'custom',
          suggestion: '正词',
        });
      case 'PATCH /api/v1/wording/entries/{id}':
      case 'DELETE /api/v1/wording/entries/{id}': {
        const entry = await createWordingEntry(ctx, actorFor(accounts.admin), {
          phrase: `本站词${++serial}`,
          kind: 'canonical',
          severity: 'custom',
        });
        const method = route.startsWith('PATCH') ? 'PATCH' : 'DELETE';
        return client.request(
          method,
          `/api/v1/wording/entries/${entry.id}`,
          method === 'PATCH' ? { note: '改' } : undefined,
        );
      }
      case 'POST /api/v1/articles/{id}/wording-override': {
        const slip = await createArticle(ctx, actorFor(accounts.editor), {
          channelId,
          title: `放行测试${++serial}`,
          bodyHtml: '<p>习进平总书记指出</p>',
        });
        return client.request('POST', `/api/v1/articles/${slip.id}/wording-override`, { reason: '原文如此' });
      }
      case 'GET /api/v1/sites':
      case 'GET /api/v1/sites/health':
        return client.request('GET', route.slice(4));
      case 'POST /api/v1/sites':
        return client.request('POST', '/api/v1/sites', {
          host: `new${++serial}.example.gov.cn`,
          name: `新站点${serial}`,
        });
      case 'PATCH /api/v1/sites/{id}':
      case 'DELETE /api/v1/sites/{id}': {
        const site = await addSite(ctx, platformConsole('test'), {
          host: `site${++serial}.example.gov.cn`,
          name: `站点${serial}`,
        });
        const method = route.startsWith('PATCH') ? 'PATCH' : 'DELETE';
        return client.request(method, `/api/v1/sites/${site.id}`, method === 'PATCH' ? { name: '改名' } : undefined);
      }
      case 'PUT /api/v1/sites/default':
        return client.request('PUT', '/api/v1/sites/default', { siteId: 1 });
      case 'GET /api/v1/placements':
      case 'GET /api/v1/submissions/targets':
      case 'GET /api/v1/submission-columns':
        return client.request('GET', route.slice(4));
      case 'POST /api/v1/placements':
        return client.request('POST', '/api/v1/placements', {
          articleId: (await article('published')).id,
          channelId: placeColumn,
        });
      case 'POST /api/v1/placements/{id}/approve':
        return client.request('POST', `/api/v1/placements/${await placement('submitted')}/approve`, {});
      case 'POST /api/v1/placements/{id}/reject':
        return client.request('POST', `/api/v1/placements/${await placement('submitted')}/reject`, {
          comment: '不引用',
        });
      case 'POST /api/v1/placements/{id}/publish':
        return client.request('POST', `/api/v1/placements/${await placement('approved')}/publish`, {});
      case 'POST /api/v1/placements/{id}/withdraw':
        return client.request('POST', `/api/v1/placements/${await placement('published')}/withdraw`, {
          reason: '撤下',
        });
      case 'DELETE /api/v1/placements/{id}':
        return client.request('DELETE', `/api/v1/placements/${await placement('submitted')}`);
      case 'GET /api/v1/articles/{id}/placements':
        return client.request('GET', `/api/v1/articles/${(await article('published')).id}/placements`);
      case 'GET /api/v1/submissions':
        return client.request('GET', '/api/v1/submissions?box=inbox');
      case 'GET /api/v1/submissions/stats':
        return client.request('GET', '/api/v1/submissions/stats?period=2025');
      case 'POST /api/v1/submissions':
        return client.request('POST', '/api/v1/submissions', {
          articleId: (await ownDraft()).id,
          channelId: otherColumn,
        });
      case 'POST /api/v1/submissions/{id}/adopt':
        return client.request('POST', `/api/v1/submissions/${await submission()}/adopt`, { as: 'copy' });
      case 'POST /api/v1/submissions/{id}/return':
        return client.request('POST', `/api/v1/submissions/${await submission()}/return`, { reason: '不采用' });
      case 'PUT /api/v1/channels/{id}/submissions':
        return client.request('PUT', `/api/v1/channels/${placeColumn}/submissions`, { open: true, points: 3 });
      case 'GET /api/v1/letter-desk':
      case 'GET /api/v1/case-units':
      case 'GET /api/v1/case-units/candidates':
      case 'GET /api/v1/letters':
      case 'GET /api/v1/letter-alerts':
        return client.request('GET', route.slice(4));
      case 'PUT /api/v1/letter-desk':
        return client.request('PUT', '/api/v1/letter-desk', await letterDesk(ctx, actorFor(accounts.admin)));
      case 'POST /api/v1/case-units':
        return client.request('POST', '/api/v1/case-units', { name: `单位${++serial}` });
      case 'PATCH /api/v1/case-units/{id}':
        return client.request('PATCH', `/api/v1/case-units/${unitId}`, { sortOrder: 1 });
      case 'GET /api/v1/hotline':
      case 'GET /api/v1/hotline/deliveries':
        return client.request('GET', route.slice(4));
      case 'PUT /api/v1/hotline':
        return client.request('PUT', '/api/v1/hotline', { enabled: false, url: 'https://12345.example.gov.cn/events' });
      case 'POST /api/v1/hotline/secret':
        return client.request('POST', '/api/v1/hotline/secret', {});
      case 'GET /api/v1/letters/{id}':
        return client.request('GET', `/api/v1/letters/${await letter('received')}`);
      case 'GET /api/v1/letters/{id}/personal':
        return client.request('GET', `/api/v1/letters/${await letter('assigned')}/personal`);
      case 'POST /api/v1/letters/{id}/accept':
        return client.request('POST', `/api/v1/letters/${await letter('received')}/accept`, {});
      case 'POST /api/v1/letters/{id}/reject':
        return client.request('POST', `/api/v1/letters/${await letter('received')}/reject`, { reason: '重复提交' });
      case 'POST /api/v1/letters/{id}/merge': {
        const earlier = await newLetter('received');
        return client.request('POST', `/api/v1/letters/${await letter('received')}/merge`, { duplicateOf: earlier });
      }
      case 'POST /api/v1/letters/{id}/assign':
        return client.request('POST', `/api/v1/letters/${await letter('accepted')}/assign`, { unitId });
      case 'POST /api/v1/letters/{id}/return':
        return client.request('POST', `/api/v1/letters/${await letter('assigned')}/return`, { note: '非本单位职责' });
      case 'POST /api/v1/letters/{id}/recall':
        return client.request('POST', `/api/v1/letters/${await letter('assigned')}/recall`, {});
      case 'POST /api/v1/letters/{id}/reply':
        return client.request('POST', `/api/v1/letters/${await letter('assigned')}/reply`, { reply: '<p>答复</p>' });
      case 'POST /api/v1/letters/{id}/approve':
      case 'POST /api/v1/letters/{id}/send-back': {
        // The first review is the unit leader's (the handler account leads the unit), the second the office's.
        const id = await letter(role === 'office' ? 'reviewed-once' : 'reviewing');
        return client.request('POST', `/api/v1/letters/${id}/${route.endsWith('approve') ? 'approve' : 'send-back'}`, {
          note: '请补充',
        });
      }
      case 'POST /api/v1/letters/{id}/publish':
        return client.request('POST', `/api/v1/letters/${await letter('answered')}/publish`, {});
      case 'POST /api/v1/letters/{id}/unpublish':
        return client.request('POST', `/api/v1/letters/${await letter('published')}/unpublish`, {});
      case 'GET /api/v1/calendar/{year}':
        return client.request('GET', '/api/v1/calendar/2025');
      case 'PUT /api/v1/calendar':
        return client.request('PUT', '/api/v1/calendar', {
          days: [{ day: '2027-01-01', kind: 'holiday', name: '元旦' }],
        });
      case 'PUT /api/v1/calendar/{year}':
        return client.request('PUT', '/api/v1/calendar/2027', { complete: true });
      case 'DELETE /api/v1/calendar/{day}':
        await putCalendarDays(ctx, platformConsole('test'), [{ day: '2027-01-02', kind: 'holiday', name: '元旦' }]);
        return client.request('DELETE', '/api/v1/calendar/2027-01-02');
      case 'GET /api/v1/info-requests':
        return client.request('GET', '/api/v1/info-requests');
      case 'GET /api/v1/letter-stats':
        return client.request('GET', '/api/v1/letter-stats?year=2025');
      case 'GET /api/v1/info-requests/{id}':
        return client.request('GET', `/api/v1/info-requests/${await infoRequest('submitted')}`);
      case 'GET /api/v1/info-requests/{id}/applicant':
        return client.request('GET', `/api/v1/info-requests/${await infoRequest('submitted')}/applicant`);
      case 'POST /api/v1/info-requests/{id}/confirm':
        return client.request('POST', `/api/v1/info-requests/${await infoRequest('submitted')}/confirm`, {});
      case 'POST /api/v1/info-requests/{id}/ask-correction':
        return client.request('POST', `/api/v1/info-requests/${await infoRequest('processing')}/ask-correction`, {
          note: '请补充文号',
        });
      case 'POST /api/v1/info-requests/{id}/corrected':
        return client.request('POST', `/api/v1/info-requests/${await infoRequest('correcting')}/corrected`, {});
      case 'POST /api/v1/info-requests/{id}/consult':
        return client.request('POST', `/api/v1/info-requests/${await infoRequest('processing')}/consult`, {});
      case 'POST /api/v1/info-requests/{id}/consulted':
        return client.request('POST', `/api/v1/info-requests/${await infoRequest('consulting')}/consulted`, {});
      case 'POST /api/v1/info-requests/{id}/extend':
        return client.request('POST', `/api/v1/info-requests/${await infoRequest('processing')}/extend`, {
          days: 10,
          note: '需要调取档案',
        });
      case 'POST /api/v1/info-requests/{id}/answer':
        return client.request('POST', `/api/v1/info-requests/${await infoRequest('documented')}/answer`, {
          outcome: 'open',
        });
      case 'PUT /api/v1/info-requests/{id}/reply-document': {
        const form = multipart(
          {},
          { name: 'reply.pdf', data: pdfOfSize(700, `put${++serial}`), type: 'application/pdf' },
        );
        return client.request(
          'PUT',
          `/api/v1/info-requests/${await infoRequest('processing')}/reply-document`,
          form.body,
          {
            'content-type': form.contentType,
          },
        );
      }
      case 'GET /api/v1/info-requests/{id}/reply-document':
        return client.request('GET', `/api/v1/info-requests/${await infoRequest('documented')}/reply-document`);
      case 'GET /api/v1/letters/{id}/writer-attachments/{attachmentId}': {
        const files = await letterWithFiles();
        return client.request('GET', `/api/v1/letters/${files.id}/writer-attachments/${files.writerFile}`);
      }
      case 'GET /api/v1/letters/{id}/reply-attachments/{attachmentId}': {
        const files = await letterWithFiles();
        return client.request('GET', `/api/v1/letters/${files.id}/reply-attachments/${files.replyFile}`);
      }
      case 'POST /api/v1/letters/{id}/reply-attachments': {
        const form = multipart(
          {},
          { name: '答复附件.pdf', data: pdfOfSize(700, `r${++serial}`), type: 'application/pdf' },
        );
        return client.request('POST', `/api/v1/letters/${(await letterWithFiles()).id}/reply-attachments`, form.body, {
          'content-type': form.contentType,
        });
      }
      case 'DELETE /api/v1/letters/{id}/reply-attachments/{attachmentId}': {
        const files = await letterWithFiles();
        return client.request('DELETE', `/api/v1/letters/${files.id}/reply-attachments/${files.replyFile}`);
      }
      case 'GET /api/v1/consultations':
        return client.request('GET', '/api/v1/consultations');
      case 'POST /api/v1/consultations':
        return client.request('POST', '/api/v1/consultations', CONSULTATION_INPUT);
      case 'POST /api/v1/consultations/period':
        return client.request('POST', '/api/v1/consultations/period', {
          kind: 'rule',
          concernsBusiness: false,
          startDay: '2025-12-01',
          endDay: '2025-12-31',
        });
      case 'GET /api/v1/consultations/{id}':
      case 'GET /api/v1/consultations/{id}/comments':
        return client.request('GET', route.slice(4).replace('{id}', String((await consultation()).id)));
      case 'PUT /api/v1/consultations/{id}':
        return client.request('PUT', `/api/v1/consultations/${(await consultation()).id}`, CONSULTATION_INPUT);
      case 'POST /api/v1/consultations/{id}/publish':
        return client.request('POST', `/api/v1/consultations/${(await consultation('draft')).id}/publish`, {});
      case 'POST /api/v1/consultations/{id}/withdraw':
        return client.request('POST', `/api/v1/consultations/${(await consultation()).id}/withdraw`, {});
      case 'PUT /api/v1/consultations/{id}/feedback':
        return client.request('PUT', `/api/v1/consultations/${(await consultation()).id}/feedback`, { text: '反馈' });
      case 'POST /api/v1/consultations/{id}/feedback/publish':
        // Refused before the end (409): the permission is checked first.
        return client.request('POST', `/api/v1/consultations/${(await consultation()).id}/feedback/publish`, {});
      case 'POST /api/v1/consultations/{id}/attachments': {
        const form = multipart(
          {},
          { name: '征求意见稿.pdf', data: pdfOfSize(700, `c${++serial}`), type: 'application/pdf' },
        );
        return client.request('POST', `/api/v1/consultations/${(await consultation()).id}/attachments`, form.body, {
          'content-type': form.contentType,
        });
      }
      case 'GET /api/v1/consultations/{id}/attachments/{attachmentId}': {
        const made = await consultation();
        return client.request('GET', `/api/v1/consultations/${made.id}/attachments/${made.attachmentId}`);
      }
      case 'DELETE /api/v1/consultations/{id}/attachments/{attachmentId}': {
        const made = await consultation();
        return client.request('DELETE', `/api/v1/consultations/${made.id}/attachments/${made.attachmentId}`);
      }
      case 'PUT /api/v1/consultations/{id}/comments/{commentId}': {
        const made = await consultation();
        return client.request('PUT', `/api/v1/consultations/${made.id}/comments/${made.commentId}`, {
          decision: 'adopted',
        });
      }
      case 'GET /api/v1/consultations/{id}/comments/{commentId}/commenter': {
        const made = await consultation();
        return client.request('GET', `/api/v1/consultations/${made.id}/comments/${made.commentId}/commenter`);
      }
      case 'GET /api/v1/surveys':
        return client.request('GET', '/api/v1/surveys');
      case 'POST /api/v1/surveys':
        return client.request('POST', '/api/v1/surveys', SURVEY_INPUT);
      case 'GET /api/v1/surveys/{id}':
      case 'GET /api/v1/surveys/{id}/results':
      case 'GET /api/v1/surveys/{id}/results.csv':
        return client.request('GET', route.slice(4).replace('{id}', String(await survey('published'))));
      case 'PUT /api/v1/surveys/{id}':
        return client.request('PUT', `/api/v1/surveys/${await survey('draft')}`, SURVEY_INPUT);
      case 'POST /api/v1/surveys/{id}/publish':
        return client.request('POST', `/api/v1/surveys/${await survey('draft')}/publish`, {});
      case 'POST /api/v1/surveys/{id}/withdraw':
        return client.request('POST', `/api/v1/surveys/${await survey('published')}/withdraw`, {});
      default:
        throw new Error(`no call written for ${route}`);
    }
  }

  test('the matrix names every documented back-office route', async () => {
    const spec = (await app.inject('/api/openapi.json')).json<{ paths: Record<string, Record<string, unknown>> }>();
    const documented = Object.entries(spec.paths)
      .flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`))
      .filter(
        (route) =>
          !route.endsWith('/api/v1/search') && !route.includes('/api/v1/public/') && route !== 'POST /api/v1/session',
      )
      .sort();
    assert.deepEqual(
      documented,
      Object.keys(MATRIX)
        .filter((r) => r.includes('/api/v1/'))
        .sort(),
    );
  });

  /**
   * A route called as `role` (call) and its answer read: refused or not. An answer that is not a
   * refusal drops the kept fixtures, before any assertion on it can fail.
   */
  async function answerOf(
    route: string,
    role: Role,
    client: ApiClient,
  ): Promise<{ response: LightMyRequestResponse; body: { code?: string }; denied: boolean }> {
    const response = await call(route, role, client);
    let denied = false;
    try {
      const body = response.headers['content-type']?.toString().includes('json')
        ? response.json<{ code?: string }>()
        : {};
      denied = response.statusCode === 403 && body.code === 'PERMISSION_DENIED';
      return { response, body, denied };
    } finally {
      if (!denied) kept.clear();
    }
  }

  for (const role of ROLES) {
    test(`${role}: allowed exactly where the matrix says`, async () => {
      const client = await signIn(app, ROLE_ACCOUNTS[role]);
      const wrong: string[] = [];
      for (const [route, allowed] of Object.entries(MATRIX)) {
        const { response, body, denied } = await answerOf(route, role, client);
        assert.notEqual(response.statusCode, 401, `${route} as ${role}: ${response.body}`);
        assert.notEqual(body.code, 'CSRF_INVALID', route);
        const expectAllowed = allowed.includes(role);
        if (denied === expectAllowed) wrong.push(`${route}: ${response.statusCode} ${response.body.slice(0, 120)}`);
        if (expectAllowed)
          assert.ok(response.statusCode < 500, `${route} as ${role}: ${response.statusCode} ${response.body}`);
      }
      assert.deepEqual(wrong, [], `${role} is ${wrong.length ? 'wrongly allowed or denied' : ''}`);
    });
  }

  for (const role of ROLES) {
    test(`${role} on a site where it holds no role: its own session, and its platform-level powers only`, async () => {
      const client = onSite(await signIn(app, ROLE_ACCOUNTS[role]), otherSite);
      const wrong: string[] = [];
      for (const [route, allowed] of Object.entries(MATRIX)) {
        const { response, denied } = await answerOf(route, role, client);
        assert.notEqual(response.statusCode, 401, `${route} as ${role}: ${response.body}`);
        const expectAllowed = USER_LEVEL.has(route) || (PLATFORM_ROLES.includes(role) && allowed.includes(role));
        if (denied === expectAllowed) wrong.push(`${route}: ${response.statusCode} ${response.body.slice(0, 120)}`);
        if (expectAllowed)
          assert.ok(response.statusCode < 500, `${route} as ${role}: ${response.statusCode} ${response.body}`);
      }
      assert.deepEqual(wrong, [], `${role} on another site is ${wrong.length ? 'wrongly allowed or denied' : ''}`);
    });
  }

  test("an editor of another site can neither read nor change this site's drafts, columns or settings", async () => {
    await makeUser({ ...ctx, siteId: otherSite }, 'othereditor', [{ role: 'editor' }]);
    const own = onSite(await signIn(app, 'othereditor'), otherSite);
    const draft = await article('draft');
    const codes = async (method: 'GET' | 'PATCH' | 'POST' | 'DELETE', url: string, body?: unknown) => {
      const response = await own.request(method, url, body);
      return [response.statusCode, response.json<{ code?: string }>().code];
    };
    assert.deepEqual(await codes('GET', `/api/v1/articles/${draft.id}`), [404, 'ARTICLE_NOT_FOUND']);
    assert.deepEqual(
      await codes('PATCH', `/api/v1/articles/${draft.id}`, { version: draft.version, title: '越权修改' }),
      [404, 'ARTICLE_NOT_FOUND'],
    );
    assert.deepEqual(await codes('POST', `/api/v1/articles/${draft.id}/submit`), [404, 'ARTICLE_NOT_FOUND']);
    assert.deepEqual(await codes('DELETE', `/api/v1/articles/${draft.id}`), [404, 'ARTICLE_NOT_FOUND']);
    assert.deepEqual(
      await codes('POST', '/api/v1/articles', { channelId, title: '投到别的站点', bodyHtml: '<p>x</p>' }),
      [404, 'CHANNEL_NOT_FOUND'],
    );
    // Its list holds its own site's articles (the matrix's submissions came from there), none of this site's.
    const listed = (await own.request('GET', '/api/v1/articles')).json<{
      items: { id: number; channelId: number }[];
    }>();
    assert.deepEqual(
      listed.items.filter((item) => item.channelId !== otherColumn),
      [],
    );
    // Without the site switcher's header the address's site is this one, where the editor holds no role.
    const atAddress = await signIn(app, 'othereditor');
    assert.deepEqual([(await atAddress.request('GET', `/api/v1/articles/${draft.id}`)).statusCode], [403]);
    assert.equal(
      (await store.db.selectFrom('article').select('title').where('id', '=', draft.id).executeTakeFirstOrThrow()).title,
      draft.title,
    );
  });

  test('without a session every back-office route answers 401 AUTH_REQUIRED', async () => {
    for (const route of Object.keys(MATRIX)) {
      const [method, path] = route.split(' ') as ['GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', string];
      const url = path.replace(/\{(id|n)\}/g, '1');
      const response = await app.inject({ method, url, ...(method === 'GET' ? {} : { payload: {} }) });
      assert.equal(response.statusCode, 401, `${route}: ${response.body}`);
      assert.equal(response.json<{ code: string }>().code, 'AUTH_REQUIRED', route);
    }
  });
});
