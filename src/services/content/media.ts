import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type sharpModule from 'sharp';
import { GazetteError } from '../../domain/index.js';
import { media, type MediaRow } from '../../store/index.js';
import { requireAnywhere, type Actor } from '../actor.js';
import { appendAudit } from '../audit.js';
import type { ServiceContext } from '../context.js';
import { currentSite } from '../site.js';
import type { MediaView, Page } from '../views.js';

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

/** True when a ZIP's central directory names OFD.xml (an OFD package). */
function zipHasEntry(data: Buffer, name: string): boolean {
  const needle = Buffer.from(name);
  let at = data.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  while (at >= 0 && at + 46 <= data.length) {
    const nameLength = data.readUInt16LE(at + 28);
    if (data.subarray(at + 46, at + 46 + nameLength).equals(needle)) return true;
    at = data.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), at + 46);
  }
  return false;
}

// Image processing (libvips) and sniffing load with the first upload, not with the server.
async function loadSharp(): Promise<typeof sharpModule> {
  return (await import('sharp')).default;
}

async function sniff(data: Buffer): Promise<string> {
  const { fileTypeFromBuffer } = await import('file-type');
  return (await fileTypeFromBuffer(data))?.mime ?? 'unknown';
}

async function writeAtomically(file: string, data: Buffer): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  await fs.writeFile(temp, data);
  await fs.rename(temp, file);
}

interface Stored {
  readonly kind: 'image' | 'attachment';
  readonly storageKey: string;
  readonly mimeType: string;
  readonly width: number | null;
  readonly height: number | null;
  readonly variants: { width: number; file: string }[];
}

/** Every encoding of an image, made in memory before anything is written. */
async function encodeImage(data: Buffer, format: string) {
  const sharp = await loadSharp();
  const meta = await sharp(data).metadata();
  // Re-encoding drops EXIF (GPS positions of a phone photo) and turns the image upright.
  const original = await sharp(data, { animated: format === 'gif' })
    .rotate()
    .toBuffer();
  const width = meta.autoOrient?.width ?? meta.width ?? null;
  const height = meta.autoOrient?.height ?? meta.height ?? null;
  const sizes: { width: number; own: Buffer; webp: Buffer }[] = [];
  if (format !== 'gif' && width) {
    for (const target of WIDTHS.filter((w) => w < width)) {
      const resized = sharp(data).rotate().resize({ width: target, withoutEnlargement: true });
      sizes.push({
        width: target,
        own: await resized.clone().toBuffer(),
        webp: await resized.clone().webp({ quality: 80 }).toBuffer(),
      });
    }
  }
  return { original, width, height, sizes };
}

async function storeImage(ctx: ServiceContext, upload: Upload, extension: string, sha: string): Promise<Stored> {
  const mimeType = IMAGE_TYPES[extension] ?? 'unknown';
  const actual = await sniff(upload.data);
  if (actual !== mimeType) throw new GazetteError('MEDIA_TYPE_MISMATCH', { actual, extension });
  const folder = `img/${sha.slice(0, 24)}`;
  const dir = path.join(ctx.mediaDir, folder);
  const format = extension === 'jpeg' ? 'jpg' : extension;
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
    throw new GazetteError('MEDIA_BAD_IMAGE', { reason: error instanceof Error ? error.message : String(error) });
  }
  await writeAtomically(path.join(dir, `original.${format}`), encoded.original);
  const variants: { width: number; file: string }[] = [];
  for (const size of encoded.sizes) {
    await writeAtomically(path.join(dir, `${size.width}.${format}`), size.own);
    await writeAtomically(path.join(dir, `${size.width}.webp`), size.webp);
    variants.push({ width: size.width, file: `${size.width}.${format}` });
  }
  const { width, height } = encoded;
  return { kind: 'image', storageKey: `${folder}/original.${format}`, mimeType, width, height, variants };
}

async function storeAttachment(ctx: ServiceContext, upload: Upload, extension: string, sha: string): Promise<Stored> {
  const type = ATTACHMENT_TYPES[extension];
  if (!type) throw new GazetteError('MEDIA_TYPE_NOT_ALLOWED', { extension, allowed: allowedList() });
  const actual = await sniff(upload.data);
  const matches = actual === type.sniffed && (extension !== 'ofd' || zipHasEntry(upload.data, 'OFD.xml'));
  if (!matches) throw new GazetteError('MEDIA_TYPE_MISMATCH', { actual, extension });
  const name = safeFileName(upload.filename, extension);
  const storageKey = `file/${sha.slice(0, 24)}/${name}`;
  await writeAtomically(path.join(ctx.mediaDir, storageKey), upload.data);
  return { kind: 'attachment', storageKey, mimeType: type.mime, width: null, height: null, variants: [] };
}

function allowedList(): string {
  return [...Object.keys(IMAGE_TYPES), ...Object.keys(ATTACHMENT_TYPES)].join(', ');
}

function mediaUrl(storageKey: string): string {
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

/**
 * Takes an uploaded file: the extension must be allowed and the bytes must be what the extension
 * says (sniffed, never trusted); images need alt text and are stored in web sizes.
 */
export async function uploadMedia(ctx: ServiceContext, actor: Actor, upload: Upload): Promise<MediaView> {
  const { site, tree } = await currentSite(ctx.store.db, ctx.siteId);
  requireAnywhere(actor, 'media.upload', tree);
  if (upload.data.length === 0) throw new GazetteError('MEDIA_NO_FILE');
  const extension = extensionOf(upload.filename);
  const isImage = extension in IMAGE_TYPES;
  if (!isImage && !(extension in ATTACHMENT_TYPES))
    throw new GazetteError('MEDIA_TYPE_NOT_ALLOWED', { extension: extension || '?', allowed: allowedList() });
  const limit = isImage ? MEDIA_LIMITS.imageBytes : MEDIA_LIMITS.attachmentBytes;
  if (upload.truncated || upload.data.length > limit) {
    throw new GazetteError('MEDIA_TOO_LARGE', {
      kind: isImage ? { zh: '图片', en: 'image' } : { zh: '附件', en: 'attachment' },
      max: limit / 1024 / 1024,
    });
  }
  const alt = upload.alt?.trim() ?? '';
  if (isImage && !alt) throw new GazetteError('MEDIA_ALT_REQUIRED');
  const sha = createHash('sha256').update(upload.data).digest('hex');
  const stored = isImage
    ? await storeImage(ctx, upload, extension, sha)
    : await storeAttachment(ctx, upload, extension, sha);
  const now = ctx.clock.now();
  const row = await ctx.store.db.transaction().execute(async (trx) => {
    const inserted = await media.insertMedia(trx, {
      siteId: site.id,
      kind: stored.kind,
      storageKey: stored.storageKey,
      originalName: safeFileName(upload.filename, extension),
      mimeType: stored.mimeType,
      size: upload.data.length,
      width: stored.width,
      height: stored.height,
      alt,
      variants: JSON.stringify(stored.variants),
      sha256: sha,
      uploadedBy: actor.userId,
      uploaderName: actor.userName,
      createdAt: now.toISOString(),
    });
    await appendAudit(trx, ctx.store.dialect, now, actor, {
      action: 'media.upload',
      targetType: 'media',
      targetId: inserted.id,
      details: { name: inserted.originalName, kind: inserted.kind, size: inserted.size, sha256: sha },
    });
    return inserted;
  });
  return mediaView(row);
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
