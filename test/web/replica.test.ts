import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { newDatabase, postgresTestStore, TEST_BACKEND, contextFor, type TestStore } from '../helpers/store.js';
import { demoApp } from '../helpers/app.js';
import { demoSite } from '../helpers/factories.js';
import { openStore, articles, type Store } from '../../src/store/index.js';
import { reindexSearch } from '../../src/services/index.js';

// A read replica is a PostgreSQL feature: this suite runs in the PostgreSQL pass (and by hand).
if (TEST_BACKEND !== 'sqlite') {
  describe('a read replica for the public side', () => {
    let primary: TestStore;
    let replicaDatabase: { url: string; drop(): Promise<void> };
    let seeded: Store | undefined;
    let replica: Store;
    let app: FastifyInstance;

    before(async () => {
      primary = await postgresTestStore();
      // Stands in for a streaming replica: a database holding one article the primary lacks, so
      // each answer shows which database it came from.
      replicaDatabase = await newDatabase('gazette_replica');
      seeded = await openStore({ databaseUrl: replicaDatabase.url, sqliteFile: '' });
      const ctx = contextFor(seeded);
      const site = await demoSite(ctx);
      const channel = await seeded.db
        .selectFrom('channel')
        .select('id')
        .where('slug', '=', 'bqdt')
        .executeTakeFirstOrThrow();
      await articles.insertArticle(
        seeded.db,
        {
          siteId: site.id,
          channelId: channel.id,
          title: '只在副本里的文章',
          subtitle: '',
          source: null,
          author: '',
          responsibleEditor: '',
          publishedAt: '2025-11-30T02:00:00.000Z',
          bodyHtml: '<p>副本的正文。</p>',
          summary: '',
          keywords: '',
          coverImage: null,
          attachments: [],
          status: 'published',
          importKey: null,
          createdBy: null,
        },
        new Date('2025-11-30T02:00:00Z'),
      );
      await reindexSearch(ctx, site.id);
      await seeded.close();
      replica = await openStore({ databaseUrl: replicaDatabase.url, sqliteFile: '', readOnly: true });
      app = await demoApp(primary, { readStore: replica });
    });

    after(async () => {
      await app?.close();
      await replica?.close();
      await seeded?.close();
      await replicaDatabase?.drop();
      await primary?.dispose();
    });

    test('search reads the replica', async () => {
      const response = await app.inject(`/api/v1/search?q=${encodeURIComponent('只在副本')}`);
      assert.equal(response.statusCode, 200);
      const found = response.json<{ total: number; hits: { title: string }[] }>();
      assert.equal(found.total, 1);
      assert.equal(found.hits[0]?.title.replace(/<[^>]+>/g, ''), '只在副本里的文章');
    });

    test('the back office reads the primary', async () => {
      const onPrimary = await primary.db
        .selectFrom('article')
        .select('title')
        .where('title', '=', '只在副本里的文章')
        .execute();
      assert.deepEqual(onPrimary, []);
    });

    test('the replica connection refuses writes', async () => {
      await assert.rejects(
        sql`insert into search_stopword (site_id, word) values (1, '测试')`.execute(replica.db),
        /read-only transaction/,
      );
    });
  });
}
