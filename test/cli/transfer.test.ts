import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import {
  addContentField,
  removeContentField,
  addSite,
  platformConsole,
  setDefaultSite,
  createArticle,
  createChannel,
  createWordingEntry,
  importPage,
  login,
  overrideWording,
  placeArticle,
  setSubmissionColumn,
  stepPlacement,
  submitArticle,
  runHealthCheck,
  setDisclosure,
  stepArticle,
  systemActor,
  updateArticle,
  updateChannel,
  uploadMedia,
  addUnit,
  letterDesk,
  putCalendarDays,
  raiseLetterAlerts,
  stepLetter,
  submitLetter,
  submitInfoRequest,
  stepInfoRequest,
  putReplyDocument,
  updateLetterDesk,
  updateUnit,
  rotateHotlineSecret,
  takeHotlineCallback,
  updateHotlineSettings,
  addLetterReplyFile,
  markCalendarYear,
  createConsultation,
  addConsultationAttachment,
  publishConsultation,
  submitComment,
  createSurvey,
  setSurveyStatus,
  answerSurvey,
  type Actor,
  type ServiceContext,
  saveLook,
  saveOverride,
  setArticleMarks,
  siteLook,
} from '../../src/services/index.js';
import { letterIdOf, letterInput, solvedPow } from '../helpers/letters.js';
import { citizenRequest, requestIdOf } from '../helpers/info-requests.js';
import { pdfOfSize } from '../helpers/uploads.js';
import { searchLists } from '../../src/search/index.js';
import { loadTheme } from '../../src/theme/index.js';
import { channels, fronts, migrationUrls, redirects, transfer, type StoreLocation } from '../../src/store/index.js';
import { runCli } from '../helpers/cli.js';
import { contextFor, newDatabase, PINNED_NOW, TEST_BACKEND, TEST_SECRET_KEY } from '../helpers/store.js';
import { demoSite, makePage } from '../helpers/factories.js';
import { COMPLETE_POLICY, typedColumn } from '../helpers/items.js';
import { actorFor, makeRoleAccounts, makeUser, TEST_PASSWORD } from '../helpers/backoffice.js';

const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n' +
    'xref\n0 3\n0000000000 65535 f \ntrailer\n<< /Size 3 /Root 1 0 R >>\nstartxref\n0\n%%EOF\n',
);

/** Articles in every status, with revisions, a rejection comment, a scheduled publish and media. */
async function articlesOfEveryKind(
  ctx: ServiceContext,
  who: Record<'editor' | 'reviewer' | 'publisher', Actor>,
  channelId: number,
): Promise<void> {
  const { editor, reviewer, publisher } = who;
  const draft = (title: string) =>
    createArticle(ctx, editor, { channelId, title, bodyHtml: `<p>${title}的正文。</p>` });
  const image = await uploadMedia(ctx, editor, {
    filename: '会议.png',
    alt: '会议现场',
    data: await sharp({ create: { width: 1200, height: 800, channels: 3, background: '#336699' } })
      .png()
      .toBuffer(),
  });
  const pdf = await uploadMedia(ctx, editor, { filename: '年度报告.pdf', data: PDF });
  const kept = await draft('草稿：有封面和附件');
  await updateArticle(ctx, editor, kept.id, {
    version: kept.version,
    coverImage: image.url,
    attachments: [{ name: '年度报告.pdf', url: pdf.url, size: pdf.size }],
  });
  await stepArticle(ctx, editor, (await draft('已提交待审')).id, 'submit');
  const rejected = await draft('被退回的稿件');
  await stepArticle(ctx, editor, rejected.id, 'submit');
  await stepArticle(ctx, reviewer, rejected.id, 'reject', { comment: '标题请补充时间' });
  const approve = async (title: string) => {
    const article = await draft(title);
    await stepArticle(ctx, editor, article.id, 'submit');
    await stepArticle(ctx, reviewer, article.id, 'approve', { comment: '同意' });
    return article.id;
  };
  await approve('已审核待签发');
  await stepArticle(ctx, publisher, await approve('定时签发'), 'publish', { at: '2025-12-02T01:00:00Z' });
  await stepArticle(ctx, publisher, await approve('区政府召开常务会议'), 'publish');
  const withdrawn = await approve('已撤稿的文章');
  await stepArticle(ctx, publisher, withdrawn, 'publish');
  await stepArticle(ctx, publisher, withdrawn, 'withdraw', { reason: '信息有误' });
}

