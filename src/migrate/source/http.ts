// A live site over HTTP: every request paced and counted against the concurrency, retried with
// backoff while retrying can help, and redirects followed only while they stay on the host.
import type { Fetched } from '../types.js';
import { exchange, type Answer, type Request } from './exchange.js';
import { Pace } from './pace.js';
import { ownUrl } from './own.js';
import { SourceError, type FetchedFile, type Source, type SourceOptions } from './types.js';
import type { Robots } from './robots.js';

const MAX_REDIRECTS = 5;
const FIRST_BACKOFF_MS = 500;
const MOST_RETRY_AFTER_MS = 60_000;

export class HttpSource implements Source {
  readonly kind = 'http';
  private readonly pace: Pace;
  private robots: Robots | null = null;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    readonly origin: string,
    private readonly options: SourceOptions,
  ) {
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.pace = new Pace(options.rate, options.concurrency, this.sleep);
  }

  get sitemaps(): readonly string[] {
    return this.robots?.sitemaps ?? [];
  }

  get notes(): readonly string[] {
    return this.robots?.notes ?? [];
  }

  /** Takes in what robots.txt says, read once when the source opens. */
  obey(robots: Robots): void {
    this.robots = robots;
    if (robots.crawlDelayMs !== null) this.pace.atLeast(robots.crawlDelayMs);
  }

  allowed(url: string): boolean {
    return this.robots?.allows(url) ?? true;
  }

  isOwn(url: string): boolean {
    return ownUrl(url, this.origin) !== null;
  }

  async get(url: string): Promise<Fetched> {
    return this.page(url, { method: 'GET', url });
  }

  async postForm(url: string, form: Readonly<Record<string, string>>): Promise<Fetched> {
    return this.page(url, { method: 'POST', url, form });
  }

  async getFile(url: string, maxBytes: number): Promise<FetchedFile> {
    const { answer, finalUrl } = await this.follow({ method: 'GET', url }, maxBytes);
    if (answer.body.tooLarge) return { tooLarge: true, size: answer.body.size };
    const { status, contentType } = answer;
    return { tooLarge: false, url, finalUrl, status, contentType, bytes: answer.body.bytes };
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  private async page(url: string, request: Request): Promise<Fetched> {
    const { answer, finalUrl } = await this.follow(request, this.options.maxPageBytes);
    if (answer.body.tooLarge) {
      throw new SourceError(finalUrl, 'too-large', `larger than ${this.options.maxPageBytes} bytes`);
    }
    return { url, finalUrl, status: answer.status, contentType: answer.contentType, bytes: answer.body.bytes };
  }

  /** The request and the redirects it leads to on the host; the answer that is not one of those. */
  async follow(first: Request, limit: number): Promise<{ answer: Answer; finalUrl: string }> {
    let request = this.checked(first);
    for (let hops = 0; ; hops++) {
      const answer = await this.withRetries(request, limit);
      const target = redirectTarget(answer, request.url);
      if (target === null) return { answer, finalUrl: request.url };
      if (!this.isOwn(target)) return { answer, finalUrl: target };
      if (hops === MAX_REDIRECTS) throw new SourceError(first.url, 'redirects', `more than ${MAX_REDIRECTS} redirects`);
      // As browsers do: 307 and 308 repeat the request, the others turn a POST into a GET.
      request =
        answer.status === 307 || answer.status === 308 ? { ...request, url: target } : { method: 'GET', url: target };
    }
  }

  private checked(request: Request): Request {
    const url = ownUrl(request.url, this.origin);
    if (url === null) {
      const failure = URL.canParse(request.url) ? 'off-host' : 'invalid-url';
      throw new SourceError(request.url, failure, failure === 'off-host' ? `not on ${this.origin}` : 'not a valid URL');
    }
    return { ...request, url };
  }

  private async withRetries(request: Request, limit: number): Promise<Answer> {
    const settings = { userAgent: this.options.userAgent, timeoutMs: this.options.timeoutMs };
    for (let attempt = 0; ; attempt++) {
      let wait = FIRST_BACKOFF_MS * 2 ** attempt;
      try {
        const answer = await this.pace.run(() => exchange(request, settings, limit));
        if (!worthRetrying(answer.status) || attempt >= this.options.retries) return answer;
        if (answer.retryAfterMs !== null) wait = Math.max(wait, Math.min(answer.retryAfterMs, MOST_RETRY_AFTER_MS));
      } catch (error) {
        if (!(error instanceof SourceError) || !error.retryable || attempt >= this.options.retries) throw error;
      }
      await this.sleep(wait);
    }
  }
}

/** 429 and server errors pass; 521 is an anti-bot challenge (加速乐) that asking again only repeats. */
function worthRetrying(status: number): boolean {
  return status === 429 || (status >= 500 && status !== 521);
}

function redirectTarget(answer: Answer, from: string): string | null {
  if (answer.status < 300 || answer.status > 399 || answer.status === 304 || answer.location === null) return null;
  try {
    return new URL(answer.location, from).href;
  } catch {
    return null;
  }
}
