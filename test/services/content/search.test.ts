import { describe, test, before, after, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { ChannelTree } from '../../../src/domain/index.js';
import {
  articleKey,
  articleSource,
  backendFor,
  indexDocument,
  indexRebuildBatch,
  tokenizeGradually,
} from '../../../src/search/index.js';
import {
  generateSyntheticArticles,
  reindexSearch,
  syncArticleIndex,
  systemActor,
  updateChannel,
} from '../../../src/services/index.js';
import { articles, channels, type Store } from '../../../src/store/index.js';
import { BACKENDS, contextFor, lockWaitOrEnd, type TestStore } from '../../helpers/store.js';

// A rebuild reads 500 articles a batch: 1,100 make three, and PostgreSQL writes two at once.
const SYNTHETIC = 1100;

/** The title vocabulary ("did you mean") and the pages indexed: what a rebuild must reproduce. */
async function indexState(store: Store) {
  const vocabulary = await store.db.selectFrom('searchTerm').select(['term', 'df']).orderBy('term').execute();
  const pages = await store.db.selectFrom('searchDoc').select('docKey').orderBy('docKey').execute();
  return { vocabulary, pages: pages.map((p) => p.docKey) };
}

/** Makes the store refuse to index one page, as a full disk or a lost connection would. */
async function failIndexing(store: Store, docKey: string): Promise<() => Promise<void>> {
  if (store.dialect === 'sqlite') {
    await sql`create trigger fail_indexing before insert on search_doc when new.doc_key = ${sql.lit(docKey)}
      begin select raise(abort, 'indexing refused for the test'); end`.execute(store.db);
    return async () => void (await sql`drop trigger fail_indexing`.execute(store.db));
  }
  await sql`create function fail_indexing() returns trigger language plpgsql as $$
      begin raise exception 'indexing refused for the test'; end $$`.execute(store.db);
  await sql`create trigger fail_indexing before insert on search_doc for each row
      when (new.doc_key = ${sql.lit(docKey)}) execute function fail_indexing()`.execute(store.db);
  return async () => {
    await sql`drop trigger fail_indexing on search_doc`.execute(store.db);
    await sql`drop function fail_indexing`.execute(store.db);
  };
}

for (const backend of BACKENDS) {
  describe(`search rebuild on ${backend.name}`, () => {
    let store: TestStore;
    let siteId: number;
    let published: number;
    /** Indexed one by one, as publishing does. */
    let oneByOne: Awaited<ReturnType<typeof indexState>>;

    before(async () => {
      store = await backend.open();
      await generateSyntheticArticles(contextFor(store), { articles: SYNTHETIC, seed: 7, bodyChars: 150 });
      siteId = (await store.db.selectFrom('site').select('id').executeTakeFirstOrThrow()).id;
      published = await articles.countPublished(store.db, { siteId });
      const tree = new ChannelTree(await channels.listChannels(store.db, siteId));
      for (const article of await articles.publishedBatch(store.db, siteId, 0, published)) {
        await indexDocument(store.db, store.dialect, articleSource(article, tree)!);
      }
      oneByOne = await indexState(store);
    });
    after(() => store.dispose());

    test('a rebuild in several batches gives the index publishing gave, vocabulary counts included', async () => {
      const pageColumns = (await channels.listChannels(store.db, siteId)).filter(
        (c) => c.type === 'page' && c.bodyHtml,
      );
      assert.equal(published, SYNTHETIC);
      // The demo site's page columns were indexed as they were made.
      assert.equal(oneByOne.pages.length, published + pageColumns.length);
      assert.ok(oneByOne.vocabulary.length > 1000, `${oneByOne.vocabulary.length} terms`);
      assert.ok(oneByOne.vocabulary.some((t) => t.df > 1));

      await store.db.deleteFrom('searchDoc').execute();
      await store.db.deleteFrom('searchTerm').execute();
      const progress: number[] = [];
      const result = await reindexSearch(contextFor(store), siteId, ({ done }) => progress.push(done));
      assert.deepEqual(result, { indexed: published + pageColumns.length, removed: 0 });
      // Batches of 500, 500 and 100, done in whatever order the writers end, then the page columns.
      const steps = progress.slice(1).map((done, i) => done - (progress[i] ?? 0));
      assert.deepEqual(
        { first: progress[0], batches: steps.slice(0, 3).sort((a, b) => a - b), rest: steps.slice(3) },
        { first: 0, batches: [100, 500, 500], rest: [pageColumns.length] },
      );
      assert.deepEqual(await indexState(store), oneByOne);
    });

    test('a second rebuild over a full index changes nothing', async () => {
      const before = await indexState(store);
      await reindexSearch(contextFor(store), siteId);
      assert.deepEqual(await indexState(store), before);
    });

    test('a rebuild whose batch fails reports why and leaves every page indexed as it was', async (t) => {
      const before = await indexState(store);
      const victim = before.pages[700];
      assert.ok(victim);
      const restore = await failIndexing(store, victim);
      t.after(restore);
      await assert.rejects(reindexSearch(contextFor(store), siteId), /indexing refused for the test/);
      assert.deepEqual(await indexState(store), before);
    });

    test('a progress report that throws ends the rebuild with its error, after the batches being written', async () => {
      const before = await indexState(store);
      let ended = false;
      const late: number[] = [];
      const onProgress = ({ done }: { done: number }) => {
        if (ended) late.push(done);
        if (done > 0) throw new RangeError('progress display gone');
      };
      await assert.rejects(reindexSearch(contextFor(store), siteId, onProgress), /progress display gone/);
      ended = true;
      // A batch still being written would report within this (500 short articles: under 1 s).
      await new Promise((resolve) => setTimeout(resolve, 1500));
      assert.deepEqual(late, []);
      assert.deepEqual(await indexState(store), before);
    });

    test('regression: an article published while a rebuild runs stays indexed after it', async () => {
      const tree = new ChannelTree(await channels.listChannels(store.db, siteId));
      const [article] = await articles.publishedBatch(store.db, siteId, 100, 1);
      assert.ok(article);
      const save = (status: 'published' | 'withdrawn') =>
        store.db.transaction().execute(async (trx) => {
          const saved = await articles.updateArticle(trx, article.id, { status }, new Date());
          await syncArticleIndex(trx, store.dialect, saved!, tree);
        });
      // Withdrawn before the rebuild reads its batch, published again once that batch is written:
      // no batch has it, and the rebuild's end must not take it for a page left over.
      await save('withdrawn');
      const republished: Promise<unknown>[] = [];
      await reindexSearch(contextFor(store), siteId, ({ done }) => {
        if (done > 0 && republished.length === 0) republished.push(save('published'));
      });
      assert.equal(republished.length, 1);
      await Promise.all(republished);
      const key = articleKey(article.id);
      assert.ok((await indexState(store)).pages.includes(key), `${key} is indexed`);
      const afterRace = await indexState(store);
      await store.db.deleteFrom('searchDoc').execute();
      await store.db.deleteFrom('searchTerm').execute();
      await reindexSearch(contextFor(store), siteId);
      assert.deepEqual(await indexState(store), afterRace);
    });

    if (backend.name === 'postgres')
      test("a rebuild batch's transaction merges GIN pending lists with more memory and no time limit; the connection keeps its defaults", async () => {
        const settings = async (db: Store['db']) =>
          (
            await sql<{
              workMem: string;
              timeout: string;
            }>`select current_setting('work_mem') as "workMem", current_setting('statement_timeout') as timeout`.execute(
              db,
            )
          ).rows[0];
        await store.db.connection().execute(async (connection) => {
          const inside = await connection.transaction().execute(async (trx) => {
            await backendFor('postgres').beginBulkWrite(trx);
            return settings(trx);
          });
          assert.deepEqual(inside, { workMem: '64MB', timeout: '0' });
          assert.deepEqual(await settings(connection), { workMem: '4MB', timeout: '30s' });
        });
      });

    if (backend.name === 'postgres') {
      /** A transaction held open at its end until `commit()`: one side of a race. */
      /** Held open until `commit()`, and committed when the test ends whatever happened. */
      const heldOpen = (t: TestContext, work: (trx: Store['db']) => Promise<unknown>) => {
        let commit!: () => void;
        const gate = new Promise<void>((resolve) => (commit = resolve));
        let ready!: () => void;
        const worked = new Promise<void>((resolve) => (ready = resolve));
        const done = store.db.transaction().execute(async (trx) => {
          await work(trx);
          ready();
          await gate;
        });
        t.after(async () => {
          commit();
          await done.catch(() => {});
        });
        return { worked, commit, done };
      };
      /** Resolves once `waiter`, the operation that should come to wait for a lock, is seen waiting. */
      const someoneWaits = async (waiter: Promise<unknown>) =>
        assert.equal(
          await lockWaitOrEnd(store.db, waiter),
          'waits',
          'the operation ended without waiting for the lock',
        );
      /** The titles the index holds for an article: one when it is indexed once. */
      const indexedTitles = async (articleId: number) =>
        (
          await store.db.selectFrom('searchDoc').select('title').where('docKey', '=', articleKey(articleId)).execute()
        ).map((r) => r.title);
      /** The index as it stands, and the same after a rebuild from scratch: equal if nothing drifted. */
      const rebuiltFromScratch = async () => {
        await store.db.deleteFrom('searchDoc').execute();
        await store.db.deleteFrom('searchTerm').execute();
        await reindexSearch(contextFor(store), siteId);
        return indexState(store);
      };

      for (const edit of ['republished under a new title', 'withdrawn'] as const)
        test(`regression: an article ${edit} while a rebuild batch holding it waits keeps the edit, and the batch goes on`, async (t) => {
          const tree = new ChannelTree(await channels.listChannels(store.db, siteId));
          const [article] = await articles.publishedBatch(store.db, siteId, 600, 1);
          assert.ok(article);
          // The batch read the article before the edit.
          const batch = await tokenizeGradually([articleSource(article, tree)!]);
          const editor = heldOpen(t, async (trx) => {
            const status = edit === 'withdrawn' ? 'withdrawn' : 'published';
            const saved = await articles.updateArticle(
              trx,
              article.id,
              { title: '竞态测试新标题', status },
              new Date(),
            );
            await syncArticleIndex(trx, 'postgres', saved!, tree);
          });
          await editor.worked;
          const rebuild = indexRebuildBatch(store.db, 'postgres', batch);
          t.after(() => rebuild.catch(() => {}));
          await someoneWaits(rebuild);
          editor.commit();
          await editor.done;
          assert.equal(await rebuild, 0);
          assert.deepEqual(await indexedTitles(article.id), edit === 'withdrawn' ? [] : ['竞态测试新标题']);
          const afterRace = await indexState(store);
          assert.deepEqual(await rebuiltFromScratch(), afterRace);
        });

      test('regression: two transactions indexing one page at once both commit, the later page stands, counted once', async (t) => {
        const tree = new ChannelTree(await channels.listChannels(store.db, siteId));
        const [article] = await articles.publishedBatch(store.db, siteId, 650, 1);
        assert.ok(article);
        const source = articleSource(article, tree)!;
        const first = heldOpen(t, (trx) => indexDocument(trx, 'postgres', { ...source, title: '先到的标题' }));
        await first.worked;
        const second = store.db.transaction().execute((trx) => indexDocument(trx, 'postgres', source));
        t.after(() => second.catch(() => {}));
        await someoneWaits(second);
        first.commit();
        await first.done;
        await second;
        assert.deepEqual(await indexedTitles(article.id), [article.title]);
        const afterRace = await indexState(store);
        assert.deepEqual(await rebuiltFromScratch(), afterRace);
      });

      test('regression: a column moved while an article beneath it is being edited indexes the edit, not the text it read', async (t) => {
        const tree = new ChannelTree(await channels.listChannels(store.db, siteId));
        // An article of a sub-column: the column moved is the one above (an article of the moved
        // column itself waits anyway, its search row's key on the column row being updated).
        const article = (await articles.publishedBatch(store.db, siteId, 750, 300)).find(
          (a) => tree.get(a.channelId)?.parentId != null,
        );
        assert.ok(article);
        const column = tree.get(tree.get(article.channelId)?.parentId ?? 0);
        assert.ok(column);
        const inside = new Set(tree.subtreeIds(column.id));
        const target = tree
          .all()
          .find(
            (c) =>
              c.type === 'list' &&
              !inside.has(c.id) &&
              c.id !== column.parentId &&
              !tree.children(c.id).some((child) => child.slug === column.slug),
          );
        assert.ok(target);
        const editor = heldOpen(t, async (trx) => {
          const saved = await articles.updateArticle(trx, article.id, { title: '栏目移动时的新标题' }, new Date());
          await syncArticleIndex(trx, 'postgres', saved!, tree);
        });
        await editor.worked;
        const moving = updateChannel(contextFor(store), systemActor('test'), column.id, { parentId: target.id });
        t.after(() => moving.catch(() => {}));
        await someoneWaits(moving);
        editor.commit();
        await editor.done;
        await moving;
        assert.deepEqual(await indexedTitles(article.id), ['栏目移动时的新标题']);
        const afterRace = await indexState(store);
        assert.deepEqual(await rebuiltFromScratch(), afterRace);
      });

      test('regression: a rebuild batch that deadlocks with a transaction saving several of its articles is tried again', async (t) => {
        const tree = new ChannelTree(await channels.listChannels(store.db, siteId));
        const [low, high] = await articles.publishedBatch(store.db, siteId, 700, 2);
        assert.ok(low && high);
        const batch = await tokenizeGradually([articleSource(low, tree)!, articleSource(high, tree)!]);
        // An import saves the later article, then the earlier one, in one transaction.
        const save = async (trx: Store['db'], article: typeof low, title: string) => {
          const saved = await articles.updateArticle(trx, article.id, { title }, new Date());
          await syncArticleIndex(trx, 'postgres', saved!, tree);
        };
        let goOn!: () => void;
        const second = new Promise<void>((resolve) => (goOn = resolve));
        let savedFirst!: () => void;
        const first = new Promise<void>((resolve) => (savedFirst = resolve));
        const importing = store.db.transaction().execute(async (trx) => {
          await save(trx, high, '导入的后一篇');
          savedFirst();
          await second;
          await save(trx, low, '导入的前一篇');
        });
        t.after(async () => {
          goOn();
          await importing.catch(() => {});
        });
        await first;
        // The batch locks the earlier article, then waits for the later one; the import then
        // waits for the earlier one: a deadlock, which PostgreSQL breaks by ending the batch.
        const rebuild = indexRebuildBatch(store.db, 'postgres', batch);
        t.after(() => rebuild.catch(() => {}));
        await someoneWaits(rebuild);
        goOn();
        await importing;
        assert.equal(await rebuild, 0);
        const titles = await store.db
          .selectFrom('searchDoc')
          .select(['docKey', 'title'])
          .where('docKey', 'in', [articleKey(low.id), articleKey(high.id)])
          .orderBy('docKey')
          .execute();
        assert.deepEqual(
          titles,
          [
            { docKey: articleKey(low.id), title: '导入的前一篇' },
            { docKey: articleKey(high.id), title: '导入的后一篇' },
          ].sort((x, y) => (x.docKey < y.docKey ? -1 : 1)),
        );
        const afterRace = await indexState(store);
        assert.deepEqual(await rebuiltFromScratch(), afterRace);
      });
    }
  });
}