/**
 * The demo site (nested columns, a single page) and then every other kind of content: a link
 * column, a column moved under a newer one, accounts with site-wide and column grants, a session,
 * articles in every status, an imported page, media, and the search word lists.
 */
async function siteOfEveryKind(ctx: ServiceContext): Promise<void> {
  const site = await demoSite(ctx);
  const accounts = await makeRoleAccounts(ctx);
  const [editor, reviewer, publisher, admin] = [
    accounts.editor,
    accounts.reviewer,
    accounts.publisher,
    accounts.admin,
  ].map(actorFor) as [Actor, Actor, Actor, Actor];
  await createChannel(ctx, admin, { name: '政务服务', type: 'link', linkUrl: 'https://www.gjzwfw.gov.cn/' });
  await createChannel(ctx, admin, {
    name: '联系我们',
    slug: 'lxwm',
    type: 'page',
    bodyHtml: '<p>地址：示范区行政中心</p>',
  });
  const topic = await createChannel(ctx, admin, { name: '专题报道', slug: 'ztbd' });
  const column = await createChannel(ctx, admin, { name: '专题专栏', slug: 'ztzl' });
  await updateChannel(ctx, admin, topic.id, { parentId: column.id });
  await makeUser(ctx, 'topiceditor', [{ role: 'editor', channelId: topic.id }]);
  await login(ctx, { username: 'editor', password: TEST_PASSWORD, ip: '127.0.0.1' });
  await articlesOfEveryKind(ctx, { editor, reviewer, publisher }, topic.id);
  await importPage(ctx, makePage({ title: '导入的页面' }));
  await searchLists.addSynonyms(ctx.store.db, site.id, ['数字政府', '智慧城市']);
  await searchLists.addStopWords(ctx.store.db, site.id, ['有关']);
  await healthContentOfEveryKind(ctx, { editor, publisher, admin, security: actorFor(accounts.security) }, topic.id);
  await lettersOfEveryKind(ctx, accounts);
  await engagementOfEveryKind(ctx, actorFor(accounts.office));
  await typedItemsOfEveryKind(ctx, admin);
  // The platform: a department's site under the portal, and the portal as the default site.
  const water = await addSite(ctx, platformConsole('test'), {
    host: 'swj.example.gov.cn',
    name: '区水务局',
    parentHost: site.domain,
  });
  await setDefaultSite(ctx, platformConsole('test'), site.domain);
  // 引用 and 信息报送: a live placement in the portal, and a submission from the water bureau.
  const atPortal = { ...ctx, siteId: site.id };
  const meeting = await ctx.store.db
    .selectFrom('article')
    .select('id')
    .where('title', '=', '区政府召开常务会议')
    .executeTakeFirstOrThrow();
  const bmdt = (await channels.listChannels(ctx.store.db, site.id)).find((c) => c.slug === 'bmdt')?.id ?? 0;
  const placed = await placeArticle(atPortal, editor, { articleId: meeting.id, channelId: bmdt });
  await stepPlacement(atPortal, reviewer, placed.id, 'approve');
  await stepPlacement(atPortal, publisher, placed.id, 'publish');
  await setSubmissionColumn(atPortal, admin, bmdt, { open: true, points: 2 });
  const atWater = { ...ctx, siteId: water.id };
  const system = systemActor('test');
  const { article: report } = await importPage(atWater, makePage({ title: '水务局报送的稿件' }));
  await submitArticle(atWater, system, { articleId: report.id, channelId: bmdt, note: '请采用' });
  // A front server the CMS pushes to, and a tamper event it reported, handled.
  const front = await fronts.insertFront(ctx.store.db, {
    name: 'dmz-1',
    url: 'http://10.0.8.11:8700',
    tokenFile: '/etc/gazette/dmz-1.token',
    siteIds: '',
    createdAt: '2025-12-01T00:00:00.000Z',
  });
  const [event] = await fronts.storeEvents(
    ctx.store.db,
    front,
    [
      {
        remoteId: 1,
        at: '2025-12-01T00:50:00.000Z',
        siteId: site.id,
        path: '/bqdt/',
        file: '1/bqdt/index.html',
        kind: 'modified',
        detail: '@@ -1 +1 @@\n-<h1>本区动态</h1>\n+<h1>篡改</h1>\n',
        quarantine: '20251201T005000Z-1-1-index.html',
        restored: 1,
      },
    ],
    1,
  );
  assert.ok(event);
  await fronts.handleEvent(ctx.store.db, event.id, { by: admin.userId, note: '已核实', at: new Date(PINNED_NOW) });
  // A site migration: its frontier (an article done, a list queued) and the old URLs that answer 301.
  const old = 'http://old.example.gov.cn';
  await migrationUrls.enqueueUrls(
    ctx.store.db,
    site.id,
    [
      { url: `${old}/xwzx/bqdt/index.html`, role: 'list', text: '本区动态', depth: 1 },
      { url: `${old}/xwzx/bqdt/202105/t20210520_123.html`, role: 'article', text: '区政府召开常务会议', depth: 2 },
    ],
    new Date(PINNED_NOW),
  );
  await migrationUrls.finishUrl(
    ctx.store.db,
    site.id,
    `${old}/xwzx/bqdt/202105/t20210520_123.html`,
    { state: 'done', articleId: meeting.id, contentHash: 'ab'.repeat(32) },
    new Date(PINNED_NOW),
  );
  await redirects.putRedirects(
    ctx.store.db,
    site.id,
    [
      { oldPath: '/xwzx/bqdt/202105/t20210520_123.html', target: '/bqdt/', kind: 'article' },
      { oldPath: '/NewsView.aspx?NewsID=123', target: '/bqdt/', kind: 'article' },
    ],
    new Date(PINNED_NOW),
  );
  // 站点外观, a 头条 mark and a template override with its revision.
  const portal = { ...ctx, siteId: site.id };
  await setArticleMarks(portal, publisher, meeting.id, { headline: true, picture: false });
  const look = await siteLook(portal);
  await saveLook(portal, admin, { ...look.look, mainColour: '#1f4e8c' }, look.version);
  await saveOverride(portal, admin, 'blocks/links', '<section class="block">{{ block.title }}</section>\n');
}

