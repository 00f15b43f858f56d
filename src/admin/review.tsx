// 审核: articles waiting for this user's review or for publishing. Decisions happen in the editor,
// where the whole article can be read first.
import { useState } from 'preact/hooks';
import { ArticleTable } from './article-table';
import { api } from './api';
import { can, useApp } from './context';
import { useLoad } from './hooks';
import { t, type MessageKey } from './i18n';
import type { ArticleSummary, Page } from './types';
import { Loading, Pagination, ScreenTitle } from './ui';

type Queue = 'review' | 'publish';

function QueueSection({ queue, label }: { queue: Queue; label: MessageKey }) {
  const [page, setPage] = useState(1);
  const list = useLoad(() => api.get<Page<ArticleSummary>>('/api/v1/articles', { queue, page }), [page]);
  const headingId = `queue-${queue}`;
  return (
    <section aria-labelledby={headingId} class="panel">
      <h2 id={headingId}>
        {t(label)}
        {list.data ? ` (${list.data.total})` : ''}
      </h2>
      <Loading loading={list.loading} error={list.error} />
      {list.data ? (
        <>
          <ArticleTable items={list.data.items} caption={t(label)} />
          {list.data.total > list.data.pageSize ? (
            <Pagination page={list.data.page} pageSize={list.data.pageSize} total={list.data.total} onPage={setPage} />
          ) : null}
        </>
      ) : null}
    </section>
  );
}

export function ReviewScreen() {
  const { session } = useApp();
  return (
    <>
      <ScreenTitle title={t('nav.review')} />
      {can(session, 'article.approve') ? <QueueSection queue="review" label="review.awaitingReview" /> : null}
      {can(session, 'article.publish') ? <QueueSection queue="publish" label="review.awaitingPublish" /> : null}
    </>
  );
}
