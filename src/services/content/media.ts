import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import type sharpModule from 'sharp';
import { GazetteError } from '../../domain/index.js';
import { media, sites, type Database, type MediaRow } from '../../store/index.js';
import { requireAnywhere, type Actor } from '../actor.js';
import { appendAudit, recordAudit } from '../audit.js';
import type { ServiceContext } from '../context.js';
import { currentSite } from '../site.js';
import type { MediaView, Page } from '../views.js';
import { requireVirusFree } from './virus-scan.js';
import { zipHasEntry } from './zip.js';

/** What may be uploaded, by extension, and what the bytes must then turn out to be. */
const IMAGE_TYPES: Readonly<Record<string, string>> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
};
const ATTACHMENT_TYPES: Readonly<Record<string, { sniffed: string; mime: string }>> = {
  pdf: { sniffed: 'application/pdf', mime: 'application/pdf' },
  doc: { sniffed: 'application/x-cfb', mime: 'application/msword' },
  xls: { sniffed: 'application/x-cfb', mime: 'application/vnd.ms-excel' },
  docx: {
    sniffed: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  },
  xlsx: {
    sniffed: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  },
  // OFD (GB/T 33190, the national layout format) is a ZIP package with OFD.xml at its root.
  ofd: { sniffed: 'application/zip', mime: 'application/ofd' },
  zip: { sniffed: 'application/zip', mime: 'application/zip' },
};

export const MEDIA_LIMITS = { imageBytes: 10 * 1024 * 1024, attachmentBytes: 50 * 1024 * 1024 } as const;
/**
 * The most pixels an image may have, the frames of an animated GIF together (ASVS 12.1.2). The
 * largest photos a government site shows come from ~45 MP full-frame cameras (8192×5464); 50 MP
 * decodes to at most 200 MB (RGBA), where libvips' default of 268 MP lets a PNG of a few hundred
 * bytes claim over 1 GB per upload. Read from the header before any pixel is decoded, and given
 * to every decoder as sharp's limitInputPixels as well.
 */
export const MAX_IMAGE_PIXELS = 50_000_000;
const MB = 1024 * 1024;
// Two uploads of one user at once must not both fit in the quota's last free space (PostgreSQL).
const QUOTA_LOCK = 0x6d656469;
/** Web sizes made of every image (never enlarged); the editor inserts the 960 one. */
const WIDTHS = [480, 960, 1600] as const;
const INSERT_WIDTH = 960;

export interface Upload {
  readonly filename: string;
  readonly data: Buffer;
  readonly alt?: string | undefined;
  /** Set when the upload stream stopped at the transport's size limit. */
  readonly truncated?: boolean | undefined;
}