/** Content types: fields the site added, a policy changed by another (a relation), a removed field's values archived. */
async function typedItemsOfEveryKind(ctx: ServiceContext, admin: Actor): Promise<void> {
  const system = systemActor('test');
  const channelId = await typedColumn(ctx, '规范性文件', 'gfxwj', 'policy');
  await addContentField(ctx, admin, 'policy', { name: 'remark', label: '备注', kind: 'text' });
  await addContentField(ctx, admin, 'policy', { name: 'contact', label: '联系人', kind: 'text' });
  const amending = await createArticle(ctx, system, {
    channelId,
    title: '关于修改甲办法的决定',
    bodyHtml: '<p>修改决定。</p>',
    fields: { ...COMPLETE_POLICY, remark: '现行有效' },
  });
  await createArticle(ctx, system, {
    channelId,
    title: '关于甲的办法',
    bodyHtml: '<p>办法全文。</p>',
    fields: { ...COMPLETE_POLICY, validity: '已修改', changedBy: amending.id, contact: '王五' },
  });
  await removeContentField(ctx, admin, 'policy', 'contact', { force: true });
}

/** The health part's content: a site wording entry, an overridden finding, 信息公开 metadata, a health run. */
async function healthContentOfEveryKind(
  ctx: ServiceContext,
  who: Record<'editor' | 'publisher' | 'admin' | 'security', Actor>,
  channelId: number,
): Promise<void> {
  await createWordingEntry(ctx, who.admin, {
    phrase: '示范区政府',
    kind: 'wrong',
    severity: 'custom',
    suggestion: '示范区人民政府',
  });
  const slip = await createArticle(ctx, who.editor, {
    channelId,
    title: '引用原文的稿件',
    bodyHtml: '<p>认真学习习进平总书记重要讲话精神。</p>',
  });
  await overrideWording(ctx, who.security, slip.id, '引用的原文如此，照登');
  const meeting = await ctx.store.db
    .selectFrom('article')
    .select('id')
    .where('title', '=', '区政府召开常务会议')
    .executeTakeFirstOrThrow();
  await setDisclosure(ctx, who.publisher, meeting.id, {
    organizationCode: '113205090141600114',
    documentNo: '示政发〔2025〕1号',
    writtenOn: '2025-11-20',
    topic: '综合政务',
  });
  await runHealthCheck(
    { ...ctx, theme: loadTheme(), outputDir: path.join(path.dirname(ctx.mediaDir), 'public') },
    systemActor('test'),
  );
}

