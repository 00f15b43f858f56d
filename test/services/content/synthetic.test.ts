import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ChannelTree, htmlToText, isGazetteError, summarize, toLocal } from '../../../src/domain/index.js';
import { ensureSite, generateSyntheticArticles, verifyAuditChain } from '../../../src/services/index.js';
import { MAX_SENTENCE_CHARS } from '../../../src/services/content/synthetic.js';
import { articles, channels, type Store } from '../../../src/store/index.js';
import { BACKENDS, contextFor, PINNED_NOW, type TestStore } from '../../helpers/store.js';

const SH = 'Asia/Shanghai';
const NOW = new Date(PINNED_NOW);
const BODY_CHARS = 400;
const DEMO_LISTS = ['bqdt', 'tzgg', 'zwgk', 'bmdt', 'zcwj', 'rsxx'];

async function articleRows(store: Store, afterId = 0) {
  return store.db.selectFrom('article').selectAll().where('id', '>', afterId).orderBy('id').execute();
}

/** Channel slug paths by id, so two stores' articles can be compared by where they are. */
async function treeOf(store: Store): Promise<ChannelTree> {
  const site = await store.db.selectFrom('site').select('id').executeTakeFirstOrThrow();
  return new ChannelTree(await channels.listChannels(store.db, site.id));
}

/** What the same seed must reproduce: everything but the row ids. */
async function content(store: Store, afterId = 0) {
  const tree = await treeOf(store);
  return (await articleRows(store, afterId)).map(({ id: _id, channelId, ...rest }) => ({
    ...rest,
    channel: tree.path(channelId),
  }));
}

