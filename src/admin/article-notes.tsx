// What the editor shows about an article besides its fields: status line, review comments,
// and the version-conflict notice.
import { levelUnderReview } from './article-table';
import { useApp } from './context';
import { errorText, t } from './i18n';
import { actionLabel, fieldLabel, statusLabel } from './labels';
import { Link } from './router';
import { formatDateTime } from './time';
import type { ApiError } from './api';
import type { ArticleView, Comment } from './types';

export function StatusLine({ article }: { article: ArticleView }) {
  const { site } = useApp();
  const tz = site.timeZone;
  return (
    <dl class="status-line">
      <div>
        <dt>{t('field.status')}</dt>
        <dd>
          <span class={`badge status-${article.status}`} id="article-status">
            {statusLabel(article.status)}
          </span>
        </dd>
      </div>
      {article.status === 'submitted' && article.reviewLevels > 0 ? (
        <div>
          <dt>{t('article.review')}</dt>
          <dd>{t('article.reviewLevel', { level: levelUnderReview(article), levels: article.reviewLevels })}</dd>
        </div>
      ) : null}
      {article.publishedAt ? (
        <div>
          <dt>{t('field.publishedAt')}</dt>
          <dd>{formatDateTime(article.publishedAt, tz)}</dd>
        </div>
      ) : null}
      <div>
        <dt>{t('field.updatedAt')}</dt>
        <dd>{formatDateTime(article.updatedAt, tz)}</dd>
      </div>
      {article.scheduledPublishAt ? (
        <div>
          <dt>{t('article.scheduledPublish')}</dt>
          <dd>{formatDateTime(article.scheduledPublishAt, tz)}</dd>
        </div>
      ) : null}
      {article.scheduledWithdrawAt ? (
        <div>
          <dt>{t('article.scheduledWithdraw')}</dt>
          <dd>{formatDateTime(article.scheduledWithdrawAt, tz)}</dd>
        </div>
      ) : null}
      {article.withdrawReason ? (
        <div>
          <dt>{t('workflow.withdrawReason')}</dt>
          <dd>{article.withdrawReason}</dd>
        </div>
      ) : null}
      {article.url && article.status === 'published' ? (
        <div>
          <dt>{t('article.publicPage')}</dt>
          <dd>
            <a href={article.url} target="_blank" rel="noopener">
              {article.url}
            </a>
          </dd>
        </div>
      ) : null}
      <div>
        <dt>{t('article.history')}</dt>
        <dd>
          <Link to={`/articles/${article.id}/revisions`} id="revisions-link">
            {t('article.revisions')}
          </Link>
        </dd>
      </div>
    </dl>
  );
}

export function CommentsList({ comments }: { comments: Comment[] }) {
  const { site } = useApp();
  return (
    <section class="panel" aria-labelledby="comments-title">
      <h2 id="comments-title">{t('article.comments')}</h2>
      {comments.length === 0 ? (
        <p class="empty">{t('common.none')}</p>
      ) : (
        <ol class="comments">
          {comments.map((comment) => (
            <li key={comment.id}>
              <p class="meta">
                <span>{formatDateTime(comment.at, site.timeZone)}</span> · <span>{comment.userName}</span> ·{' '}
                <strong>{actionLabel(comment.action)}</strong>
              </p>
              {comment.body ? <p class="comment-body">{comment.body}</p> : null}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/** Someone saved first: the server's words, which fields they changed, and their version on offer. */
export function ConflictNotice({ conflict, onLoad }: { conflict: ApiError; onLoad: () => void }) {
  return (
    <div class="conflict" role="alert">
      <p>{errorText(conflict)}</p>
      <p>{t('editor.conflictUnsaved')}</p>
      {conflict.changed.length > 0 ? (
        <p>
          {t('editor.conflictFields')}
          {conflict.changed.map(fieldLabel).join(t('common.listSeparator'))}
        </p>
      ) : null}
      <button type="button" id="load-latest" onClick={onLoad}>
        {t('editor.loadLatest')}
      </button>
    </div>
  );
}
