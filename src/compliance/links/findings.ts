import type { Kysely } from 'kysely';
import type { Database } from '../../store/index.js';
import { LINK_KINDS, type LinkKind } from './classify.js';
import type { LinkFinding } from './check.js';

export interface StoredFinding extends LinkFinding {
  readonly checkedAt: string;
}

/** Replaces the findings of these pages (all of the site's when `pages` is 'all') with new ones, in one transaction. */
export async function replaceFindings(
  db: Kysely<Database>,
  siteId: number,
  pages: readonly string[] | 'all',
  findings: readonly LinkFinding[],
  now: Date,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    let remove = trx.deleteFrom('linkFinding').where('siteId', '=', siteId);
    if (pages !== 'all') {
      if (pages.length === 0) return;
      remove = remove.where('pagePath', 'in', pages);
    }
    await remove.execute();
    // Article pages of articles deleted meanwhile keep their finding without the article.
    const ids = [...new Set(findings.flatMap((f) => (f.articleId === null ? [] : [f.articleId])))];
    const existing =
      ids.length === 0
        ? new Set<number>()
        : new Set((await trx.selectFrom('article').select('id').where('id', 'in', ids).execute()).map((r) => r.id));
    for (let i = 0; i < findings.length; i += 200) {
      const rows = findings.slice(i, i + 200).map((f) => ({
        siteId,
        pagePath: f.pagePath,
        articleId: f.articleId !== null && existing.has(f.articleId) ? f.articleId : null,
        url: f.url,
        kind: f.kind,
        status: f.status,
        reason: f.reason,
        checkedAt: now.toISOString(),
      }));
      await trx.insertInto('linkFinding').values(rows).execute();
    }
  });
}

function toKind(value: string): LinkKind {
  return LINK_KINDS.find((k) => k === value) ?? 'internal';
}

/** The site's current findings, by page then address. */
export async function listFindings(db: Kysely<Database>, siteId: number): Promise<StoredFinding[]> {
  const rows = await db
    .selectFrom('linkFinding')
    .selectAll()
    .where('siteId', '=', siteId)
    .orderBy('pagePath')
    .orderBy('url')
    .execute();
  return rows.map((r) => ({
    pagePath: r.pagePath,
    articleId: r.articleId,
    url: r.url,
    kind: toKind(r.kind),
    status: r.status,
    reason: r.reason,
    checkedAt: r.checkedAt,
  }));
}
