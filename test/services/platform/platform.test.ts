import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { GazetteError } from '../../../src/domain/index.js';
import { normalizeHost, hostOfHeader } from '../../../src/domain/index.js';
import {
  addSite,
  archiveSite,
  changeSite,
  importPage,
  listPlatformSites,
  platformConsole,
  platformHealth,
  runHealthCheck,
  removeSite,
  resolveSite,
  setDefaultSite,
  siteIdForHost,
  systemActor,
  verifyAuditChain,
} from '../../../src/services/index.js';
import { transfer } from '../../../src/store/index.js';
import { loadTheme } from '../../../src/theme/index.js';
import { contextFor, testStore } from '../../helpers/store.js';
import { demoSite, makePage } from '../../helpers/factories.js';

const platform = platformConsole('test');
const refused = (code: string, message?: RegExp) => (error: unknown) => {
  assert.equal((error as GazetteError).code, code);
  if (message) assert.match((error as GazetteError).messageIn('zh'), message);
  return true;
};

test('host names: the normal form, and a reason for each malformed one', () => {
  assert.deepEqual(normalizeHost(' WWW.Example.GOV.cn. '), { host: 'www.example.gov.cn' });
  assert.deepEqual(normalizeHost('localhost'), { host: 'localhost' });
  assert.deepEqual(normalizeHost('127.0.0.1'), { host: '127.0.0.1' });
  const bad = [
    '',
    'http://www.example.gov.cn',
    'www.example.gov.cn:8080',
    'www.example.gov.cn/bqdt',
    'a..b',
    '-a.example.cn',
    'a-.example.cn',
    'under_score.cn',
    '水务局.cn',
    `${'a'.repeat(64)}.cn`,
  ];
  for (const host of bad) assert.ok('reason' in normalizeHost(host), host);
  assert.equal(hostOfHeader('WWW.Example.gov.cn:8080'), 'www.example.gov.cn');
  assert.equal(hostOfHeader('[::1]:3000'), '[::1]');
  assert.equal(hostOfHeader(undefined), '');
});

