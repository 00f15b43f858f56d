import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { frontLayout, objectFile, servedFiles, type FrontLayout } from '../../src/front/layout.js';
import type { TamperEvent } from '../../src/front/protocol.js';
import { FrontState } from '../../src/front/agent/state.js';
import { startGuard, type Guard } from '../../src/front/agent/guard.js';
import { sha256 } from '../../src/publish/index.js';

/**
 * The tamper guard on a front's tree made directly (objects, page and served rows written
 * here, not by the agent's apply): each kind of tampering is put back, kept in quarantine and
 * reported with its exact kind, file, path and detail.
 */
const NOW = new Date('2025-03-01T01:02:03.000Z');
const STAMP = '20250301T010203000Z';

const ARTICLE = [
  '<!doctype html>',
  '<html><body>',
  '<div class="date"><!--gz:today--></div>',
  '<h1>关于开展春季植树活动的通知</h1>',
  '<p>第一段：各单位要高度重视。</p>',
  '<p>第二段：三月十二日前完成。</p>',
  '<p>第三段：联系人张三。</p>',
  '</body></html>',
  '',
].join('\n');
const CHANNEL = '<!doctype html>\n<html><body>\n<h1>本区动态</h1>\n<ul><li>通知</li></ul>\n</body></html>\n';
const RSS = '<?xml version="1.0"?>\n<rss><channel>\n<title>示范区</title>\n<item>通知</item>\n</channel></rss>\n';
const SITE2 = '<!doctype html>\n<html><body>\n<h1>第二个站点</h1>\n</body></html>\n';

const PAGES: Record<string, string> = {
  '/bqdt/': CHANNEL,
  '/bqdt/202401/t20240105_7.html': ARTICLE,
  '/rss.xml': RSS,
  '/site_2/': SITE2,
};

interface Front {
  readonly root: string;
  readonly layout: FrontLayout;
  readonly state: FrontState;
  /** Every served file's expected bytes. */
  readonly expected: Map<string, Buffer>;
}

/** A front holding PAGES, as the agent would have left it. */
function makeFront(): Front {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-guard-'));
  const layout = frontLayout(root);
  const state = new FrontState(layout);
  const expected = new Map<string, Buffer>();
  state.setMeta(
    'sites',
    JSON.stringify([
      { id: 1, hosts: ['www.example.gov.cn'], timeZone: 'Asia/Shanghai' },
      { id: 2, hosts: ['two.example.gov.cn'], timeZone: 'Asia/Shanghai' },
    ]),
  );
  let seq = 0;
  for (const [key, text] of Object.entries(PAGES)) {
    const source = Buffer.from(text);
    const hash = sha256(source);
    fs.mkdirSync(path.dirname(objectFile(layout, hash)), { recursive: true });
    fs.writeFileSync(objectFile(layout, hash), source);
    seq += 1;
    state.db.prepare('insert into page (key, hash, size, seq) values (?, ?, ?, ?)').run(key, hash, source.length, seq);
    for (const { file, bytes } of servedFiles(key, source)) {
      const target = path.join(layout.www, file);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, bytes);
      state.db
        .prepare('insert into served (file, key, hash, size) values (?, ?, ?, ?)')
        .run(file, key, sha256(bytes), bytes.length);
      expected.set(file, bytes);
    }
  }
  state.setMeta('seq', String(seq));
  return { root, layout, state, expected };
}

