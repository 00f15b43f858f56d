// Article lists shared by the dashboard, the article list and the review queue.
import { useApp } from './context';
import { t } from './i18n';
import { statusLabel } from './labels';
import { Link } from './router';
import { formatDateTime } from './time';
import type { ArticleSummary } from './types';
import { DataTable } from './ui';

/** reviewLevel counts the levels passed; while submitted, the one under way is the next. */
export function levelUnderReview(article: ArticleSummary): number {
  return Math.min(article.reviewLevel + 1, article.reviewLevels);
}

function reviewProgress(article: ArticleSummary): string {
  return article.status === 'submitted'
    ? ` ${t('article.reviewLevel', { level: levelUnderReview(article), levels: article.reviewLevels })}`
    : '';
}

export function ArticleTable({ items, caption }: { items: ArticleSummary[]; caption: string }) {
  const { site } = useApp();
  if (items.length === 0) return <p class="empty">{t('common.none')}</p>;
  return (
    <DataTable
      caption={caption}
      columns={[t('field.title'), t('field.channelId'), t('field.status'), t('field.createdBy'), t('field.updatedAt')]}
    >
      {items.map((article) => (
        <tr key={article.id}>
          <th scope="row">
            <Link to={`/articles/${article.id}`}>{article.title || t('article.untitled')}</Link>
          </th>
          <td>{article.channelName}</td>
          <td>
            <span class={`badge status-${article.status}`}>{statusLabel(article.status)}</span>
            {reviewProgress(article)}
          </td>
          <td>{article.createdByName}</td>
          <td>{formatDateTime(article.updatedAt, site.timeZone)}</td>
        </tr>
      ))}
    </DataTable>
  );
}

/** A compact list (dashboard): title link, then channel, status and time. */
export function ArticleLinks({ items }: { items: ArticleSummary[] }) {
  const { site } = useApp();
  if (items.length === 0) return <p class="empty">{t('common.none')}</p>;
  return (
    <ul class="article-links">
      {items.map((article) => (
        <li key={article.id}>
          <Link to={`/articles/${article.id}`}>{article.title || t('article.untitled')}</Link>
          <span class="meta">
            {article.channelName} · {statusLabel(article.status)} ·{' '}
            {formatDateTime(article.publishedAt ?? article.updatedAt, site.timeZone)}
          </span>
        </li>
      ))}
    </ul>
  );
}
