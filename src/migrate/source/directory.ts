// A site saved on disk by wget: URLs on the site's origin answer with the files saved for them,
// a missing file is a 404, and nothing outside the mirror's folder is ever read.
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { GazetteError } from '../../domain/errors.js';
import type { Fetched } from '../types.js';
import { hostOfFolder, savedNames, sniffedType } from './mirror.js';
import { ownUrl } from './own.js';
import { SourceError, type FetchedFile, type Source } from './types.js';

/** Where wget put the site, and the origin it came from. */
export async function mirrorRoot(dir: string, origin: string | undefined): Promise<{ root: string; origin: string }> {
  const entries = await readdir(dir, { withFileTypes: true });
  let root = dir;
  let host: string | null = null;
  if (!entries.some((entry) => entry.isFile() && entry.name === 'index.html')) {
    // `wget -r http://www.x.gov.cn/` saves into a folder named after the host.
    const hosts = entries.flatMap((entry) => {
      const named = entry.isDirectory() ? hostOfFolder(entry.name) : null;
      return named === null ? [] : [{ folder: entry.name, host: named }];
    });
    const only = hosts.length === 1 ? hosts[0] : undefined;
    if (only) {
      root = path.join(dir, only.folder);
      host = only.host;
    }
  }
  const found = await stat(path.join(root, 'index.html')).catch(() => null);
  if (!found?.isFile()) {
    throw new GazetteError('MIGRATE_SOURCE_INVALID', {
      source: dir,
      reason: {
        zh: '目录中没有 index.html，不是保存下来的网站',
        en: 'it holds no index.html, so it is not a saved site',
      },
    });
  }
  return { root, origin: originOf(origin ?? (host === null ? 'http://mirror.invalid' : `http://${host}`)) };
}

function originOf(url: string): string {
  const parsed = URL.canParse(url) ? new URL(url) : null;
  if (parsed === null || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw new GazetteError('MIGRATE_SOURCE_INVALID', {
      source: url,
      reason: {
        zh: '站点原地址应为 http:// 或 https:// 网址',
        en: "the site's origin must be an http:// or https:// URL",
      },
    });
  }
  return parsed.origin;
}

interface SavedFile {
  readonly file: string;
  readonly size: number;
  readonly contentType: string | null;
  readonly finalUrl: string;
}

export class DirectorySource implements Source {
  readonly kind = 'directory';
  readonly sitemaps: readonly string[] = [];
  readonly notes: readonly string[] = [];

  constructor(
    readonly origin: string,
    private readonly root: string,
    private readonly maxPageBytes: number,
  ) {}

  allowed(): boolean {
    return true;
  }

  isOwn(url: string): boolean {
    return ownUrl(url, this.origin) !== null;
  }

  async get(url: string): Promise<Fetched> {
    const saved = await this.find(url);
    if (saved === null) return { url, finalUrl: url, status: 404, contentType: null, bytes: Buffer.alloc(0) };
    if (saved.size > this.maxPageBytes)
      throw new SourceError(url, 'too-large', `larger than ${this.maxPageBytes} bytes`);
    const bytes = await readFile(saved.file);
    return { url, finalUrl: saved.finalUrl, status: 200, contentType: saved.contentType ?? sniffedType(bytes), bytes };
  }

  /** wget cannot save what a POST answers. */
  postForm(url: string): Promise<Fetched> {
    this.own(url);
    return Promise.resolve({ url, finalUrl: url, status: 404, contentType: null, bytes: Buffer.alloc(0) });
  }

  async getFile(url: string, maxBytes: number): Promise<FetchedFile> {
    const saved = await this.find(url);
    if (saved === null) {
      return { tooLarge: false, url, finalUrl: url, status: 404, contentType: null, bytes: Buffer.alloc(0) };
    }
    if (saved.size > maxBytes) return { tooLarge: true, size: saved.size };
    const bytes = await readFile(saved.file);
    const contentType = saved.contentType ?? sniffedType(bytes);
    return { tooLarge: false, url, finalUrl: saved.finalUrl, status: 200, contentType, bytes };
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  private own(url: string): URL {
    const own = ownUrl(url, this.origin);
    if (own === null) {
      const failure = URL.canParse(url) ? 'off-host' : 'invalid-url';
      throw new SourceError(url, failure, failure === 'off-host' ? `not on ${this.origin}` : 'not a valid URL');
    }
    return new URL(own);
  }

  /** The file saved for the URL, or null when there is none (or the URL points outside the mirror). */
  private async find(url: string): Promise<SavedFile | null> {
    const own = this.own(url);
    for (const saved of savedNames(own)) {
      const file = this.inside(saved.name);
      if (file === null) return null;
      const stats = await stat(file).catch(() => null);
      if (stats?.isFile()) return { file, size: stats.size, contentType: saved.contentType, finalUrl: own.href };
      if (stats?.isDirectory() && own.search === '') return this.folderIndex(file, own);
    }
    return null;
  }

  /** `/col` saved as a folder: a server would redirect to `/col/`, whose address the page's links need. */
  private async folderIndex(folder: string, url: URL): Promise<SavedFile | null> {
    const file = path.join(folder, 'index.html');
    const stats = await stat(file).catch(() => null);
    if (!stats?.isFile()) return null;
    const finalUrl = new URL(url);
    finalUrl.pathname = `${url.pathname.replace(/\/?$/, '')}/`;
    return { file, size: stats.size, contentType: 'text/html', finalUrl: finalUrl.href };
  }

  /** The path of a saved name under the root, or null when `..` would lead out of it. */
  private inside(name: string): string | null {
    const file = path.join(this.root, name);
    return file.startsWith(this.root + path.sep) ? file : null;
  }
}
