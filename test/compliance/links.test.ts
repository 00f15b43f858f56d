import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { buildSite, OutputStore, Publisher } from '../../src/publish/index.js';
import { loadTheme } from '../../src/theme/index.js';
import {
  checkPages,
  classifyLink,
  extractLinks,
  listFindings,
  sweepLinks,
  type LinkCheckContext,
} from '../../src/compliance/index.js';
import { currentSite, importPage, stepArticle, systemActor, type ServiceContext } from '../../src/services/index.js';
import { inProcessDemo } from '../helpers/app.js';
import { demoSite, makePage } from '../helpers/factories.js';
import { contextFor, pinnedClock, testStore, type TestStore } from '../helpers/store.js';

describe('link extraction and classification', () => {
  test('href and src of a, img, link, script, source and iframe, srcset too, once each', () => {
    const html =
      '<html><head><link rel="stylesheet" href="/assets/site.css"><link rel="preconnect" href="https://cdn.example.com"><script src="/assets/a.js"></script></head>' +
      '<body><a href="/bqdt/">x</a><a href="/bqdt/">again</a><img src="/media/a.png" srcset="/media/a-480.png 480w, /media/a-960.png 960w" alt="">' +
      '<video><source src="/media/v.mp4"></video><iframe src="https://map.example.com/x"></iframe><a href="#top">top</a><a>no href</a></body></html>';
    assert.deepEqual(extractLinks(html), [
      '/assets/site.css',
      '/assets/a.js',
      '/bqdt/',
      '/media/a.png',
      '/media/a-480.png',
      '/media/a-960.png',
      '/media/v.mp4',
      'https://map.example.com/x',
      '#top',
    ]);
  });

  test('relative addresses resolve against the page; the own host is internal by any scheme; anchors and mailto are skipped', () => {
    const origin = 'https://www.example.gov.cn';
    assert.deepEqual(classifyLink('../202105/t20210520_1.html', '/bqdt/202511/t20251120_5.html', origin), {
      kind: 'internal',
      path: '/bqdt/202105/t20210520_1.html',
    });
    assert.deepEqual(classifyLink('http://www.example.gov.cn/tzgg/?a=1#x', '/', origin), {
      kind: 'internal',
      path: '/tzgg/',
    });
    assert.deepEqual(classifyLink('/media/image/2025/a%20b.png', '/', origin), {
      kind: 'media',
      path: '/media/image/2025/a%20b.png',
    });
    assert.deepEqual(classifyLink('https://www.gov.cn/', '/', origin), {
      kind: 'external',
      url: 'https://www.gov.cn/',
    });
    assert.equal(classifyLink('#top', '/', origin), null);
    assert.equal(classifyLink('mailto:a@example.gov.cn', '/', origin), null);
    assert.equal(classifyLink('javascript:void(0)', '/', origin), null);
  });
});

