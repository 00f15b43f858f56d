import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import zlib from 'node:zlib';
import sharp from 'sharp';
import { GazetteError, type ErrorCode, type ErrorParams } from '../../../src/domain/index.js';
import {
  MAX_IMAGE_PIXELS,
  MAX_ZIP_ENTRIES,
  MEDIA_LIMITS,
  listMedia,
  uploadMedia,
  zipHasEntry,
  type Actor,
  type ServiceContext,
  type UserView,
} from '../../../src/services/index.js';
import { contextFor, testStore, type TestStore } from '../../helpers/store.js';
import { demoSite } from '../../helpers/factories.js';
import { makeRoleAccounts } from '../../helpers/backoffice.js';
import { gifDeclaring, pngDeclaring } from '../../helpers/uploads.js';

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

/** The ZIP with its end record claiming another entry count, directory size or directory offset. */
function claiming(zip: Buffer, claim: { entries?: number; size?: number; offset?: number }): Buffer {
  const out = Buffer.from(zip);
  const end = out.length - 22;
  if (claim.entries !== undefined) {
    out.writeUInt16LE(claim.entries, end + 8);
    out.writeUInt16LE(claim.entries, end + 10);
  }
  if (claim.size !== undefined) out.writeUInt32LE(claim.size, end + 12);
  if (claim.offset !== undefined) out.writeUInt32LE(claim.offset, end + 16);
  return out;
}

/** The ZIP as ZIP64: its end record saturated, and a ZIP64 end record (with its locator) claiming `entries`. */
function asZip64(zip: Buffer, entries: bigint): Buffer {
  const endAt = zip.length - 22;
  const record = Buffer.alloc(56);
  record.writeUInt32LE(0x06064b50, 0);
  record.writeBigUInt64LE(44n, 4); // the size of the rest of the record
  record.writeUInt16LE(45, 12); // made by
  record.writeUInt16LE(45, 14); // needed
  record.writeBigUInt64LE(entries, 24);
  record.writeBigUInt64LE(entries, 32);
  record.writeBigUInt64LE(BigInt(zip.readUInt32LE(endAt + 12)), 40);
  record.writeBigUInt64LE(BigInt(zip.readUInt32LE(endAt + 16)), 48);
  const locator = Buffer.alloc(20);
  locator.writeUInt32LE(0x07064b50, 0);
  locator.writeBigUInt64LE(BigInt(endAt), 8);
  locator.writeUInt32LE(1, 16); // disks
  const end = claiming(zip.subarray(endAt), { entries: 0xffff, size: 0xffffffff, offset: 0xffffffff });
  return Buffer.concat([zip.subarray(0, endAt), record, locator, end]);
}

/** The ZIP's entries marked deflated and claiming 4 GiB each when expanded (local and central headers). */
function claimingHugeEntries(zip: Buffer): Buffer {
  const out = Buffer.from(zip);
  for (let at = out.indexOf('PK\x03\x04', 0, 'latin1'); at >= 0; at = out.indexOf('PK\x03\x04', at + 4, 'latin1')) {
    out.writeUInt16LE(8, at + 8);
    out.writeUInt32LE(0xffffffff, at + 22);
  }
  for (let at = out.indexOf('PK\x01\x02', 0, 'latin1'); at >= 0; at = out.indexOf('PK\x01\x02', at + 4, 'latin1')) {
    out.writeUInt16LE(8, at + 10);
    out.writeUInt32LE(0xffffffff, at + 24);
  }
  return out;
}

