// An old site's images and attachments, into the media library: sniffed like any upload, kept
// under the name the page gave them, fetched once however many pages link them.
import path from 'node:path';
import { isGazetteError } from '../domain/index.js';
import { MEDIA_LIMITS, systemActor, uploadMedia, type ServiceContext } from '../services/index.js';
import { redirects } from '../store/index.js';
import type { Frontier } from './frontier.js';
import { oldPathOf } from './links.js';
import { SourceError, type FetchedFile, type Source } from './source/index.js';

export type FileKind = 'image' | 'attachment';

export interface WantedFile {
  readonly url: string;
  /** The name it is kept under (an image: its file name). */
  readonly name: string;
  readonly kind: FileKind;
  /** An image's alt text ('' when the page gave none: the caller's fallback is used). */
  readonly alt: string;
}

export type FileOutcome =
  | { readonly ok: true; readonly mediaUrl: string; readonly fetchedBytes: number }
  | { readonly ok: false; readonly reason: string };

export interface FileLimits {
  readonly image: number;
  readonly attachment: number;
}

export const DEFAULT_FILE_LIMITS: FileLimits = {
  image: MEDIA_LIMITS.imageBytes,
  attachment: MEDIA_LIMITS.attachmentBytes,
};

const MIB = 1024 * 1024;

function mib(bytes: number): string {
  return `${Number((bytes / MIB).toFixed(1))} MiB`;
}

/** An image's name: the last segment of its URL (the page gives images no other). */
export function imageName(url: string): string {
  const base = path.posix.basename(new URL(url).pathname);
  return decodeURIComponent(base) || 'image';
}

/**
 * The file's new URL: the one already kept (this run or an earlier one), else fetched now and
 * kept, with its old URL answering 301 to it. A file over the media limits is not fetched: it
 * stays linked where it is and the reason is reported.
 */
export async function keepFile(
  ctx: ServiceContext & { readonly siteId: number },
  source: Source,
  frontier: Frontier,
  file: WantedFile,
  limits: FileLimits,
): Promise<FileOutcome> {
  const known = await frontier.find(file.url);
  if (known?.mediaUrl) {
    if (known.state !== 'done') await frontier.finish(file.url, { state: 'done', mediaUrl: known.mediaUrl });
    return { ok: true, mediaUrl: known.mediaUrl, fetchedBytes: 0 };
  }
  // Failed earlier in this run (another page links it too): not asked again until the next run.
  if (known?.state === 'failed') return { ok: false, reason: known.reason };
  if (!known) await frontier.add([{ url: file.url, role: 'file', text: file.name, depth: 0 }]);
  const outcome = await fetchAndKeep(ctx, source, file, limits);
  if (!outcome.ok) {
    await frontier.finish(file.url, { state: 'failed', reason: outcome.reason });
    return outcome;
  }
  await redirects.putRedirects(
    ctx.store.db,
    ctx.siteId,
    [{ oldPath: oldPathOf(file.url), target: outcome.mediaUrl, kind: 'file' }],
    ctx.clock.now(),
  );
  await frontier.finish(file.url, { state: 'done', mediaUrl: outcome.mediaUrl });
  return outcome;
}

async function fetchAndKeep(
  ctx: ServiceContext,
  source: Source,
  file: WantedFile,
  limits: FileLimits,
): Promise<FileOutcome> {
  if (!source.isOwn(file.url)) return { ok: false, reason: 'on another host: linked where it is' };
  if (!source.allowed(file.url)) return { ok: false, reason: 'robots.txt disallows it' };
  const limit = file.kind === 'image' ? limits.image : limits.attachment;
  let fetched: FetchedFile;
  try {
    fetched = await source.getFile(file.url, limit);
  } catch (error) {
    if (error instanceof SourceError) return { ok: false, reason: error.reason };
    throw error;
  }
  if (fetched.tooLarge)
    return {
      ok: false,
      reason: `over the media limit of ${mib(limit)}${fetched.size === null ? '' : ` (${mib(fetched.size)})`}: linked where it is`,
    };
  if (fetched.status !== 200) return { ok: false, reason: `HTTP ${fetched.status}` };
  try {
    const kept = await uploadMedia(ctx, systemActor('migrate'), {
      filename: file.name,
      data: fetched.bytes,
      alt: file.kind === 'image' ? file.alt : undefined,
    });
    return { ok: true, mediaUrl: kept.url, fetchedBytes: fetched.bytes.length };
  } catch (error) {
    if (!isGazetteError(error)) throw error;
    return { ok: false, reason: error.messageIn('en') };
  }
}
