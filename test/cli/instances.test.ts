import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { ChildProcess } from 'node:child_process';
import { newTestSite, runCli, startServer, type TestSite } from '../helpers/cli.js';
import { contextFor, TEST_BACKEND } from '../helpers/store.js';
import { actorFor, makeUser } from '../helpers/backoffice.js';
import { api, eventually, signIn as signInWith, text, type Session } from '../helpers/http.js';
import { openStore, publishTasks, jobs, type Store } from '../../src/store/index.js';
import { stepArticle, createArticle } from '../../src/services/index.js';
import { systemClock } from '../../src/clock.js';
import type { ContentEvent } from '../../src/domain/index.js';

const PASSWORD = 'Instances-Test-2025';
const signIn = (base: string, username: string) => signInWith(base, username, PASSWORD);

interface Instance {
  readonly child: ChildProcess;
  readonly url: string;
}

interface ArticleView {
  id: number;
  status: string;
  url: string | null;
}

/**
 * Takes an article through the workflow as far as `until` ('approved' or 'published'): the
 * author submits, another account approves and publishes (nobody approves their own work).
 */
async function advance(
  base: string,
  [author, other]: readonly [Session, Session],
  id: number,
  until: 'approved' | 'published',
  publishBody: object = {},
): Promise<ArticleView> {
  for (;;) {
    const { body: article } = await api<ArticleView>(base, author, 'GET', `/api/v1/articles/${id}`);
    if (article.status === until) return article;
    const step = { draft: 'submit', submitted: 'approve', approved: 'publish' }[article.status];
    assert.ok(step, `no step from ${article.status}`);
    const session = step === 'submit' ? author : other;
    const stepped = await api<ArticleView>(
      base,
      session,
      'POST',
      `/api/v1/articles/${id}/${step}`,
      step === 'publish' ? publishBody : {},
    );
    assert.equal(stepped.status, 200, JSON.stringify(stepped.body));
    if (step === 'publish' && 'at' in publishBody) return stepped.body;
  }
}

