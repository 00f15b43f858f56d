// The logo, banner and favicon of 站点外观: uploaded into the site's media library (sniffed,
// virus-checked, within the uploader's quota, audited) after the look's own checks: an image of
// an accepted type (415 otherwise) within the slot's size (413), both naming the file and what it is.
import { GazetteError, type LookImage } from '../../domain/index.js';
import { media } from '../../store/index.js';
import { requireAnywhere, type Actor } from '../actor.js';
import { MEDIA_LIMITS, mediaUrl, uploadKeptImage, uploadMedia, type Upload } from '../content/media.js';
import type { ServiceContext } from '../context.js';
import { currentSite } from '../site.js';

export type LookSlot = 'logo' | 'banner' | 'favicon';
export const LOOK_SLOTS: readonly LookSlot[] = ['logo', 'banner', 'favicon'];

type ImageType = 'png' | 'jpeg' | 'webp' | 'svg' | 'ico';
const MIME: Readonly<Record<ImageType, string>> = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  svg: 'image/svg+xml',
  ico: 'image/x-icon',
};

const KiB = 1024;
/** What each slot takes: its name in messages, its size limit, the types it accepts. */
export const SLOT_RULES: Readonly<
  Record<
    LookSlot,
    { readonly name: { zh: string; en: string }; readonly maxBytes: number; readonly types: readonly ImageType[] }
  >
> = {
  logo: { name: { zh: '网站标志', en: 'logo' }, maxBytes: 1024 * KiB, types: ['png', 'jpeg', 'webp', 'svg'] },
  banner: { name: { zh: '页头横幅', en: 'banner' }, maxBytes: 4096 * KiB, types: ['png', 'jpeg', 'webp', 'svg'] },
  favicon: {
    name: { zh: '网站图标', en: 'favicon' },
    maxBytes: 256 * KiB,
    types: ['png', 'jpeg', 'webp', 'svg', 'ico'],
  },
};

/** 1536 → "1.5 KiB", 2097152 → "2 MiB": as the limits are given. */
export function byteSize(bytes: number): string {
  if (bytes < KiB) return `${bytes} B`;
  const [value, unit] = bytes < KiB * KiB ? [bytes / KiB, 'KiB'] : [bytes / KiB / KiB, 'MiB'];
  return `${Number(value.toFixed(1))} ${unit}`;
}

/** An SVG: UTF-8 text whose first element is `<svg` (after a BOM, an XML declaration, comments, a DOCTYPE). */
function isSvgText(data: Buffer): boolean {
  const head = data
    .subarray(0, 4096)
    .toString('utf8')
    .replace(/^\uFEFF/, '');
  return /^\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--[\s\S]*?-->\s*|<!DOCTYPE[^>[]*(?:\[[\s\S]*?\])?\s*>\s*)*<svg[\s>]/i.test(
    head,
  );
}

/**
 * What an SVG must not hold to be shown as the site's image: scripts, event handlers, embedded
 * HTML, entity declarations (billion laughs) or references to anything outside itself.
 */
const SVG_UNSAFE = [
  /<script/i,
  /<foreignObject/i,
  // An external DTD (old drawing programs write SVG 1.1's) is never fetched; declarations inside are refused.
  /<!ENTITY/i,
  /<!DOCTYPE[^>]*\[/i,
  /\son[a-z]+\s*=/i,
  /javascript:/i,
  // A reference to anything but a fragment of itself (`#id`) or an embedded image; the character
  // class after the look-ahead keeps an optional quote from being skipped to dodge it.
  /href\s*=\s*["']?\s*(?!#|data:image\/)[^"'\s>]/i,
  /url\(\s*["']?\s*(?!#)[^"'\s)]/i,
];

/** What the bytes are, by their content (never the name): one of the image types, or what was found instead. */
async function sniffImage(data: Buffer): Promise<ImageType | { zh: string; en: string }> {
  const { fileTypeFromBuffer } = await import('file-type');
  const found = await fileTypeFromBuffer(data);
  const known = Object.entries(MIME).find(([, mime]) => mime === found?.mime)?.[0] as ImageType | undefined;
  if (known) return known;
  if (isSvgText(data)) return 'svg';
  return found ? { zh: ` ${found.mime}`, en: found.mime } : { zh: '无法识别的格式', en: 'of no known type' };
}

function refuse(upload: Upload, slot: LookSlot, found: { zh: string; en: string }): GazetteError {
  const rules = SLOT_RULES[slot];
  return new GazetteError('LOOK_IMAGE_TYPE', {
    file: upload.filename,
    slot: rules.name,
    found,
    allowed: rules.types.map((t) => t.toUpperCase()).join(', '),
  });
}

/** The slot's checks, before anything is stored: its size (413), then its type by content (415). */
export async function checkLookImage(slot: LookSlot, upload: Upload): Promise<ImageType> {
  const rules = SLOT_RULES[slot];
  if (upload.truncated || upload.data.length > rules.maxBytes)
    throw new GazetteError('LOOK_IMAGE_TOO_LARGE', {
      file: upload.filename,
      // Cut off at the transport's limit: at least that much.
      size: upload.truncated
        ? { zh: `${byteSize(MEDIA_LIMITS.attachmentBytes)} 以上`, en: `over ${byteSize(MEDIA_LIMITS.attachmentBytes)}` }
        : byteSize(upload.data.length),
      slot: rules.name,
      max: byteSize(rules.maxBytes),
    });
  if (upload.data.length === 0) throw new GazetteError('MEDIA_NO_FILE');
  const type = await sniffImage(upload.data);
  if (typeof type !== 'string') throw refuse(upload, slot, type);
  if (!rules.types.includes(type)) throw refuse(upload, slot, { zh: ` ${MIME[type]}`, en: MIME[type] });
  if (type === 'svg' && SVG_UNSAFE.some((pattern) => pattern.test(upload.data.toString('utf8'))))
    throw refuse(upload, slot, { zh: '含脚本或外部引用的 SVG', en: 'an SVG with scripts or outside references' });
  return type;
}

/** The file's name with the extension its content has (a PNG named logo.jpg is stored as logo.png). */
function namedAs(filename: string, type: ImageType): string {
  const stem = filename.replace(/\.[A-Za-z0-9]{1,8}$/, '') || 'image';
  return `${stem}.${type === 'jpeg' ? 'jpg' : type}`;
}

/**
 * Takes the logo, banner or favicon into the site's media library and answers its address and
 * alternative text, for the look to use (it is not in the look until the look is saved). Needs
 * site.manage. Without alt text, the site's name is the image's.
 */
export async function uploadLookImage(
  ctx: ServiceContext,
  actor: Actor,
  slot: LookSlot,
  upload: Upload,
): Promise<LookImage> {
  const { site, tree } = await currentSite(ctx.store.db, ctx.siteId);
  requireAnywhere(actor, 'site.manage', tree);
  const type = await checkLookImage(slot, upload);
  const alt = upload.alt?.trim() || site.name;
  const named = { ...upload, filename: namedAs(upload.filename, type), alt };
  const view =
    type === 'svg' || type === 'ico'
      ? await uploadKeptImage(ctx, actor, named, { extension: type, mimeType: MIME[type] })
      : await uploadMedia(ctx, actor, named);
  // The original, not the 960-pixel size the editor inserts: a banner is as wide as the page.
  const row = await media.findMedia(ctx.store.db, view.id);
  return { url: row ? mediaUrl(row.storageKey) : view.url, alt };
}
