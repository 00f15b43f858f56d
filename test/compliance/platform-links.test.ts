import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { addSite, importPage, platformConsole } from '../../src/services/index.js';
import { classifyLink, sweepLinks } from '../../src/compliance/index.js';
import { buildSite, OutputStore, Publisher, siteOutputDir } from '../../src/publish/index.js';
import { loadTheme } from '../../src/theme/index.js';
import { contextFor, testStore } from '../helpers/store.js';
import { demoSite, makePage } from '../helpers/factories.js';

test('links to another site of the platform are internal: checked against its pages, without the network', async (t) => {
  const store = await testStore();
  const outputDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-platform-links-'));
  t.after(async () => {
    await store.dispose();
    fs.rmSync(outputDir, { recursive: true, force: true });
  });
  const ctx = contextFor(store);
  const portal = await demoSite(ctx);
  const water = await addSite(ctx, platformConsole('test'), { host: 'swj.example.gov.cn', name: '区水务局' });
  const theme = loadTheme();
  const news = await importPage(
    { ...ctx, siteId: water.id },
    makePage({ columns: ['工作动态'], title: '水务局的新闻' }),
  );
  const linking = await importPage(
    { ...ctx, siteId: portal.id },
    makePage({
      title: '转载部门网站的消息',
      bodyHtml:
        `<p><a href="https://swj.example.gov.cn${news.path}">水务局原文</a> <a href="http://swj.example.gov.cn/gzdt/">工作动态</a> ` +
        '<a href="https://swj.example.gov.cn/nope/">不存在的栏目</a> <a href="https://www.gov.cn/zhengce/">中国政府网</a></p>',
    }),
  );
  for (const site of [portal.id, water.id]) {
    await buildSite(
      new Publisher(store, theme, new OutputStore(siteOutputDir(outputDir, site)), ctx.clock, { siteId: site }),
    );
  }

  const sweep = await sweepLinks({ ...ctx, siteId: portal.id, theme, outputDir });
  assert.deepEqual(
    sweep.findings.map((f) => [f.pagePath, f.kind, f.status, f.url, f.reason]),
    [[linking.path, 'internal', 404, 'https://swj.example.gov.cn/nope/', 'no such page']],
  );

  const hosts = new Map([['swj.example.gov.cn', water.id]]);
  assert.deepEqual(classifyLink('https://swj.example.gov.cn/gzdt/', '/', 'https://www.example.gov.cn', hosts), {
    kind: 'internal',
    path: '/gzdt/',
    siteId: water.id,
  });
  assert.deepEqual(classifyLink('https://swj.example.gov.cn:8443/gzdt/', '/', 'https://www.example.gov.cn', hosts), {
    kind: 'external',
    url: 'https://swj.example.gov.cn:8443/gzdt/',
  });
  assert.deepEqual(classifyLink('https://www.gov.cn/', '/', 'https://www.example.gov.cn', hosts), {
    kind: 'external',
    url: 'https://www.gov.cn/',
  });
});