for (const backend of BACKENDS) {
  describe(`synthetic articles on ${backend.name}`, () => {
    let store: TestStore;
    const progress: [number, number][] = [];
    let result: Awaited<ReturnType<typeof generateSyntheticArticles>>;
    before(async () => {
      store = await backend.open();
      result = await generateSyntheticArticles(contextFor(store), {
        articles: 250,
        seed: 42,
        bodyChars: BODY_CHARS,
        onProgress: (done, total) => progress.push([done, total]),
      });
    });
    after(() => store.dispose());

    test('creates the demo site and puts 250 published articles in its list channels', async () => {
      assert.deepEqual({ ...result, seconds: 0 }, { articles: 250, channels: 6, seconds: 0 });
      assert.ok(result.seconds > 0);
      const site = await store.db.selectFrom('site').select(['id', 'name']).executeTakeFirstOrThrow();
      assert.equal(site.name, '示范区人民政府');
      assert.equal(await articles.countPublished(store.db, { siteId: site.id }), 250);
      const rows = await articleRows(store);
      assert.equal(rows.length, 250);
      const tree = await treeOf(store);
      const used = new Set(rows.map((r) => r.channelId));
      assert.deepEqual(
        [...used].map((id) => tree.get(id)?.type),
        [...used].map(() => 'list'),
      );
      assert.deepEqual([...used].map((id) => tree.get(id)?.slug).sort(), [...DEMO_LISTS].sort());
      for (const row of rows) {
        assert.deepEqual(
          [
            row.siteId,
            row.status,
            row.version,
            row.createdBy,
            row.importKey,
            row.subtitle,
            row.attachments,
            row.coverImage,
            row.withdrawReason,
          ],
          [site.id, 'published', 1, null, null, '', '[]', null, null],
        );
      }
      assert.deepEqual(progress[0], [0, 250]);
      assert.deepEqual(progress[progress.length - 1], [250, 250]);
      assert.ok(progress.every(([done], i) => i === 0 || done > (progress[i - 1]?.[0] ?? 0)));
    });

    test('publish times: distinct, increasing with the id, before now, on weekday office hours', async () => {
      const rows = await articleRows(store);
      const times = rows.map((r) => r.publishedAt ?? '');
      for (let i = 1; i < times.length; i++) assert.ok(times[i - 1]! < times[i]!, `${times[i - 1]} < ${times[i]}`);
      assert.ok(new Date(times[times.length - 1]!).getTime() < NOW.getTime());
      // Spread over the last five years, not bunched at one end.
      const first = new Date(times[0]!).getTime();
      assert.ok(
        first < NOW.getTime() - 4.9 * 365 * 86_400_000 && first > NOW.getTime() - 5.1 * 365 * 86_400_000,
        times[0],
      );
      for (const row of rows) {
        const local = toLocal(new Date(row.publishedAt ?? ''), SH);
        const minute = local.hour * 60 + local.minute;
        assert.ok(local.weekday >= 1 && local.weekday <= 5, `${row.publishedAt} is on a weekday`);
        assert.ok(
          (minute >= 8 * 60 + 30 && minute < 12 * 60) || (minute >= 13 * 60 + 30 && minute < 17 * 60 + 30),
          `${row.publishedAt} is in office hours`,
        );
        assert.deepEqual([row.createdAt, row.updatedAt], [row.publishedAt, row.publishedAt]);
      }
    });

    test('titles of 12–30 characters, paragraph bodies of the asked length, summaries as the importer makes them', async () => {
      const rows = await articleRows(store);
      let total = 0;
      for (const row of rows) {
        const titleChars = Array.from(row.title).length;
        assert.ok(titleChars >= 12 && titleChars <= 30, row.title);
        assert.match(row.bodyHtml, /^<p class="indent">[^<>\n]+<\/p>(\n<p class="indent">[^<>\n]+<\/p>)*$/);
        // The generated characters: the text without markup (it holds nothing to escape).
        const chars = Array.from(row.bodyHtml.replace(/<[^>]+>|\n/g, '')).length;
        assert.ok(chars >= BODY_CHARS / 2 && chars < (BODY_CHARS * 3) / 2 + MAX_SENTENCE_CHARS, `${chars} characters`);
        total += chars;
        assert.equal(row.summary, summarize(htmlToText(row.bodyHtml)));
        assert.ok(row.author.length >= 2 && row.responsibleEditor.length >= 2);
        assert.ok(row.source === null || /^区.+(委|局|中心)$/.test(row.source), String(row.source));
        assert.ok(
          row.keywords === '' || row.keywords.split(',').every((word) => word.length >= 2 && row.title.includes(word)),
          row.keywords,
        );
      }
      const mean = total / rows.length;
      assert.ok(mean > BODY_CHARS * 0.9 && mean < BODY_CHARS * 1.15, `mean ${mean}`);
      assert.ok(rows.some((r) => r.source === null) && rows.some((r) => r.source !== null));
      assert.ok(new Set(rows.map((r) => r.title)).size > 245, 'titles hardly repeat');
    });

    test('one audit entry for the whole run, none per article', async () => {
      const entries = await store.db.selectFrom('auditLog').selectAll().execute();
      assert.equal(entries.length, 1);
      const [entry] = entries;
      const site = await store.db.selectFrom('site').select('id').executeTakeFirstOrThrow();
      assert.deepEqual(
        [
          entry?.action,
          entry?.userName,
          entry?.userId,
          entry?.targetType,
          entry?.targetId,
          JSON.parse(entry?.details ?? '{}'),
        ],
        ['demo.generate', 'demo', null, 'site', String(site.id), { articles: 250, channels: 6, seed: 42 }],
      );
      assert.equal((await verifyAuditChain(store.db)).ok, true);
    });

    test('the same seed makes the same articles in another store; another seed makes others', async () => {
      const other = await backend.open();
      try {
        await generateSyntheticArticles(contextFor(other), { articles: 250, seed: 42, bodyChars: BODY_CHARS });
        assert.deepEqual(await content(other), await content(store));
        await generateSyntheticArticles(contextFor(other), { articles: 250, seed: 43, bodyChars: BODY_CHARS });
        const [a, b] = [await content(store), await content(other, 250)];
        assert.equal(b.length, 250);
        assert.ok(a.filter((x, i) => x.title === b[i]?.title).length < 5, 'titles differ');
        assert.ok(
          a.every((x, i) => x.bodyHtml !== b[i]?.bodyHtml),
          'bodies differ',
        );
      } finally {
        await other.dispose();
      }
    });

    test('more channels than the site has: the missing ones are made under 专题栏目, once', async () => {
      const before = (await articleRows(store)).length;
      const made = await generateSyntheticArticles(contextFor(store), {
        articles: 40,
        channels: 12,
        seed: 7,
        bodyChars: 200,
      });
      assert.deepEqual([made.articles, made.channels], [40, 12]);
      const tree = await treeOf(store);
      const lists = tree.all().filter((c) => c.type === 'list');
      assert.deepEqual(
        lists.map((c) => tree.path(c.id)),
        [
          ...DEMO_LISTS.slice(0, 2),
          'zwgk',
          'zwgk/bmdt',
          'zwgk/zcwj',
          'zwgk/rsxx',
          'ztlm',
          'ztlm/xzdt',
          'ztlm/zcjd',
          'ztlm/zbcg',
          'ztlm/msfw',
          'ztlm/rdgz',
        ].map((p) => `/${p}/`),
      );
      assert.deepEqual(
        lists.slice(6).map((c) => c.name),
        ['专题栏目', '乡镇动态', '政策解读', '招标采购', '民生服务', '人大工作'],
      );
      const rows = await articleRows(store, before);
      assert.equal(rows.length, 40);
      // Short bodies (100–300 characters) take the summary's other paths.
      for (const row of rows) assert.equal(row.summary, summarize(htmlToText(row.bodyHtml)));
      assert.ok(rows.some((r) => !r.summary.endsWith('…')));
      assert.deepEqual(new Set(rows.map((r) => r.channelId)), new Set(lists.map((c) => c.id)));

      // Asking again for 12 finds them; asking for 3 uses the first three.
      await generateSyntheticArticles(contextFor(store), { articles: 10, channels: 12, seed: 8, bodyChars: 200 });
      const few = await generateSyntheticArticles(contextFor(store), {
        articles: 10,
        channels: 3,
        seed: 9,
        bodyChars: 200,
      });
      assert.equal(few.channels, 3);
      assert.equal((await treeOf(store)).all().length, tree.all().length);
      const last = await articleRows(store, before + 50);
      assert.deepEqual(new Set(last.map((r) => tree.get(r.channelId)?.slug)), new Set(['bqdt', 'tzgg', 'zwgk']));
      const runs = await store.db
        .selectFrom('auditLog')
        .select('details')
        .where('action', '=', 'demo.generate')
        .orderBy('seq')
        .execute();
      assert.deepEqual(
        runs.map((r) => JSON.parse(r.details) as { articles: number; channels: number; seed: number }),
        [
          { articles: 250, channels: 6, seed: 42 },
          { articles: 40, channels: 12, seed: 7 },
          { articles: 10, channels: 12, seed: 8 },
          { articles: 10, channels: 3, seed: 9 },
        ],
      );
    });

    test('bad options are refused before anything is written', async () => {
      const count = (await articleRows(store)).length;
      for (const options of [
        { articles: 0 },
        { articles: 1.5 },
        { articles: 10, channels: 0 },
        { articles: 10, seed: -1 },
        { articles: 10, bodyChars: 99 },
      ]) {
        await assert.rejects(
          generateSyntheticArticles(contextFor(store), options),
          (error) => isGazetteError(error) && error.code === 'FIELD_INVALID',
        );
      }
      assert.equal((await articleRows(store)).length, count);
    });
  });
}

describe('synthetic articles: the site', () => {
  test('an existing site is filled, not replaced', async () => {
    const store = await BACKENDS[0]!.open();
    try {
      const { site } = await ensureSite(contextFor(store), SH);
      const made = await generateSyntheticArticles(contextFor(store), { articles: 5 });
      assert.deepEqual([made.articles, made.channels], [5, 6]);
      assert.deepEqual(
        (await store.db.selectFrom('site').select('id').execute()).map((s) => s.id),
        [site.id],
      );
    } finally {
      await store.dispose();
    }
  });
});