/** Only a central directory naming these entries (no file data) and its end record. */
function directoryOf(names: readonly string[]): Buffer {
  const records = names.map((name) => {
    const record = Buffer.alloc(46);
    record.writeUInt32LE(0x02014b50, 0);
    record.writeUInt16LE(Buffer.byteLength(name), 28);
    return Buffer.concat([record, Buffer.from(name)]);
  });
  const directory = Buffer.concat(records);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Math.min(names.length, 0xffff), 8);
  end.writeUInt16LE(Math.min(names.length, 0xffff), 10);
  end.writeUInt32LE(directory.length, 12);
  return Buffer.concat([directory, end]);
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

  test('12.1.2: a PNG declaring 50000×50000 pixels is refused from its header, naming its size; nothing is stored', async () => {
    assert.equal(MAX_IMAGE_PIXELS, 50_000_000);
    const bomb = pngDeclaring(50_000, 50_000);
    assert.ok(bomb.length < 200, `${bomb.length} bytes that would decode to 7.5 GB`);
    assert.deepEqual(
      await sharp(bomb, { limitInputPixels: false })
        .metadata()
        .then((m) => [m.format, m.width, m.height]),
      ['png', 50_000, 50_000],
      'a well-formed header',
    );
    const before = [await rows(), everyFile()];
    const started = performance.now();
    const error = await uploadMedia(ctx, editor, { filename: 'bomb.png', data: bomb, alt: '炸弹' }).then(
      () => assert.fail('the bomb was taken'),
      (thrown: unknown) => thrown,
    );
    // Refused from the header: decoding 2.5 gigapixels would take seconds and gigabytes.
    assert.ok(performance.now() - started < 1000, `took ${Math.round(performance.now() - started)} ms`);
    gazette('MEDIA_BAD_IMAGE', 400, {
      reason: {
        zh: '图片为 50000×50000 像素，超过 5000 万像素的上限',
        en: 'it is 50000×50000 pixels, over the limit of 50 megapixels',
      },
    })(error);
    assert.equal(
      (error as GazetteError).messageIn('zh'),
      '图片无法读取：图片为 50000×50000 像素，超过 5000 万像素的上限',
    );
    assert.equal(
      (error as GazetteError).messageIn('en'),
      'The image cannot be read: it is 50000×50000 pixels, over the limit of 50 megapixels',
    );
    // The frames of an animated GIF count together: three of 25 megapixels are 75.
    await assert.rejects(
      uploadMedia(ctx, editor, { filename: 'frames.gif', data: gifDeclaring(5000, 5000, 3), alt: '动图' }),
      gazette('MEDIA_BAD_IMAGE', 400, {
        reason: {
          zh: '图片为 5000×5000 像素、3 帧，超过 5000 万像素的上限',
          en: 'it is 5000×5000 pixels in 3 frames, over the limit of 50 megapixels',
        },
      }),
    );
    assert.deepEqual([await rows(), everyFile()], before, 'no media row, no file');
  });

  test('12.1.2: ZIP packages are checked in bounded time whatever they claim, and stored as sent, never expanded', async () => {
    const readme = zipOf([{ name: 'readme.txt', data: Buffer.from('hello') }]);
    const ofd = zipOf([
      { name: 'OFD.xml', data: OFD_XML },
      { name: 'Doc_0/Document.xml', data: DOCUMENT_XML },
    ]);
    const notOfd = gazette('MEDIA_TYPE_MISMATCH', 415, { actual: 'application/zip', extension: 'ofd' });
    const timed = async <T>(work: () => Promise<T>): Promise<T> => {
      const started = performance.now();
      try {
        return await work();
      } finally {
        const took = performance.now() - started;
        assert.ok(took < 2000, `took ${Math.round(took)} ms`);
      }
    };
    const before = [await rows(), everyFile()];
    // 65,535 entries claimed, one there: the walk ends where the directory's bytes end.
    await timed(() =>
      assert.rejects(
        uploadMedia(ctx, editor, { filename: 'a.ofd', data: claiming(readme, { entries: 0xffff }) }),
        notOfd,
      ),
    );
    // A directory claimed to be 4 GiB long, or to start past the end of the file, is not read at all.
    for (const claim of [{ size: 0xfffffff0 }, { offset: 0x7ffffff0 }]) {
      await timed(() =>
        assert.rejects(uploadMedia(ctx, editor, { filename: 'b.ofd', data: claiming(ofd, claim) }), notOfd),
      );
    }
    // The directory is read, not searched: a ZIP holding an OFD (its records inside the data) is not one.
    await timed(() =>
      assert.rejects(
        uploadMedia(ctx, editor, { filename: 'nested.ofd', data: zipOf([{ name: 'inner.ofd', data: ofd }]) }),
        notOfd,
      ),
    );
    // ZIP64 claiming 2^62 entries: believed up to MAX_ZIP_ENTRIES records, inside the directory's bytes.
    await timed(() =>
      assert.rejects(uploadMedia(ctx, editor, { filename: 'c.ofd', data: asZip64(readme, 2n ** 62n) }), notOfd),
    );
    assert.deepEqual([await rows(), everyFile()], before, 'nothing stored');

    // The same claims on a real OFD still find its OFD.xml (the first record).
    for (const [filename, data] of [
      ['claims.ofd', claiming(ofd, { entries: 0xffff })],
      ['zip64.ofd', asZip64(ofd, 2n ** 62n)],
    ] as const) {
      const view = await timed(() => uploadMedia(ctx, editor, { filename, data }));
      assert.deepEqual([view.mimeType, view.size], ['application/ofd', data.length]);
    }

    // A deflated entry whose headers claim 4 GiB (64 MiB of zeros in 64 KiB) is stored byte for byte as sent.
    const zeros = zlib.deflateRawSync(Buffer.alloc(64 * 1024 * 1024));
    const bomb = claimingHugeEntries(zipOf([{ name: 'zeros.bin', data: zeros }]));
    assert.ok(bomb.length < 100 * 1024, `${bomb.length} bytes`);
    const stored = await timed(() => uploadMedia(ctx, editor, { filename: 'bomb.zip', data: bomb }));
    assert.deepEqual(
      [stored.kind, stored.mimeType, stored.size, stored.originalName],
      ['attachment', 'application/zip', bomb.length, 'bomb.zip'],
    );
    assert.deepEqual(files('file', sha256(bomb).slice(0, 24)), ['bomb.zip']);
    assert.deepEqual(fs.readFileSync(path.join(mediaDir, 'file', sha256(bomb).slice(0, 24), 'bomb.zip')), bomb);
    // The sniffer (file-type) inflates at most 1 MiB of the one entry a DOCX is told by: the bomb is just a ZIP.
    const docx = claimingHugeEntries(zipOf([{ name: '[Content_Types].xml', data: zeros }]));
    await timed(() =>
      assert.rejects(
        uploadMedia(ctx, editor, { filename: 'bomb.docx', data: docx }),
        gazette('MEDIA_TYPE_MISMATCH', 415, { actual: 'application/zip', extension: 'docx' }),
      ),
    );
  });

  test('12.1.2: the central-directory walk reads at most MAX_ZIP_ENTRIES records', () => {
    assert.equal(MAX_ZIP_ENTRIES, 65_535);
    const names = Array.from({ length: MAX_ZIP_ENTRIES }, (_, i) => `page_${i}.xml`);
    const last = directoryOf([...names.slice(1), 'OFD.xml']);
    const beyond = directoryOf([...names, 'OFD.xml']);
    assert.equal(zipHasEntry(asZip64(last, BigInt(MAX_ZIP_ENTRIES)), 'OFD.xml'), true, 'the 65,535th record is read');
    assert.equal(zipHasEntry(asZip64(beyond, BigInt(MAX_ZIP_ENTRIES + 1)), 'OFD.xml'), false, 'the 65,536th is not');
    // A record that overruns the directory's bytes, or a directory that is not one, ends the walk.
    const single = directoryOf(['OFD.xml']);
    assert.equal(zipHasEntry(single, 'OFD.xml'), true);
    assert.equal(zipHasEntry(claiming(single, { size: 50 }), 'OFD.xml'), false, 'its name overruns the directory');
    assert.equal(zipHasEntry(Buffer.from('PK\x05\x06'), 'OFD.xml'), false);
    assert.equal(zipHasEntry(Buffer.alloc(0), 'OFD.xml'), false);
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
