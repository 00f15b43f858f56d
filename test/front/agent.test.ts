import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { startAgent } from '../../src/front/agent/index.js';
import { nextMidnight } from '../../src/front/agent/includes.js';
import { agentOptions } from '../../src/cli/front-agent.js';
import { frontLayout, objectFile, todayFile, viewsFile } from '../../src/front/layout.js';
import { encodePush, MAX_PUSH_BYTES, signRequest, type FrontState } from '../../src/front/protocol.js';
import { makeCertificates } from '../helpers/certificates.js';
import { eventually } from '../helpers/http.js';
import {
  applied,
  expectedTree,
  frontCall,
  frontFolder,
  FRONT_TOKEN,
  htmlPage,
  pushOf,
  pushTo,
  sha256,
  SITES,
  startAgentProcess,
  treeOf,
  type TestPage,
} from '../helpers/front-agent.js';

const HOME = '/';
const ARTICLE = '/bqdt/202512/t20251201_7.html';
const FEED = '/rss.xml';
const SITE2_COLUMN = '/site_2/tzgg/';
/** 00:30 on 2 December in Shanghai: the date bar says so, not the UTC day. */
const PINNED = new Date('2025-12-01T16:30:00Z');
const pinned = () => PINNED;

const FIRST: readonly TestPage[] = [
  { key: HOME, body: htmlPage('首页') },
  { key: ARTICLE, body: htmlPage('区政府召开常务会议'), views: 41 },
  { key: FEED, body: Buffer.from('<?xml version="1.0"?><rss><channel><title>要闻</title></channel></rss>\n') },
  { key: SITE2_COLUMN, body: htmlPage('通知公告') },
];
const firstPages = applied(new Map(), FIRST);

async function agentIn(t: import('node:test').TestContext, root: string, tokenFile: string) {
  const agent = await startAgent({ root, tokenFile, listen: '127.0.0.1:0', now: pinned });
  t.after(() => agent.close());
  return agent;
}

const stateOf = async (base: string) =>
  (await frontCall<FrontState>(base, 'GET', '/_front/state', undefined, { now: PINNED })).body;

test('a push lands the exact served files, the includes and hosts map; a second batch replaces and removes', async (t) => {
  const { root, tokenFile } = frontFolder(t);
  const agent = await agentIn(t, root, tokenFile);
  const layout = frontLayout(root);

  const first = await pushTo(agent.address, pushOf(0, FIRST, SITES), { now: PINNED });
  assert.deepEqual(first, { status: 200, body: { seq: 4 } });
  assert.deepEqual(treeOf(layout.www), expectedTree(firstPages));
  const html = treeOf(layout.www).get('1/bqdt/202512/t20251201_7.html')?.toString();
  assert.equal(
    html,
    '<!doctype html><html><head><title>区政府召开常务会议</title></head><body><p><!--# include virtual="/_gz/today.html" --></p>' +
      '<h1>区政府召开常务会议</h1><p>浏览次数：<!--# block name="gz0" -->0<!--# endblock --><!--# include virtual="/_gz/views/7" stub="gz0" --></p></body></html>\n',
  );
  assert.deepEqual(
    [...treeOf(layout.www).keys()],
    [
      '1/bqdt/202512/t20251201_7.html',
      '1/index.html',
      '1/rss.xml',
      '1/rss.xml.br',
      '1/rss.xml.gz',
      '2/tzgg/index.html',
    ],
  );
  for (const body of firstPages.values()) assert.deepEqual(fs.readFileSync(objectFile(layout, sha256(body))), body);
  assert.equal(
    fs.readFileSync(layout.hostsMap, 'utf8'),
    'www.example.gov.cn 1;\nexample.gov.cn 1;\njyj.example.gov.cn 2;\n',
  );
  assert.equal(fs.readFileSync(todayFile(layout, 1), 'utf8'), '今天是2025年12月02日 星期二');
  assert.equal(fs.readFileSync(todayFile(layout, 2), 'utf8'), '今天是2025年12月02日 星期二');
  assert.equal(fs.readFileSync(viewsFile(layout, 1, 7), 'utf8'), '41');
  // When the guard's sweeps ran is the guard's own test.
  const { lastSweepAt: _at, lastSweepMs: _ms, ...firstState } = await stateOf(agent.address);
  assert.deepEqual(firstState, {
    version: 1,
    seq: 4,
    sites: SITES,
    pages: 4,
    sweepEveryMs: 600_000,
    diskFull: null,
    lastEventId: 0,
  });

  const SECOND: TestPage[] = [
    { key: HOME, body: htmlPage('首页（更新）') },
    { key: FEED, body: null },
    { key: '/bqdt/202512/t20251202_8.html', body: htmlPage('第二篇'), views: 0 },
    { key: HOME, body: htmlPage('首页（再次更新）') },
  ];
  const second = await pushTo(agent.address, pushOf(4, SECOND), { now: PINNED });
  assert.deepEqual(second, { status: 200, body: { seq: 8 } });
  const secondPages = applied(firstPages, SECOND);
  assert.deepEqual(treeOf(layout.www), expectedTree(secondPages));
  assert.equal(treeOf(layout.www).get('1/index.html')?.includes('首页（再次更新）'), true);
  // Objects nothing refers to any more are gone: the old home page, the feed, the first update.
  assert.deepEqual(
    [...treeOf(layout.objects).keys()].map((file) => path.basename(file)),
    [...secondPages.values()].map(sha256).sort(),
  );
  assert.deepEqual(treeOf(layout.staging), new Map());
  const state = await stateOf(agent.address);
  assert.deepEqual([state.seq, state.pages, state.sites], [8, 4, SITES]);
  assert.equal(fs.readFileSync(viewsFile(layout, 1, 8), 'utf8'), '0');
});

