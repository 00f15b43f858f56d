import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GazetteError } from '../../../src/domain/errors.js';
import { Pace } from '../../../src/migrate/source/pace.js';
import { openSource, SourceError, type SourceOptions } from '../../../src/migrate/source/index.js';
import { freePort } from '../../helpers/http.js';
import { recordingSleep, serve } from './serve.js';

const OPTIONS: SourceOptions = {
  rate: 0,
  concurrency: 4,
  userAgent: 'GazetteMigrate/1 (+https://gazette.example/migrate)',
  retries: 3,
  maxPageBytes: 1_000_000,
  timeoutMs: 5000,
};

const HTML = 'text/html; charset=utf-8';

test('robots.txt: Disallow for every agent and for Gazette’s, Crawl-delay and Sitemap read', async (t) => {
  const base = await serve(t, (request, response) => {
    if (request.url !== '/robots.txt') return response.writeHead(404).end();
    response.writeHead(200, { 'content-type': 'text/plain' });
    response.end(
      'User-agent: *\nDisallow: /private/\n\n' +
        'User-agent: GazetteMigrate\nDisallow: /private/\nDisallow: /search/\nCrawl-delay: 0.2\n\n' +
        'Sitemap: http://127.0.0.1/sitemap.xml\n',
    );
  });
  const source = await openSource(`${base}/index.html`, OPTIONS);
  t.after(() => source.close());
  assert.deepStrictEqual(
    ['/private/a.html', '/search/?q=1', '/xwzx/index.html', '/'].map((path) => source.allowed(base + path)),
    [false, false, true, true],
  );
  assert.equal(source.allowed('http://elsewhere.example/private/'), true);
  assert.deepStrictEqual(source.sitemaps, ['http://127.0.0.1/sitemap.xml']);
  assert.deepStrictEqual(source.notes, ['robots.txt asks for 0.2 s between requests']);
  assert.equal(source.origin, base);
  assert.equal(source.kind, 'http');
});

/** A clock that moves only when the pace sleeps: the starts it gives are exact, whatever the machine's load. */
function fakeClock() {
  let now = 0;
  // Time moves on after the requests already let in have started (a macrotask later), as it would.
  const sleep = (ms: number) =>
    new Promise<void>((resolve) =>
      setImmediate(() => {
        now += ms;
        resolve();
      }),
    );
  return { now: () => now, sleep };
}

test('rate 5: ten requests asked for at once start exactly 200 ms apart, none in a burst', async () => {
  const clock = fakeClock();
  const pace = new Pace(5, 16, clock.sleep, clock.now);
  const starts: number[] = [];
  await Promise.all(Array.from({ length: 10 }, () => pace.run(() => Promise.resolve(starts.push(clock.now())))));
  assert.deepStrictEqual(starts, [0, 200, 400, 600, 800, 1000, 1200, 1400, 1600, 1800]);
});

test('robots.txt’s Crawl-delay wins over a faster rate, and no rate means no spacing', async () => {
  const clock = fakeClock();
  const pace = new Pace(0, 4, clock.sleep, clock.now);
  const starts: number[] = [];
  await Promise.all([1, 2, 3].map(() => pace.run(() => Promise.resolve(starts.push(clock.now())))));
  assert.deepStrictEqual(starts, [0, 0, 0]);
  pace.atLeast(250);
  await Promise.all([1, 2, 3].map(() => pace.run(() => Promise.resolve(starts.push(clock.now())))));
  assert.deepStrictEqual(starts, [0, 0, 0, 0, 250, 500]);
  const faster = new Pace(10, 4, clock.sleep, clock.now);
  faster.atLeast(250);
  const spaced: number[] = [];
  await Promise.all([1, 2].map(() => faster.run(() => Promise.resolve(spaced.push(clock.now())))));
  assert.deepStrictEqual(spaced, [500, 750]);
});

