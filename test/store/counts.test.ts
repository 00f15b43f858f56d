import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { articles } from '../../src/store/index.js';
import { loadSiteView } from '../../src/publish/index.js';
import { BACKENDS, contextFor, type TestStore } from '../helpers/store.js';
import { demoSite } from '../helpers/factories.js';

for (const backend of BACKENDS) {
  describe(`published counts kept by the store on ${backend.name}`, () => {
    let store: TestStore;
    before(async () => {
      store = await backend.open();
      await demoSite(contextFor(store));
    });
    after(() => store.dispose());

    test('every write keeps the per-channel counts equal to counting the rows', async () => {
      const view = (await loadSiteView(store.db))!;
      const [a, b] = view.tree
        .all()
        .filter((c) => c.type === 'list')
        .map((c) => c.id) as [number, number];
      const make = (channelId: number, status: 'draft' | 'published') =>
        articles.insertArticle(
          store.db,
          {
            siteId: view.site.id,
            channelId,
            title: 't',
            subtitle: '',
            source: null,
            author: '',
            responsibleEditor: '',
            publishedAt: '2025-01-01T00:00:00.000Z',
            bodyHtml: '',
            summary: '',
            keywords: '',
            coverImage: null,
            attachments: [],
            status,
            importKey: null,
            createdBy: null,
          },
          new Date(),
        );
      const counted = async (channelId: number) =>
        Number(
          (
            await store.db
              .selectFrom('article')
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .where('channelId', '=', channelId)
              .where('status', '=', 'published')
              .executeTakeFirstOrThrow()
          ).n,
        );
      const check = async (expectA: number, expectB: number) => {
        assert.deepEqual(
          [await articles.countPublished(store.db, [a]), await articles.countPublished(store.db, [b])],
          [expectA, expectB],
        );
        assert.deepEqual([await counted(a), await counted(b)], [expectA, expectB]);
        assert.equal(await articles.countPublished(store.db, { siteId: view.site.id }), expectA + expectB);
      };
      const one = await make(a, 'published');
      const two = await make(a, 'published');
      const draft = await make(b, 'draft');
      await check(2, 0);
      await articles.updateArticle(store.db, draft.id, { status: 'published' }, new Date());
      await check(2, 1);
      await articles.updateArticle(store.db, one.id, { channelId: b }, new Date());
      await check(1, 2);
      await articles.updateArticle(store.db, two.id, { status: 'withdrawn' }, new Date());
      await check(0, 2);
      await articles.updateArticle(store.db, two.id, { title: 'only the title' }, new Date());
      await check(0, 2);
      await articles.deleteArticle(store.db, draft.id);
      await check(0, 1);
    });
  });
}
