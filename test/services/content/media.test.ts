import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { GazetteError, type ErrorCode, type ErrorParams } from '../../../src/domain/index.js';
import {
  MEDIA_LIMITS,
  listMedia,
  uploadMedia,
  type Actor,
  type ServiceContext,
  type UserView,
} from '../../../src/services/index.js';
import { contextFor, testStore, type TestStore } from '../../helpers/store.js';
import { demoSite } from '../../helpers/factories.js';
import { makeRoleAccounts } from '../../helpers/backoffice.js';

/** An assert.rejects matcher: a GazetteError with this code, HTTP status and params or Chinese message. */
function gazette(code: ErrorCode, status: number, expected?: ErrorParams | string) {
  return (error: unknown): true => {
    assert.ok(error instanceof GazetteError, `expected GazetteError ${code}, got ${String(error)}`);
    assert.equal(error.code, code);
    assert.equal(error.status, status);
    if (typeof expected === 'string') assert.equal(error.messageIn('zh'), expected);
    else if (expected) assert.deepEqual(error.params, expected);
    return true;
  };
}

const actorOf = (user: UserView): Actor => ({ userId: user.id, userName: user.username, grants: user.roles, ip: null });
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = (CRC_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** A ZIP archive with stored (uncompressed) entries: local headers, central directory, end record. */
function zipOf(entries: readonly { name: string; data: Buffer }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name);
    const crc = crc32(entry.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0, 6); // flags
    local.writeUInt16LE(0, 8); // stored
    local.writeUInt16LE(0, 10); // time
    local.writeUInt16LE(0x5b81, 12); // date: 2025-12-01
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(entry.data.length, 18);
    local.writeUInt32LE(entry.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4); // made by
    central.writeUInt16LE(20, 6); // needed
    central.writeUInt16LE(0, 8);
    central.writeUInt16LE(0, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(0x5b81, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(entry.data.length, 20);
    central.writeUInt32LE(entry.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt16LE(0, 30); // extra
    central.writeUInt16LE(0, 32); // comment
    central.writeUInt16LE(0, 34); // disk
    central.writeUInt16LE(0, 36); // internal attributes
    central.writeUInt32LE(0, 38); // external attributes
    central.writeUInt32LE(offset, 42);
    const localPart = Buffer.concat([local, name, entry.data]);
    locals.push(localPart);
    centrals.push(Buffer.concat([central, name]));
    offset += localPart.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(0, 4);
  end.writeUInt16LE(0, 6);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(0, 20);
  return Buffer.concat([...locals, directory, end]);
}

const OFD_XML = Buffer.from(
  '<?xml version="1.0" encoding="UTF-8"?>\n<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.0" DocType="OFD">' +
    '<ofd:DocBody><ofd:DocInfo><ofd:DocID>0c9e5f1a</ofd:DocID></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>\n',
);
const DOCUMENT_XML = Buffer.from(
  '<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Document xmlns:ofd="http://www.ofdspec.org/2016"/>\n',
);

/** A small but real PDF: header, one catalog object, cross-reference table and trailer. */
function pdf(text: string): Buffer {
  return Buffer.from(
    `%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n` +
      `% ${text}\nxref\n0 3\n0000000000 65535 f \ntrailer\n<< /Size 3 /Root 1 0 R >>\nstartxref\n0\n%%EOF\n`,
  );
}

const solid = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: '#336699' } });

