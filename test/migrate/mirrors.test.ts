import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileTypeFromBuffer } from 'file-type';
import { parseDocument } from 'htmlparser2';
import { findAll, getAttributeValue, textContent } from 'domutils';
import { type Document, isComment } from 'domhandler';
import iconv from 'iconv-lite';
import sharp from 'sharp';
import {
  hanwebMirror,
  plainMirror,
  trsMirror,
  wgetFileNames,
  writeMirror,
  type Mirror,
  type MirrorFile,
} from '../helpers/mirrors.js';
import { serveMirror, type MirrorServer } from '../helpers/mirror-server.js';
import { zipHasEntry } from '../../src/services/content/zip.js';
import { WordingChecker, mergeEntries, pinyinReadings, shippedEntries } from '../../src/compliance/wording/index.js';
import { segment } from '../../src/search/index.js';

const MIRRORS = { trs: trsMirror(), hanweb: hanwebMirror(), plain: plainMirror() } as const;

function decode(file: MirrorFile): string {
  return /charset=gb2312/i.test(file.body.subarray(0, 400).toString('latin1'))
    ? iconv.decode(file.body, 'gbk')
    : new TextDecoder('utf-8', { fatal: true }).decode(file.body);
}

const parse = (html: string): Document =>
  parseDocument(html, { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true });

/** What each file of a mirror is to a migration, by what the mirror expects of it. */
function kindOf(mirror: Mirror, file: MirrorFile): string {
  const failure = mirror.failures.find((f) => f.path === file.path);
  if (failure) return failure.kind;
  if (mirror.articles.some((a) => a.oldUrls.includes(file.path))) return 'article';
  const listFile = (p: string) => (p.endsWith('/') ? `${p}index.html` : p);
  if (mirror.lists.some((l) => listFile(l.oldPath) === file.path)) return 'list';
  if (file.path === '/robots.txt') return 'robots';
  if (file.contentType.startsWith('image/')) return 'image';
  return file.contentType.startsWith('text/html') ? 'page' : 'file';
}

function kindCounts(mirror: Mirror): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const file of mirror.files) counts[kindOf(mirror, file)] = (counts[kindOf(mirror, file)] ?? 0) + 1;
  return counts;
}

test('each mirror has its files of each kind', () => {
  assert.deepStrictEqual(kindCounts(MIRRORS.trs), {
    page: 3,
    robots: 1,
    list: 8,
    article: 11,
    'no-body': 1,
    undecodable: 1,
    challenge: 1,
    image: 1,
    file: 2,
  });
  assert.deepStrictEqual(kindCounts(MIRRORS.hanweb), { page: 1, list: 2, article: 8, image: 1, file: 1 });
  assert.deepStrictEqual(kindCounts(MIRRORS.plain), { page: 1, list: 1, article: 5 });
});

const metaNames = (doc: Document) =>
  findAll((el) => el.name === 'meta' && getAttributeValue(el, 'name') !== undefined, doc.children).map(
    (el) => getAttributeValue(el, 'name') ?? '',
  );
const hasClass = (doc: Document, name: string) =>
  findAll((el) => (getAttributeValue(el, 'class') ?? '').split(/\s+/).includes(name), doc.children).length;
const articlePages = (mirror: Mirror) =>
  mirror.files.filter((f) => kindOf(mirror, f) === 'article').map((f) => ({ file: f, doc: parse(decode(f)) }));