/** A download name that is safe on every system: no folders, no control or reserved characters. */
export function safeFileName(name: string, extension: string): string {
  const base = path.basename(name.replace(/\\/g, '/')).normalize('NFC');
  const stem = base
    .replace(/\.[^.]*$/, '')
    // eslint-disable-next-line no-control-regex -- control characters have no place in a file name
    .replace(/[\u0000-\u001f\u007f<>:"/\\|?*]+/g, '')
    .replace(/\s+/g, ' ')
    .replace(/^[.\s]+|[.\s]+$/g, '');
  const short = Array.from(stem).slice(0, 100).join('');
  return `${short || 'file'}.${extension}`;
}

function extensionOf(filename: string): string {
  const match = /\.([A-Za-z0-9]{1,8})$/.exec(filename.trim());
  return match?.[1]?.toLowerCase() ?? '';
}

// Image processing (libvips) and sniffing load with the first upload, not with the server.
async function loadSharp(): Promise<typeof sharpModule> {
  return (await import('sharp')).default;
}

async function sniff(data: Buffer): Promise<string> {
  const { fileTypeFromBuffer } = await import('file-type');
  return (await fileTypeFromBuffer(data))?.mime ?? 'unknown';
}

/**
 * Writes a file whole or not at all. A file that was not there before goes on `created`, so a
 * failed upload can take it away again (the same bytes uploaded earlier share its folder: those
 * files stay).
 */
async function writeAtomically(file: string, data: Buffer, created: string[]): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const existed = await fs.stat(file).then(
    () => true,
    () => false,
  );
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  await fs.writeFile(temp, data);
  await fs.rename(temp, file);
  if (!existed) created.push(file);
}

/** Takes away what a failed upload wrote, and its folder when that is left empty. */
async function removeCreated(created: readonly string[]): Promise<void> {
  await Promise.all(created.map((file) => fs.rm(file, { force: true })));
  const folders = new Set(created.map((file) => path.dirname(file)));
  await Promise.all([...folders].map((folder) => fs.rmdir(folder).catch(() => undefined)));
}

interface Stored {
  readonly kind: 'image' | 'attachment';
  readonly storageKey: string;
  readonly mimeType: string;
  readonly width: number | null;
  readonly height: number | null;
  readonly variants: { width: number; file: string }[];
}

function badImage(error: unknown): GazetteError {
  return new GazetteError('MEDIA_BAD_IMAGE', { reason: error instanceof Error ? error.message : String(error) });
}

/**
 * Refuses an image whose header declares more than MAX_IMAGE_PIXELS (a decompression bomb: a
 * small file that decodes to gigabytes), naming its size. MEDIA_BAD_IMAGE, not MEDIA_TOO_LARGE:
 * the file itself is small, so a 413 and "limit 10 MB" would tell the editor something untrue.
 */
async function requireSanePixels(data: Buffer, format: string): Promise<void> {
  const sharp = await loadSharp();
  // metadata() reads the header only; unlimited here so that the declared size can be named.
  const meta = await sharp(data, { limitInputPixels: false })
    .metadata()
    .catch((error: unknown) => {
      throw badImage(error);
    });
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  const frames = format === 'gif' ? (meta.pages ?? 1) : 1;
  if (width * height * frames <= MAX_IMAGE_PIXELS) return;
  const size = `${width}×${height}`;
  throw new GazetteError('MEDIA_BAD_IMAGE', {
    reason: {
      zh: `图片为 ${size} 像素${frames > 1 ? `、${frames} 帧` : ''}，超过 ${MAX_IMAGE_PIXELS / 10_000} 万像素的上限`,
      en: `it is ${size} pixels${frames > 1 ? ` in ${frames} frames` : ''}, over the limit of ${MAX_IMAGE_PIXELS / 1_000_000} megapixels`,
    },
  });
}

/** Every encoding of an image, made in memory before anything is written. */
async function encodeImage(data: Buffer, format: string) {
  const sharp = await loadSharp();
  const decode = (animated = false) => sharp(data, { animated, limitInputPixels: MAX_IMAGE_PIXELS });
  const meta = await decode().metadata();
  // Re-encoding drops EXIF (GPS positions of a phone photo) and turns the image upright.
  const original = await decode(format === 'gif')
    .rotate()
    .toBuffer();
  const width = meta.autoOrient?.width ?? meta.width ?? null;
  const height = meta.autoOrient?.height ?? meta.height ?? null;
  const sizes: { width: number; own: Buffer; webp: Buffer }[] = [];
  if (format !== 'gif' && width) {
    for (const target of WIDTHS.filter((w) => w < width)) {
      const resized = decode().rotate().resize({ width: target, withoutEnlargement: true });
      sizes.push({
        width: target,
        own: await resized.clone().toBuffer(),
        webp: await resized.clone().webp({ quality: 80 }).toBuffer(),
      });
    }
  }
  return { original, width, height, sizes };
}

async function storeImage(
  ctx: ServiceContext,
  upload: Upload,
  { extension, sha }: Checked,
  created: string[],
): Promise<Stored> {
  const mimeType = IMAGE_TYPES[extension] ?? 'unknown';
  const actual = await sniff(upload.data);
  if (actual !== mimeType) throw new GazetteError('MEDIA_TYPE_MISMATCH', { actual, extension });
  const folder = `img/${sha.slice(0, 24)}`;
  const dir = path.join(ctx.mediaDir, folder);
  const format = extension === 'jpeg' ? 'jpg' : extension;
  await requireSanePixels(upload.data, format);
  let encoded: {
    original: Buffer;
    width: number | null;
    height: number | null;
    sizes: { width: number; own: Buffer; webp: Buffer }[];
  };
  try {
    encoded = await encodeImage(upload.data, format);
  } catch (error) {
    // A header that reads but a body that does not (a cut-off upload) fails here, not later.
    throw badImage(error);
  }
  await writeAtomically(path.join(dir, `original.${format}`), encoded.original, created);
  const variants: { width: number; file: string }[] = [];
  for (const size of encoded.sizes) {
    await writeAtomically(path.join(dir, `${size.width}.${format}`), size.own, created);
    await writeAtomically(path.join(dir, `${size.width}.webp`), size.webp, created);
    variants.push({ width: size.width, file: `${size.width}.${format}` });
  }
  const { width, height } = encoded;
  return { kind: 'image', storageKey: `${folder}/original.${format}`, mimeType, width, height, variants };
}

async function storeAttachment(
  ctx: ServiceContext,
  upload: Upload,
  { extension, sha }: Checked,
  created: string[],
): Promise<Stored> {
  const { mime } = await checkDocument(extension, upload.data, allowedList());
  const name = safeFileName(upload.filename, extension);
  const storageKey = `file/${sha.slice(0, 24)}/${name}`;
  await writeAtomically(path.join(ctx.mediaDir, storageKey), upload.data, created);
  return { kind: 'attachment', storageKey, mimeType: mime, width: null, height: null, variants: [] };
}

/**
 * A document (PDF, Word, Excel, OFD, ZIP) whose bytes are what its extension says: 415 when the
 * extension is not a document's, or when the bytes turn out to be something else.
 */
async function checkDocument(extension: string, data: Buffer, allowed: string): Promise<{ mime: string }> {
  const type = ATTACHMENT_TYPES[extension];
  if (!type) throw new GazetteError('MEDIA_TYPE_NOT_ALLOWED', { extension, allowed });
  const actual = await sniff(data);
  const matches = actual === type.sniffed && (extension !== 'ofd' || zipHasEntry(data, 'OFD.xml'));
  if (!matches) throw new GazetteError('MEDIA_TYPE_MISMATCH', { actual, extension });
  return { mime: type.mime };
}

/** A document to keep outside the media library (a reply to a request): checked like an upload, named safely. */
export async function sniffedDocument(
  filename: string,
  data: Buffer,
): Promise<{ fileName: string; mimeType: string; extension: string }> {
  const extension = extensionOf(filename);
  const { mime } = await checkDocument(extension, data, Object.keys(ATTACHMENT_TYPES).join(', '));
  return { fileName: safeFileName(filename, extension), mimeType: mime, extension };
}

/**
 * A document kept in the store beside its case (a request's reply, a draft's attachment): within
 * its size (413), not empty, its bytes what its name says (415), free of viruses; ready to store
 * with its safe name, type, size, checksum and base64 content.
 */
export async function keptDocument(
  ctx: ServiceContext,
  upload: { readonly filename: string; readonly data: Buffer; readonly truncated?: boolean | undefined },
  maxBytes: number,
  kind: { readonly zh: string; readonly en: string },
): Promise<{ fileName: string; mimeType: string; size: number; sha256: string; content: string }> {
  if (upload.truncated || upload.data.length > maxBytes)
    throw new GazetteError('MEDIA_TOO_LARGE', { kind, max: maxBytes / 1024 / 1024 });
  if (upload.data.length === 0) throw new GazetteError('MEDIA_NO_FILE');
  const checked = await sniffedDocument(upload.filename, upload.data);
  // Downloaded by the public or the applicant: checked for viruses like every upload.
  await requireVirusFree(ctx.virusScanner, upload.data);
  return {
    fileName: checked.fileName,
    mimeType: checked.mimeType,
    size: upload.data.length,
    sha256: createHash('sha256').update(upload.data).digest('hex'),
    content: upload.data.toString('base64'),
  };
}

/** Photos a letter may carry besides documents (a writer's picture of the pothole, a scanned form). */
const LETTER_IMAGE_TYPES: Readonly<Record<string, string>> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
};