test('503 twice then 200: three requests, backoff 500 ms then 1 s', async (t) => {
  let hits = 0;
  const base = await serve(t, (request, response) => {
    if (request.url === '/robots.txt') return response.writeHead(404).end();
    hits++;
    if (hits <= 2) return response.writeHead(503, { 'content-type': HTML }).end('busy');
    response.writeHead(200, { 'content-type': HTML }).end('<p>正文</p>');
  });
  const { waits, sleep } = recordingSleep();
  const source = await openSource(base, { ...OPTIONS, sleep });
  t.after(() => source.close());
  assert.deepStrictEqual(await source.get(`${base}/a.html`), {
    url: `${base}/a.html`,
    finalUrl: `${base}/a.html`,
    status: 200,
    contentType: HTML,
    bytes: Buffer.from('<p>正文</p>'),
  });
  assert.equal(hits, 3);
  assert.deepStrictEqual(waits, [500, 1000]);
});

test('a 503 that lasts comes back as the 503 once the retries are spent', async (t) => {
  let hits = 0;
  const base = await serve(t, (request, response) => {
    if (request.url === '/robots.txt') return response.writeHead(404).end();
    hits++;
    response.writeHead(503, { 'content-type': HTML }).end('busy');
  });
  const { waits, sleep } = recordingSleep();
  const source = await openSource(base, { ...OPTIONS, retries: 2, sleep });
  t.after(() => source.close());
  const page = await source.get(`${base}/a.html`);
  assert.deepStrictEqual([page.status, page.bytes.toString(), hits, waits], [503, 'busy', 3, [500, 1000]]);
});

test('521 (an anti-bot challenge) is not retried', async (t) => {
  let hits = 0;
  const challenge = '<script>document.cookie="__jsl_clearance=1";location.href=location.href</script>';
  const base = await serve(t, (request, response) => {
    if (request.url === '/robots.txt') return response.writeHead(404).end();
    hits++;
    response.writeHead(521, { 'content-type': HTML }).end(challenge);
  });
  const { waits, sleep } = recordingSleep();
  const source = await openSource(base, { ...OPTIONS, sleep });
  t.after(() => source.close());
  assert.deepStrictEqual(await source.get(`${base}/a.html`), {
    url: `${base}/a.html`,
    finalUrl: `${base}/a.html`,
    status: 521,
    contentType: HTML,
    bytes: Buffer.from(challenge),
  });
  assert.deepStrictEqual([hits, waits], [1, []]);
});

test('a redirect within the host is followed; one to another host comes back as it is', async (t) => {
  const base = await serve(t, (request, response) => {
    if (request.url === '/old.html') return response.writeHead(301, { location: '/xwzx/' }).end();
    if (request.url === '/xwzx/') return response.writeHead(200, { 'content-type': HTML }).end('新闻中心');
    if (request.url === '/away.html') return response.writeHead(302, { location: 'http://www.example.gov.cn/x' }).end();
    if (request.url === '/loop.html') return response.writeHead(302, { location: '/loop.html' }).end();
    response.writeHead(404).end();
  });
  const source = await openSource(base, OPTIONS);
  t.after(() => source.close());
  assert.deepStrictEqual(await source.get(`${base}/old.html`), {
    url: `${base}/old.html`,
    finalUrl: `${base}/xwzx/`,
    status: 200,
    contentType: HTML,
    bytes: Buffer.from('新闻中心'),
  });
  assert.deepStrictEqual(await source.get(`${base}/away.html`), {
    url: `${base}/away.html`,
    finalUrl: 'http://www.example.gov.cn/x',
    status: 302,
    contentType: null,
    bytes: Buffer.alloc(0),
  });
  await assert.rejects(source.get(`${base}/loop.html`), {
    name: 'SourceError',
    failure: 'redirects',
    message: `${base}/loop.html: more than 5 redirects`,
  });
});