test('TRS pages have the TRS meta tags, .TRS_Editor bodies and CurrChnlCls breadcrumbs; one is GBK, one undecodable', () => {
  const mirror = MIRRORS.trs;
  for (const { file, doc } of articlePages(mirror)) {
    assert.ok(
      ['ArticleTitle', 'PubDate', 'ContentSource', 'SiteIDCode'].every((n) => metaNames(doc).includes(n)),
      file.path,
    );
    assert.equal(hasClass(doc, 'TRS_Editor'), 1, file.path);
    assert.equal(hasClass(doc, 'CurrChnlCls'), 3, file.path);
  }
  const gbk = mirror.files.filter((f) => f.body.includes('charset=gb2312'));
  assert.deepStrictEqual(
    gbk.map((f) => f.path),
    ['/xwzx/bqdt/202105/t20210518_120.html'],
  );
  assert.throws(() => new TextDecoder('utf-8', { fatal: true }).decode(gbk[0]?.body));
  const undecodable = mirror.files.find((f) => kindOf(mirror, f) === 'undecodable');
  assert.throws(() => new TextDecoder('utf-8', { fatal: true }).decode(undecodable?.body));
  const noBody = mirror.files.find((f) => kindOf(mirror, f) === 'no-body');
  const editor = findAll((el) => getAttributeValue(el, 'class') === 'TRS_Editor', parse(decode(noBody!)).children);
  assert.equal(
    textContent(editor)
      .replace(/\.TRS_Editor[^}]*}/g, '')
      .trim(),
    '',
  );
  const paging = mirror.files
    .filter((f) => kindOf(mirror, f) === 'list' || f.path.includes('_124'))
    .map((f) => [
      f.path,
      /createPageHTML\((\d+), (\d+), "(\w+)"|countPage = (\d+)/.exec(decode(f))?.slice(1).join(' ') ?? '',
    ]);
  assert.deepStrictEqual(paging, [
    ['/xwzx/index.html', ''],
    ['/zwgk/index.html', ''],
    ['/xwzx/bqdt/index.html', '3 0 index '],
    ['/xwzx/bqdt/index_1.html', '3 1 index '],
    ['/xwzx/bqdt/index_2.html', '3 2 index '],
    ['/xwzx/tzgg/index.html', '   2'],
    ['/xwzx/tzgg/index_1.html', '   2'],
    ['/zwgk/zcwj/index.html', ''],
    ['/xwzx/bqdt/202105/t20210521_124.html', '2 0 t20210521_124 '],
    ['/xwzx/bqdt/202105/t20210521_124_1.html', '2 1 t20210521_124 '],
  ]);
});