test('a request with a bad token, a stale time or no signature gets 401 and nothing is written', async (t) => {
  const { root, tokenFile } = frontFolder(t);
  const agent = await agentIn(t, root, tokenFile);
  const layout = frontLayout(root);
  const push = pushOf(0, FIRST, SITES);
  const refused = {
    status: 401,
    body: {
      code: 'FRONT_AUTH',
      message: '推送签名无效或已过期：请检查两端的令牌文件与时钟',
      messageEn: 'The push signature is wrong or too old: check the token files and clocks of both sides',
    },
  };
  assert.deepEqual(await pushTo(agent.address, push, { token: 'e1'.repeat(32), now: PINNED }), refused);
  assert.deepEqual(await pushTo(agent.address, push, { now: new Date(PINNED.getTime() - 6 * 60_000) }), refused);
  assert.deepEqual(await pushTo(agent.address, push, { now: new Date(PINNED.getTime() + 6 * 60_000) }), refused);
  const unsigned = await fetch(`${agent.address}/_front/push`, {
    method: 'POST',
    body: Uint8Array.from(encodePush(push.header, push.bodies)),
  });
  assert.equal(unsigned.status, 401);
  // A signature of other bytes does not carry over to these.
  const body = encodePush(push.header, push.bodies);
  const headers = signRequest(FRONT_TOKEN, 'POST', '/_front/push', Buffer.from('other'), PINNED);
  assert.equal(
    (await fetch(`${agent.address}/_front/push`, { method: 'POST', headers, body: Uint8Array.from(body) })).status,
    401,
  );
  assert.equal((await fetch(`${agent.address}/_front/state`)).status, 401);
  assert.equal(
    (await frontCall(agent.address, 'GET', '/_front/nothing', undefined, { token: 'e1'.repeat(32), now: PINNED }))
      .status,
    401,
  );

  assert.deepEqual(treeOf(layout.www), new Map());
  assert.deepEqual(treeOf(layout.objects), new Map());
  assert.deepEqual(treeOf(layout.staging), new Map());
  assert.equal((await stateOf(agent.address)).seq, 0);
  // Signed, the same push lands.
  assert.equal((await pushTo(agent.address, push, { now: PINNED })).status, 200);
});