describe('link check of published pages', () => {
  let store: TestStore;
  let ctx: ServiceContext;
  let check: LinkCheckContext;
  let server: http.Server;
  let external: string;
  let articlePath: string;
  let articleId: number;
  const dirs: string[] = [];
  const tempDir = (prefix: string) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };

  before(async () => {
    // A local site for external links: /ok answers, /gone is 404, /no-head refuses HEAD but serves GET.
    server = http.createServer((request, response) => {
      if (request.url === '/ok') return void response.writeHead(200).end('ok');
      if (request.url === '/no-head') return void response.writeHead(request.method === 'HEAD' ? 405 : 200).end();
      response.writeHead(404).end('gone');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    external = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    store = await testStore();
    ctx = { ...contextFor(store, pinnedClock()), mediaDir: tempDir('gazette-links-media-') };
    await demoSite(ctx);
    const linked = await importPage(
      ctx,
      makePage({ columns: ['通知公告'], title: '被链接的通知', publishedAt: new Date('2025-11-20T10:00:00+08:00') }),
    );
    const body =
      `<p><a href="/bqdt/202001/t20200101_99999.html">不存在的文章</a> <a href="/tzgg/">通知公告</a> <a href="${linked.path}">被链接的通知</a>` +
      ` <a href="/search?q=x">搜索</a> <a href="/nowhere/">没有的栏目</a>` +
      ` <a href="/media/file/2025/gone.pdf">缺失的附件</a> <a href="/media/file/2025/here.pdf">附件</a>` +
      ` <a href="${external}/ok">外链</a> <a href="${external}/gone">坏外链</a> <a href="${external}/no-head">不收 HEAD</a></p>`;
    const article = await importPage(
      ctx,
      makePage({
        columns: ['本区动态'],
        title: '有坏链的文章',
        bodyHtml: body,
        publishedAt: new Date('2025-11-25T10:00:00+08:00'),
      }),
    );
    articlePath = article.path;
    articleId = article.article.id;
    fs.mkdirSync(path.join(ctx.mediaDir, 'file', '2025'), { recursive: true });
    fs.writeFileSync(path.join(ctx.mediaDir, 'file', '2025', 'here.pdf'), '%PDF-1.4');
    const theme = loadTheme();
    const outputDir = tempDir('gazette-links-output-');
    await buildSite(new Publisher(store, theme, new OutputStore(outputDir), ctx.clock));
    check = { ...ctx, theme, outputDir };
  });
  after(async () => {
    await store?.dispose();
    await new Promise((resolve) => server.close(resolve));
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  const brief = (f: {
    pagePath: string;
    articleId: number | null;
    url: string;
    kind: string;
    status: number | null;
    reason: string;
  }) => [f.pagePath, f.articleId, f.url, f.kind, f.status, f.reason];

  test('a broken internal link and a missing media file are reported with their page and article; good links are not', async () => {
    const sweep = await sweepLinks(check);
    assert.equal(sweep.external, false);
    assert.ok(sweep.pages >= 10, `pages checked: ${sweep.pages}`);
    assert.deepEqual(sweep.findings.map(brief), [
      [articlePath, articleId, '/bqdt/202001/t20200101_99999.html', 'internal', 404, 'no such page'],
      [articlePath, articleId, '/nowhere/', 'internal', 404, 'no such page'],
      [articlePath, articleId, '/media/file/2025/gone.pdf', 'media', 404, 'media file missing'],
    ]);
    const stored = await listFindings(store.db, (await currentSite(store.db)).site.id);
    assert.deepEqual(stored.map(brief), [...sweep.findings].sort((a, b) => a.url.localeCompare(b.url)).map(brief));
  });

  test('external links are checked only when asked: HEAD, then GET when HEAD is refused', async () => {
    // The test site is on loopback, which the check refuses unless the operator vouches for it.
    const sweep = await sweepLinks(check, {
      external: { timeoutMs: 5_000, concurrency: 2, allowPrivate: ['127.0.0.1'] },
    });
    // Only this test's own server: the footer's links to the national registries (ICP, 公安备案,
    // 政府网站找错) are on every page and lead to sites the test machine may not reach.
    assert.deepEqual(sweep.findings.filter((f) => f.kind === 'external' && f.url.startsWith(external)).map(brief), [
      [articlePath, articleId, `${external}/gone`, 'external', 404, 'HTTP 404'],
    ]);
    const internalOnly = await sweepLinks(check);
    assert.deepEqual(
      internalOnly.findings.filter((f) => f.kind === 'external'),
      [],
    );
  });

  test('a link to a withdrawn article is reported as gone (410) by the sweep', async () => {
    const target = await importPage(
      ctx,
      makePage({ columns: ['通知公告'], title: '将撤稿的通知', publishedAt: new Date('2025-11-21T10:00:00+08:00') }),
    );
    const linking = await importPage(
      ctx,
      makePage({
        columns: ['通知公告'],
        title: '链接到撤稿',
        bodyHtml: `<p><a href="${target.path}">见此</a></p>`,
        publishedAt: new Date('2025-11-22T10:00:00+08:00'),
      }),
    );
    await stepArticle(ctx, systemActor('test'), target.article.id, 'withdraw', { reason: '内容有误' });
    await buildSite(new Publisher(store, check.theme, new OutputStore(check.outputDir), ctx.clock));
    const sweep = await sweepLinks(check);
    assert.deepEqual(sweep.findings.filter((f) => f.pagePath === linking.path).map(brief), [
      [linking.path, linking.article.id, target.path, 'internal', 410, 'article withdrawn'],
    ]);
  });
});

describe('link check on publish', () => {
  test('the pages a publish changed are checked after the run, and their findings replaced', async () => {
    const demo = await inProcessDemo();
    try {
      const ctx = demo.app.gazette.context;
      const page = await importPage(
        ctx,
        makePage({
          columns: ['本区动态'],
          title: '新发布的坏链文章',
          bodyHtml: '<p><a href="/bqdt/202001/t20200101_88888.html">旧文</a></p>',
          publishedAt: new Date('2025-11-30T10:00:00+08:00'),
        }),
      );
      await demo.app.gazette.publisher.idle();
      await demo.app.gazette.links.idle();
      const site = (await currentSite(demo.store.db)).site;
      assert.deepEqual(
        (await listFindings(demo.store.db, site.id)).map((f) => [f.pagePath, f.articleId, f.url, f.kind, f.status]),
        [[page.path, page.article.id, '/bqdt/202001/t20200101_88888.html', 'internal', 404]],
      );
    } finally {
      await demo.close();
    }
  });

  test('regression: checking a page renders none of the pages its links point to (a list page rendered twenty)', async () => {
    const store = await testStore();
    const outputDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-links-lazy-'));
    try {
      const ctx = contextFor(store, pinnedClock());
      await demoSite(ctx);
      const target = await importPage(
        ctx,
        makePage({
          columns: ['通知公告'],
          title: '从未生成页面的通知',
          publishedAt: new Date('2025-11-20T10:00:00+08:00'),
        }),
      );
      const linking = await importPage(
        ctx,
        makePage({
          columns: ['本区动态'],
          title: '链接到它的文章',
          bodyHtml: `<p><a href="${target.path}">见此</a> <a href="/bqdt/202001/t20200101_77777.html">没有的</a></p>`,
          publishedAt: new Date('2025-11-21T10:00:00+08:00'),
        }),
      );
      const theme = loadTheme();
      const output = new OutputStore(outputDir);
      // Only the linking page is in the output store: its links point at pages nobody rendered yet.
      assert.equal(await new Publisher(store, theme, output, ctx.clock).publishPath(linking.path), 'written');
      let renders = 0;
      const counting = {
        ...theme,
        render: (name: Parameters<typeof theme.render>[0], model: object) => (renders++, theme.render(name, model)),
      };
      const findings = await checkPages({ ...ctx, theme: counting, outputDir }, output, [linking.path]);
      assert.deepEqual(
        findings.map((f) => [f.url, f.status]),
        [['/bqdt/202001/t20200101_77777.html', 404]],
      );
      assert.equal(renders, 0, 'no page was rendered to learn that it exists');
      assert.equal(await output.has(target.path), false);
    } finally {
      await store.dispose();
      fs.rmSync(outputDir, { recursive: true, force: true });
    }
  });
});