test('Hanweb pages have the content comments in #zoom, and column pages a datastore and the proxy script', () => {
  const mirror = MIRRORS.hanweb;
  for (const { file, doc } of articlePages(mirror)) {
    const zoom = findAll((el) => getAttributeValue(el, 'id') === 'zoom', doc.children);
    const comments = zoom.flatMap((el) => el.children.filter(isComment).map((c) => c.data));
    assert.deepStrictEqual(comments, ['ZJEG_RSS.content.begin', 'ZJEG_RSS.content.end'], file.path);
  }
  for (const list of mirror.lists) {
    const text = decode(mirror.files.find((f) => f.path === list.oldPath)!);
    assert.equal(text.match(/<record><!\[CDATA\[/g)?.length, 2, list.oldPath);
    assert.match(text, /totalRecord:\d+,\n {4}perPage:2,/);
    assert.match(text, /columnid:12[34],sourceContentType:1,unitid:496[12],/);
  }
});

test('plain pages carry no CMS marker at all', () => {
  const markers =
    /TRS_Editor|CurrChnlCls|createPageHTML|countPage|ZJEG_RSS|datastore|UCAP|\/col\/col|ArticleTitle|PubDate|ContentSource|SiteIDCode/i;
  for (const file of MIRRORS.plain.files) assert.doesNotMatch(decode(file), markers, file.path);
  const broken = decode(MIRRORS.plain.files.find((f) => f.path === '/news/2021/0516-1.html')!);
  assert.match(broken, /<P>暑期公益课堂[^<]*\n<P>/);
  assert.match(broken, /<\/DIV><\/DIV>\n<\/BODY><\/HTML>\n<DIV ID="foot">/);
});

test('every expected article is in its pages: title, time, source, paragraphs in order', () => {
  for (const mirror of Object.values(MIRRORS)) {
    const byPath = new Map(mirror.files.map((f) => [f.path, f]));
    for (const article of mirror.articles) {
      const text = article.oldUrls.map((u) => textContent(parse(decode(byPath.get(u)!)))).join('\n');
      assert.ok(text.includes(article.title) && text.includes(article.publishedAt), article.title);
      if (article.source !== null) assert.ok(text.includes(article.source), article.title);
      let at = 0;
      for (const para of article.bodyText) {
        at = text.indexOf(para, at);
        assert.ok(at >= 0, `${article.title}: ${para}`);
      }
      for (const file of [...article.attachments.map((a) => a.oldPath), ...article.images.map((i) => i.oldPath)])
        assert.ok(byPath.has(file), file);
      for (const attachment of article.attachments)
        assert.ok(attachment.bytes.equals(byPath.get(attachment.oldPath)!.body));
    }
  }
});

test('attachments and images are what their extensions say, sniffed like uploads', async () => {
  const media = [...MIRRORS.trs.files, ...MIRRORS.hanweb.files].filter((f) => !f.contentType.startsWith('text/'));
  const sniffed = await Promise.all(
    media.map(async (f) => [f.path, (await fileTypeFromBuffer(f.body))?.mime ?? null] as const),
  );
  assert.deepStrictEqual(sniffed, [
    ['/xwzx/bqdt/202105/W020210517118_1.png', 'image/png'],
    ['/xwzx/bqdt/202105/P020210517118_1.doc', 'application/x-cfb'],
    ['/xwzx/bqdt/202105/P020210517118_2.ofd', 'application/zip'],
    ['/picture/0/2105201015123.png', 'image/png'],
    ['/module/download/downfile.jsp?classid=0&filename=2105211730456.pdf', 'application/pdf'],
  ]);
  assert.ok(zipHasEntry(media[2]!.body, 'OFD.xml'));
  const sizes = await Promise.all(
    media.filter((f) => f.contentType === 'image/png').map(async (f) => (await sharp(f.body).raw().toBuffer()).length),
  );
  assert.deepStrictEqual(sizes, [16 * 12 * 3, 20 * 14 * 3]);
});

test('the mirrors’ texts hold no serious wording finding', () => {
  const checker = new WordingChecker(mergeEntries(shippedEntries(), []), pinyinReadings, segment);
  for (const mirror of Object.values(MIRRORS))
    for (const file of mirror.files.filter(
      (f) => f.contentType.startsWith('text/html') && kindOf(mirror, f) !== 'undecodable',
    )) {
      const serious = checker.check({ body: textContent(parse(decode(file))) }).filter((f) => f.severity === 'serious');
      assert.deepStrictEqual(serious, [], file.path);
    }
});

async function started(t: { after(fn: () => Promise<void>): void }, mirror: Mirror): Promise<MirrorServer> {
  const server = await serveMirror(mirror);
  t.after(() => server.close());
  return server;
}

test('serveMirror answers paths with queries, folders, robots.txt, the 521 challenge and 404s', async (t) => {
  const plain = await started(t, MIRRORS.plain);
  const view = await fetch(`${plain.origin}/NewsView.aspx?NewsID=123`);
  assert.equal(view.status, 200);
  assert.ok(
    Buffer.from(await view.arrayBuffer()).equals(
      MIRRORS.plain.files.find((f) => f.path === '/NewsView.aspx?NewsID=123')!.body,
    ),
  );
  const news = await fetch(`${plain.origin}/news/`);
  assert.match(await news.text(), /<title>新闻动态 - 梅溪新闻网<\/title>/);
  const moved = await fetch(`${plain.origin}/news`, { redirect: 'manual' });
  assert.deepStrictEqual([moved.status, moved.headers.get('location')], [301, '/news/']);
  const missing = await fetch(`${plain.origin}/NewsView.aspx?NewsID=124`);
  assert.deepStrictEqual([missing.status, (await missing.text()).includes('404 Not Found')], [404, true]);
  assert.equal((await fetch(`${plain.origin}/robots.txt`)).status, 404);

  const trs = await started(t, MIRRORS.trs);
  const robots = await fetch(`${trs.origin}/robots.txt`);
  assert.equal(await robots.text(), 'User-agent: *\nDisallow: /private/\n');
  const home = await fetch(`${trs.origin}/`);
  assert.match(await home.text(), /<title>梅溪区人民政府_梅溪区人民政府<\/title>/);
  const challenge = await fetch(`${trs.origin}/xwzx/bqdt/202105/t20210522_900.html`);
  assert.equal(challenge.status, 521);
  assert.match(await challenge.text(), /^<html><body><script>document\.cookie='__jsl_clearance=[^']+';location\.href=/);
  assert.deepStrictEqual(Object.fromEntries(trs.hits), {
    '/robots.txt': 1,
    '/': 1,
    '/xwzx/bqdt/202105/t20210522_900.html': 1,
  });
});

test('serveMirror claims 60 MiB for the too-large file without sending them to HEAD', async (t) => {
  const trs = await started(t, MIRRORS.trs);
  const head = await fetch(`${trs.origin}/xwzx/tzgg/202105/P020210512198_1.zip`, { method: 'HEAD' });
  assert.deepStrictEqual(
    [head.status, head.headers.get('content-length'), head.headers.get('content-type')],
    [200, '62914560', 'application/zip'],
  );
  // A GET starts to trickle: the first bytes come, and closing the server ends it.
  const get = await fetch(`${trs.origin}/xwzx/tzgg/202105/P020210512198_1.zip`);
  const reader = get.body!.getReader();
  const first = await reader.read();
  assert.deepStrictEqual([get.headers.get('content-length'), first.done, first.value?.[0]], ['62914560', false, 0x50]);
  await reader.cancel();
});

test('the Hanweb data proxy answers a POST with the records asked for', async (t) => {
  const hanweb = await started(t, MIRRORS.hanweb);
  const response = await fetch(`${hanweb.origin}/module/web/jpage/dataproxy.jsp?startrecord=3&endrecord=4&perpage=2`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'col=1&appid=1&webid=1&path=%2F&columnid=123&sourceContentType=1&unitid=4961&webname=%E6%A2%85%E6%BA%AA%E5%8C%BA%E4%BA%BA%E6%B0%91%E6%94%BF%E5%BA%9C&permissiontype=0',
  });
  assert.equal(response.headers.get('content-type'), 'text/xml;charset=UTF-8');
  assert.equal(
    await response.text(),
    [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<datastore><totalrecord>5</totalrecord><recordset>',
      '<record><![CDATA[',
      '<li><a href="/art/2021/5/17/art_123_452.html" target="_blank" title="全区一至四月固定资产投资保持增长">全区一至四月固定资产投资保持增长</a><span class="bt-data-time">2021-05-17</span></li>',
      ']]></record>',
      '<record><![CDATA[',
      '<li><a href="/art/2021/5/14/art_123_450.html" target="_blank" title="区教育局部署中小学校舍改造工作">区教育局部署中小学校舍改造工作</a><span class="bt-data-time">2021-05-14</span></li>',
      ']]></record>',
      '</recordset></datastore>',
    ].join('\n'),
  );
  const last = await fetch(`${hanweb.origin}/module/web/jpage/dataproxy.jsp?startrecord=3&endrecord=3&perpage=2`, {
    method: 'POST',
    body: new URLSearchParams({ columnid: '124' }),
  });
  assert.match(
    await last.text(),
    /<totalrecord>3<\/totalrecord><recordset>\n<record><!\[CDATA\[\n<li><a href="\/art\/2021\/5\/6\/art_124_441\.html"[^\n]*\n\]\]><\/record>\n<\/recordset>/,
  );
  assert.deepStrictEqual([...hanweb.hits.values()], [1, 1]);
});

/**
 * A crawler as small as can be over HTTP: links, createPageHTML/countPage paging, datastore
 * records and the data proxy, robots.txt's Disallow lines. Files are noted, not fetched.
 */
async function crawl(server: MirrorServer): Promise<Set<string>> {
  const robots = await (await fetch(`${server.origin}/robots.txt`)).text();
  const disallowed = [...robots.matchAll(/^Disallow: (\S+)/gm)].map((m) => m[1] ?? '');
  const seen = new Set<string>(['/']);
  const queue = ['/'];
  const add = (href: string, base: string) => {
    const url = new URL(href, new URL(base, server.origin));
    if (url.origin !== server.origin) return;
    const key = url.pathname + url.search;
    if (seen.has(key) || disallowed.some((d) => key.startsWith(d))) return;
    seen.add(key);
    if (!/\.(doc|ofd|pdf|png|zip)$|downfile\.jsp/.test(key)) queue.push(key);
  };
  for (let at = queue.shift(); at !== undefined; at = queue.shift()) {
    const response = await fetch(`${server.origin}${at}`);
    const bytes = Buffer.from(await response.arrayBuffer());
    const text = bytes.includes('charset=gb2312') ? iconv.decode(bytes, 'gbk') : bytes.toString('utf8');
    const doc = parse(text);
    for (const a of findAll((el) => el.name === 'a', doc.children)) add(getAttributeValue(a, 'href') ?? '', at);
    for (const img of findAll((el) => el.name === 'img', doc.children)) add(getAttributeValue(img, 'src') ?? '', at);
    for (const m of text.matchAll(/href="([^"]+)"[^>]*>[^<]*<\/a><span class="bt-data-time">/g)) add(m[1] ?? '', at);
    const paging = /createPageHTML\((\d+), \d+, "(\w+)"/.exec(text) ?? /countPage = (\d+)()/.exec(text);
    for (let n = 1; paging && n < Number(paging[1]); n++) add(`${paging[2] || 'index'}_${n}.html`, at);
    const jpage = /totalRecord:(\d+),\n {4}perPage:(\d+),[^]*?columnid:(\d+)/.exec(text);
    for (let start = 1 + Number(jpage?.[2]); jpage && start <= Number(jpage[1]); start += Number(jpage[2])) {
      const end = Math.min(Number(jpage[1]), start + Number(jpage[2]) - 1);
      const proxy = `/module/web/jpage/dataproxy.jsp?startrecord=${start}&endrecord=${end}&perpage=${jpage[2]}`;
      const xml = await (
        await fetch(`${server.origin}${proxy}`, {
          method: 'POST',
          body: new URLSearchParams({ columnid: jpage[3] ?? '' }),
        })
      ).text();
      for (const m of xml.matchAll(/href="([^"]+)"/g)) add(m[1] ?? '', at);
    }
  }
  return seen;
}

test('a crawler from / finds every article, list, file and planted failure, and never /private/', async (t) => {
  for (const mirror of Object.values(MIRRORS)) {
    const server = await started(t, mirror);
    const seen = await crawl(server);
    const wanted = [
      ...mirror.articles.flatMap((a) => [
        ...a.oldUrls,
        ...a.attachments.map((f) => f.oldPath),
        ...a.images.map((i) => i.oldPath),
      ]),
      ...mirror.lists.map((l) => l.oldPath),
      ...mirror.failures.map((f) => f.path),
      ...mirror.externalLinks,
    ];
    assert.deepStrictEqual(
      wanted.filter((p) => !seen.has(p)),
      [],
      mirror.style,
    );
    assert.equal(server.hits.get('/private/notes.html'), undefined);
  }
});

async function listFiles(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

test('writeMirror writes a wget copy: query strings in names, no 521 page, the large file sparse', async (t) => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'gazette-mirror-'));
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  await writeMirror(MIRRORS.plain, path.join(dir, 'plain'));
  assert.deepStrictEqual(await listFiles(path.join(dir, 'plain')), [
    'NewsView.aspx?NewsID=123',
    'index.html',
    'news/2021/0513-3.html',
    'news/2021/0516-1.html',
    'news/2021/0519-2.html',
    'news/2021/0520-1.html',
    'news/index.html',
  ]);
  await writeMirror(MIRRORS.hanweb, path.join(dir, 'hanweb'));
  assert.deepStrictEqual(await listFiles(path.join(dir, 'hanweb')), [
    'art/2021/5/10/art_123_447.html',
    'art/2021/5/14/art_123_450.html',
    'art/2021/5/17/art_123_452.html',
    'art/2021/5/18/art_124_458.html',
    'art/2021/5/19/art_123_455.html',
    'art/2021/5/20/art_123_456.html',
    'art/2021/5/21/art_124_460.html',
    'art/2021/5/6/art_124_441.html',
    'col/col123/index.html',
    'col/col124/index.html',
    'index.html',
    'module/download/downfile.jsp?classid=0&filename=2105211730456.pdf',
    'picture/0/2105201015123.png',
  ]);
  await writeMirror(MIRRORS.trs, path.join(dir, 'trs'));
  const trs = await listFiles(path.join(dir, 'trs'));
  assert.deepStrictEqual(trs, [
    'index.html',
    'private/notes.html',
    'robots.txt',
    'sitemap.html',
    'xwzx/bqdt/202105/P020210517118_1.doc',
    'xwzx/bqdt/202105/P020210517118_2.ofd',
    'xwzx/bqdt/202105/W020210517118_1.png',
    'xwzx/bqdt/202105/t20210515_115.html',
    'xwzx/bqdt/202105/t20210517_118.html',
    'xwzx/bqdt/202105/t20210518_120.html',
    'xwzx/bqdt/202105/t20210520_123.html',
    'xwzx/bqdt/202105/t20210521_124.html',
    'xwzx/bqdt/202105/t20210521_124_1.html',
    'xwzx/bqdt/index.html',
    'xwzx/bqdt/index_1.html',
    'xwzx/bqdt/index_2.html',
    'xwzx/index.html',
    'xwzx/tzgg/202105/P020210512198_1.zip',
    'xwzx/tzgg/202105/t20210512_198.html',
    'xwzx/tzgg/202105/t20210514_204.html',
    'xwzx/tzgg/202105/t20210516_205.html',
    'xwzx/tzgg/202105/t20210519_201.html',
    'xwzx/tzgg/index.html',
    'xwzx/tzgg/index_1.html',
    'zwgk/index.html',
    'zwgk/zcwj/202104/t20210428_290.html',
    'zwgk/zcwj/202105/t20210506_298.html',
    'zwgk/zcwj/202105/t20210510_301.html',
    'zwgk/zcwj/index.html',
  ]);
  assert.deepStrictEqual(trs, wgetFileNames(MIRRORS.trs).sort());
  const large = await fs.stat(path.join(dir, 'trs', 'xwzx/tzgg/202105/P020210512198_1.zip'));
  assert.deepStrictEqual([large.size, large.blocks * 512 < 1024 * 1024], [62914560, true]);
  const gbk = await fs.readFile(path.join(dir, 'trs', 'xwzx/bqdt/202105/t20210518_120.html'));
  assert.ok(gbk.equals(MIRRORS.trs.files.find((f) => f.path === '/xwzx/bqdt/202105/t20210518_120.html')!.body));
});