test('a page whose bytes do not match its hash refuses the whole batch: 422, the previous files kept byte for byte', async (t) => {
  const { root, tokenFile } = frontFolder(t);
  const agent = await agentIn(t, root, tokenFile);
  const layout = frontLayout(root);
  assert.equal((await pushTo(agent.address, pushOf(0, FIRST, SITES), { now: PINNED })).status, 200);
  const www = treeOf(layout.www);
  const objects = treeOf(layout.objects);

  const tampered = pushOf(4, [
    { key: HOME, body: htmlPage('首页（更新）') },
    { key: ARTICLE, body: htmlPage('区政府召开常务会议（更新）') },
  ]);
  tampered.bodies[1] = Buffer.from(htmlPage('区政府召开常务会议（篡改）'));
  const answer = await pushTo(agent.address, tampered, { now: PINNED });
  assert.equal(answer.status, 422);
  assert.deepEqual([answer.body.code, answer.body.key], ['FRONT_HASH_MISMATCH', ARTICLE]);
  assert.deepEqual(treeOf(layout.www), www);
  assert.deepEqual(treeOf(layout.objects), objects);
  assert.deepEqual(treeOf(layout.staging), new Map());
  assert.equal((await stateOf(agent.address)).seq, 4);
});

test('a push out of sequence gets 409 with the front’s sequence; a malformed one 400; an oversized one 413', async (t) => {
  const { root, tokenFile } = frontFolder(t);
  const agent = await agentIn(t, root, tokenFile);
  const layout = frontLayout(root);
  const ahead = await pushTo(agent.address, pushOf(7, FIRST, SITES), { now: PINNED });
  assert.deepEqual(ahead, {
    status: 409,
    body: {
      code: 'FRONT_SEQUENCE',
      seq: 0,
      fromSeq: 7,
      message: '推送序号不连续：前端服务器已应用到 0，本次从 7 开始',
      messageEn: 'Out of order push: the front has applied up to 0, this push starts after 7',
    },
  });
  assert.equal((await pushTo(agent.address, pushOf(0, FIRST, SITES), { now: PINNED })).status, 200);
  // The same push again (a replay, or a CMS that missed the answer) starts before the front's sequence.
  const again = await pushTo(agent.address, pushOf(0, FIRST, SITES), { now: PINNED });
  assert.deepEqual([again.status, again.body.seq], [409, 4]);

  const garbage = await frontCall(agent.address, 'POST', '/_front/push', Buffer.from('\0\0\0\x05{"a":'), {
    now: PINNED,
  });
  assert.deepEqual([garbage.status, garbage.body.code], [400, 'FRONT_BAD_PUSH']);
  const escape = await pushTo(agent.address, pushOf(4, [{ key: '/../../state/x.txt', body: Buffer.from('x') }]), {
    now: PINNED,
  });
  assert.deepEqual([escape.status, escape.body.code], [400, 'FRONT_BAD_PUSH']);
  assert.deepEqual(treeOf(layout.www), expectedTree(firstPages));

  const oversized = await new Promise<number>((resolve, reject) => {
    const url = new URL(`${agent.address}/_front/push`);
    const request = http.request(
      url,
      { method: 'POST', headers: { 'content-length': MAX_PUSH_BYTES + 1 } },
      (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      },
    );
    request.on('error', reject);
    request.write('x');
  });
  assert.equal(oversized, 413);

  const events = await frontCall(agent.address, 'GET', '/_front/events?after=0&limit=10', undefined, { now: PINNED });
  assert.deepEqual(events, { status: 200, body: { events: [] } });
  const tooMany = await frontCall(agent.address, 'GET', '/_front/events?limit=1001', undefined, { now: PINNED });
  assert.deepEqual([tooMany.status, tooMany.body.code], [400, 'BAD_REQUEST']);
  const unknown = await frontCall(agent.address, 'GET', '/_front/nothing', undefined, { now: PINNED });
  assert.deepEqual([unknown.status, unknown.body.code], [404, 'NOT_FOUND']);
});