/** 互动交流: the desk's settings, a unit and its leader, a letter routed with its alerts, a calendar change, a disclosure request. */
async function lettersOfEveryKind(
  ctx: ServiceContext,
  accounts: Awaited<ReturnType<typeof makeRoleAccounts>>,
): Promise<void> {
  const [admin, office] = [accounts.admin, accounts.office].map(actorFor) as [Actor, Actor];
  await updateLetterDesk(ctx, admin, { ...(await letterDesk(ctx, admin)), name: '区长信箱' });
  const unit = await addUnit(ctx, admin, { name: '区住建局' });
  await updateUnit(ctx, admin, unit.id, { members: [{ userId: accounts.handler.id, leader: true }] });
  // The 12345 link on: each step below queues a webhook.
  await rotateHotlineSecret(ctx, admin);
  await updateHotlineSettings(ctx, admin, { enabled: true, url: 'https://12345.example.gov.cn/events' });
  const receipt = await submitLetter(ctx, { ...letterInput(), altcha: await solvedPow(ctx) }, '203.0.113.7', [
    { filename: '现场照片说明.pdf', data: pdfOfSize(700, 'writer') },
  ]);
  const id = await letterIdOf(ctx.store.db, receipt.queryCode);
  await stepLetter(ctx, office, id, 'accept', {});
  await stepLetter(ctx, office, id, 'assign', { unitId: unit.id });
  await addLetterReplyFile(ctx, actorFor(accounts.handler), id, {
    filename: '答复附件.pdf',
    data: pdfOfSize(700, 'reply'),
  });
  await takeHotlineCallback(
    ctx,
    { eventId: 'HL-1', queryCode: receipt.queryCode, kind: 'status', status: '已派单' },
    null,
  );
  // Past its five working days (due 2025-12-08): the deadline alerts are raised.
  await raiseLetterAlerts(ctx.store.db, new Date('2025-12-09T09:00:00+08:00'));
  await putCalendarDays(ctx, platformConsole('test'), [{ day: '2027-01-01', kind: 'holiday', name: '元旦' }]);
  await markCalendarYear(ctx, platformConsole('test'), 2027, true);
  // 依申请公开: a request confirmed, with its reply document (kept in the store) and its steps.
  const request = await submitInfoRequest(ctx, { ...citizenRequest(), altcha: await solvedPow(ctx) }, '203.0.113.8');
  const requestId = await requestIdOf(ctx.store.db, request.queryCode);
  await stepInfoRequest(ctx, office, requestId, 'confirm', {});
  await putReplyDocument(ctx, office, requestId, { filename: 'reply.pdf', data: pdfOfSize(700, 'transfer') });
}