/**
 * A letter's file (the writer's or the reply's): a document as sniffedDocument takes it, or a
 * JPEG/PNG photo whose bytes are one; 415 otherwise. Kept as sent (no re-encoding).
 */
export async function sniffedLetterFile(
  filename: string,
  data: Buffer,
): Promise<{ fileName: string; mimeType: string; extension: string }> {
  const extension = extensionOf(filename);
  const image = LETTER_IMAGE_TYPES[extension];
  if (image === undefined) {
    if (!(extension in ATTACHMENT_TYPES))
      throw new GazetteError('MEDIA_TYPE_NOT_ALLOWED', {
        extension: extension || '?',
        allowed: [...Object.keys(ATTACHMENT_TYPES), ...Object.keys(LETTER_IMAGE_TYPES)].join(', '),
      });
    return sniffedDocument(filename, data);
  }
  const actual = await sniff(data);
  if (actual !== image) throw new GazetteError('MEDIA_TYPE_MISMATCH', { actual, extension });
  return { fileName: safeFileName(filename, extension), mimeType: image, extension };
}

function allowedList(): string {
  return [...Object.keys(IMAGE_TYPES), ...Object.keys(ATTACHMENT_TYPES)].join(', ');
}

/** Where a stored file is served: `/media/` and its storage key, each step URL-encoded. */
export function mediaUrl(storageKey: string): string {
  return `/media/${storageKey.split('/').map(encodeURIComponent).join('/')}`;
}