test('sites: add, list, change hosts and parent, archive, default, remove — audited, and refusals change nothing', async (t) => {
  const store = await testStore();
  t.after(() => store.dispose());
  const ctx = contextFor(store);
  const portal = await demoSite(ctx);

  // The existing site is a one-site platform reached by its domain.
  assert.equal(await siteIdForHost(store.db, 'www.example.gov.cn'), portal.id);
  assert.equal((await resolveSite(store.db)).id, portal.id);

  const water = await addSite(ctx, platform, {
    host: 'SWJ.Example.gov.cn',
    name: '区水务局',
    siteCode: '3205090002',
    parentHost: 'www.example.gov.cn',
  });
  assert.deepEqual(
    {
      domain: water.domain,
      hosts: water.hosts,
      status: water.status,
      parentId: water.parentId,
      siteCode: water.siteCode,
      hostOrganization: water.hostOrganization,
      timeZone: water.timeZone,
    },
    {
      domain: 'swj.example.gov.cn',
      hosts: ['swj.example.gov.cn'],
      status: 'active',
      parentId: portal.id,
      siteCode: '3205090002',
      hostOrganization: '区水务局',
      timeZone: portal.timeZone,
    },
  );
  const town = await addSite(ctx, platform, { host: 'mmz.example.gov.cn', name: '某某镇' });

  // Several sites: a command must say which.
  await assert.rejects(
    resolveSite(store.db),
    refused(
      'SITE_AMBIGUOUS',
      /www\.example\.gov\.cn（示范区人民政府）, swj\.example\.gov\.cn（区水务局）, mmz\.example\.gov\.cn（某某镇）/,
    ),
  );
  assert.equal((await resolveSite(store.db, 'MMZ.example.gov.cn')).id, town.id);
  await assert.rejects(resolveSite(store.db, 'nowhere.example.gov.cn'), refused('SITE_NOT_FOUND'));

  const before = await transfer.countRows(store.db);
  // A host another site holds is refused, naming the holder; so is a malformed one.
  await assert.rejects(
    addSite(ctx, platform, { host: 'www.example.gov.cn', name: '重复' }),
    refused('HOST_TAKEN', /示范区人民政府（www\.example\.gov\.cn）/),
  );
  await assert.rejects(
    changeSite(ctx, platform, 'mmz.example.gov.cn', { addHosts: ['mmz2.example.gov.cn', 'swj.example.gov.cn'] }),
    refused('HOST_TAKEN', /区水务局/),
  );
  await assert.rejects(
    addSite(ctx, platform, { host: 'http://bad.example.gov.cn', name: '坏域名' }),
    refused('HOST_INVALID'),
  );
  await assert.rejects(
    addSite(ctx, platform, { host: 'ok.example.gov.cn', name: '标识码', siteCode: '12' }),
    refused('FIELD_INVALID'),
  );
  await assert.rejects(
    changeSite(ctx, platform, 'mmz.example.gov.cn', { removeHosts: ['mmz.example.gov.cn'] }),
    refused('HOST_LAST'),
  );
  await assert.rejects(
    changeSite(ctx, platform, 'www.example.gov.cn', { parentHost: 'swj.example.gov.cn' }),
    refused('FIELD_INVALID'),
  );
  // Only the platform administrator manages sites; a site's own administrator does not.
  await assert.rejects(
    addSite(ctx, systemActor('site admin'), { host: 'x.example.gov.cn', name: '越权' }),
    refused('PERMISSION_DENIED'),
  );
  assert.deepEqual(await transfer.countRows(store.db), before, 'every refusal leaves the store as it was');

  const moved = await changeSite(ctx, platform, 'mmz.example.gov.cn', {
    addHosts: ['mmz.gov.cn', 'www.mmz.gov.cn'],
    primaryHost: 'www.mmz.gov.cn',
    name: '某某镇人民政府',
  });
  assert.deepEqual(
    [moved.domain, moved.hosts, moved.name],
    ['www.mmz.gov.cn', ['www.mmz.gov.cn', 'mmz.example.gov.cn', 'mmz.gov.cn'], '某某镇人民政府'],
  );
  const dropped = await changeSite(ctx, platform, 'mmz.gov.cn', { removeHosts: ['www.mmz.gov.cn'] });
  assert.equal(
    dropped.domain,
    'mmz.example.gov.cn',
    'the primary host taken away: another of its hosts takes its place',
  );
  assert.equal(await siteIdForHost(store.db, 'www.mmz.gov.cn'), null);

  // Unknown hosts: 404 (null) unless a default site is named; archived sites are not served.
  assert.equal(await siteIdForHost(store.db, 'unknown.example.org'), null);
  await setDefaultSite(ctx, platform, 'www.example.gov.cn');
  assert.equal(await siteIdForHost(store.db, 'unknown.example.org'), portal.id);
  await importPage({ ...ctx, siteId: portal.id }, makePage());
  await archiveSite(ctx, platform, 'swj.example.gov.cn');
  assert.equal(
    await siteIdForHost(store.db, 'swj.example.gov.cn'),
    null,
    'an archived site is not served, and its host reaches no other site',
  );
  assert.equal(
    await siteIdForHost(store.db, 'localhost', 'swj.example.gov.cn'),
    portal.id,
    'a reader choosing an archived site gets the default',
  );
  await setDefaultSite(ctx, platform, null);
  assert.equal(
    await siteIdForHost(store.db, 'localhost', 'mmz.gov.cn'),
    town.id,
    'a reader choosing a site by /_site/ gets it',
  );

  // Removing: a site with content must be archived first; the last site stays.
  await assert.rejects(
    removeSite(ctx, platform, 'www.example.gov.cn'),
    refused('SITE_HAS_CONTENT', /示范区人民政府|www\.example\.gov\.cn/),
  );
  await removeSite(ctx, platform, 'swj.example.gov.cn');
  await removeSite(ctx, platform, 'mmz.gov.cn');
  const { sites: left } = await listPlatformSites(ctx, platform);
  assert.deepEqual(
    left.map((s) => s.domain),
    ['www.example.gov.cn'],
  );
  await assert.rejects(removeSite(ctx, platform, 'www.example.gov.cn'), refused('SITE_LAST'));

  const actions = await store.db
    .selectFrom('auditLog')
    .select('action')
    .where('targetType', '=', 'site')
    .orderBy('seq')
    .execute();
  assert.deepEqual(
    actions.map((a) => a.action),
    [
      'site.add',
      'site.add',
      'site.change',
      'site.change',
      'site.default',
      'site.archive',
      'site.default',
      'site.remove',
      'site.remove',
    ],
  );
  assert.equal((await verifyAuditChain(store.db)).ok, true);
});

