import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sites } from '../../src/store/index.js';
import { servedDemo } from '../helpers/app.js';
import { axeViolations, missingInOrder } from '../helpers/browser.js';
import { trsMirror, type ExpectedArticle } from '../helpers/mirrors.js';
import { serveMirror, type MirrorServer } from '../helpers/mirror-server.js';
import { contextFor } from '../helpers/store.js';
import { migrateInProcess } from '../helpers/migrate.js';

describe('a migrated site read in Chromium', () => {
  let served: Awaited<ReturnType<typeof servedDemo>>;
  let oldSite: MirrorServer;
  const mirror = trsMirror();

  before(async () => {
    served = await servedDemo();
    oldSite = await serveMirror(mirror);
    const ctx = contextFor(served.store);
    const site = await sites.findSiteOrOnly(served.store.db, undefined);
    assert.ok(site);
    await migrateInProcess({ ...ctx, siteId: site.id }, oldSite.origin);
  });
  after(async () => {
    await served?.close();
    await oldSite?.close();
  });

  const pick = (what: string, test: (a: ExpectedArticle) => boolean): ExpectedArticle => {
    const found = mirror.articles.find(test);
    assert.ok(found, what);
    return found;
  };
  const cases: [string, ExpectedArticle][] = [
    ['an article of two pages', pick('two pages', (a) => a.oldUrls.length > 1)],
    ['an article with attachments and an image', pick('files', (a) => a.attachments.length > 1 && a.images.length > 0)],
  ];

  for (const [what, expected] of cases)
    test(`${what}: its old URL leads to the new page, which shows the whole article and passes axe`, async () => {
      const page = await served.browser.context.newPage();
      try {
        for (const oldUrl of expected.oldUrls) {
          const answer = await page.goto(served.base + oldUrl);
          assert.equal(answer?.status(), 200, oldUrl);
          assert.match(new URL(page.url()).pathname, /^\/[a-z0-9/-]+\/\d{6}\/t\d{8}_\d+\.html$/);
          assert.equal(await page.locator('h1').innerText(), expected.title);
        }
        const text = await page.evaluate(() => document.body.innerText);
        assert.deepEqual(missingInOrder(expected.bodyText.join('\n'), text), []);
        assert.ok(text.includes(`来源: ${expected.source ?? '本站'}`), `来源 line:\n${text}`);
        const links = await page.locator('a[href^="/media/"]').allInnerTexts();
        for (const attachment of expected.attachments)
          assert.ok(
            links.some((link) => link.includes(attachment.name.replace(/\.[a-z]+$/, ''))),
            `${attachment.name} in ${JSON.stringify(links)}`,
          );
        const images = await page.locator('.article-body img').evaluateAll((all) =>
          all.map((img) => ({
            src: img.getAttribute('src') ?? '',
            loaded: (img as HTMLImageElement).naturalWidth > 0,
          })),
        );
        assert.equal(images.length, expected.images.length);
        for (const image of images)
          assert.deepEqual([image.src.startsWith('/media/'), image.loaded], [true, true], image.src);
        assert.deepEqual(await axeViolations(page), []);
      } finally {
        await page.close();
      }
    });
});