test('another host, another port or a www. prefix is not the source’s: not asked for', async (t) => {
  const base = await serve(t, (_request, response) => response.writeHead(404).end());
  const source = await openSource(base, OPTIONS);
  t.after(() => source.close());
  const port = Number(new URL(base).port);
  assert.deepStrictEqual(
    [
      `${base}/a.html#top`,
      `http://127.0.0.1:${port + 1}/a.html`,
      `https://127.0.0.1:${port}/`,
      'http://www.127.0.0.1/',
      'nonsense',
    ].map((url) => source.isOwn(url)),
    [true, false, false, false, false],
  );
  await assert.rejects(source.get('http://www.example.gov.cn/a.html'), (error: unknown) => {
    assert.ok(error instanceof SourceError);
    assert.deepStrictEqual([error.failure, error.reason], ['off-host', `not on ${base}`]);
    return true;
  });
});

test('postForm sends the form (Hanweb’s data proxy) and reads the answer', async (t) => {
  const base = await serve(t, (request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () =>
      response
        .writeHead(200, { 'content-type': 'text/xml; charset=utf-8' })
        .end(`${request.method} ${request.url} ${request.headers['content-type']} ${body}`),
    );
  });
  const source = await openSource(base, OPTIONS);
  t.after(() => source.close());
  const url = `${base}/module/web/jpage/dataproxy.jsp?startrecord=1&endrecord=45&perpage=15`;
  const answer = await source.postForm(url, { col: '1', columnid: '123', webname: '吴中区' });
  assert.equal(
    answer.bytes.toString(),
    'POST /module/web/jpage/dataproxy.jsp?startrecord=1&endrecord=45&perpage=15 ' +
      'application/x-www-form-urlencoded;charset=UTF-8 col=1&columnid=123&webname=%E5%90%B4%E4%B8%AD%E5%8C%BA',
  );
  assert.deepStrictEqual([answer.status, answer.finalUrl], [200, url]);
});

test('no answer within timeoutMs: retried, then a SourceError naming the timeout', async (t) => {
  let hits = 0;
  const base = await serve(t, (request, response) => {
    if (request.url === '/robots.txt') return response.writeHead(404).end();
    hits++; // and never answer
  });
  const { waits, sleep } = recordingSleep();
  const source = await openSource(base, { ...OPTIONS, timeoutMs: 200, retries: 1, sleep });
  t.after(() => source.close());
  await assert.rejects(source.get(`${base}/slow.html`), {
    name: 'SourceError',
    failure: 'timeout',
    message: `${base}/slow.html: no answer within 200 ms`,
  });
  assert.deepStrictEqual([hits, waits], [2, [500]]);
});

test('a page over maxPageBytes is cut off and reported', async (t) => {
  const base = await serve(t, (request, response) => {
    if (request.url === '/robots.txt') return response.writeHead(404).end();
    response.writeHead(200, { 'content-type': HTML }).end('x'.repeat(2000));
  });
  const source = await openSource(base, { ...OPTIONS, maxPageBytes: 1000 });
  t.after(() => source.close());
  await assert.rejects(source.get(`${base}/big.html`), {
    name: 'SourceError',
    failure: 'too-large',
    message: `${base}/big.html: larger than 1000 bytes`,
  });
});

test('connection refused: MIGRATE_SOURCE_UNREACHABLE when the source opens, after the retries', async () => {
  const port = await freePort();
  const { waits, sleep } = recordingSleep();
  const error = await openSource(`http://127.0.0.1:${port}/`, { ...OPTIONS, retries: 2, sleep }).then(
    () => assert.fail('opened'),
    (failure: unknown) => failure,
  );
  assert.ok(error instanceof GazetteError);
  assert.deepStrictEqual(
    [error.code, error.params],
    [
      'MIGRATE_SOURCE_UNREACHABLE',
      { url: `http://127.0.0.1:${port}`, reason: { zh: '连接被拒绝', en: 'connection refused' } },
    ],
  );
  assert.equal(error.messageIn('zh'), `无法连接要迁移的网站 http://127.0.0.1:${port}：连接被拒绝`);
  assert.deepStrictEqual(waits, [500, 1000]);
});

