// robots.txt, read once when a live source opens. A site without one, or whose one cannot be
// read, allows everything; the operator hears about the second.
import robotsModule from 'robots-parser';
import type { HttpSource } from './http.js';
import { SourceError } from './types.js';

export interface Robots {
  allows(url: string): boolean;
  /** Crawl-delay for Gazette's user agent, in milliseconds, or null when robots.txt sets none. */
  readonly crawlDelayMs: number | null;
  readonly sitemaps: readonly string[];
  readonly notes: readonly string[];
}

// The package is CommonJS exporting the function itself; its typings call that the default export.
const robotsParser = robotsModule as unknown as typeof robotsModule.default;

// RFC 9309 asks crawlers to read at least 500 KiB of robots.txt.
const ROBOTS_LIMIT = 512 * 1024;

const everything = (note?: string): Robots => ({
  allows: () => true,
  crawlDelayMs: null,
  sitemaps: [],
  notes: note === undefined ? [] : [note],
});

/** Reads robots.txt; throws the SourceError when the host cannot be connected to at all. */
export async function readRobots(source: HttpSource, userAgent: string): Promise<Robots> {
  const url = `${source.origin}/robots.txt`;
  let found: Awaited<ReturnType<HttpSource['follow']>>;
  try {
    found = await source.follow({ method: 'GET', url }, ROBOTS_LIMIT);
  } catch (error) {
    if (!(error instanceof SourceError) || error.failure === 'connect' || error.failure === 'tls') throw error;
    return everything(`robots.txt could not be read (${error.reason}): everything is allowed`);
  }
  const { answer, finalUrl } = found;
  if (answer.status >= 300 && answer.status < 400) {
    return everything(`robots.txt redirects off the host, to ${finalUrl}: everything is allowed`);
  }
  if (answer.status >= 500) return everything(`robots.txt answered ${answer.status}: everything is allowed`);
  if (answer.status !== 200) return everything();
  if (answer.body.tooLarge) return everything(`robots.txt is over ${ROBOTS_LIMIT} bytes: everything is allowed`);
  return parsed(url, answer.body.bytes.toString('utf8'), userAgent);
}

function parsed(url: string, text: string, userAgent: string): Robots {
  const robot = robotsParser(url, text);
  const delay = robot.getCrawlDelay(userAgent);
  const crawlDelayMs = delay !== undefined && Number.isFinite(delay) && delay > 0 ? delay * 1000 : null;
  return {
    // A URL robots.txt does not speak for (another host) is not its to refuse.
    allows: (target) => robot.isAllowed(target, userAgent) ?? true,
    crawlDelayMs,
    sitemaps: robot.getSitemaps(),
    notes: crawlDelayMs === null ? [] : [`robots.txt asks for ${delay} s between requests`],
  };
}