export function mediaView(row: MediaRow): MediaView {
  const variants = (JSON.parse(row.variants) as { width: number; file: string }[]).map((v) => ({
    width: v.width,
    url: mediaUrl(`${path.posix.dirname(row.storageKey)}/${v.file}`),
  }));
  // Images no wider than the insert width go in as they are; wider ones as their 960 size.
  const inserted =
    row.width !== null && row.width > INSERT_WIDTH ? variants.find((v) => v.width === INSERT_WIDTH) : undefined;
  return {
    id: row.id,
    kind: row.kind === 'image' ? 'image' : 'attachment',
    originalName: row.originalName,
    mimeType: row.mimeType,
    size: row.size,
    width: row.width,
    height: row.height,
    alt: row.alt,
    url: inserted?.url ?? mediaUrl(row.storageKey),
    variants,
    createdAt: row.createdAt,
    uploaderName: row.uploaderName,
  };
}

/** What the first checks learned of an upload. */
interface Checked {
  readonly extension: string;
  readonly isImage: boolean;
  readonly alt: string;
  readonly sha: string;
}

/** The checks that need no decoding: a file, an allowed extension, its size, alt text for images. */
function checkUpload(upload: Upload): Checked {
  if (upload.data.length === 0) throw new GazetteError('MEDIA_NO_FILE');
  const extension = extensionOf(upload.filename);
  const isImage = extension in IMAGE_TYPES;
  if (!isImage && !(extension in ATTACHMENT_TYPES))
    throw new GazetteError('MEDIA_TYPE_NOT_ALLOWED', { extension: extension || '?', allowed: allowedList() });
  const limit = isImage ? MEDIA_LIMITS.imageBytes : MEDIA_LIMITS.attachmentBytes;
  if (upload.truncated || upload.data.length > limit) {
    throw new GazetteError('MEDIA_TOO_LARGE', {
      kind: isImage ? { zh: '图片', en: 'image' } : { zh: '附件', en: 'attachment' },
      max: limit / MB,
    });
  }
  const alt = upload.alt?.trim() ?? '';
  if (isImage && !alt) throw new GazetteError('MEDIA_ALT_REQUIRED');
  return { extension, isImage, alt, sha: createHash('sha256').update(upload.data).digest('hex') };
}

/** 1536 → "1.5 KB": binary units, as the upload limits are given. */
function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const [value, unit] =
    bytes < MB ? [bytes / 1024, 'KB'] : bytes < 1024 * MB ? [bytes / MB, 'MB'] : [bytes / MB / 1024, 'GB'];
  return `${Number(value.toFixed(1))} ${unit}`;
}

/**
 * ASVS 12.1.3: refuses an upload that would take its uploader past the site's quota (all they
 * uploaded there, as sent). Gazette's own actors (importer, console) upload for no account.
 */
async function requireQuota(db: Kysely<Database>, siteId: number, actor: Actor, size: number): Promise<void> {
  if (actor.userId === null) return;
  const [used, quotaMb] = await Promise.all([
    media.uploadedBytes(db, siteId, actor.userId),
    sites.findMediaQuotaMb(db, siteId),
  ]);
  if (used + size <= quotaMb * MB) return;
  throw new GazetteError('MEDIA_QUOTA_EXCEEDED', {
    used: sizeText(used),
    size: sizeText(size),
    quota: sizeText(quotaMb * MB),
  });
}

/**
 * ASVS 12.4.2: the built-in check, then the configured scanner (clamd), before anything is
 * decoded or written. A refusal is audited with what was found; a scanner that cannot answer
 * throws MEDIA_SCAN_UNAVAILABLE (the upload fails closed).
 */
async function requireClean(ctx: ServiceContext, actor: Actor, upload: Upload, checked: Checked): Promise<void> {
  await requireVirusFree(ctx.virusScanner, upload.data, (scanner, signature) =>
    recordAudit(ctx, actor, {
      action: 'media.infected',
      targetType: 'media',
      details: {
        name: safeFileName(upload.filename, checked.extension),
        size: upload.data.length,
        sha256: checked.sha,
        scanner: scanner.name,
        signature,
      },
    }),
  );
}