if (TEST_BACKEND !== 'sqlite') {
  describe('two gazette serve instances on one PostgreSQL', () => {
    let site: TestSite;
    let a: Instance;
    let b: Instance;
    let store: Store;
    let session: Session;
    let chief: readonly [Session, Session];
    let channelId = 0;

    before(async () => {
      site = await newTestSite('gazette-instances-', 'postgres');
      // A makes the demo site; the pages are built once, so both instances serve from the output store.
      a = await startServer(site.env);
      for (const name of ['chief', 'deputy']) {
        // The demo is a platform of several sites: the accounts publish on the portal.
        const made = await runCli(
          ['user', 'add', name, '--role', 'publisher', '--keep-password', '--site', 'www.example.gov.cn'],
          site.env,
          `${PASSWORD}\n`,
        );
        assert.equal(made.code, 0, made.stderr);
      }
      assert.equal((await runCli(['build', '--site', 'www.example.gov.cn'], site.env)).code, 0);
      b = await startServer(site.env);
      store = await openStore(site.location);
      session = await signIn(a.url, 'chief');
      chief = [session, await signIn(a.url, 'deputy')];
      const channels = await api<{ items: { id: number; slug: string }[] }>(a.url, session, 'GET', '/api/v1/channels');
      channelId = channels.body.items.find((c) => c.slug === 'bqdt')?.id ?? 0;
    });

    after(async () => {
      for (const instance of [a, b])
        if (instance && instance.child.exitCode === null && instance.child.signalCode === null)
          instance.child.kill('SIGKILL');
      await store?.close();
      await site?.dispose();
    });

    const create = async (title: string) => {
      const made = await api<ArticleView>(a.url, session, 'POST', '/api/v1/articles', {
        channelId,
        title,
        bodyHtml: `<p>${title}的正文。</p>`,
      });
      assert.equal(made.status, 201, JSON.stringify(made.body));
      return made.body.id;
    };

    test('a session made on A is valid on B', async () => {
      const onB = await api<{ user: { username: string } }>(b.url, session, 'GET', '/api/v1/session');
      assert.deepEqual([onB.status, onB.body.user.username], [200, 'chief']);
    });

    test('an article published on A is served by B, on its own page and in the column B had in memory', async (t) => {
      const before = await text(`${b.url}/bqdt/`);
      assert.equal(before.status, 200);
      assert.equal((await text(`${b.url}/bqdt/`)).body, before.body, 'B answers the column from memory');
      const id = await create('两个实例同时在线');
      const published = await advance(a.url, chief, id, 'published');
      assert.ok(published.url);
      const ms = await eventually(
        'B lists the new article',
        async () => (await text(`${b.url}/bqdt/`)).body.includes('两个实例同时在线'),
        5_000,
      );
      t.diagnostic(`B listed the article ${ms} ms after A answered the publish`);
      const page = await text(`${b.url}${published.url}`);
      assert.equal(page.status, 200);
      assert.ok(page.body.includes('两个实例同时在线'));
    });

    test('a scheduled publish due while both run fires once', async () => {
      const id = await create('定时发布只执行一次');
      await advance(a.url, chief, id, 'approved');
      const at = new Date(Date.now() + 1500).toISOString();
      const scheduled = await advance(a.url, chief, id, 'published', { at });
      assert.equal(scheduled.status, 'approved', 'scheduled, not yet published');
      await eventually(
        'the schedule fired',
        async () =>
          (await api<ArticleView>(b.url, session, 'GET', `/api/v1/articles/${id}`)).body.status === 'published',
      );
      // Both schedulers kept ticking past the due time; give them another round.
      await new Promise((resolve) => setTimeout(resolve, 5_500));
      const job = await store.db.selectFrom('job').selectAll().where('articleId', '=', id).executeTakeFirstOrThrow();
      assert.deepEqual([job.status, job.attempts], ['done', 1]);
      const audit = await store.db
        .selectFrom('auditLog')
        .select('action')
        .where('targetId', '=', String(id))
        .where('action', '=', 'article.publish')
        .execute();
      assert.equal(audit.length, 1, 'one publication in the audit log');
    });

    test('view counts from both instances add up', async () => {
      const row = await store.db
        .selectFrom('article')
        .select(['id', 'viewCount'])
        .where('title', '=', '两个实例同时在线')
        .executeTakeFirstOrThrow();
      const { body: view } = await api<ArticleView>(a.url, session, 'GET', `/api/v1/articles/${row.id}`);
      for (const base of [a.url, a.url, a.url, b.url, b.url])
        assert.equal((await text(`${base}${view.url}`)).status, 200);
      // The counts reach the store within a flush (5 s) on each instance.
      await eventually('both instances flushed', async () => {
        const now = await store.db
          .selectFrom('article')
          .select('viewCount')
          .where('id', '=', row.id)
          .executeTakeFirstOrThrow();
        return now.viewCount >= row.viewCount + 5;
      });
      const final = await store.db
        .selectFrom('article')
        .select('viewCount')
        .where('id', '=', row.id)
        .executeTakeFirstOrThrow();
      assert.equal(final.viewCount, row.viewCount + 5);
    });

    test('a killed instance loses nothing: its sessions, its pages, its half-done publish and its claimed job go on', async () => {
      const exited = once(a.child, 'exit');
      a.child.kill('SIGKILL');
      await exited;
      // The session A made is still good on B.
      assert.equal((await api(b.url, session, 'GET', '/api/v1/session')).status, 200);
      // What A published is still served.
      assert.ok((await text(`${b.url}/bqdt/`)).body.includes('两个实例同时在线'));

      // A publish that A committed but was killed before writing its pages: the change is in the
      // store with its publish task, claimed by A, whose lease runs out.
      // The demo platform's portal is its first site.
      const ctx = { ...contextFor(store, systemClock), siteId: 1 };
      const author = await makeUser(ctx, 'ghost', [{ role: 'publisher' }], { password: PASSWORD });
      const checker = await makeUser(ctx, 'checker', [{ role: 'publisher' }], { password: PASSWORD });
      let event: ContentEvent | null = null;
      const halfDone = { ...ctx, events: { emit: (e: ContentEvent) => void (event = e) } };
      const article = await createArticle(halfDone, actorFor(author), {
        channelId,
        title: '实例中断后补发',
        bodyHtml: '<p>补发。</p>',
      });
      for (const step of ['submit', 'approve', 'publish'] as const) {
        const current = await store.db
          .selectFrom('article')
          .select('status')
          .where('id', '=', article.id)
          .executeTakeFirstOrThrow();
        if (current.status === 'published') break;
        if (step === 'approve' && current.status !== 'submitted') continue;
        await stepArticle(halfDone, actorFor(step === 'submit' ? author : checker), article.id, step);
      }
      assert.ok(event, 'the publication was committed');
      await publishTasks.addTask(
        store.db,
        JSON.stringify(event),
        new Date(Date.now() - 2 * publishTasks.TASK_LEASE_MS),
        'killed-host:1',
      );
      const path = (await api<ArticleView>(b.url, session, 'GET', `/api/v1/articles/${article.id}`)).body.url ?? '';
      await eventually('B finished the publish A left', async () =>
        (await text(`${b.url}${path}`)).body.includes('实例中断后补发'),
      );
      await eventually(
        'the task is closed',
        async () => (await store.db.selectFrom('publishTask').select('id').execute()).length === 0,
      );

      // A scheduled job A had claimed when it was killed: B takes it over when the lease runs out.
      const late = await createArticle(ctx, actorFor(author), {
        channelId,
        title: '租约过期的定时任务',
        bodyHtml: '<p>定时。</p>',
      });
      await stepArticle(ctx, actorFor(author), late.id, 'submit');
      const status = (
        await store.db.selectFrom('article').select('status').where('id', '=', late.id).executeTakeFirstOrThrow()
      ).status;
      if (status === 'submitted') await stepArticle(ctx, actorFor(checker), late.id, 'approve');
      const stale = new Date(Date.now() - 2 * jobs.JOB_LEASE_MS).toISOString();
      const job = await jobs.insertJob(
        store.db,
        { kind: 'publish', articleId: late.id, runAt: stale, payload: '{"by":"chief"}', createdBy: author.id },
        new Date(),
      );
      await store.db
        .updateTable('job')
        .set({ status: 'running', claimedAt: stale, attempts: 1 })
        .where('id', '=', job.id)
        .execute();
      await eventually(
        'B ran the job A had claimed',
        async () =>
          (await store.db.selectFrom('job').select('status').where('id', '=', job.id).executeTakeFirstOrThrow())
            .status === 'done',
      );
      const lateView = (await api<ArticleView>(b.url, session, 'GET', `/api/v1/articles/${late.id}`)).body;
      assert.equal(lateView.status, 'published');
      await eventually('B serves it', async () => (await text(`${b.url}${lateView.url ?? ''}`)).status === 200);

      const stopped = once(b.child, 'exit');
      b.child.kill('SIGTERM');
      assert.deepEqual(await stopped, [0, null]);
    });
  });
}