async function until(condition: () => boolean, label: string, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) assert.fail(`not within ${ms} ms: ${label}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const readOrNull = (file: string): Buffer | null => {
  try {
    return fs.readFileSync(file);
  } catch {
    return null;
  }
};

const ARTICLE_FILE = '1/bqdt/202401/t20240105_7.html';

describe('the tamper guard, watching', () => {
  let front: Front;
  let guard: Guard;
  let applying = new Set<string>();
  const seen: TamperEvent[] = [];
  const errors: unknown[] = [];
  const www = (rel: string): string => path.join(front.layout.www, rel);
  const inQuarantine = (event: TamperEvent): string => path.join(front.layout.quarantine, event.quarantine ?? '');
  const restored = (rel: string): boolean =>
    readOrNull(www(rel))?.equals(front.expected.get(rel) ?? Buffer.alloc(0)) ?? false;

  /** Runs a tampering, waits for the file to be back, and returns the events it made. */
  async function tamper(act: () => void, done: () => boolean, label: string): Promise<TamperEvent[]> {
    const mark = front.state.lastEventId();
    act();
    await until(done, label);
    await guard.settled();
    return front.state.eventsAfter(mark, 100);
  }

  /** The one event a tampering made, saying `expected` (with its own id and quarantine name, at NOW). */
  function theEvent(
    events: readonly TamperEvent[],
    expected: Omit<TamperEvent, 'id' | 'at' | 'quarantine'>,
  ): TamperEvent {
    assert.equal(events.length, 1);
    const [event] = events as [TamperEvent];
    assert.deepEqual(event, { id: event.id, at: NOW.toISOString(), ...expected, quarantine: event.quarantine });
    return event;
  }

  before(async () => {
    front = makeFront();
    guard = startGuard({
      state: front.state,
      layout: front.layout,
      sweepEveryMs: 10 * 60_000,
      applying: () => applying,
      now: () => NOW,
      onEvent: (event) => seen.push(event),
      onError: (error) => errors.push(error),
    });
    await guard.settled();
  });
  after(async () => {
    await guard.close();
    front.state.close();
    fs.rmSync(front.root, { recursive: true, force: true });
  });

  test('an intact tree makes no event at start, and the start sweep is recorded', () => {
    assert.deepEqual(front.state.eventsAfter(0, 100), []);
    assert.equal(front.state.meta('lastSweepAt'), NOW.toISOString());
    assert.match(front.state.meta('lastSweepMs') ?? '', /^\d+$/);
  });

  test('an overwritten file is put back, kept in quarantine, and reported with its diff', async () => {
    const served = front.expected.get(ARTICLE_FILE)?.toString('utf8') ?? '';
    const foreign = Buffer.from(served.replace('<p>第二段：三月十二日前完成。</p>', '<p>第二段：已被篡改。</p>'));
    const events = await tamper(
      () => fs.writeFileSync(www(ARTICLE_FILE), foreign),
      () => restored(ARTICLE_FILE),
      'the article put back',
    );
    const event = theEvent(events, {
      file: ARTICLE_FILE,
      siteId: 1,
      path: '/bqdt/202401/t20240105_7.html',
      kind: 'modified',
      detail: [
        '===================================================================',
        `--- a/${ARTICLE_FILE}\tserved`,
        `+++ b/${ARTICLE_FILE}\tfound`,
        '@@ -3,6 +3,6 @@',
        ' <div class="date"><!--# include virtual="/_gz/today.html" --></div>',
        ' <h1>关于开展春季植树活动的通知</h1>',
        ' <p>第一段：各单位要高度重视。</p>',
        '-<p>第二段：三月十二日前完成。</p>',
        '+<p>第二段：已被篡改。</p>',
        ' <p>第三段：联系人张三。</p>',
        ' </body></html>',
        '',
      ].join('\n'),
      restored: true,
    });
    assert.match(event.quarantine ?? '', new RegExp(`^${STAMP}-\\d+-\\d+-t20240105_7\\.html$`));
    assert.deepEqual(fs.readFileSync(inQuarantine(event)), foreign);
    assert.deepEqual(seen.at(-1), event);
  });

  test('a deleted file is written back', async () => {
    const events = await tamper(
      () => fs.rmSync(www('1/bqdt/index.html')),
      () => restored('1/bqdt/index.html'),
      'the channel page written back',
    );
    assert.deepEqual(
      events.map(({ id: _id, ...event }) => event),
      [
        {
          at: NOW.toISOString(),
          file: '1/bqdt/index.html',
          siteId: 1,
          path: '/bqdt/',
          kind: 'removed',
          detail: 'the served file was missing: written back from its verified copy',
          quarantine: null,
          restored: true,
        },
      ],
    );
  });

  test('an added file is quarantined and reported with its text', async () => {
    const foreign = Buffer.from('<p>博彩广告</p>\n');
    const events = await tamper(
      () => fs.writeFileSync(www('1/bqdt/ad.html'), foreign),
      () => !fs.existsSync(www('1/bqdt/ad.html')),
      'the added file removed',
    );
    const event = theEvent(events, {
      file: '1/bqdt/ad.html',
      siteId: 1,
      path: '/bqdt/ad.html',
      kind: 'added',
      detail: [
        '===================================================================',
        '--- /dev/null',
        '+++ b/1/bqdt/ad.html',
        '@@ -0,0 +1,1 @@',
        '+<p>博彩广告</p>',
        '',
      ].join('\n'),
      restored: false,
    });
    assert.deepEqual(fs.readFileSync(inQuarantine(event)), foreign);
  });

  test('an added folder is quarantined whole', async () => {
    const foreign = Buffer.from('<p>挂马页面</p>\n');
    const events = await tamper(
      () => {
        fs.mkdirSync(www('1/hack/js'), { recursive: true });
        fs.writeFileSync(www('1/hack/index.html'), foreign);
        fs.writeFileSync(www('1/hack/js/x.js'), 'alert(1)\n');
      },
      () => !fs.existsSync(www('1/hack')),
      'the added folder removed',
    );
    const event = theEvent(events, {
      file: '1/hack',
      siteId: 1,
      path: '/hack/',
      kind: 'directory',
      detail: 'a folder not served: 2 files and 1 folder: index.html, js/, js/x.js',
      restored: false,
    });
    assert.match(event.quarantine ?? '', new RegExp(`^${STAMP}-\\d+-\\d+-hack$`));
    assert.deepEqual(fs.readFileSync(path.join(inQuarantine(event), 'index.html')), foreign);
    assert.equal(fs.readFileSync(path.join(inQuarantine(event), 'js/x.js'), 'utf8'), 'alert(1)\n');
  });

  test('a renamed folder: the foreign name quarantined, the served folder made again', async () => {
    const events = await tamper(
      () => fs.renameSync(www('1/bqdt'), www('1/bqdt-old')),
      () => restored('1/bqdt/index.html') && restored(ARTICLE_FILE) && !fs.existsSync(www('1/bqdt-old')),
      'the folder made again',
    );
    const byFile = [...events].sort((a, b) => (a.file < b.file ? -1 : 1));
    assert.deepEqual(
      byFile.map(({ id: _id, quarantine, ...event }) => ({ ...event, quarantined: quarantine !== null })),
      [
        {
          at: NOW.toISOString(),
          file: '1/bqdt',
          siteId: 1,
          path: '/bqdt/',
          kind: 'directory',
          detail:
            'the served folder was missing (removed, or renamed away); the served folder made again, 2 served files written back',
          quarantined: false,
          restored: true,
        },
        {
          at: NOW.toISOString(),
          file: '1/bqdt-old',
          siteId: 1,
          path: '/bqdt-old/',
          kind: 'directory',
          detail: 'a folder not served: 2 files and 1 folder: 202401/, index.html, 202401/t20240105_7.html',
          quarantined: true,
          restored: false,
        },
      ],
    );
    const kept = inQuarantine(byFile[1] as TamperEvent);
    assert.deepEqual(fs.readFileSync(path.join(kept, 'index.html')), front.expected.get('1/bqdt/index.html'));
    // The folder made again is watched: a change in it is still put back.
    await tamper(
      () => fs.writeFileSync(www(ARTICLE_FILE), 'x'),
      () => restored(ARTICLE_FILE),
      'a change in the folder made again put back',
    );
  });

  test('a served file replaced by a symbolic link to a file outside the tree', async () => {
    const outside = path.join(front.root, 'outside.html');
    fs.writeFileSync(outside, '<p>外部文件</p>\n');
    const events = await tamper(
      () => {
        fs.rmSync(www('1/bqdt/index.html'));
        fs.symlinkSync(outside, www('1/bqdt/index.html'));
      },
      () => !fs.lstatSync(www('1/bqdt/index.html')).isSymbolicLink() && restored('1/bqdt/index.html'),
      'the link replaced by the served file',
    );
    const event = theEvent(events, {
      file: '1/bqdt/index.html',
      siteId: 1,
      path: '/bqdt/',
      kind: 'symlink',
      detail: `a symbolic link to ${outside}; the served file written back`,
      restored: true,
    });
    assert.equal(fs.readlinkSync(inQuarantine(event)), outside);
    assert.equal(fs.readFileSync(outside, 'utf8'), '<p>外部文件</p>\n', 'what the link named is left alone');
  });

  test('a symbolic link planted beside a served file, naming it', async () => {
    const events = await tamper(
      () => fs.symlinkSync('index.html', www('1/bqdt/copy.html')),
      () => readOrNull(www('1/bqdt/copy.html')) === null && !fs.existsSync(www('1/bqdt/copy.html')),
      'the link removed',
    );
    const event = theEvent(events, {
      file: '1/bqdt/copy.html',
      siteId: 1,
      path: '/bqdt/copy.html',
      kind: 'symlink',
      detail: 'a symbolic link to index.html',
      restored: false,
    });
    assert.equal(fs.readlinkSync(inQuarantine(event)), 'index.html');
    assert.ok(restored('1/bqdt/index.html'), 'the served file it named is untouched');
  });

  test('a modified .gz beside a feed: the diff is of the text inside', async () => {
    const foreign = zlib.gzipSync(Buffer.from(RSS.replace('<item>通知</item>', '<item>假消息</item>')));
    const events = await tamper(
      () => fs.writeFileSync(www('1/rss.xml.gz'), foreign),
      () => restored('1/rss.xml.gz'),
      'the .gz put back',
    );
    const event = theEvent(events, {
      file: '1/rss.xml.gz',
      siteId: 1,
      path: '/rss.xml',
      kind: 'modified',
      detail: [
        '===================================================================',
        '--- a/1/rss.xml.gz\tserved (decompressed)',
        '+++ b/1/rss.xml.gz\tfound (decompressed)',
        '@@ -1,5 +1,5 @@',
        ' <?xml version="1.0"?>',
        ' <rss><channel>',
        ' <title>示范区</title>',
        '-<item>通知</item>',
        '+<item>假消息</item>',
        ' </channel></rss>',
        '',
      ].join('\n'),
      restored: true,
    });
    assert.deepEqual(fs.readFileSync(inQuarantine(event)), foreign);
  });

  test('a file whose name is not UTF-8 is quarantined', async () => {
    const name = Buffer.concat([Buffer.from(`${www('1')}/`), Buffer.from([0x61, 0xff, 0x2e, 0x68])]);
    const events = await tamper(
      () => fs.writeFileSync(name, 'odd\n'),
      () => !fs.existsSync(name),
      'the oddly named file removed',
    );
    assert.deepEqual(
      events.map(({ id: _id, quarantine, ...event }) => ({ ...event, quarantine: quarantine?.replace(/^.*-/, '') })),
      [
        {
          at: NOW.toISOString(),
          file: '1/a\ufffd.h',
          siteId: 1,
          path: '/a\ufffd.h',
          kind: 'added',
          detail: 'a file whose name is not UTF-8 (bytes 61ff2e68)',
          quarantine: '0x61ff2e68',
          restored: false,
        },
      ],
    );
  });

  test("the agent's batch is left alone, and checked once it is over", async () => {
    const mark = front.state.lastEventId();
    // A tampering of a file the batch holds waits for the batch.
    applying = new Set([ARTICLE_FILE]);
    fs.writeFileSync(www(ARTICLE_FILE), 'during the batch');
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(fs.readFileSync(www(ARTICLE_FILE), 'utf8'), 'during the batch');
    assert.deepEqual(front.state.eventsAfter(mark, 10), []);
    applying = new Set();
    await until(() => restored(ARTICLE_FILE), 'put back after the batch');
    await guard.settled();
    assert.deepEqual(
      front.state.eventsAfter(mark, 10).map((event) => [event.kind, event.file]),
      [['modified', ARTICLE_FILE]],
    );

    // A batch as the agent applies it: a new page in a new folder, rows first, then the file.
    const mark2 = front.state.lastEventId();
    const key = '/tzgg/202402/t20240201_8.html';
    const source = Buffer.from(ARTICLE.replace('春季植树', '防汛演练'));
    const [{ file, bytes }] = servedFiles(key, source) as [{ file: string; bytes: Buffer }];
    applying = new Set([file]);
    fs.mkdirSync(path.dirname(objectFile(front.layout, sha256(source))), { recursive: true });
    fs.writeFileSync(objectFile(front.layout, sha256(source)), source);
    front.state.db
      .prepare('insert into page (key, hash, size, seq) values (?, ?, ?, ?)')
      .run(key, sha256(source), source.length, 9);
    front.state.db
      .prepare('insert into served (file, key, hash, size) values (?, ?, ?, ?)')
      .run(file, key, sha256(bytes), bytes.length);
    fs.mkdirSync(path.dirname(www(file)), { recursive: true });
    await new Promise((resolve) => setTimeout(resolve, 100));
    fs.writeFileSync(path.join(front.layout.staging, 'batch'), bytes);
    fs.renameSync(path.join(front.layout.staging, 'batch'), www(file));
    applying = new Set();
    front.expected.set(file, bytes);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await guard.settled();
    assert.deepEqual(front.state.eventsAfter(mark2, 10), []);
    assert.ok(restored(file));
    // The new folder is watched like the others.
    await tamper(
      () => fs.rmSync(www(file)),
      () => restored(file),
      'a file of the new folder written back',
    );

    // A removal: the rows go, then the file; the folders it leaves empty go without an event.
    const mark3 = front.state.lastEventId();
    applying = new Set([file]);
    front.state.db.prepare('delete from served where key = ?').run(key);
    front.state.db.prepare('delete from page where key = ?').run(key);
    fs.rmSync(www(file));
    applying = new Set();
    await until(() => !fs.existsSync(www('1/tzgg')), 'the emptied folders removed');
    await guard.settled();
    assert.deepEqual(front.state.eventsAfter(mark3, 10), []);
    assert.deepEqual(errors, []);
  });

  test('every quarantine name is different, and nothing failed', () => {
    const names = front.state
      .eventsAfter(0, 1000)
      .map((event) => event.quarantine)
      .filter((name) => name !== null);
    assert.equal(new Set(names).size, names.length);
    assert.ok(names.length >= 8);
    assert.deepEqual(errors, []);
  });
});

describe('the tamper guard, sweeping', () => {
  test('a sweep finds and repairs what changed while no guard ran', async (t) => {
    const front = makeFront();
    t.after(() => {
      front.state.close();
      fs.rmSync(front.root, { recursive: true, force: true });
    });
    const www = (rel: string): string => path.join(front.layout.www, rel);
    fs.writeFileSync(www(ARTICLE_FILE), ARTICLE.replace('联系人张三', '联系人李四'));
    fs.rmSync(www('1/rss.xml.br'));
    fs.writeFileSync(www('1/evil.html'), 'evil\n');
    fs.mkdirSync(www('1/hack'));
    fs.writeFileSync(www('1/hack/x.html'), 'x\n');
    fs.symlinkSync('/etc/passwd', www('1/passwd.html'));
    fs.renameSync(www('2'), www('2-old'));

    const guard = startGuard({
      state: front.state,
      layout: front.layout,
      sweepEveryMs: 1e12,
      applying: () => new Set(),
      now: () => NOW,
      watch: false,
      sweepAtStart: false,
    });
    t.after(() => guard.close());
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual(front.state.eventsAfter(0, 100), [], 'nothing is seen without a watch or a sweep');

    const first = await guard.sweep();
    assert.equal(first.events, 7);
    // www: 1/ (bqdt/index.html, bqdt/202401/…, evil.html, hack/, passwd.html, rss.xml, rss.xml.br missing,
    // rss.xml.gz), 2-old/, 2/index.html missing.
    assert.equal(first.files, 10);
    assert.deepEqual(
      front.state
        .eventsAfter(0, 100)
        .map((event) => [event.kind, event.file, event.siteId, event.path, event.restored])
        .sort((a, b) => String(a[1]).localeCompare(String(b[1]))),
      [
        ['modified', ARTICLE_FILE, 1, '/bqdt/202401/t20240105_7.html', true],
        ['added', '1/evil.html', 1, '/evil.html', false],
        ['directory', '1/hack', 1, '/hack/', false],
        ['symlink', '1/passwd.html', 1, '/passwd.html', false],
        ['removed', '1/rss.xml.br', 1, '/rss.xml', true],
        ['directory', '2', 2, '/', true],
        ['directory', '2-old', 0, '/2-old/', false],
      ],
    );
    for (const [file, bytes] of front.expected) assert.deepEqual(fs.readFileSync(www(file)), bytes, file);
    assert.deepEqual(fs.readdirSync(front.layout.www).sort(), ['1', '2']);
    assert.deepEqual(fs.readdirSync(www('1')).sort(), ['bqdt', 'rss.xml', 'rss.xml.br', 'rss.xml.gz']);
    const modified = front.state.eventsAfter(0, 100).find((event) => event.kind === 'modified');
    assert.match(modified?.detail ?? '', /\n-<p>第三段：联系人张三。<\/p>\n\+<p>第三段：联系人李四。<\/p>\n/);
    assert.equal(front.state.meta('lastSweepAt'), NOW.toISOString());
    assert.equal(front.state.meta('lastSweepMs'), String(first.ms));

    const second = await guard.sweep();
    assert.deepEqual({ ...second, ms: 0 }, { files: 6, events: 0, ms: 0 });
  });
});
