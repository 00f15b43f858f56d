import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { GazetteError, type ChannelTree } from '../../../src/domain/index.js';
import {
  ArticleVersionConflict,
  EventHub,
  createArticle,
  currentSite,
  diffArticleRevisions,
  getArticle,
  listArticles,
  listRevisions,
  restoreRevision,
  runDueJobs,
  stepArticle,
  updateArticle,
  updateChannel,
  type Actor,
  type ContentEvent,
  type ServiceContext,
} from '../../../src/services/index.js';
import { searchSite } from '../../../src/search/index.js';
import type { Store } from '../../../src/store/index.js';
import { BACKENDS, contextFor, durableTestStore, type TestStore } from '../../helpers/store.js';
import { demoSite } from '../../helpers/factories.js';
import { actorFor, makeRoleAccounts, makeUser } from '../../helpers/backoffice.js';

/** Expects a GazetteError with this code. */
async function refused(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof GazetteError, `expected a GazetteError, got ${String(error)}`);
    assert.equal(error.code, code);
    return true;
  });
}

for (const backend of BACKENDS) {
  describe(`editorial workflow on ${backend.name}`, () => {
    let store: TestStore;
    let now: Date;
    let ctx: ServiceContext;
    const events: ContentEvent[] = [];
    let tree: ChannelTree;
    let editor: Actor, reviewer: Actor, reviewer2: Actor, publisher: Actor, admin: Actor;

    before(async () => {
      store = await backend.open();
      now = new Date('2025-12-01T01:00:00Z');
      const hub = new EventHub();
      hub.on((event) => events.push(event));
      ctx = { ...contextFor(store), clock: { now: () => now }, events: hub };
      await demoSite(ctx);
      tree = (await currentSite(store.db)).tree;
      const accounts = await makeRoleAccounts(ctx);
      [editor, reviewer, reviewer2, publisher, admin] = [
        accounts.editor,
        accounts.reviewer,
        accounts.reviewer2,
        accounts.publisher,
        accounts.admin,
      ].map(actorFor) as [Actor, Actor, Actor, Actor, Actor];
    });
    after(() => store.dispose());

    const channel = (slug: string) => {
      const found = tree.all().find((c) => c.slug === slug);
      if (!found) throw new Error(`no channel ${slug}`);
      return found.id;
    };
    const draft = (title: string, slug = 'bqdt') =>
      createArticle(ctx, editor, { channelId: channel(slug), title, bodyHtml: `<p>${title}的正文。</p>` });

    test('draft → submitted → approved → published → withdrawn, with comments, audit and events', async () => {
      events.length = 0;
      const article = await draft('区政府召开常务会议');
      assert.equal(article.status, 'draft');
      assert.equal(article.createdByName, 'editor');
      assert.equal((await stepArticle(ctx, editor, article.id, 'submit')).status, 'submitted');
      const approved = await stepArticle(ctx, reviewer, article.id, 'approve', { comment: '同意' });
      assert.equal(approved.status, 'approved');
      assert.equal(approved.reviewLevel, 1);
      const published = await stepArticle(ctx, publisher, article.id, 'publish');
      assert.equal(published.status, 'published');
      assert.equal(published.publishedAt, now.toISOString());
      assert.equal(published.url, `/bqdt/202512/t20251201_${article.id}.html`);
      assert.deepEqual(events, [
        { type: 'article.published', siteId: 1, articleId: article.id, channelId: channel('bqdt') },
      ]);
      const { site } = await currentSite(store.db);
      const found = await searchSite({ db: store.db, dialect: store.dialect, site, tree }, { q: '常务会议' });
      assert.deepEqual(
        found.hits.map((h) => h.title),
        ['区政府召开常务会议'],
      );

      await refused(stepArticle(ctx, publisher, article.id, 'withdraw'), 'COMMENT_REQUIRED');
      const withdrawn = await stepArticle(ctx, publisher, article.id, 'withdraw', { reason: '信息有误' });
      assert.equal(withdrawn.status, 'withdrawn');
      assert.equal(withdrawn.withdrawReason, '信息有误');
      assert.equal(withdrawn.url, null);
      assert.deepEqual(events.at(-1), {
        type: 'article.withdrawn',
        siteId: 1,
        articleId: article.id,
        channelId: channel('bqdt'),
      });
      const after = await searchSite({ db: store.db, dialect: store.dialect, site, tree }, { q: '常务会议' });
      assert.equal(after.total, 0);
      assert.deepEqual(
        withdrawn.comments.map((c) => [c.userName, c.action, c.body]),
        [
          ['editor', 'submit', ''],
          ['reviewer', 'approve', '同意'],
          ['publisher', 'publish', ''],
          ['publisher', 'withdraw', '信息有误'],
        ],
      );
      const audit = await store.db
        .selectFrom('auditLog')
        .select(['action', 'userName'])
        .where('targetType', '=', 'article')
        .where('targetId', '=', String(article.id))
        .orderBy('seq')
        .execute();
      assert.deepEqual(
        audit.map((a) => `${a.userName}:${a.action}`),
        [
          'editor:article.create',
          'editor:article.submit',
          'reviewer:article.approve',
          'publisher:article.publish',
          'publisher:article.withdraw',
        ],
      );
      // The revision history stays after the withdrawal.
      assert.deepEqual(
        (await listRevisions(ctx, editor, article.id)).map((r) => r.action),
        ['publish', 'create'],
      );
    });

    test('steps out of order are refused with the status named', async () => {
      const article = await draft('顺序检查');
      await refused(stepArticle(ctx, publisher, article.id, 'publish'), 'WORKFLOW_INVALID');
      await refused(stepArticle(ctx, reviewer, article.id, 'approve'), 'WORKFLOW_INVALID');
      await refused(stepArticle(ctx, editor, article.id, 'approve'), 'PERMISSION_DENIED');
      await refused(stepArticle(ctx, admin, article.id, 'submit'), 'PERMISSION_DENIED');
    });

    test('an author cannot approve their own article; a rejection needs a comment and returns it to draft', async () => {
      const own = await createArticle(ctx, reviewer, {
        channelId: channel('bqdt'),
        title: '审核员自己写的',
        bodyHtml: '<p>x</p>',
      });
      await stepArticle(ctx, reviewer, own.id, 'submit');
      await refused(stepArticle(ctx, reviewer, own.id, 'approve'), 'WORKFLOW_OWN_ARTICLE');
      const listed = await listArticles(ctx, reviewer, { queue: 'review' });
      assert.ok(!listed.items.some((a) => a.id === own.id), 'own article is not in the review queue');
      assert.ok((await listArticles(ctx, reviewer2, { queue: 'review' })).items.some((a) => a.id === own.id));

      await refused(stepArticle(ctx, reviewer2, own.id, 'reject'), 'COMMENT_REQUIRED');
      const rejected = await stepArticle(ctx, reviewer2, own.id, 'reject', { comment: '标题请补充时间' });
      assert.equal(rejected.status, 'draft');
      assert.equal(rejected.comments.at(-1)?.body, '标题请补充时间');
    });

    test('two review levels need two different reviewers', async () => {
      await updateChannel(ctx, admin, channel('tzgg'), { reviewLevels: 2 });
      tree = (await currentSite(store.db)).tree;
      const article = await draft('两级审核的通知', 'tzgg');
      await stepArticle(ctx, editor, article.id, 'submit');
      const first = await stepArticle(ctx, reviewer, article.id, 'approve');
      assert.deepEqual([first.status, first.reviewLevel, first.reviewLevels], ['submitted', 1, 2]);
      await refused(stepArticle(ctx, reviewer, article.id, 'approve'), 'WORKFLOW_SAME_REVIEWER');
      const second = await stepArticle(ctx, reviewer2, article.id, 'approve');
      assert.deepEqual([second.status, second.reviewLevel], ['approved', 2]);
      // A rejection after approval starts the levels again.
      const back = await stepArticle(ctx, publisher, article.id, 'reject', { comment: '再核实' });
      assert.deepEqual([back.status, back.reviewLevel], ['draft', 0]);
    });

    test('regression: a conflict after publishing listed 发布时间 as changed by someone else', async () => {
      const article = await draft('发布后再编辑');
      await stepArticle(ctx, editor, article.id, 'submit');
      await stepArticle(ctx, reviewer, article.id, 'approve');
      const published = await stepArticle(ctx, publisher, article.id, 'publish');
      await updateArticle(ctx, publisher, article.id, { version: published.version, subtitle: '副标题' });
      await assert.rejects(
        updateArticle(ctx, publisher, article.id, { version: published.version, title: '另一处修改' }),
        (error: unknown) => {
          assert.ok(error instanceof ArticleVersionConflict);
          assert.deepEqual(error.changed, ['subtitle']);
          return true;
        },
      );
    });

    test('a save based on an old version gets a conflict with the current article and what changed', async () => {
      const article = await draft('并发编辑');
      const first = await updateArticle(ctx, editor, article.id, { version: article.version, title: '并发编辑（改）' });
      assert.equal(first.version, article.version + 1);
      await assert.rejects(
        updateArticle(ctx, editor, article.id, { version: article.version, bodyHtml: '<p>覆盖</p>' }),
        (error: unknown) => {
          assert.ok(error instanceof ArticleVersionConflict);
          assert.equal(error.status, 409);
          assert.equal(error.current.title, '并发编辑（改）');
          assert.equal(error.current.version, first.version);
          assert.deepEqual(error.changed, ['title']);
          return true;
        },
      );
      assert.equal((await getArticle(ctx, editor, article.id)).bodyHtml, '<p>并发编辑的正文。</p>');
    });

    test('bodies are sanitised on save', async () => {
      const article = await createArticle(ctx, editor, {
        channelId: channel('bqdt'),
        title: '清洗',
        bodyHtml: '<p onclick="steal()">正文<script>alert(1)</script><a href="javascript:alert(1)">链接</a></p>',
      });
      assert.equal(article.bodyHtml, '<p>正文<a>链接</a></p>');
      assert.equal(article.summary, '正文链接');
    });

    test("an attachment's or cover's address must be a web address (regression: an attachment linked javascript: onto the public page)", async () => {
      const counted = async () =>
        Number(
          (
            await store.db
              .selectFrom('article')
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      const before = await counted();
      const attach = (url: string) => ({
        channelId: channel('bqdt'),
        title: '附件地址',
        bodyHtml: '<p>正文</p>',
        attachments: [{ name: '通知.pdf', url, size: null }],
      });
      for (const url of [
        'javascript:alert(1)',
        ' JavaScript:alert(1)',
        'vbscript:x',
        'data:text/html,<script>alert(1)</script>',
        'file:///etc/passwd',
      ]) {
        await assert.rejects(
          createArticle(ctx, editor, attach(url)),
          (error: unknown) =>
            error instanceof GazetteError &&
            error.code === 'FIELD_INVALID' &&
            error.params.field === 'attachments[0].url',
          url,
        );
      }
      await assert.rejects(
        createArticle(ctx, editor, {
          channelId: channel('bqdt'),
          title: '封面地址',
          bodyHtml: '<p>正文</p>',
          coverImage: 'javascript:alert(1)',
        }),
        (error: unknown) =>
          error instanceof GazetteError && error.code === 'FIELD_INVALID' && error.params.field === 'coverImage',
      );
      assert.equal(await counted(), before, 'a refused save stores nothing');
      const kept = await createArticle(ctx, editor, {
        ...attach('/media/file/2025/tongzhi.pdf'),
        coverImage: 'https://www.example.gov.cn/cover.png',
      });
      assert.deepEqual(
        [kept.attachments.map((a) => a.url), kept.coverImage],
        [['/media/file/2025/tongzhi.pdf'], 'https://www.example.gov.cn/cover.png'],
      );
      const edited = await updateArticle(ctx, editor, kept.id, {
        version: kept.version,
        attachments: [
          { name: 'a', url: 'http://www.example.gov.cn/a.doc', size: 3 },
          { name: 'b', url: 'javascript:alert(2)', size: null },
        ],
      }).catch((error: unknown) => error);
      assert.ok(edited instanceof GazetteError && edited.params.field === 'attachments[1].url');
    });

    test('the shown publish time moves only with a publisher and a recorded reason', async () => {
      const article = await draft('发布时间');
      await refused(
        updateArticle(ctx, editor, article.id, { version: article.version, publishedAt: '2025-11-01T00:00:00Z' }),
        'PERMISSION_DENIED',
      );
      const current = await getArticle(ctx, editor, article.id);
      await refused(
        updateArticle(ctx, publisher, article.id, { version: current.version, publishedAt: '2025-11-01T00:00:00Z' }),
        'PUBLISH_TIME_REASON_REQUIRED',
      );
      const moved = await updateArticle(ctx, publisher, article.id, {
        version: current.version,
        publishedAt: '2025-11-01T00:00:00Z',
        publishedAtReason: '补录11月1日会议稿',
      });
      assert.equal(moved.publishedAt, '2025-11-01T00:00:00.000Z');
      const entry = await store.db
        .selectFrom('auditLog')
        .select('details')
        .where('action', '=', 'article.update')
        .where('targetId', '=', String(article.id))
        .orderBy('seq', 'desc')
        .executeTakeFirstOrThrow();
      assert.deepEqual(
        (JSON.parse(entry.details) as { publishedAt: { from: string | null; reason: string; to: string } }).publishedAt,
        {
          from: null,
          reason: '补录11月1日会议稿',
          to: '2025-11-01T00:00:00.000Z',
        },
      );
    });

    test('every save is a revision; diffs are word by word; restoring makes a new revision', async () => {
      const article = await createArticle(ctx, editor, {
        channelId: channel('bqdt'),
        title: '吴江区召开会议',
        bodyHtml: '<p>区委书记出席会议并讲话。</p>',
      });
      const edited = await updateArticle(ctx, editor, article.id, {
        version: article.version,
        title: '吴江区召开全体会议',
        bodyHtml: '<p>区长出席会议并讲话。</p>',
      });
      const history = await listRevisions(ctx, editor, article.id);
      assert.deepEqual(
        history.map((r) => [r.number, r.action, r.title]),
        [
          [2, 'edit', '吴江区召开全体会议'],
          [1, 'create', '吴江区召开会议'],
        ],
      );
      const diff = await diffArticleRevisions(ctx, editor, article.id, 2);
      // Whole words change, as jieba cuts them (全体会议 is one word): no scattered single characters.
      assert.deepEqual(diff.title, [
        { op: 'equal', text: '吴江区召开' },
        { op: 'delete', text: '会议' },
        { op: 'insert', text: '全体会议' },
      ]);
      assert.deepEqual(diff.body, [
        { op: 'delete', text: '区委书记' },
        { op: 'insert', text: '区长' },
        { op: 'equal', text: '出席会议并讲话。' },
      ]);
      const restored = await restoreRevision(ctx, editor, article.id, 1, edited.version);
      assert.equal(restored.title, '吴江区召开会议');
      assert.equal(restored.bodyHtml, '<p>区委书记出席会议并讲话。</p>');
      assert.deepEqual(
        (await listRevisions(ctx, editor, article.id)).map((r) => r.action),
        ['restore', 'edit', 'create'],
      );
      await refused(restoreRevision(ctx, editor, article.id, 9, restored.version), 'REVISION_NOT_FOUND');
    });

    test('a grant on one channel subtree allows nothing outside it', async () => {
      const local = actorFor(await makeUser(ctx, 'zwgkeditor', [{ role: 'editor', channelId: channel('zwgk') }]));
      const inside = await createArticle(ctx, local, {
        channelId: channel('bmdt'),
        title: '部门动态稿',
        bodyHtml: '<p>x</p>',
      });
      assert.equal(inside.channelName, '部门动态');
      await refused(
        createArticle(ctx, local, { channelId: channel('bqdt'), title: '越权', bodyHtml: '<p>x</p>' }),
        'PERMISSION_DENIED',
      );
      const visible = await listArticles(ctx, local, {});
      assert.ok(visible.items.length > 0);
      assert.ok(
        visible.items.every((a) =>
          [channel('zwgk'), channel('bmdt'), channel('zcwj'), channel('rsxx')].includes(a.channelId),
        ),
      );
      await refused(
        updateArticle(ctx, local, inside.id, { version: inside.version, channelId: channel('bqdt') }),
        'PERMISSION_DENIED',
      );
    });
  });

  describe(`scheduled publishing on ${backend.name}`, () => {
    test('a publish scheduled before a restart runs once when due, on the injected clock', async () => {
      const durable = await durableTestStore(backend.name);
      let now = new Date('2025-12-01T01:00:00Z');
      const clock = { now: () => now };
      let store: Store | null = null;
      try {
        store = await durable.open();
        let ctx: ServiceContext = { ...contextFor(store), clock };
        await demoSite(ctx);
        const accounts = await makeRoleAccounts(ctx);
        const tree = (await currentSite(store.db)).tree;
        const channelId = tree.all().find((c) => c.slug === 'bqdt')?.id ?? 0;
        const article = await createArticle(ctx, actorFor(accounts.editor), {
          channelId,
          title: '定时发布的通知',
          bodyHtml: '<p>x</p>',
        });
        await stepArticle(ctx, actorFor(accounts.editor), article.id, 'submit');
        await stepArticle(ctx, actorFor(accounts.reviewer), article.id, 'approve');
        await refused(
          stepArticle(ctx, actorFor(accounts.publisher), article.id, 'publish', { at: '2025-11-30T00:00:00Z' }),
          'SCHEDULE_IN_PAST',
        );
        const scheduled = await stepArticle(ctx, actorFor(accounts.publisher), article.id, 'publish', {
          at: '2025-12-01T04:00:00Z',
        });
        assert.equal(scheduled.status, 'approved');
        assert.equal(scheduled.scheduledPublishAt, '2025-12-01T04:00:00.000Z');
        await store.close();

        // Restart: a new store connection, the clock past due.
        store = await durable.open();
        const events: ContentEvent[] = [];
        ctx = { ...contextFor(store), clock, events: { emit: (e) => events.push(e) } };
        now = new Date('2025-12-01T03:59:00Z');
        assert.deepEqual(await runDueJobs(ctx), []);
        now = new Date('2025-12-01T04:00:30Z');
        const runs = await runDueJobs(ctx);
        assert.deepEqual(
          runs.map((r) => [r.articleId, r.kind, r.outcome]),
          [[article.id, 'publish', 'done']],
        );
        assert.deepEqual(await runDueJobs(ctx), [], 'a job runs once');
        const published = await getArticle(ctx, actorFor(accounts.editor), article.id);
        assert.equal(published.status, 'published');
        assert.equal(published.publishedAt, '2025-12-01T04:00:30.000Z');
        assert.equal(published.scheduledPublishAt, null);
        assert.deepEqual(events, [{ type: 'article.published', siteId: 1, articleId: article.id, channelId }]);
        const entry = await store.db
          .selectFrom('auditLog')
          .select(['userName', 'action'])
          .orderBy('seq', 'desc')
          .executeTakeFirstOrThrow();
        assert.deepEqual(entry, { userName: 'scheduler (publisher)', action: 'article.publish' });
        await store.close();
      } finally {
        await store?.close();
        await durable.dispose();
      }
    });
  });
}
