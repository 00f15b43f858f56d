import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import { GazetteError } from '../domain/index.js';

/**
 * How the CMS and a front server talk. The CMS always calls; the front never connects inward.
 * Every request is signed with the token both sides read from a file (HMAC-SHA256 over the
 * method, the path with its query, the time and the body's hash), so the token itself never
 * crosses the wire, a captured request cannot be altered, and one older than five minutes is
 * refused. A replayed push within those minutes is refused too: it names a sequence the front
 * has already passed.
 */
export const FRONT_PROTOCOL_VERSION = 1;
export const TIME_HEADER = 'x-gazette-time';
export const SIGNATURE_HEADER = 'x-gazette-signature';
/** How far a request's time may be from the front's clock. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;
/** The shortest token accepted: 32 characters (e.g. `openssl rand -hex 32` gives 64). */
export const MIN_TOKEN_LENGTH = 32;
/** The largest push a front accepts (a batch's header and files). */
export const MAX_PUSH_BYTES = 256 * 1024 * 1024;

/** A token file's token: its content without surrounding white space, at least 32 characters. */
export function readTokenFile(file: string): string {
  let raw: string;
  try {
    raw = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new GazetteError('FRONT_TOKEN_FILE', {
      file,
      reason: (error as NodeJS.ErrnoException).code ?? String(error),
    });
  }
  const token = raw.trim();
  if (token.length < MIN_TOKEN_LENGTH || /\s/.test(token))
    throw new GazetteError('FRONT_TOKEN_FILE', {
      file,
      reason: `the token must be one word of at least ${MIN_TOKEN_LENGTH} characters (e.g. openssl rand -hex 32)`,
    });
  return token;
}

function signature(token: string, method: string, pathWithQuery: string, time: string, body: Buffer): string {
  const bodyHash = createHash('sha256').update(body).digest('hex');
  return createHmac('sha256', token)
    .update(`${method.toUpperCase()}\n${pathWithQuery}\n${time}\n${bodyHash}`)
    .digest('hex');
}

/** The headers that sign a request. */
export function signRequest(
  token: string,
  method: string,
  pathWithQuery: string,
  body: Buffer,
  now: Date,
): Record<string, string> {
  const time = String(now.getTime());
  return { [TIME_HEADER]: time, [SIGNATURE_HEADER]: signature(token, method, pathWithQuery, time, body) };
}

/** Whether a request carries a valid signature made within the allowed skew. */
export function verifyRequest(
  token: string,
  method: string,
  pathWithQuery: string,
  body: Buffer,
  headers: Readonly<Record<string, string | string[] | undefined>>,
  now: Date,
): boolean {
  const time = headers[TIME_HEADER];
  const given = headers[SIGNATURE_HEADER];
  if (
    typeof time !== 'string' ||
    typeof given !== 'string' ||
    !/^\d{1,16}$/.test(time) ||
    !/^[0-9a-f]{64}$/.test(given)
  )
    return false;
  if (Math.abs(now.getTime() - Number(time)) > MAX_CLOCK_SKEW_MS) return false;
  const expected = Buffer.from(signature(token, method, pathWithQuery, time, body), 'hex');
  return timingSafeEqual(expected, Buffer.from(given, 'hex'));
}

/** A site as a front needs to know it: its folder, the hosts nginx answers for it, its midnight. */
export interface FrontSite {
  readonly id: number;
  readonly hosts: readonly string[];
  readonly timeZone: string;
}

/**
 * One page of a push: the manifest key (`/bqdt/`, `/site_2/bqdt/…`), its SHA-256 and size, and
 * the manifest sequence of that version. An empty hash removes the page (no bytes follow).
 * `views` is the article's 浏览次数 on the CMS when the page was pushed (article pages only).
 */
export interface PushedPage {
  readonly key: string;
  readonly hash: string;
  readonly size: number;
  readonly seq: number;
  readonly views?: number;
}

/**
 * A push: the changes after `fromSeq` up to and including `toSeq`, oldest first. `toSeq` may be
 * past the last page's seq (changes of sites this front does not serve). `sites` is sent when the
 * CMS's list of this front's sites changed, or on the first push; absent, the front keeps its own.
 */
export interface PushHeader {
  readonly version: number;
  readonly fromSeq: number;
  readonly toSeq: number;
  readonly sites?: readonly FrontSite[];
  readonly pages: readonly PushedPage[];
}

/** What `GET /_front/state` answers. */
export interface FrontState {
  readonly version: number;
  /** The last CMS manifest sequence applied; 0 for an empty front. */
  readonly seq: number;
  readonly sites: readonly FrontSite[];
  /** Pages held (not counting removals). */
  readonly pages: number;
  /** When the last full hash sweep ended (ISO), and how long it took. */
  readonly lastSweepAt: string | null;
  readonly lastSweepMs: number | null;
  /** How often a full sweep runs. */
  readonly sweepEveryMs: number;
  /** Why the last batch could not be written (a full disk), or null. */
  readonly diskFull: string | null;
  /** The newest tamper event's id (0: none yet). */
  readonly lastEventId: number;
}

export type TamperKind = 'modified' | 'removed' | 'added' | 'symlink' | 'directory';