/** 意见征集 with an attachment and a comment; 网上调查 with a question and an answer. */
async function engagementOfEveryKind(ctx: ServiceContext, office: Actor): Promise<void> {
  const consultation = await createConsultation(ctx, office, {
    title: '示范区停车管理办法（征求意见稿）',
    kind: 'rule',
    concernsBusiness: false,
    draftingUnit: '区司法局',
    draftHtml: '<p>第一条 为规范停车管理，制定本办法。</p>',
    explanationHtml: '<p>起草说明。</p>',
    startDay: '2025-12-01',
    endDay: '2025-12-31',
    contactName: '法规科',
    contactPhone: '0512-63001234',
    contactEmail: 'sfj@example.gov.cn',
    otherWays: '',
  });
  await addConsultationAttachment(ctx, office, consultation.id, {
    filename: '征求意见稿.pdf',
    data: pdfOfSize(700, 'draft'),
  });
  await publishConsultation(ctx, office, consultation.id);
  await submitComment(
    ctx,
    consultation.id,
    { name: '李四', phone: '13900001111', body: '建议增加夜间停车位。', altcha: await solvedPow(ctx) },
    '203.0.113.9',
  );
  const survey = await createSurvey(ctx, office, {
    title: '停车服务满意度调查',
    description: '<p>请填写。</p>',
    startDay: '2025-12-01',
    endDay: '2025-12-31',
    respondentRule: 'phone',
    resultsPublic: true,
    questions: [{ kind: 'single', title: '总体评价', required: true, options: ['满意', '不满意'] }],
  });
  await setSurveyStatus(ctx, office, survey.id, 'published');
  const question = survey.questions[0]?.id ?? 0;
  await answerSurvey(
    ctx,
    survey.id,
    { answers: [{ questionId: question, choices: [1] }], phone: '13900002222', altcha: await solvedPow(ctx) },
    '203.0.113.10',
  );
}

/** Every copied table's rows, and the derived search documents and counts rebuilt beside them. */
function snapshot(location: StoreLocation) {
  return transfer.withStore(location, async (store) => {
    const tables: Record<string, transfer.Row[]> = {};
    for (const spec of transfer.TABLES) {
      tables[spec.name] = [];
      for await (const batch of transfer.readTable(store.db, spec)) tables[spec.name]?.push(...batch);
    }
    const searchDocs = (await store.db.selectFrom('searchDoc').select('docKey').orderBy('docKey').execute()).map(
      (r) => r.docKey,
    );
    const counts = await store.db.selectFrom('channelCount').selectAll().orderBy('channelId').execute();
    return { tables, searchDocs, counts };
  });
}

const sqliteAt = (dir: string): StoreLocation => ({ databaseUrl: null, sqliteFile: path.join(dir, 'gazette.db') });
const postgresAt = (url: string): StoreLocation => ({ databaseUrl: url, sqliteFile: '' });
const envOf = (dataDir: string, databaseUrl?: string): Record<string, string> => ({
  GAZETTE_DATA: dataDir,
  GAZETTE_NOW: PINNED_NOW,
  // The key the test's own accounts were made with (contextFor): every copy of the store keeps them.
  GAZETTE_SECRET_KEY: TEST_SECRET_KEY,
  ...(databaseUrl && { DATABASE_URL: databaseUrl }),
});

/** Every file below a folder, relative to it, with its bytes. */
function filesBelow(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  if (!fs.existsSync(dir)) return files;
  for (const name of fs.readdirSync(dir, { recursive: true }) as string[]) {
    const file = path.join(dir, name);
    if (fs.statSync(file).isFile()) files.set(name, fs.readFileSync(file));
  }
  return files;
}