test('robots.txt answering 503 (after its retries) allows everything, and the operator hears of it', async (t) => {
  const base = await serve(t, (request, response) =>
    response.writeHead(request.url === '/robots.txt' ? 503 : 200).end(),
  );
  const { sleep } = recordingSleep();
  const source = await openSource(base, { ...OPTIONS, sleep });
  t.after(() => source.close());
  assert.deepStrictEqual(
    [source.allowed(`${base}/private/`), source.notes],
    [true, ['robots.txt answered 503: everything is allowed']],
  );
});

test('a source that is not an http(s) URL: MIGRATE_SOURCE_INVALID', async () => {
  await assert.rejects(openSource('ftp://www.example.gov.cn/', OPTIONS), (error: unknown) => {
    assert.ok(error instanceof GazetteError);
    assert.deepStrictEqual(
      [error.code, error.message],
      [
        'MIGRATE_SOURCE_INVALID',
        'The migration source ftp://www.example.gov.cn/ cannot be used: only http:// and https:// sites can be migrated',
      ],
    );
    return true;
  });
});

/** A file server that declares a size, or streams without one, and notes when the client hangs up. */
async function fileServer(t: Parameters<typeof serve>[0]): Promise<{ base: string; hungUp: Promise<string> }> {
  let hangUp: (path: string) => void = () => undefined;
  const hungUp = new Promise<string>((resolve) => (hangUp = resolve));
  const base = await serve(t, (request, response) => {
    if (request.url === '/robots.txt') return response.writeHead(404).end();
    response.on('close', () => hangUp(request.url ?? ''));
    if (request.url === '/P020210520_big.pdf') {
      // Five megabytes declared, one kilobyte sent: reading the body would wait for the rest.
      response.writeHead(200, { 'content-type': 'application/pdf', 'content-length': '5000000' });
      response.write(Buffer.alloc(1000));
      return;
    }
    if (request.url === '/P020210520_endless.zip') {
      response.writeHead(200, { 'content-type': 'application/zip' });
      const timer = setInterval(() => response.write(Buffer.alloc(16 * 1024)), 1);
      response.on('close', () => clearInterval(timer));
      return;
    }
    response.writeHead(200, { 'content-type': 'application/msword' }).end(Buffer.from('DOC'));
  });
  return { base, hungUp };
}

test('getFile: a Content-Length over the limit comes back too large without reading the body', async (t) => {
  const { base, hungUp } = await fileServer(t);
  const source = await openSource(base, OPTIONS);
  t.after(() => source.close());
  assert.deepStrictEqual(await source.getFile(`${base}/P020210520_big.pdf`, 1_000_000), {
    tooLarge: true,
    size: 5_000_000,
  });
  assert.equal(await hungUp, '/P020210520_big.pdf');
});

test('getFile: a chunked body that passes the limit is cut off there', async (t) => {
  const { base, hungUp } = await fileServer(t);
  const source = await openSource(base, OPTIONS);
  t.after(() => source.close());
  assert.deepStrictEqual(await source.getFile(`${base}/P020210520_endless.zip`, 200_000), {
    tooLarge: true,
    size: null,
  });
  assert.equal(await hungUp, '/P020210520_endless.zip');
});

test('getFile within the limit', async (t) => {
  const { base } = await fileServer(t);
  const source = await openSource(base, OPTIONS);
  t.after(() => source.close());
  assert.deepStrictEqual(await source.getFile(`${base}/P020210520_1.doc`, 1000), {
    tooLarge: false,
    url: `${base}/P020210520_1.doc`,
    finalUrl: `${base}/P020210520_1.doc`,
    status: 200,
    contentType: 'application/msword',
    bytes: Buffer.from('DOC'),
  });
});
