import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  PageCache,
  currentRepresentation,
  readyRepresentation,
  representation,
  type CachedPage,
} from '../../src/web/page-cache.js';
import { sha256 } from '../../src/publish/index.js';

function articlePage(path: string, stored: string, views = 0): CachedPage {
  return {
    path,
    contentType: 'text/html; charset=utf-8',
    lastModified: 'Mon, 01 Dec 2025 01:00:00 GMT',
    articleId: 7,
    dynamic: true,
    stored: Buffer.from(stored),
    fixed: null,
    views,
    filled: null,
    refill: null,
    used: false,
  };
}

const TODAY = '今天是2025年12月01日 星期一';
/** The fill under way (read through a call: the assertions above narrow the property itself). */
const refillOf = (page: CachedPage) => page.refill;

test('regression: a hot article page is filled once per refresh, not by every reader who arrives meanwhile', async () => {
  const page = articlePage(
    '/bqdt/202512/t20251201_7.html',
    '<p><!--gz:today--></p><p>浏览次数: <!--gz:views--></p>',
    10,
  );
  const first = await currentRepresentation(page, TODAY, 0, 5_000);
  assert.equal(first.body.toString(), `<p>${TODAY}</p><p>浏览次数: 10</p>`);
  page.views = 25;
  // Within the refresh interval: the same bytes, nothing to do.
  assert.equal(readyRepresentation(page, TODAY, 4_999, 5_000), first);
  assert.equal(page.refill, null);
  // Past it: every reader still gets the bytes at hand at once, and one fill starts for all of them.
  const readers = Array.from({ length: 50 }, () => readyRepresentation(page, TODAY, 6_000, 5_000));
  assert.ok(readers.every((r) => r === first));
  const refill = refillOf(page);
  assert.ok(refill, 'a fill is under way');
  for (let i = 0; i < 10; i++) readyRepresentation(page, TODAY, 6_001, 5_000);
  assert.equal(refillOf(page), refill, 'no second fill while the first runs');
  const next = await refill;
  assert.equal(next.body.toString(), `<p>${TODAY}</p><p>浏览次数: 25</p>`);
  assert.equal(refillOf(page), null);
  assert.equal(readyRepresentation(page, TODAY, 6_002, 5_000), next);
});

test('a new day is never answered with yesterday’s date bar', async () => {
  const page = articlePage('/bqdt/202512/t20251201_7.html', '<p><!--gz:today--></p>');
  await currentRepresentation(page, TODAY, 0, 5_000);
  const tomorrow = '今天是2025年12月02日 星期二';
  assert.equal(readyRepresentation(page, tomorrow, 1_000, 5_000), null, 'not ready: the reader waits for the fill');
  assert.equal((await currentRepresentation(page, tomorrow, 1_000, 5_000)).body.toString(), `<p>${tomorrow}</p>`);
});

test('the cache evicts the pages not read since it last looked, read pages get a second chance', async () => {
  const fixedPage = async (path: string): Promise<CachedPage> => {
    const stored = Buffer.alloc(1000, 'a');
    return { ...articlePage(path, ''), articleId: null, dynamic: false, stored, fixed: await representation(stored) };
  };
  const pages = await Promise.all(['/a', '/b', '/c', '/d'].map(fixedPage));
  const [a, b, c, d] = pages as [CachedPage, CachedPage, CachedPage, CachedPage];
  const one = 1000 + a.fixed!.gzip.length + a.fixed!.br.length + 512;
  const cache = new PageCache(one * 3);
  cache.set(a);
  cache.set(b);
  cache.set(c);
  assert.equal(cache.get('/a'), a);
  cache.set(d);
  assert.equal(cache.get('/b'), undefined, 'the oldest page not read since is the one evicted');
  assert.deepEqual(
    ['/a', '/c', '/d'].map((p) => cache.get(p)?.path),
    ['/a', '/c', '/d'],
  );
  assert.equal(cache.size.pages, 3);
  assert.equal(cache.size.bytes, one * 3);
});

test('regression: a page dropped while it loads is not kept (e2e look: /look.css stayed at the old colour)', () => {
  const cache = new PageCache(1_000_000);
  // A reader starts loading /look.css; the run writes the new file and drops the page meanwhile;
  // the reader's load, which may have read the old bytes, ends after the drop.
  const stale = cache.startLoad('/look.css');
  cache.delete('/look.css');
  cache.set(articlePage('/look.css', 'old'), stale);
  cache.endLoad(stale);
  assert.equal(cache.get('/look.css'), undefined, 'not kept: nothing would drop it again');
  // A load that started after the drop is kept, and so is one that nothing dropped.
  const fresh = cache.startLoad('/look.css');
  const other = cache.startLoad('/');
  cache.set(articlePage('/look.css', 'new'), fresh);
  cache.set(articlePage('/', 'home'), other);
  cache.endLoad(fresh);
  cache.endLoad(other);
  assert.equal(cache.get('/look.css')?.stored.toString(), 'new');
  assert.equal(cache.get('/')?.stored.toString(), 'home');
  // Ended loads are forgotten: a later drop marks nothing, and a later set without a load keeps.
  cache.delete('/look.css');
  cache.set(articlePage('/look.css', 'newer'));
  assert.equal(cache.get('/look.css')?.stored.toString(), 'newer');
});

test('regression: a change the watcher replays keeps a page whose bytes are current (serving: revalidation answered 200)', () => {
  const cache = new PageCache(1_000_000);
  const sha = (text: string) => sha256(Buffer.from(text));
  const page = articlePage('/bqdt/202511/t20251118_5.html', 'body');
  cache.set(page);
  // The watcher sees the run that wrote these very bytes: the page and its view count stay.
  cache.dropUnlessCurrent(page.path, sha('body'));
  assert.equal(cache.get(page.path), page);
  // A change to other bytes, or a removal (an empty hash), drops it.
  cache.dropUnlessCurrent(page.path, sha('newer body'));
  assert.equal(cache.get(page.path), undefined);
  cache.set(page);
  cache.dropUnlessCurrent(page.path, '');
  assert.equal(cache.get(page.path), undefined);
  // A load under way is marked either way: what it read is checked again before it is kept.
  const load = cache.startLoad('/');
  cache.set(articlePage('/', 'home'));
  cache.dropUnlessCurrent('/', sha('home'));
  assert.equal(load.dropped, true);
  cache.endLoad(load);
});