/** A tamper event as the front records it and the CMS collects it. */
export interface TamperEvent {
  readonly id: number;
  readonly at: string;
  /** The served file, relative to the front's www folder: `1/bqdt/index.html`. */
  readonly file: string;
  /** The site and public path it belongs to (for a foreign file: where it was found). */
  readonly siteId: number;
  readonly path: string;
  readonly kind: TamperKind;
  /** A unified diff of the text (a text file), or a description (binary, symlink, folder). */
  readonly detail: string;
  /** Where the foreign file was kept, relative to the front's quarantine folder; null when nothing was there (a removal). */
  readonly quarantine: string | null;
  /** Whether the expected file is back in place (false: a foreign file was only removed). */
  readonly restored: boolean;
}

/** `POST /_front/views`: acknowledges a collected batch, and takes the next one. */
export interface ViewsRequest {
  readonly ack: number | null;
}
export interface ViewsBatch {
  /** The batch's number, to acknowledge on the next call; null when there were no counts. */
  readonly batch: number | null;
  readonly counts: readonly { readonly siteId: number; readonly path: string; readonly count: number }[];
}

/**
 * The push body: the header's length (4 bytes, big-endian), the header as JSON, then each
 * page's bytes in the header's order. One request, no base64, no multipart parser.
 */
export function encodePush(header: PushHeader, bodies: readonly Buffer[]): Buffer {
  const json = Buffer.from(JSON.stringify(header));
  const length = Buffer.alloc(4);
  length.writeUInt32BE(json.length);
  return Buffer.concat([length, json, ...bodies]);
}

function badPush(reason: string): GazetteError {
  return new GazetteError('FRONT_BAD_PUSH', { reason });
}

const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

function readSite(value: unknown, at: string): FrontSite {
  if (typeof value !== 'object' || value === null) throw badPush(`${at} is not an object`);
  const site = value as Record<string, unknown>;
  if (!isCount(site.id) || site.id < 1) throw badPush(`${at}.id is not a site id`);
  if (!Array.isArray(site.hosts) || !site.hosts.every((h) => typeof h === 'string' && /^[a-z0-9.-]{1,253}$/.test(h)))
    throw badPush(`${at}.hosts is not a list of host names`);
  if (typeof site.timeZone !== 'string' || site.timeZone === '') throw badPush(`${at}.timeZone is missing`);
  return { id: site.id, hosts: site.hosts as string[], timeZone: site.timeZone };
}

function readPage(value: unknown, at: string): PushedPage {
  if (typeof value !== 'object' || value === null) throw badPush(`${at} is not an object`);
  const page = value as Record<string, unknown>;
  if (typeof page.key !== 'string' || !page.key.startsWith('/') || page.key.includes('\0') || page.key.length > 2048)
    throw badPush(`${at}.key is not a page path`);
  if (typeof page.hash !== 'string' || !/^([0-9a-f]{64})?$/.test(page.hash))
    throw badPush(`${at}.hash is not a SHA-256`);
  if (!isCount(page.size) || (page.hash === '' && page.size !== 0)) throw badPush(`${at}.size is wrong`);
  if (!isCount(page.seq)) throw badPush(`${at}.seq is not a sequence number`);
  if (page.views !== undefined && !isCount(page.views)) throw badPush(`${at}.views is not a count`);
  return {
    key: page.key,
    hash: page.hash,
    size: page.size,
    seq: page.seq,
    ...(page.views === undefined ? {} : { views: page.views }),
  };
}

/** Reads a push body; a malformed one is refused with what is wrong and where. */
export function decodePush(body: Buffer): { header: PushHeader; bodies: Buffer[] } {
  if (body.length < 4) throw badPush('the body is shorter than its length prefix');
  const length = body.readUInt32BE(0);
  if (4 + length > body.length) throw badPush('the header runs past the end of the body');
  let raw: unknown;
  try {
    raw = JSON.parse(body.subarray(4, 4 + length).toString('utf8'));
  } catch {
    throw badPush('the header is not JSON');
  }
  if (typeof raw !== 'object' || raw === null) throw badPush('the header is not an object');
  const h = raw as Record<string, unknown>;
  if (h.version !== FRONT_PROTOCOL_VERSION)
    throw badPush(`protocol version ${String(h.version)} is not ${FRONT_PROTOCOL_VERSION}`);
  if (!isCount(h.fromSeq) || !isCount(h.toSeq) || h.toSeq < h.fromSeq)
    throw badPush('fromSeq and toSeq are not an ascending pair');
  if (!Array.isArray(h.pages)) throw badPush('pages is not a list');
  const pages = h.pages.map((page, i) => readPage(page, `pages[${i}]`));
  let last = h.fromSeq;
  for (const [i, page] of pages.entries()) {
    if (page.seq <= last || page.seq > h.toSeq) throw badPush(`pages[${i}].seq is out of order`);
    last = page.seq;
  }
  const sites =
    h.sites === undefined
      ? undefined
      : Array.isArray(h.sites)
        ? h.sites.map((site, i) => readSite(site, `sites[${i}]`))
        : (() => {
            throw badPush('sites is not a list');
          })();
  const bodies: Buffer[] = [];
  let offset = 4 + length;
  for (const [i, page] of pages.entries()) {
    if (offset + page.size > body.length) throw badPush(`pages[${i}] (${page.key}) runs past the end of the body`);
    bodies.push(body.subarray(offset, offset + page.size));
    offset += page.size;
  }
  if (offset !== body.length) throw badPush(`${body.length - offset} bytes follow the last page`);
  return {
    header: { version: FRONT_PROTOCOL_VERSION, fromSeq: h.fromSeq, toSeq: h.toSeq, pages, ...(sites ? { sites } : {}) },
    bodies,
  };
}