// The round trip needs both backends whatever the run's backend is: it runs once, in the
// PostgreSQL pass of `npm test` (and by hand).
if (TEST_BACKEND !== 'sqlite')
  describe('gazette migrate-store, backup and restore', () => {
    let root = '';
    const databases: { url: string; drop(): Promise<void> }[] = [];
    const dir = (name: string) => path.join(root, name);
    const database = async () => {
      const made = await newDatabase('gazette_transfer');
      databases.push(made);
      return made.url;
    };
    let original: Awaited<ReturnType<typeof snapshot>>;

    before(async () => {
      root = fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-transfer-'));
      await transfer.withStore(sqliteAt(dir('a')), (store) =>
        siteOfEveryKind({ ...contextFor(store), mediaDir: path.join(dir('a'), 'media') }),
      );
      const build = await runCli(['build', '--site', 'www.example.gov.cn'], envOf(dir('a')));
      assert.equal(build.code, 0, build.stderr);
      original = await snapshot(sqliteAt(dir('a')));
    });
    after(async () => {
      for (const made of databases) await made.drop();
      fs.rmSync(root, { recursive: true, force: true });
    });

    test('the demo site holds every kind of content', () => {
      const statuses = new Set(original.tables.article?.map((a) => a.status));
      assert.deepEqual([...statuses].sort(), ['approved', 'draft', 'published', 'submitted', 'withdrawn']);
      assert.deepEqual(new Set(original.tables.channel?.map((c) => c.type)), new Set(['list', 'page', 'link']));
      for (const { name } of transfer.TABLES.filter((t) => t.name !== 'publish_task'))
        assert.ok((original.tables[name]?.length ?? 0) > 0, `${name} has rows`);
      assert.ok(original.tables.article_comment?.some((c) => c.body === '标题请补充时间'));
      assert.ok(original.tables.job?.some((j) => j.status === 'pending'));
      assert.deepEqual(
        original.tables.media?.map((m) => m.kind),
        ['image', 'attachment'],
      );
    });

    test('sqlite → postgres → sqlite round-trips the site row for row, verified', async () => {
      const postgres = await database();
      const there = await runCli(
        ['migrate-store', '--from', `sqlite:${sqliteAt(dir('a')).sqliteFile}`, '--to', postgres],
        envOf(dir('a')),
      );
      assert.equal(there.code, 0, there.stdout + there.stderr);
      // platform_setting: the default site and the secret key's fingerprint.
      assert.match(there.stdout, /^table +rows\nsite +2\nsite_host +2\nplatform_setting +2\n/);
      assert.match(there.stdout, new RegExp(`\\narticle +${original.tables.article?.length}\\n`));
      assert.match(
        there.stdout,
        /\naudit chain intact: \d+ entries; head \d+:[0-9a-f]{64}\nmedia files: \d+\nverified\n$/,
      );
      assert.match(there.stderr, /copy audit_log: 100%/);

      const back = await runCli(
        ['migrate-store', '--from', postgres, '--to', `sqlite:${sqliteAt(dir('b')).sqliteFile}`],
        envOf(dir('a')),
      );
      assert.equal(back.code, 0, back.stdout + back.stderr);
      assert.deepEqual(await snapshot(postgresAt(postgres)), original);
      assert.deepEqual(await snapshot(sqliteAt(dir('b'))), original);
    });

    for (const backend of ['sqlite', 'postgres'] as const) {
      test(`backup and restore on ${backend}: the same rows, the same media files`, async () => {
        const [from, to] = backend === 'sqlite' ? [undefined, undefined] : [await database(), await database()];
        if (from)
          assert.equal(
            (
              await runCli(
                ['migrate-store', '--from', `sqlite:${sqliteAt(dir('a')).sqliteFile}`, '--to', from],
                envOf(dir('a')),
              )
            ).code,
            0,
          );
        const file = dir(`${backend}.backup`);
        const backup = await runCli(['backup', file], envOf(dir('a'), from));
        assert.equal(backup.code, 0, backup.stdout + backup.stderr);
        assert.match(
          backup.stdout,
          new RegExp(`\\naudit head \\d+:[0-9a-f]{64}\\nmedia files: \\d+\\nbackup written to ${file}\\n$`),
        );

        const target = dir(`restored-${backend}`);
        const restore = await runCli(['restore', file], envOf(target, to));
        assert.equal(restore.code, 0, restore.stdout + restore.stderr);
        assert.match(restore.stdout, /\nverified\n$/);
        assert.deepEqual(await snapshot(to ? postgresAt(to) : sqliteAt(target)), original);
        assert.deepEqual(filesBelow(path.join(target, 'media')), filesBelow(dir('a/media')));
      });
    }

    test('a store that holds data is refused, named, and left as it was', async () => {
      const target = sqliteAt(dir('restored-sqlite'));
      const before = await snapshot(target);
      const migrate = await runCli(
        ['migrate-store', '--from', `sqlite:${sqliteAt(dir('a')).sqliteFile}`, '--to', `sqlite:${target.sqliteFile}`],
        envOf(dir('a')),
      );
      assert.equal(migrate.code, 1);
      assert.equal(
        migrate.stderr.split('\n').at(-2),
        `gazette: The target store sqlite:${target.sqliteFile} is not empty (table site has rows); nothing was written`,
      );
      const restore = await runCli(['restore', dir('sqlite.backup')], envOf(dir('restored-sqlite')));
      assert.equal(restore.code, 1);
      assert.match(restore.stderr, /is not empty \(table site has rows\)/);
      assert.deepEqual(await snapshot(target), before);
    });

    test('a cut-off backup is refused with its line number, the store and media folder unchanged', async () => {
      const whole = fs.readFileSync(dir('sqlite.backup'));
      const cut = dir('cut.backup');
      fs.writeFileSync(cut, whole.subarray(0, Math.floor(whole.length / 2)));
      const target = dir('cut-target');
      const restore = await runCli(['restore', cut], envOf(target));
      assert.equal(restore.code, 1);
      assert.match(
        restore.stderr.trimEnd().split('\n').at(-1) ?? '',
        new RegExp(
          `^gazette: ${cut}:\\d+: The backup file is corrupt or incomplete: .*; the store was left unchanged$`,
        ),
      );
      await transfer.withStore(sqliteAt(target), async (store) =>
        assert.ok(Object.values(await transfer.countRows(store.db)).every((n) => n === 0)),
      );
      assert.equal(filesBelow(path.join(target, 'media')).size, 0);
    });

    test('media files the rows name but the media folder lacks fail the verification', async () => {
      const elsewhere = dir('no-media');
      const result = await runCli(
        [
          'migrate-store',
          '--from',
          `sqlite:${sqliteAt(dir('a')).sqliteFile}`,
          '--to',
          `sqlite:${sqliteAt(dir('f')).sqliteFile}`,
        ],
        envOf(elsewhere),
      );
      assert.equal(result.code, 1);
      assert.match(result.stdout, /\nmedia files: 0, \d+ MISSING\nverification FAILED\n$/);
      assert.match(result.stderr, /missing media file: img\/[0-9a-f]{24}\/original\.png\n/);
      assert.match(result.stderr, /missing media file: file\/[0-9a-f]{24}\/年度报告\.pdf\n/);
    });

    test('usage errors exit 2', async () => {
      const result = await runCli(['migrate-store', '--from', 'mysql://x', '--to', 'sqlite:x.db'], envOf(dir('a')));
      assert.equal(result.code, 2);
      assert.match(result.stderr, /"mysql:\/\/x" is neither sqlite:PATH nor postgres:\/\//);
      assert.equal((await runCli(['backup'], envOf(dir('a')))).code, 2);
    });
  });
