// What a migration did, for `--report FILE` (JSON) and the summary printed at the end.
import type { CmsFamily } from './types.js';

export interface MigrationFailure {
  readonly url: string;
  readonly reason: string;
}

export interface MigrationColumn {
  /** Names from the top, joined by ' > '. */
  readonly path: string;
  /** Made by this run (false: it was there already). */
  readonly created: boolean;
  /** Articles of this run that went into it. */
  readonly articles: number;
}

export interface ExternalLink {
  /** The article whose body holds the link. */
  readonly articleId: number;
  readonly title: string;
  readonly url: string;
}

export interface MigrationReport {
  readonly source: string;
  readonly site: string;
  readonly dryRun: boolean;
  /** The family most article pages were written by (`generic` when none was recognised). */
  readonly family: CmsFamily;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly counts: {
    readonly pagesSeen: number;
    readonly articlesImported: number;
    readonly articlesUpdated: number;
    readonly articlesSkipped: number;
    readonly articlesFailed: number;
  };
  /** Why articles were skipped, and how many for each reason. */
  readonly skipped: Readonly<Record<string, number>>;
  /** Every page that failed (articles, and pages that could not be read), with the reason. */
  readonly failures: readonly MigrationFailure[];
  readonly columns: readonly MigrationColumn[];
  readonly files: {
    readonly fetched: number;
    readonly bytes: number;
    readonly failures: readonly MigrationFailure[];
  };
  readonly redirects: number;
  /** Pages the old site links to that it does not have (404, 410): its own broken links. */
  readonly notFound: readonly MigrationFailure[];
  /** Links in bodies to pages of the old site that did not come over, left as they were. */
  readonly externalLinks: readonly ExternalLink[];
}

/** The summary printed at the end of a run, one fact per line. */
export function summaryLines(report: MigrationReport, lang: 'zh' | 'en'): string[] {
  const c = report.counts;
  const zh = lang === 'zh';
  const lines = [
    zh
      ? `来源 ${report.source}（${report.family}）→ 站点 ${report.site}`
      : `${report.source} (${report.family}) → ${report.site}`,
    zh
      ? `页面 ${c.pagesSeen}；文章：新增 ${c.articlesImported}，更新 ${c.articlesUpdated}，跳过 ${c.articlesSkipped}，失败 ${c.articlesFailed}`
      : `pages seen ${c.pagesSeen}; articles imported ${c.articlesImported}, updated ${c.articlesUpdated}, skipped ${c.articlesSkipped}, failed ${c.articlesFailed}`,
    zh
      ? `栏目 ${report.columns.length}（新建 ${report.columns.filter((col) => col.created).length}）；文件 ${report.files.fetched} 个，${report.files.bytes} 字节，未取 ${report.files.failures.length}；跳转 ${report.redirects}；站外保留链接 ${report.externalLinks.length}`
      : `columns ${report.columns.length} (made ${report.columns.filter((col) => col.created).length}); files ${report.files.fetched}, ${report.files.bytes} bytes, not fetched ${report.files.failures.length}; redirects ${report.redirects}; links left external ${report.externalLinks.length}`,
  ];
  for (const [reason, count] of Object.entries(report.skipped))
    lines.push(`${zh ? '跳过' : 'skipped'} ${count}: ${reason}`);
  for (const failure of report.failures) lines.push(`${zh ? '失败' : 'failed'} ${failure.url}: ${failure.reason}`);
  for (const missing of report.notFound)
    lines.push(`${zh ? '原站无此页' : 'not on the old site'} ${missing.url}: ${missing.reason}`);
  for (const failure of report.files.failures)
    lines.push(`${zh ? '文件未取' : 'file not fetched'} ${failure.url}: ${failure.reason}`);
  return lines;
}