test('浏览次数: reads in the access log are counted, shown, handed out as a batch until acknowledged', async (t) => {
  const { root, tokenFile } = frontFolder(t);
  const agent = await agentIn(t, root, tokenFile);
  const layout = frontLayout(root);
  const OTHER = '/tzgg/202512/t20251201_9.html';
  const pages = [...FIRST, { key: `/site_2${OTHER}`, body: htmlPage('另一站点的文章'), views: 5 }];
  assert.equal((await pushTo(agent.address, pushOf(0, pages, SITES), { now: PINNED })).status, 200);
  const shown = (siteId: number, articleId: number) => fs.readFileSync(viewsFile(layout, siteId, articleId), 'utf8');
  assert.deepEqual([shown(1, 7), shown(2, 9)], ['41', '5']);

  fs.writeFileSync(
    layout.accessLog,
    [
      `1\t200\tGET\t${ARTICLE}`,
      `1\t200\tGET\t${ARTICLE}`,
      `1\t200\tHEAD\t${ARTICLE}`,
      `1\t404\tGET\t/bqdt/202512/t20251201_99.html`,
      `1\t304\tGET\t${ARTICLE}`,
      `1\t200\tGET\t/bqdt/`,
      `-\t200\tGET\t${ARTICLE}`,
      `2\t200\tGET\t${OTHER}`,
      `1\t200\tGET\t${ARTICLE}`,
    ].join('\n') + `\n1\t200\tGET\t${ARTICLE.slice(0, 10)}`,
  );
  await eventually('the reads are shown', () => Promise.resolve(shown(1, 7) === '44' && shown(2, 9) === '6'));
  const views = (ack: number | null) =>
    frontCall(agent.address, 'POST', '/_front/views', Buffer.from(JSON.stringify({ ack })), { now: PINNED });
  const firstBatch = {
    status: 200,
    body: {
      batch: 1,
      counts: [
        { siteId: 1, path: ARTICLE, count: 3 },
        { siteId: 2, path: OTHER, count: 1 },
      ],
    },
  };
  assert.deepEqual(await views(null), firstBatch);
  // Not acknowledged (the CMS died before it added them): the same batch again.
  assert.deepEqual(await views(null), firstBatch);

  // The cut line is finished, and more reads come.
  fs.appendFileSync(layout.accessLog, `${ARTICLE.slice(10)}\n1\t200\tGET\t${ARTICLE}\n`);
  await eventually('the new reads are shown', () => Promise.resolve(shown(1, 7) === '46'));
  assert.deepEqual(await views(1), {
    status: 200,
    body: { batch: 2, counts: [{ siteId: 1, path: ARTICLE, count: 2 }] },
  });
  assert.deepEqual(await views(2), { status: 200, body: { batch: null, counts: [] } });
  const bad = await frontCall(agent.address, 'POST', '/_front/views', Buffer.from('{"ack":"x"}'), { now: PINNED });
  assert.deepEqual([bad.status, bad.body.code], [400, 'BAD_REQUEST']);

  // A read not collected yet stays on top of the count the CMS pushes with the page again.
  fs.appendFileSync(layout.accessLog, `1\t200\tGET\t${ARTICLE}\n`);
  await eventually('the read is shown', () => Promise.resolve(shown(1, 7) === '47'));
  const again = pushOf(5, [{ key: ARTICLE, body: htmlPage('区政府召开常务会议（更新）'), views: 46 }]);
  assert.equal((await pushTo(agent.address, again, { now: PINNED })).status, 200);
  assert.equal(shown(1, 7), '47');

  // A rotated log (shorter than what was read) is read from its start.
  fs.writeFileSync(layout.accessLog, `1\t200\tGET\t${ARTICLE}\n`);
  await eventually('the rotated log is read', () => Promise.resolve(shown(1, 7) === '48'));
  assert.deepEqual(await views(null), {
    status: 200,
    body: { batch: 3, counts: [{ siteId: 1, path: ARTICLE, count: 2 }] },
  });
});