/** The media row and its audit entry, in one transaction that checks the quota again under a lock. */
async function recordUpload(
  ctx: ServiceContext,
  actor: Actor,
  siteId: number,
  upload: Upload,
  { checked, stored }: { checked: Checked; stored: Stored },
): Promise<MediaRow> {
  const now = ctx.clock.now();
  return ctx.store.db.transaction().execute(async (trx) => {
    if (ctx.store.dialect === 'postgres' && actor.userId !== null)
      await sql`select pg_advisory_xact_lock(${QUOTA_LOCK}::int, ${actor.userId}::int)`.execute(trx);
    await requireQuota(trx, siteId, actor, upload.data.length);
    const inserted = await media.insertMedia(trx, {
      siteId,
      kind: stored.kind,
      storageKey: stored.storageKey,
      originalName: safeFileName(upload.filename, checked.extension),
      mimeType: stored.mimeType,
      size: upload.data.length,
      width: stored.width,
      height: stored.height,
      alt: checked.alt,
      variants: JSON.stringify(stored.variants),
      sha256: checked.sha,
      uploadedBy: actor.userId,
      uploaderName: actor.userName,
      createdAt: now.toISOString(),
    });
    await appendAudit(trx, ctx.store.dialect, now, actor, {
      action: 'media.upload',
      targetType: 'media',
      targetId: inserted.id,
      details: { name: inserted.originalName, kind: inserted.kind, size: inserted.size, sha256: checked.sha },
    });
    return inserted;
  });
}

/**
 * Takes an uploaded file: the extension must be allowed and the bytes must be what the extension
 * says (sniffed, never trusted); it must fit the uploader's quota and pass the virus check; images
 * need alt text, must not claim more than MAX_IMAGE_PIXELS and are stored in web sizes. A refused
 * upload leaves the store and the media folder as they were.
 */
export async function uploadMedia(ctx: ServiceContext, actor: Actor, upload: Upload): Promise<MediaView> {
  const { site, tree } = await currentSite(ctx.store.db, ctx.siteId);
  requireAnywhere(actor, 'media.upload', tree);
  const checked = checkUpload(upload);
  await requireQuota(ctx.store.db, site.id, actor, upload.data.length);
  await requireClean(ctx, actor, upload, checked);
  const created: string[] = [];
  try {
    const stored = checked.isImage
      ? await storeImage(ctx, upload, checked, created)
      : await storeAttachment(ctx, upload, checked, created);
    return mediaView(await recordUpload(ctx, actor, site.id, upload, { checked, stored }));
  } catch (error) {
    await removeCreated(created);
    throw error;
  }
}

/**
 * An image kept as it was sent, never decoded: an SVG (text) or an ICO (several sizes in one),
 * which the site's look takes after checking the bytes itself (src/services/platform/look-images.ts).
 * Alt text, quota, virus check and audit as for every upload.
 */
export async function uploadKeptImage(
  ctx: ServiceContext,
  actor: Actor,
  upload: Upload,
  type: { readonly extension: 'svg' | 'ico'; readonly mimeType: string },
): Promise<MediaView> {
  const { site, tree } = await currentSite(ctx.store.db, ctx.siteId);
  requireAnywhere(actor, 'media.upload', tree);
  if (upload.data.length === 0) throw new GazetteError('MEDIA_NO_FILE');
  const alt = upload.alt?.trim() ?? '';
  if (!alt) throw new GazetteError('MEDIA_ALT_REQUIRED');
  const sha = createHash('sha256').update(upload.data).digest('hex');
  const checked: Checked = { extension: type.extension, isImage: true, alt, sha };
  await requireQuota(ctx.store.db, site.id, actor, upload.data.length);
  await requireClean(ctx, actor, upload, checked);
  const storageKey = `img/${sha.slice(0, 24)}/original.${type.extension}`;
  const stored: Stored = {
    kind: 'image',
    storageKey,
    mimeType: type.mimeType,
    width: null,
    height: null,
    variants: [],
  };
  const created: string[] = [];
  try {
    await writeAtomically(path.join(ctx.mediaDir, storageKey), upload.data, created);
    return mediaView(await recordUpload(ctx, actor, site.id, upload, { checked, stored }));
  } catch (error) {
    await removeCreated(created);
    throw error;
  }
}

export async function listMedia(
  ctx: ServiceContext,
  actor: Actor,
  query: { kind?: 'image' | 'attachment' | undefined; page?: number | undefined; pageSize?: number | undefined },
): Promise<Page<MediaView>> {
  const { site, tree } = await currentSite(ctx.store.db, ctx.siteId);
  requireAnywhere(actor, 'media.read', tree);
  const page = Math.max(1, query.page ?? 1);
  const pageSize = Math.min(100, Math.max(1, query.pageSize ?? 30));
  const { rows, total } = await media.listMedia(ctx.store.db, site.id, query.kind, {
    limit: pageSize,
    offset: (page - 1) * pageSize,
  });
  return { items: rows.map(mediaView), total, page, pageSize };
}