test("the platform health overview: each site's latest report in brief, failing sites first", async (t) => {
  const store = await testStore();
  t.after(() => store.dispose());
  const ctx = contextFor(store);
  const portal = await demoSite(ctx);
  const town = await addSite(ctx, platform, { host: 'town.example.gov.cn', name: '某某镇' });
  const water = await addSite(ctx, platform, { host: 'swj.example.gov.cn', name: '区水务局' });
  // The portal fails on its empty columns (one article in all), the town on its silent home page;
  // neither publishes a 办事指南 (服务不实用).
  await importPage({ ...ctx, siteId: portal.id }, makePage({ publishedAt: new Date('2025-11-30T02:00:00Z') }));
  const check = (siteId: number) =>
    runHealthCheck({ ...ctx, siteId, theme: loadTheme(), outputDir: '/nonexistent' }, systemActor('test'), {
      wordingFindings: [],
    });
  await check(portal.id);
  await check(town.id);
  const lines = await platformHealth(ctx, platform);
  assert.deepEqual(
    lines.map((l) => [l.domain, l.latest && [l.latest.passed, l.latest.failed.map((f) => f.id)]]),
    [
      ['www.example.gov.cn', [false, ['empty-columns', 'services']]],
      ['town.example.gov.cn', [false, ['home', 'services']]],
      ['swj.example.gov.cn', null],
    ],
  );
  assert.equal(
    lines[0]?.latest?.score,
    (await store.db.selectFrom('healthRun').select('score').where('siteId', '=', portal.id).executeTakeFirstOrThrow())
      .score,
  );
  void water;
  await assert.rejects(platformHealth(ctx, systemActor('site admin')), refused('PERMISSION_DENIED'));
});

test('an archived site with columns and articles is removed with all of it; other sites keep theirs', async (t) => {
  const store = await testStore();
  t.after(() => store.dispose());
  const ctx = contextFor(store);
  await demoSite(ctx);
  const town = await addSite(ctx, platform, { host: 'town.example.gov.cn', name: '某某镇' });
  // A column and an article of the town's own, written straight to the store.
  const now = new Date('2025-11-01T00:00:00Z');
  const channel = await store.db
    .insertInto('channel')
    .values({
      siteId: town.id,
      parentId: null,
      name: '镇动态',
      slug: 'bqdt',
      type: 'list',
      sortOrder: 1,
      description: '',
      keywords: '',
      linkUrl: null,
      bodyHtml: null,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await store.db
    .insertInto('article')
    .values({
      siteId: town.id,
      channelId: channel.id,
      title: '镇里的消息',
      subtitle: '',
      source: null,
      author: '',
      responsibleEditor: '',
      publishedAt: null,
      bodyHtml: '<p>正文</p>',
      summary: '',
      keywords: '',
      coverImage: null,
      attachments: '[]',
      status: 'draft',
      viewCount: 0,
      version: 1,
      importKey: null,
      createdBy: null,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    })
    .execute();
  const portalArticles = async () =>
    Number(
      (
        await store.db
          .selectFrom('article')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('siteId', '<>', town.id)
          .executeTakeFirstOrThrow()
      ).n,
    );
  const kept = await portalArticles();

  await assert.rejects(
    removeSite(ctx, platform, 'town.example.gov.cn'),
    refused('SITE_HAS_CONTENT', /1 篇文章、1 个栏目/),
  );
  await archiveSite(ctx, platform, 'town.example.gov.cn');
  await removeSite(ctx, platform, 'town.example.gov.cn');
  assert.equal(
    await store.db.selectFrom('article').select('id').where('siteId', '=', town.id).executeTakeFirst(),
    undefined,
  );
  assert.equal(
    await store.db.selectFrom('channel').select('id').where('siteId', '=', town.id).executeTakeFirst(),
    undefined,
  );
  assert.equal(
    await store.db.selectFrom('siteHost').select('host').where('siteId', '=', town.id).executeTakeFirst(),
    undefined,
  );
  assert.equal(await portalArticles(), kept);
});