test('the date bar of each site is written at start for the pinned day, and its midnight is next', async (t) => {
  const { root, tokenFile } = frontFolder(t);
  const layout = frontLayout(root);
  const first = await startAgent({ root, tokenFile, listen: '127.0.0.1:0', now: pinned });
  const sites = [...SITES, { id: 3, hosts: ['ny.example.gov'], timeZone: 'America/New_York' }];
  assert.equal((await pushTo(first.address, pushOf(0, FIRST, sites), { now: PINNED })).status, 200);
  await first.close();
  assert.equal(fs.readFileSync(todayFile(layout, 3), 'utf8'), '今天是2025年12月01日 星期一');
  const page = path.join(layout.www, '1', 'index.html');
  const old = new Date('2020-01-01T00:00:00Z');
  fs.utimesSync(page, old, old);

  // A day later: the start writes the new day, and the pages are touched (nginx's Last-Modified changes).
  const later = new Date(PINNED.getTime() + 86_400_000);
  const agent = await startAgent({ root, tokenFile, listen: '127.0.0.1:0', now: () => later });
  t.after(() => agent.close());
  assert.equal(fs.readFileSync(todayFile(layout, 1), 'utf8'), '今天是2025年12月03日 星期三');
  assert.equal(fs.readFileSync(todayFile(layout, 3), 'utf8'), '今天是2025年12月02日 星期二');
  assert.equal(fs.statSync(page).mtime.toISOString(), later.toISOString());
  assert.equal(nextMidnight(PINNED, 'Asia/Shanghai').toISOString(), '2025-12-02T16:00:00.000Z');
  assert.equal(
    nextMidnight(new Date('2025-12-31T20:00:00Z'), 'Asia/Shanghai').toISOString(),
    '2026-01-01T16:00:00.000Z',
  );
  assert.equal(nextMidnight(PINNED, 'America/New_York').toISOString(), '2025-12-02T05:00:00.000Z');
});

test('the command line refuses a wrong flag before anything starts', () => {
  const usage = (args: string[]) => assert.throws(() => agentOptions(args), { code: 'USAGE' });
  usage(['--token-file', 't']);
  usage(['--root', 'r']);
  usage(['--root', 'r', '--token-file', 't', '--listen', '8700']);
  usage(['--root', 'r', '--token-file', 't', '--sweep-minutes', '0']);
  usage(['--root', 'r', '--token-file', 't', '--tls-cert', 'c']);
  usage(['--root', 'r', '--token-file', 't', '--tls-ca', 'c']);
  usage(['--root', 'r', '--token-file', 't', '--colour']);
  usage(['--root', 'r', '--token-file', 't', 'extra']);
  assert.deepEqual(
    agentOptions(['--root', 'r', '--token-file', 't', '--listen', '[::1]:9', '--sweep-minutes', '0.5']),
    {
      root: 'r',
      listen: '[::1]:9',
      tokenFile: 't',
      sweepMinutes: 0.5,
    },
  );
});

/** Writes into `file` until the disk says it is full. */
function fillDisk(file: string): void {
  const fd = fs.openSync(file, 'w');
  try {
    for (const size of [1 << 20, 1 << 12, 1]) {
      const chunk = Buffer.alloc(size, 0x61);
      for (;;) {
        try {
          fs.writeSync(fd, chunk);
        } catch (error) {
          assert.equal((error as NodeJS.ErrnoException).code, 'ENOSPC');
          break;
        }
      }
    }
  } finally {
    fs.closeSync(fd);
  }
}