describe('media uploads (sqlite)', () => {
  let store: TestStore;
  let now = new Date('2025-12-01T01:00:00Z');
  const clock = { now: () => now };
  let ctx: ServiceContext;
  let mediaDir: string;
  let editor: Actor;
  let auditor: Actor;
  let security: Actor;

  const rows = async () => (await store.db.selectFrom('media').select('id').execute()).length;
  const files = (...parts: string[]) => fs.readdirSync(path.join(mediaDir, ...parts)).sort();
  /** Every file under the media folder, as relative paths. */
  const everyFile = () =>
    (fs.readdirSync(mediaDir, { recursive: true }) as string[])
      .filter((f) => fs.statSync(path.join(mediaDir, f)).isFile())
      .sort();

  before(async () => {
    mediaDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-media-test-'));
    store = await testStore();
    ctx = { ...contextFor(store), clock, mediaDir };
    await demoSite(ctx);
    const accounts = await makeRoleAccounts(ctx);
    editor = actorOf(accounts.editor);
    auditor = actorOf(accounts.auditor);
    security = actorOf(accounts.security);
  });
  after(async () => {
    await store?.dispose();
    fs.rmSync(mediaDir, { recursive: true, force: true });
  });

  test('a 2000×1000 PNG is stored with 480, 960 and 1600 px versions in PNG and WebP; the 960 one is inserted', async () => {
    const png = await solid(2000, 1000).png().toBuffer();
    const key = sha256(png).slice(0, 24);
    const view = await uploadMedia(ctx, editor, { filename: 'photo.png', data: png, alt: ' 蓝色方块 ' });
    const base = `/media/img/${key}`;
    assert.deepEqual(view, {
      id: view.id,
      kind: 'image',
      originalName: 'photo.png',
      mimeType: 'image/png',
      size: png.length,
      width: 2000,
      height: 1000,
      alt: '蓝色方块',
      url: `${base}/960.png`,
      variants: [
        { width: 480, url: `${base}/480.png` },
        { width: 960, url: `${base}/960.png` },
        { width: 1600, url: `${base}/1600.png` },
      ],
      createdAt: now.toISOString(),
      uploaderName: 'editor',
    });
    assert.deepEqual(files('img', key), [
      '1600.png',
      '1600.webp',
      '480.png',
      '480.webp',
      '960.png',
      '960.webp',
      'original.png',
    ]);
    for (const width of [480, 960, 1600]) {
      const png = await sharp(path.join(mediaDir, 'img', key, `${width}.png`)).metadata();
      assert.deepEqual([png.format, png.width, png.height], ['png', width, width / 2]);
      const webp = await sharp(path.join(mediaDir, 'img', key, `${width}.webp`)).metadata();
      assert.deepEqual([webp.format, webp.width, webp.height], ['webp', width, width / 2]);
    }
    const original = await sharp(path.join(mediaDir, 'img', key, 'original.png')).metadata();
    assert.deepEqual([original.format, original.width, original.height], ['png', 2000, 1000]);

    const entry = await store.db
      .selectFrom('auditLog')
      .selectAll()
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    assert.deepEqual(
      [entry.action, entry.userName, entry.targetType, entry.targetId, JSON.parse(entry.details) as unknown],
      [
        'media.upload',
        'editor',
        'media',
        String(view.id),
        { kind: 'image', name: 'photo.png', sha256: sha256(png), size: png.length },
      ],
    );
  });

  test('a small JPEG gets no web sizes: its URL is the original', async () => {
    const jpeg = await solid(300, 200).jpeg().toBuffer();
    const key = sha256(jpeg).slice(0, 24);
    const view = await uploadMedia(ctx, editor, { filename: 'Small Photo.JPG', data: jpeg, alt: '小图' });
    assert.deepEqual(
      [view.kind, view.mimeType, view.width, view.height, view.variants, view.url, view.originalName],
      ['image', 'image/jpeg', 300, 200, [], `/media/img/${key}/original.jpg`, 'Small Photo.jpg'],
    );
    assert.deepEqual(files('img', key), ['original.jpg']);
  });

  test('a 1000 px image gets 480 and 960 only (never enlarged); a .jpeg is stored as .jpg', async () => {
    const jpeg = await solid(1000, 500).jpeg().toBuffer();
    const key = sha256(jpeg).slice(0, 24);
    const view = await uploadMedia(ctx, editor, { filename: 'wide.jpeg', data: jpeg, alt: '宽图' });
    assert.deepEqual(
      view.variants.map((v) => v.width),
      [480, 960],
    );
    assert.equal(view.url, `/media/img/${key}/960.jpg`);
    assert.deepEqual(files('img', key), ['480.jpg', '480.webp', '960.jpg', '960.webp', 'original.jpg']);
  });

  test('a phone photo is turned upright and its EXIF dropped', async () => {
    const sideways = await solid(300, 200).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    assert.equal((await sharp(sideways).metadata()).orientation, 6);
    const key = sha256(sideways).slice(0, 24);
    const view = await uploadMedia(ctx, editor, { filename: 'phone.jpg', data: sideways, alt: '竖拍' });
    assert.deepEqual([view.width, view.height], [200, 300]);
    const stored = await sharp(path.join(mediaDir, 'img', key, 'original.jpg')).metadata();
    assert.deepEqual([stored.width, stored.height, stored.orientation, stored.exif], [200, 300, undefined, undefined]);
  });

  test('a GIF is kept as it is, without web sizes', async () => {
    const gif = await solid(1000, 10).gif().toBuffer();
    const key = sha256(gif).slice(0, 24);
    const view = await uploadMedia(ctx, editor, { filename: 'banner.gif', data: gif, alt: '横幅' });
    assert.deepEqual(
      [view.mimeType, view.width, view.variants, view.url],
      ['image/gif', 1000, [], `/media/img/${key}/original.gif`],
    );
  });

  test('images need alt text', async () => {
    const png = await solid(20, 20).png().toBuffer();
    const before = [await rows(), everyFile()];
    await assert.rejects(
      uploadMedia(ctx, editor, { filename: 'a.png', data: png }),
      gazette('MEDIA_ALT_REQUIRED', 400),
    );
    await assert.rejects(
      uploadMedia(ctx, editor, { filename: 'a.png', data: png, alt: ' \n ' }),
      gazette('MEDIA_ALT_REQUIRED', 400),
    );
    assert.deepEqual([await rows(), everyFile()], before, 'nothing stored');
  });

  test('the bytes must be what the extension says', async () => {
    const png = await solid(20, 20).png().toBuffer();
    const before = [await rows(), everyFile()];
    await assert.rejects(
      uploadMedia(ctx, editor, { filename: 'report.pdf', data: png }),
      gazette('MEDIA_TYPE_MISMATCH', 415, { actual: 'image/png', extension: 'pdf' }),
    );
    const html = Buffer.from('<!doctype html><html><body><script>alert(document.cookie)</script></body></html>');
    await assert.rejects(
      uploadMedia(ctx, editor, { filename: 'x.jpg', data: html, alt: '伪装' }),
      gazette('MEDIA_TYPE_MISMATCH', 415, { actual: 'unknown', extension: 'jpg' }),
    );
    await assert.rejects(
      uploadMedia(ctx, editor, { filename: 'x.png', data: await solid(20, 20).jpeg().toBuffer(), alt: '伪装' }),
      gazette('MEDIA_TYPE_MISMATCH', 415, { actual: 'image/jpeg', extension: 'png' }),
    );
    await assert.rejects(
      uploadMedia(ctx, editor, { filename: 'notes.docx', data: pdf('x') }),
      gazette('MEDIA_TYPE_MISMATCH', 415, { actual: 'application/pdf', extension: 'docx' }),
    );
    assert.deepEqual([await rows(), everyFile()], before, 'nothing stored');
  });

  test('a PDF named with folders and reserved characters is stored under a safe name', async () => {
    const data = pdf('通知');
    const key = sha256(data).slice(0, 24);
    const view = await uploadMedia(ctx, editor, { filename: '../../../etc/通知 <1>.pdf', data });
    assert.deepEqual(view, {
      id: view.id,
      kind: 'attachment',
      originalName: '通知 1.pdf',
      mimeType: 'application/pdf',
      size: data.length,
      width: null,
      height: null,
      alt: '',
      url: `/media/file/${key}/%E9%80%9A%E7%9F%A5%201.pdf`,
      variants: [],
      createdAt: now.toISOString(),
      uploaderName: 'editor',
    });
    assert.deepEqual(files('file', key), ['通知 1.pdf']);
    assert.deepEqual(fs.readFileSync(path.join(mediaDir, 'file', key, '通知 1.pdf')), data);
    const row = await store.db
      .selectFrom('media')
      .select('storageKey')
      .where('id', '=', view.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.storageKey, `file/${key}/通知 1.pdf`);
    // Backslash folders, control characters and a dotted stem are cleaned the same way.
    const other = await uploadMedia(ctx, editor, {
      filename: 'C:\\Users\\me\\..\\年报\t2024:终稿?.PDF',
      data: pdf('年报'),
    });
    assert.equal(other.originalName, '年报2024终稿.pdf');
    // Leading dots go (no hidden files); a name that was only an extension keeps it as its stem.
    const dots = await uploadMedia(ctx, editor, { filename: '<>.pdf', data: pdf('dots') });
    assert.equal(dots.originalName, 'file.pdf');
  });

  test('extensions that are not on the list are refused before anything else', async () => {
    const allowed = 'jpg, jpeg, png, webp, gif, pdf, doc, xls, docx, xlsx, ofd, zip';
    await assert.rejects(
      uploadMedia(ctx, editor, { filename: 'setup.exe', data: Buffer.from('MZ\x90\x00') }),
      gazette('MEDIA_TYPE_NOT_ALLOWED', 415, { extension: 'exe', allowed }),
    );
    await assert.rejects(
      uploadMedia(ctx, editor, { filename: 'README', data: Buffer.from('x') }),
      gazette('MEDIA_TYPE_NOT_ALLOWED', 415, { extension: '?', allowed }),
    );
    await assert.rejects(
      uploadMedia(ctx, editor, { filename: 'page.html', data: Buffer.from('<p>x</p>') }),
      gazette('MEDIA_TYPE_NOT_ALLOWED', 415, { extension: 'html', allowed }),
    );
    await assert.rejects(
      uploadMedia(ctx, editor, { filename: 'icon.svg', data: Buffer.from('<svg onload="alert(1)"/>'), alt: 'x' }),
      gazette('MEDIA_TYPE_NOT_ALLOWED', 415, { extension: 'svg', allowed }),
    );
  });

  test('an empty upload is MEDIA_NO_FILE', async () => {
    await assert.rejects(
      uploadMedia(ctx, editor, { filename: 'a.png', data: Buffer.alloc(0), alt: 'x' }),
      gazette('MEDIA_NO_FILE', 400),
    );
  });

  test('images over 10 MB and attachments over 50 MB (or cut off by the transport) are MEDIA_TOO_LARGE', async () => {
    assert.deepEqual(MEDIA_LIMITS, { imageBytes: 10 * 1024 * 1024, attachmentBytes: 50 * 1024 * 1024 });
    const big = Buffer.alloc(11 * 1024 * 1024, 1);
    await assert.rejects(
      uploadMedia(ctx, editor, { filename: 'huge.jpg', data: big, alt: '大图' }),
      gazette('MEDIA_TOO_LARGE', 413, '文件过大（图片最大 10 MB）'),
    );
    // The size is checked before the alt text.
    await assert.rejects(
      uploadMedia(ctx, editor, { filename: 'huge.png', data: big }),
      gazette('MEDIA_TOO_LARGE', 413),
    );
    await assert.rejects(
      uploadMedia(ctx, editor, { filename: 'cut.pdf', data: pdf('cut'), truncated: true }),
      gazette('MEDIA_TOO_LARGE', 413, '文件过大（附件最大 50 MB）'),
    );
    const image = await solid(10, 10).png().toBuffer();
    await assert.rejects(
      uploadMedia(ctx, editor, { filename: 'cut.png', data: image, alt: 'x', truncated: true }),
      gazette('MEDIA_TOO_LARGE', 413),
    );
  });

  test('an image whose header is broken is MEDIA_BAD_IMAGE', async () => {
    const png = await solid(40, 20).png().toBuffer();
    await assert.rejects(
      uploadMedia(ctx, editor, { filename: 'broken.png', data: png.subarray(0, 60), alt: '坏图' }),
      gazette('MEDIA_BAD_IMAGE', 400),
    );
  });

  test('regression: a truncated image whose header still reads failed with a raw sharp error (500), not MEDIA_BAD_IMAGE', async () => {
    // storeImage only wraps sharp().metadata() (which reads the header) in try/catch; the decode in
    // sharp().rotate().toBuffer() throws "pngload_buffer: libspng read error", which reaches the
    // API as a 500 INTERNAL instead of a 400 the editor can act on.
    const png = await sharp({
      create: {
        width: 400,
        height: 300,
        channels: 3,
        background: '#000000',
        noise: { type: 'gaussian', mean: 128, sigma: 40 },
      },
    })
      .png()
      .toBuffer();
    const cut = png.subarray(0, Math.floor(png.length / 2));
    assert.equal((await sharp(cut).metadata()).width, 400, 'the header of the cut file still reads');
    await assert.rejects(
      uploadMedia(ctx, editor, { filename: 'half.png', data: cut, alt: '半张图' }),
      gazette('MEDIA_BAD_IMAGE', 400),
    );
  });

  test('an OFD is a ZIP package with OFD.xml at its root', async () => {
    const ofd = zipOf([
      { name: 'OFD.xml', data: OFD_XML },
      { name: 'Doc_0/Document.xml', data: DOCUMENT_XML },
    ]);
    const view = await uploadMedia(ctx, editor, { filename: 'doc.ofd', data: ofd });
    assert.deepEqual(
      [view.kind, view.mimeType, view.originalName, view.size],
      ['attachment', 'application/ofd', 'doc.ofd', ofd.length],
    );
    assert.deepEqual(fs.readFileSync(path.join(mediaDir, 'file', sha256(ofd).slice(0, 24), 'doc.ofd')), ofd);

    const notOfd = zipOf([{ name: 'readme.txt', data: Buffer.from('hello') }]);
    await assert.rejects(
      uploadMedia(ctx, editor, { filename: 'doc.ofd', data: notOfd }),
      gazette('MEDIA_TYPE_MISMATCH', 415, { actual: 'application/zip', extension: 'ofd' }),
    );
    // OFD.xml in a folder is not at the root.
    const nested = zipOf([{ name: 'Doc_0/OFD.xml', data: OFD_XML }]);
    await assert.rejects(
      uploadMedia(ctx, editor, { filename: 'doc.ofd', data: nested }),
      gazette('MEDIA_TYPE_MISMATCH', 415),
    );
    // The same package as a plain .zip is a ZIP.
    const zip = await uploadMedia(ctx, editor, { filename: 'doc.zip', data: notOfd });
    assert.deepEqual([zip.kind, zip.mimeType, zip.originalName], ['attachment', 'application/zip', 'doc.zip']);
  });

  test('who may upload and list: not the auditor nor the security administrator', async () => {
    const png = await solid(20, 20).png().toBuffer();
    await assert.rejects(
      uploadMedia(ctx, auditor, { filename: 'a.png', data: png, alt: 'x' }),
      gazette('PERMISSION_DENIED', 403, { action: 'media.upload' }),
    );
    await assert.rejects(
      uploadMedia(ctx, security, { filename: 'a.png', data: png, alt: 'x' }),
      gazette('PERMISSION_DENIED', 403, { action: 'media.upload' }),
    );
    await assert.rejects(listMedia(ctx, auditor, {}), gazette('PERMISSION_DENIED', 403, { action: 'media.read' }));
    await assert.rejects(listMedia(ctx, security, {}), gazette('PERMISSION_DENIED', 403, { action: 'media.read' }));
    // Permission comes first: even an empty upload is refused as not allowed.
    await assert.rejects(
      uploadMedia(ctx, auditor, { filename: 'a.png', data: Buffer.alloc(0) }),
      gazette('PERMISSION_DENIED', 403),
    );
  });

  test('listMedia pages newest first and filters by kind', async () => {
    const start = await listMedia(ctx, editor, { pageSize: 100 });
    const names = ['first.pdf', 'second.pdf', 'third.pdf'];
    for (const name of names) {
      now = new Date(now.getTime() + 60_000);
      await uploadMedia(ctx, editor, { filename: name, data: pdf(name) });
    }
    const page1 = await listMedia(ctx, editor, { pageSize: 2 });
    assert.deepEqual(
      [page1.items.map((m) => m.originalName), page1.total, page1.page, page1.pageSize],
      [['third.pdf', 'second.pdf'], start.total + 3, 1, 2],
    );
    const page2 = await listMedia(ctx, editor, { page: 2, pageSize: 2 });
    assert.deepEqual(page2.items.map((m) => m.originalName)[0], 'first.pdf');
    const all = await listMedia(ctx, editor, { pageSize: 100 });
    assert.deepEqual(
      all.items.map((m) => m.id),
      [...all.items].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id - a.id).map((m) => m.id),
    );
    assert.equal(all.items.length, all.total);

    const images = await listMedia(ctx, editor, { kind: 'image', pageSize: 100 });
    const attachments = await listMedia(ctx, editor, { kind: 'attachment', pageSize: 100 });
    assert.ok(images.total > 0 && attachments.total > 0);
    assert.equal(images.total + attachments.total, all.total);
    assert.ok(images.items.every((m) => m.kind === 'image'));
    assert.ok(attachments.items.every((m) => m.kind === 'attachment'));
    // Out-of-range paging is clamped.
    const clamped = await listMedia(ctx, editor, { page: 0, pageSize: 1000 });
    assert.deepEqual([clamped.page, clamped.pageSize], [1, 100]);
  });
});
