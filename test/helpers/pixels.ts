import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';
import sharp from 'sharp';

/**
 * How far apart two colours may be and still count as the same pixel, in pixelmatch's measure (the
 * OKLab HyAB distance, 1 is black against white). Its default, 0.1, misses the main colour turning
 * another red (#b22222 to #c8102e is 0.070) or a tenth darker (#9e1e1e: 0.063); 0.05 sees both,
 * and white turning #f0f0f0 (0.052). The 256-colour rounding of a baseline moves no pixel of most
 * pages past it, 131 at most (the home page's pictures). Anti-aliased edges pixelmatch leaves out.
 */
export const PIXEL_THRESHOLD = 0.05;

/**
 * The share of a page's pixels that may differ: 0.01 %. Chromium on one machine draws a page to
 * the same pixels every time (two runs over every page kind: not one pixel apart), and a baseline's
 * rounding stays under half of this (else it is stored in full colour: see baselinePng). So this
 * is headroom, not tolerance for a change of the page: a moved block or a wrapped line changes
 * thousands of pixels, one character of 16 px text about 90 (0.004 % of a 1366 × 1763 home page).
 */
export const ALLOWED_SHARE = 0.0001;

/** What does not match a page's baseline, in a line that names the page; null when it matches. */
export type Mismatch = string | null;

/** Folder for the actual and diff images of the run's mismatches, made at the first one and kept. */
let failures: string | null = null;
function failureFolder(): string {
  failures ??= fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-visual-'));
  return failures;
}

interface Pixels {
  readonly data: Buffer;
  readonly width: number;
  readonly height: number;
}

/** A PNG's pixels as RGBA, decoded by libvips (several times faster than pngjs on a long page). */
async function pixelsOf(png: Buffer): Promise<Pixels> {
  const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** The image's pixels placed top left on a canvas of this size; the rest magenta, so that it differs. */
function onCanvas(image: Pixels, width: number, height: number): Buffer {
  if (image.width === width && image.height === height) return image.data;
  const canvas = Buffer.alloc(width * height * 4);
  for (let i = 0; i < canvas.length; i += 4) canvas.set([255, 0, 255, 255], i);
  for (let y = 0; y < image.height; y++)
    image.data.copy(canvas, y * width * 4, y * image.width * 4, (y + 1) * image.width * 4);
  return canvas;
}

/**
 * A baseline carries the SHA-256 of the screenshot it was made from, in a PNG text chunk: a
 * screenshot with the same digest has the same pixels (Chromium encodes the same pixels to the
 * same bytes), so it matches without decoding either image.
 */
const SCREENSHOT_DIGEST = 'gazette:screenshot-sha256';
const digestOf = (png: Buffer) => createHash('sha256').update(png).digest('hex');

/** The PNG with a tEXt chunk `key` = `value` after its header chunk (IHDR: 8 + 25 bytes in). */
function withText(png: Buffer, key: string, value: string): Buffer {
  const body = Buffer.from(`tEXt${key}\0${value}`, 'latin1');
  const chunk = Buffer.alloc(body.length + 8);
  chunk.writeUInt32BE(body.length - 4, 0);
  body.copy(chunk, 4);
  chunk.writeUInt32BE(zlib.crc32(body), body.length + 4);
  return Buffer.concat([png.subarray(0, 33), chunk, png.subarray(33)]);
}

/** The value of the PNG's tEXt chunk `key` before its image data, or null. */
function textOf(png: Buffer, key: string): string | null {
  for (let at = 8; at + 8 <= png.length;) {
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    if (type === 'IDAT' || type === 'IEND') return null;
    const data = png.toString('latin1', at + 8, at + 8 + length);
    if (type === 'tEXt' && data.startsWith(`${key}\0`)) return data.slice(key.length + 1);
    at += length + 12;
  }
  return null;
}

/**
 * The screenshot as stored in test/e2e/baselines: in 256 colours (a palette PNG, a third of the
 * size), unless that rounding moves more than half the allowed share of its pixels past the
 * threshold (a photograph's shades would): then in full colour, so that the rounding never fails a
 * page by itself. With the screenshot's digest.
 */
export async function baselinePng(screenshot: Buffer): Promise<Buffer> {
  const palette = await sharp(screenshot)
    .png({ palette: true, colours: 256, dither: 0, effort: 1, compressionLevel: 9 })
    .toBuffer();
  const [full, rounded] = await Promise.all([pixelsOf(screenshot), pixelsOf(palette)]);
  const moved = pixelmatch(full.data, rounded.data, null, full.width, full.height, { threshold: PIXEL_THRESHOLD });
  const stored =
    moved <= (full.width * full.height * ALLOWED_SHARE) / 2
      ? palette
      : await sharp(screenshot).png({ compressionLevel: 9 }).toBuffer();
  return withText(stored, SCREENSHOT_DIGEST, digestOf(screenshot));
}

const percent = (share: number) => `${(share * 100).toFixed(share < 0.01 ? 4 : 2)} %`;

/**
 * Compares the screenshot with the baseline file. On a mismatch (or no baseline) the actual image
 * and a diff (differing pixels red over a faded copy of the baseline) go to a temporary folder,
 * which the line names.
 */
export async function compareWithBaseline(name: string, screenshot: Buffer, baselineFile: string): Promise<Mismatch> {
  const keep = (suffix: string, png: Buffer) => {
    const file = path.join(failureFolder(), `${name}.${suffix}.png`);
    fs.writeFileSync(file, png);
    return file;
  };
  if (!fs.existsSync(baselineFile))
    return `${name}: no baseline ${path.basename(baselineFile)} (npm run test:baselines writes it); the page as shown is ${keep('actual', screenshot)}`;
  const baseline = fs.readFileSync(baselineFile);
  if (textOf(baseline, SCREENSHOT_DIGEST) === digestOf(screenshot)) return null;
  const [actual, expected] = await Promise.all([pixelsOf(screenshot), pixelsOf(baseline)]);
  const width = Math.max(actual.width, expected.width);
  const height = Math.max(actual.height, expected.height);
  const [before, after] = [onCanvas(expected, width, height), onCanvas(actual, width, height)];
  // Counted without drawing first: the diff image is only made for a page that does not match.
  const count = pixelmatch(before, after, null, width, height, { threshold: PIXEL_THRESHOLD });
  const share = count / (width * height);
  if (share <= ALLOWED_SHARE) return null;
  const diff = new PNG({ width, height });
  pixelmatch(before, after, diff.data, width, height, { threshold: PIXEL_THRESHOLD });
  const size =
    actual.width === expected.width && actual.height === expected.height
      ? ''
      : ` (${actual.width}×${actual.height} px, the baseline ${expected.width}×${expected.height})`;
  return (
    `${name}: ${percent(share)} of the pixels differ from the baseline, more than ${percent(ALLOWED_SHARE)}${size}; ` +
    `actual ${keep('actual', screenshot)}, diff ${keep('diff', PNG.sync.write(diff))}`
  );
}