// The front's folder on a small tmpfs mounted by the test (the machine's tests run as root).
test('a disk that fills: 507, the old pages kept whole, the state says so, and the batch applies once there is space', async (t) => {
  const { root, tokenFile } = frontFolder(t, '8m');
  const agent = await agentIn(t, root, tokenFile);
  const layout = frontLayout(root);
  assert.equal((await pushTo(agent.address, pushOf(0, FIRST, SITES), { now: PINNED })).status, 200);
  const before = treeOf(layout.www);
  const objects = treeOf(layout.objects);

  const filler = path.join(root, 'filler');
  fillDisk(filler);
  const big = (n: number) => htmlPage(`第${n}篇`, `<p>${'政务公开'.repeat(40_000)}${n}</p>`);
  const changes: TestPage[] = [
    { key: HOME, body: htmlPage('首页（更新）') },
    { key: FEED, body: null },
    ...[1, 2, 3].map((n) => ({ key: `/bqdt/202512/t20251203_${n}.html`, body: big(n) })),
  ];
  const push = pushOf(4, changes);
  const full = await pushTo(agent.address, push, { now: PINNED });
  assert.equal(full.status, 507);
  assert.equal(full.body.code, 'FRONT_DISK_FULL');
  assert.deepEqual(treeOf(layout.www), before);
  assert.deepEqual(treeOf(layout.objects), objects);
  assert.deepEqual(treeOf(layout.staging), new Map());
  const during = await stateOf(agent.address);
  assert.deepEqual([during.seq, during.diskFull], [4, `ENOSPC: no space left under ${root}`]);

  fs.rmSync(filler);
  assert.deepEqual(await pushTo(agent.address, push, { now: PINNED }), { status: 200, body: { seq: 9 } });
  assert.deepEqual(treeOf(layout.www), expectedTree(applied(firstPages, changes)));
  const after = await stateOf(agent.address);
  assert.deepEqual([after.seq, after.diskFull], [9, null]);
});

const articleKey = (n: number) => `/bqdt/202512/t20251201_${1000 + n}.html`;
const manyPages = (count: number, version: string, filler = ''): TestPage[] =>
  Array.from({ length: count }, (_, n) => ({ key: articleKey(n), body: htmlPage(`文章${n}（${version}）`, filler) }));

/** Asserts every served file is wholly the old or the new version; answers how many are new. */
function wholeOldOrNew(www: string, old: Map<string, Buffer>, next: Map<string, Buffer>): number {
  const tree = treeOf(www);
  assert.deepEqual([...tree.keys()], [...next.keys()]);
  let fresh = 0;
  for (const [file, bytes] of tree) {
    const isNew = bytes.equals(next.get(file) ?? Buffer.alloc(0));
    assert.ok(isNew || bytes.equals(old.get(file) ?? Buffer.alloc(0)), `${file} is neither version, whole`);
    if (isNew) fresh += 1;
  }
  return fresh;
}

test('an agent killed mid-batch (at an exact rename) rolls the batch forward when it starts again', async (t) => {
  const { root, tokenFile } = frontFolder(t);
  const layout = frontLayout(root);
  const args = ['--root', root, '--listen', '127.0.0.1:0', '--token-file', tokenFile];
  const first = await startAgentProcess(args);
  t.after(() => void (first.child.exitCode === null && first.child.kill('SIGKILL')));
  assert.match(first.output(), /^Gazette front agent for .* is listening at http:\/\/127\.0\.0\.1:\d+\/\n$/);
  assert.doesNotMatch(first.output(), new RegExp(FRONT_TOKEN));
  const v1 = manyPages(20, '旧');
  assert.equal((await pushTo(first.url, pushOf(0, v1, SITES))).status, 200);
  first.child.kill('SIGTERM');
  assert.deepEqual(await first.exited(), { code: 0, signal: null });

  const crashing = await startAgentProcess(args, { GAZETTE_TEST_FRONT_CRASH_AFTER: '5' });
  t.after(() => void (crashing.child.exitCode === null && crashing.child.kill('SIGKILL')));
  const v2 = manyPages(20, '新');
  await assert.rejects(pushTo(crashing.url, pushOf(20, v2)));
  assert.deepEqual(await crashing.exited(), { code: null, signal: 'SIGKILL' });
  const oldTree = expectedTree(applied(new Map(), v1));
  const newTree = expectedTree(applied(new Map(), v2));
  assert.equal(wholeOldOrNew(layout.www, oldTree, newTree), 5);
  const db = new SQLite(layout.db, { readonly: true });
  assert.deepEqual(db.prepare('select to_seq as toSeq from journal').all(), [{ toSeq: 40 }]);
  db.close();

  const restarted = await startAgentProcess(args);
  t.after(() => void (restarted.child.exitCode === null && restarted.child.kill('SIGKILL')));
  assert.deepEqual(treeOf(layout.www), newTree);
  assert.deepEqual(treeOf(layout.staging), new Map());
  assert.equal((await frontCall<FrontState>(restarted.url, 'GET', '/_front/state')).body.seq, 40);
  restarted.child.kill('SIGTERM');
  assert.deepEqual(await restarted.exited(), { code: 0, signal: null });
});

