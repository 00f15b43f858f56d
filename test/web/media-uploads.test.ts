import { after, before, describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import {
  clamdScanner,
  EICAR,
  verifyAuditChain,
  type ServiceContext,
  type VirusScanner,
} from '../../src/services/index.js';
import { loadTheme } from '../../src/theme/index.js';
import { buildApp } from '../../src/web/index.js';
import { makeRoleAccounts, makeUser, multipart, ROLE_ACCOUNTS, signIn, type ApiClient } from '../helpers/backoffice.js';
import { demoSite } from '../helpers/factories.js';
import { contextFor, testStore, type TestStore } from '../helpers/store.js';
import { pdfOfSize, pngDeclaring } from '../helpers/uploads.js';

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const KB = 1024;

/** What a fake clamd was sent over INSTREAM, and how to stop it. */
interface FakeClamd {
  readonly address: { host: string; port: number } | { path: string };
  /** The bytes of each stream, put back together from their chunks. */
  readonly streams: Buffer[];
  close(): Promise<void>;
}

/**
 * Takes `zINSTREAM\0` and length-led chunks (4 bytes, big-endian) up to a zero length, as clamd
 * does; returns the stream once complete, or null while more is to come.
 */
function readInstream(received: Buffer): Buffer | null {
  const command = Buffer.from('zINSTREAM\0');
  if (received.length < command.length) return null;
  assert.deepEqual(received.subarray(0, command.length), command, 'the command comes first');
  const chunks: Buffer[] = [];
  for (let at = command.length; at + 4 <= received.length;) {
    const length = received.readUInt32BE(at);
    if (length === 0) return Buffer.concat(chunks);
    if (at + 4 + length > received.length) return null;
    chunks.push(received.subarray(at + 4, at + 4 + length));
    at += 4 + length;
  }
  return null;
}

/** A clamd on 127.0.0.1 (or a unix socket) that answers each stream with `answer(bytes)` (null: never answers). */
async function fakeClamd(answer: (stream: Buffer) => string | null, socketPath?: string): Promise<FakeClamd> {
  const streams: Buffer[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let received = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const stream = readInstream(received);
      if (!stream) return;
      streams.push(stream);
      const reply = answer(stream);
      if (reply !== null) socket.end(`${reply}\0`);
    });
  });
  await new Promise<void>((resolve) => {
    if (socketPath) server.listen(socketPath, resolve);
    else server.listen(0, '127.0.0.1', resolve);
  });
  const bound = server.address();
  return {
    address: socketPath ? { path: socketPath } : { host: '127.0.0.1', port: (bound as net.AddressInfo).port },
    streams,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A TCP port on 127.0.0.1 that nothing listens on (it was just given back). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('uploads over HTTP: decompression bombs, quotas and the virus check (ASVS 12.1.2, 12.1.3, 12.4.2)', () => {
  let store: TestStore;
  let ctx: ServiceContext;
  let mediaDir: string;
  let outputDir: string;

  before(async () => {
    mediaDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-upload-test-'));
    outputDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-upload-output-'));
    store = await testStore();
    ctx = { ...contextFor(store), mediaDir };
    await demoSite(ctx);
    await makeRoleAccounts(ctx);
    await makeUser(ctx, 'editor2', [{ role: 'editor' }]);
    await makeUser(ctx, 'editor3', [{ role: 'editor' }]);
  });
  after(async () => {
    await store?.dispose();
    fs.rmSync(mediaDir, { recursive: true, force: true });
    fs.rmSync(outputDir, { recursive: true, force: true });
  });

  /** Gives the site its default quota back after a test that changes it, so the others do not depend on its order. */
  const restoreQuota = (t: TestContext) =>
    t.after(async () => {
      await store.db.updateTable('site').set({ mediaQuotaMb: 2048 }).execute();
    });

  /** The back office over this store and media folder, scanning uploads with `scanner` as well; closed after the test. */
  async function appWith(t: TestContext, scanner?: VirusScanner): Promise<FastifyInstance> {
    const app = await buildApp(
      { ...ctx, theme: loadTheme(), outputDir, ...(scanner && { virusScanner: scanner }) },
      { logLevel: 'silent', loginPerMinute: 1000, writesPerMinute: 1000 },
    );
    t.after(() => app.close());
    return app;
  }

  const upload = (client: ApiClient, name: string, data: Buffer, fields: Record<string, string> = {}) => {
    const body = multipart(fields, { name, data });
    return client.request('POST', '/api/v1/media', body.body, { 'content-type': body.contentType });
  };
  const mediaRows = async () => (await store.db.selectFrom('media').select('id').execute()).length;
  const everyFile = () =>
    (fs.readdirSync(mediaDir, { recursive: true }) as string[])
      .filter((f) => fs.statSync(path.join(mediaDir, f)).isFile())
      .sort();
  /** The media rows and every file of the media folder: what a refused upload must leave as it was. */
  const stored = async () => [await mediaRows(), everyFile()];
  const auditOf = async (action: string) =>
    (
      await store.db
        .selectFrom('auditLog')
        .select(['userName', 'targetType', 'targetId', 'details'])
        .where('action', '=', action)
        .orderBy('seq')
        .execute()
    ).map((entry) => ({ ...entry, details: JSON.parse(entry.details) as unknown }));

  test('12.1.2: a PNG declaring 50000×50000 pixels answers 400 MEDIA_BAD_IMAGE naming its size; nothing is stored', async (t) => {
    const app = await appWith(t);
    const editor = await signIn(app, ROLE_ACCOUNTS.editor);
    const before = await stored();
    const answer = await upload(editor, 'bomb.png', pngDeclaring(50_000, 50_000), { alt: '炸弹' });
    assert.equal(answer.statusCode, 400);
    assert.deepEqual(answer.json(), {
      code: 'MEDIA_BAD_IMAGE',
      message: '图片无法读取：图片为 50000×50000 像素，超过 5000 万像素的上限',
      messageEn: 'The image cannot be read: it is 50000×50000 pixels, over the limit of 50 megapixels',
    });
    assert.deepEqual(await stored(), before);
  });

  test('12.1.3: an upload past the uploader’s quota answers 413 MEDIA_QUOTA_EXCEEDED with the sizes, and stores nothing; the administrator sets the quota', async (t) => {
    restoreQuota(t);
    const app = await appWith(t);
    const admin = await signIn(app, ROLE_ACCOUNTS.admin);
    const editor = await signIn(app, ROLE_ACCOUNTS.editor);
    const editor2 = await signIn(app, 'editor2');
    const site = (await admin.request('GET', '/api/v1/site')).json<{ id: number; mediaQuotaMb: number }>();
    assert.equal(site.mediaQuotaMb, 2048, 'a new site allows each user 2 GiB');

    // Only the site administrator sets it, to a whole number of MiB from 1.
    assert.equal((await editor.request('PATCH', '/api/v1/site', { mediaQuotaMb: 1 })).statusCode, 403);
    for (const mediaQuotaMb of [0, 1.5, -1, 1024 * 1024 + 1]) {
      const refused = await admin.request('PATCH', '/api/v1/site', { mediaQuotaMb });
      assert.deepEqual([mediaQuotaMb, refused.statusCode], [mediaQuotaMb, 400]);
    }
    const set = await admin.request('PATCH', '/api/v1/site', { mediaQuotaMb: 1 });
    assert.equal(set.statusCode, 200, set.body);
    assert.deepEqual(set.json(), {
      id: site.id,
      name: '示范区人民政府',
      timeZone: 'Asia/Shanghai',
      mourning: false,
      placedPages: 'link',
      mediaQuotaMb: 1,
      interpretationDueDays: 3,
    });

    const first = pdfOfSize(600 * KB, 'first');
    assert.equal((await upload(editor, 'first.pdf', first)).statusCode, 201);
    const before = await stored();
    const over = await upload(editor, 'second.pdf', pdfOfSize(600 * KB, 'second'));
    assert.equal(over.statusCode, 413);
    assert.deepEqual(over.json(), {
      code: 'MEDIA_QUOTA_EXCEEDED',
      message: '超出您在本站的媒体空间配额：已上传 600 KB，本文件 600 KB，上限 1 MB',
      messageEn: 'Over your media quota on this site: 600 KB uploaded, this file 600 KB, limit 1 MB',
    });
    assert.deepEqual(await stored(), before, 'no media row, no file');
    // Exactly up to the quota fits: 600 KiB + 424 KiB is 1 MiB.
    assert.equal((await upload(editor, 'fits.pdf', pdfOfSize(424 * KB, 'fits'))).statusCode, 201);
    const full = await upload(editor, 'byte.pdf', pdfOfSize(64, 'byte'));
    assert.deepEqual(
      [full.statusCode, full.json<{ messageEn: string }>().messageEn],
      [413, 'Over your media quota on this site: 1 MB uploaded, this file 64 B, limit 1 MB'],
    );

    // The quota is each uploader's own.
    assert.equal((await upload(editor2, 'other.pdf', pdfOfSize(600 * KB, 'other'))).statusCode, 201);
    // Raised, it lets the editor upload again; the change is audited.
    assert.equal((await admin.request('PATCH', '/api/v1/site', { mediaQuotaMb: 2 })).statusCode, 200);
    assert.equal((await upload(editor, 'second.pdf', pdfOfSize(600 * KB, 'second'))).statusCode, 201);
    assert.deepEqual(await auditOf('site.media-quota'), [
      { userName: 'siteadmin', targetType: 'site', targetId: String(site.id), details: { mediaQuotaMb: 1, was: 2048 } },
      { userName: 'siteadmin', targetType: 'site', targetId: String(site.id), details: { mediaQuotaMb: 2, was: 1 } },
    ]);
  });

  test('12.1.3: two uploads at once cannot both take the quota’s last space; the refused one leaves no file', async (t) => {
    restoreQuota(t);
    const app = await appWith(t);
    const admin = await signIn(app, ROLE_ACCOUNTS.admin);
    const editor3 = await signIn(app, 'editor3');
    assert.equal((await admin.request('PATCH', '/api/v1/site', { mediaQuotaMb: 1 })).statusCode, 200);
    const [rowsBefore, filesBefore] = await stored();
    const both = [pdfOfSize(600 * KB, 'race one'), pdfOfSize(600 * KB, 'race two')];
    const answers = await Promise.all(both.map((data, i) => upload(editor3, `race-${i}.pdf`, data)));
    assert.deepEqual(answers.map((a) => a.statusCode).sort(), [201, 413]);
    const taken = answers.findIndex((a) => a.statusCode === 201);
    const kept = `file/${sha256(both[taken] ?? Buffer.alloc(0)).slice(0, 24)}/race-${taken}.pdf`;
    assert.deepEqual(await stored(), [Number(rowsBefore) + 1, [...(filesBefore as string[]), kept].sort()]);
  });

  test('12.4.2: the EICAR test file answers 422 MEDIA_INFECTED, is audited, and nothing is stored', async (t) => {
    const app = await appWith(t);
    const editor = await signIn(app, ROLE_ACCOUNTS.editor);
    const eicar = Buffer.from(EICAR, 'latin1');
    assert.equal(eicar.length, 68);
    const audited = (await auditOf('media.infected')).length;
    const before = await stored();
    // As sent by AV test suites: alone, or followed by white space; under an accepted name.
    for (const [name, data] of [
      ['eicar.pdf', eicar],
      ['eicar.zip', Buffer.concat([eicar, Buffer.from('\r\n')])],
    ] as const) {
      const answer = await upload(editor, name, data);
      assert.equal(answer.statusCode, 422, name);
      assert.deepEqual(answer.json(), {
        code: 'MEDIA_INFECTED',
        message: '文件未通过病毒检查（内置检查：Eicar-Test-Signature），未上传',
        messageEn: 'The file failed the virus check (built-in check: Eicar-Test-Signature) and was not uploaded',
      });
    }
    assert.deepEqual(await stored(), before, 'no media row, no file');
    assert.deepEqual((await auditOf('media.infected')).slice(audited), [
      {
        userName: 'editor',
        targetType: 'media',
        targetId: null,
        details: {
          name: 'eicar.pdf',
          scanner: 'built-in',
          sha256: sha256(eicar),
          signature: 'Eicar-Test-Signature',
          size: 68,
        },
      },
      {
        userName: 'editor',
        targetType: 'media',
        targetId: null,
        details: {
          name: 'eicar.zip',
          scanner: 'built-in',
          sha256: sha256(Buffer.concat([eicar, Buffer.from('\r\n')])),
          signature: 'Eicar-Test-Signature',
          size: 70,
        },
      },
    ]);
    assert.equal((await verifyAuditChain(store.db)).ok, true);
  });

  test('12.4.2: a Linux (ELF) executable renamed .pdf and a Windows (MZ) one renamed .docx are refused whatever their name', async (t) => {
    const app = await appWith(t);
    const editor = await signIn(app, ROLE_ACCOUNTS.editor);
    const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(56)]);
    const mz = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), Buffer.alloc(120)]);
    const before = await stored();
    const cases = [
      ['report.pdf', elf, 'Executable.Linux.ELF'],
      ['notes.docx', mz, 'Executable.Windows.MZ'],
    ] as const;
    for (const [name, data, signature] of cases) {
      const answer = await upload(editor, name, data);
      assert.equal(answer.statusCode, 422, name);
      assert.deepEqual(answer.json(), {
        code: 'MEDIA_INFECTED',
        message: `文件未通过病毒检查（内置检查：${signature}），未上传`,
        messageEn: `The file failed the virus check (built-in check: ${signature}) and was not uploaded`,
      });
    }
    assert.deepEqual(await stored(), before, 'no media row, no file');
    assert.deepEqual(
      (await auditOf('media.infected')).slice(-2).map((e) => e.details),
      cases.map(([name, data, signature]) => ({
        name,
        scanner: 'built-in',
        sha256: sha256(data),
        signature,
        size: data.length,
      })),
    );
  });

  test('12.4.2: a clamd that reports Win.Test.Fake FOUND refuses the upload; it was sent the exact bytes over INSTREAM', async (t) => {
    const clamd = await fakeClamd(() => 'stream: Win.Test.Fake FOUND');
    t.after(() => clamd.close());
    const app = await appWith(t, clamdScanner(clamd.address));
    const editor = await signIn(app, ROLE_ACCOUNTS.editor);
    // Larger than one 64 KiB chunk, so the stream is sent in several.
    const suspect = pdfOfSize(150 * KB, 'suspect');
    const before = await stored();
    const answer = await upload(editor, 'suspect.pdf', suspect);
    assert.equal(answer.statusCode, 422);
    assert.deepEqual(answer.json(), {
      code: 'MEDIA_INFECTED',
      message: '文件未通过病毒检查（ClamAV：Win.Test.Fake），未上传',
      messageEn: 'The file failed the virus check (ClamAV: Win.Test.Fake) and was not uploaded',
    });
    assert.deepEqual(clamd.streams, [suspect]);
    assert.deepEqual(await stored(), before, 'no media row, no file');
    assert.deepEqual((await auditOf('media.infected')).at(-1), {
      userName: 'editor',
      targetType: 'media',
      targetId: null,
      details: {
        name: 'suspect.pdf',
        scanner: 'clamd',
        sha256: sha256(suspect),
        signature: 'Win.Test.Fake',
        size: suspect.length,
      },
    });
    // The built-in check runs first: EICAR never reaches clamd.
    assert.equal((await upload(editor, 'eicar.pdf', Buffer.from(EICAR, 'latin1'))).statusCode, 422);
    assert.equal(clamd.streams.length, 1);
  });

  test('12.4.2: a clamd that answers OK (over TCP or a unix socket) lets a clean upload through', async (t) => {
    const tcp = await fakeClamd(() => 'stream: OK');
    const socketDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-clamd-'));
    const unix = await fakeClamd(() => 'stream: OK', path.join(socketDir, 'clamd.sock'));
    t.after(async () => {
      await tcp.close();
      await unix.close();
      fs.rmSync(socketDir, { recursive: true, force: true });
    });
    for (const [label, clamd] of [
      ['tcp', tcp],
      ['unix', unix],
    ] as const) {
      const app = await appWith(t, clamdScanner(clamd.address));
      const editor = await signIn(app, ROLE_ACCOUNTS.editor);
      const clean = pdfOfSize(2 * KB, `clean over ${label}`);
      const answer = await upload(editor, `clean-${label}.pdf`, clean);
      assert.equal(answer.statusCode, 201, answer.body);
      assert.deepEqual(
        [answer.json<{ originalName: string; size: number }>().originalName, answer.json<{ size: number }>().size],
        [`clean-${label}.pdf`, clean.length],
      );
      assert.deepEqual(clamd.streams, [clean]);
      const key = sha256(clean).slice(0, 24);
      assert.deepEqual(fs.readFileSync(path.join(mediaDir, 'file', key, `clean-${label}.pdf`)), clean);
    }
  });

  test('12.4.2: a configured clamd that cannot give a verdict fails closed with 503 MEDIA_SCAN_UNAVAILABLE', async (t) => {
    const silent = await fakeClamd(() => null);
    const failing = await fakeClamd(() => 'INSTREAM size limit exceeded. ERROR');
    t.after(async () => {
      await silent.close();
      await failing.close();
    });
    const unavailable = (reason: string) => ({
      code: 'MEDIA_SCAN_UNAVAILABLE',
      message: `病毒扫描服务（ClamAV）不可用（${reason}），文件未上传；请稍后重试或联系管理员`,
      messageEn: `The virus scanner (ClamAV) is unavailable (${reason}), so the file was not uploaded; try again later or tell the administrator`,
    });
    const cases = [
      ['unreachable', clamdScanner({ host: '127.0.0.1', port: await closedPort() }), 'ECONNREFUSED'],
      [
        'no such socket',
        clamdScanner({ path: path.join(os.tmpdir(), `gazette-no-clamd-${process.pid}.sock`) }),
        'ENOENT',
      ],
      ['silent', clamdScanner(silent.address, { timeoutMs: 300 }), 'no answer within 0.3 s'],
      ['error', clamdScanner(failing.address), 'clamd answered "INSTREAM size limit exceeded. ERROR"'],
    ] as const;
    const before = await stored();
    for (const [label, scanner, reason] of cases) {
      const app = await appWith(t, scanner);
      const editor = await signIn(app, ROLE_ACCOUNTS.editor);
      const answer = await upload(editor, `${label}.pdf`, pdfOfSize(2 * KB, label));
      assert.deepEqual(
        [label, answer.statusCode, answer.headers['retry-after'], answer.json()],
        [label, 503, '30', unavailable(reason)],
      );
    }
    assert.deepEqual(await stored(), before, 'nothing taken unscanned');
    assert.equal(silent.streams.length, 1, 'the silent clamd was sent the file');
  });
});
