import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { GazetteError } from '../../../src/domain/index.js';
import {
  EventHub,
  getArticleMarks,
  listAuditEntries,
  setArticleMarks,
  type Actor,
  type ContentEvent,
  type ServiceContext,
} from '../../../src/services/index.js';
import { BACKENDS, contextFor, type TestStore } from '../../helpers/store.js';
import { demoSite } from '../../helpers/factories.js';
import { actorFor, makeRoleAccounts } from '../../helpers/backoffice.js';
import { publishAt } from '../../helpers/home.js';

for (const backend of BACKENDS) {
  describe(`头条 and 图片新闻 marks on ${backend.name}`, () => {
    let store: TestStore;
    let ctx: ServiceContext;
    const events: ContentEvent[] = [];
    let editor: Actor, publisher: Actor, auditor: Actor;
    let id: number;

    before(async () => {
      store = await backend.open();
      const hub = new EventHub();
      hub.on((event) => events.push(event));
      ctx = { ...contextFor(store), events: hub };
      await demoSite(ctx);
      const accounts = await makeRoleAccounts(ctx);
      [editor, publisher, auditor] = [accounts.editor, accounts.publisher, accounts.auditor].map(actorFor) as [
        Actor,
        Actor,
        Actor,
      ];
      id = await publishAt(ctx, ['本区动态'], '区政府召开常务会议', '2025-11-20T09:00:00+08:00');
      events.length = 0;
    });
    after(() => store.dispose());

    const entries = async () =>
      (await listAuditEntries(ctx, auditor, { action: 'article.mark' })).items.map((e) => [
        e.userName,
        e.targetId,
        e.details,
      ]);

    test('a publisher marks an article: the marks, one audit entry, one article.marked event', async () => {
      assert.deepEqual(await getArticleMarks(ctx, editor, id), { articleId: id, headline: false, picture: false });
      const view = await setArticleMarks(ctx, publisher, id, { headline: true, picture: true });
      assert.deepEqual(view, { articleId: id, headline: true, picture: true });
      assert.deepEqual(await getArticleMarks(ctx, editor, id), view);
      assert.deepEqual(events, [{ type: 'article.marked', siteId: 1, articleId: id, channelId: 1 }]);
      assert.deepEqual(await entries(), [
        ['publisher', String(id), { headline: true, picture: true, was: { headline: false, picture: false } }],
      ]);
    });

    test('saving the same marks again is audited, but changes nothing the site shows: no event', async () => {
      events.length = 0;
      await setArticleMarks(ctx, publisher, id, { headline: true, picture: true });
      assert.deepEqual(events, []);
      assert.equal((await entries()).length, 2);
      await setArticleMarks(ctx, publisher, id, { headline: false, picture: true });
      assert.deepEqual(events, [{ type: 'article.marked', siteId: 1, articleId: id, channelId: 1 }]);
      assert.deepEqual((await entries())[0], [
        'publisher',
        String(id),
        { headline: false, picture: true, was: { headline: true, picture: true } },
      ]);
    });

    test('an editor without the right to publish in the column is refused, and nothing is written', async () => {
      events.length = 0;
      await assert.rejects(
        setArticleMarks(ctx, editor, id, { headline: true, picture: false }),
        (error: unknown) => error instanceof GazetteError && error.code === 'PERMISSION_DENIED' && error.status === 403,
      );
      assert.deepEqual(await getArticleMarks(ctx, editor, id), { articleId: id, headline: false, picture: true });
      assert.deepEqual(events, []);
      assert.equal((await entries()).length, 3);
    });

    test('an article that is not on the site is not found', async () => {
      await assert.rejects(
        setArticleMarks(ctx, publisher, 99999, { headline: true, picture: false }),
        (error: unknown) => error instanceof GazetteError && error.code === 'ARTICLE_NOT_FOUND',
      );
    });
  });
}