test('an agent killed with SIGKILL during a large batch serves whole pages, and the new batch after restart', async (t) => {
  const { root, tokenFile } = frontFolder(t);
  const layout = frontLayout(root);
  const args = ['--root', root, '--listen', '127.0.0.1:0', '--token-file', tokenFile];
  const first = await startAgentProcess(args);
  t.after(() => void (first.child.exitCode === null && first.child.kill('SIGKILL')));
  const filler = `<p>${'依法行政'.repeat(500)}</p>`;
  const v1 = manyPages(1000, '旧', filler);
  assert.equal((await pushTo(first.url, pushOf(0, v1, SITES))).status, 200);
  const folder = path.join(layout.www, '1', 'bqdt', '202512');
  // Killed as soon as the first new file is in place: the renames of the batch are under way.
  const watcher = fs.watch(folder, () => first.child.kill('SIGKILL'));
  t.after(() => watcher.close());
  const v2 = manyPages(1000, '新', filler);
  await assert.rejects(pushTo(first.url, pushOf(1000, v2)));
  assert.deepEqual(await first.exited(), { code: null, signal: 'SIGKILL' });
  watcher.close();
  const oldTree = expectedTree(applied(new Map(), v1));
  const newTree = expectedTree(applied(new Map(), v2));
  const fresh = wholeOldOrNew(layout.www, oldTree, newTree);
  assert.ok(fresh >= 1, `${fresh} files of 1000 were new when the agent was killed`);

  const restarted = await startAgentProcess(args);
  t.after(() => void (restarted.child.exitCode === null && restarted.child.kill('SIGKILL')));
  assert.deepEqual(treeOf(layout.www), newTree);
  assert.equal((await frontCall<FrontState>(restarted.url, 'GET', '/_front/state')).body.seq, 2000);
  restarted.child.kill('SIGTERM');
  assert.deepEqual(await restarted.exited(), { code: 0, signal: null });
});

test('with --tls-ca the agent answers only clients holding a certificate from that authority (mutual TLS)', async (t) => {
  const { root, tokenFile } = frontFolder(t);
  const certs = makeCertificates(path.dirname(root));
  const agent = await startAgent({
    root,
    tokenFile,
    listen: '127.0.0.1:0',
    tls: { cert: certs.serverCert, key: certs.serverKey, ca: certs.ca },
  });
  t.after(() => agent.close());
  assert.match(agent.address, /^https:\/\/127\.0\.0\.1:\d+$/);
  const get = (client: { cert: Buffer; key: Buffer } | null) =>
    new Promise<number>((resolve, reject) => {
      const headers = signRequest(FRONT_TOKEN, 'GET', '/_front/state', Buffer.alloc(0), new Date());
      const ca = fs.readFileSync(certs.ca);
      https
        .get(`${agent.address}/_front/state`, { ca, headers, ...(client ?? {}) }, (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        })
        .on('error', reject);
    });
  assert.equal(await get({ cert: fs.readFileSync(certs.clientCert), key: fs.readFileSync(certs.clientKey) }), 200);
  await assert.rejects(get(null));
});
