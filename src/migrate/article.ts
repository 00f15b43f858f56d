// From the extracted pages of one old article to what the store takes: its further pages joined,
// its time read in the site's zone, and a hash of what was extracted, so that a later run can
// tell an unchanged article from a corrected one.
import { createHash } from 'node:crypto';
import { parseLocalDateTime } from '../domain/index.js';
import type { ExtractedArticle } from './types.js';

const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})$/;

/** 发布时间 as old sites write it: `2021-05-20 09:30`, `2021年05月20日`, `2021/5/20`, or ISO with a zone. */
export function readPublishedAt(text: string | null, timeZone: string): Date | null {
  if (text === null) return null;
  const value = text
    .trim()
    .replace(/(\d{4})年(\d{1,2})月(\d{1,2})日?/, '$1-$2-$3')
    .replace(/(\d{4})[/.](\d{1,2})[/.](\d{1,2})/, '$1-$2-$3')
    .replace(
      /(\d{4})-(\d{1,2})-(\d{1,2})/,
      (_, y: string, m: string, d: string) => `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`,
    )
    .replace(/\s+/, ' ');
  if (ISO_WITH_ZONE.test(value)) {
    const instant = new Date(value);
    return Number.isNaN(instant.getTime()) ? null : instant;
  }
  const dated = /^\d{4}-\d{2}-\d{2}(?: \d{1,2}:\d{2}(?::\d{2})?)?/.exec(value);
  return dated ? parseLocalDateTime(dated[0], timeZone) : null;
}

function unique<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** An article split over several pages, as one: the bodies in page order, files and images of all. */
export function joinPages(first: ExtractedArticle, rest: readonly ExtractedArticle[]): ExtractedArticle {
  if (rest.length === 0) return first;
  const pages = [first, ...rest];
  return {
    ...first,
    bodyHtml: pages.map((page) => page.bodyHtml).join('\n'),
    attachments: unique(
      pages.flatMap((page) => page.attachments),
      (file) => file.url,
    ),
    images: unique(
      pages.flatMap((page) => page.images),
      (image) => image.url,
    ),
    disclosure: pages.find((page) => page.disclosure !== null)?.disclosure ?? null,
  };
}

/** What decides whether an article changed since the last run: its fields as extracted, and its column. */
export function contentHashOf(article: ExtractedArticle, columns: readonly string[], publishedAt: Date): string {
  const { title, subtitle, source, author, bodyHtml, attachments, images, disclosure } = article;
  return createHash('sha256')
    .update(
      JSON.stringify([
        columns,
        title,
        subtitle,
        source,
        author,
        publishedAt.toISOString(),
        bodyHtml,
        attachments,
        images,
        disclosure,
      ]),
    )
    .digest('hex');
}
