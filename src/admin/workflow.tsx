// The review and publishing decisions on an article, shown only when the user may take them
// and the article's status allows them. The server checks again; these just avoid dead buttons.
import { useState } from 'preact/hooks';
import { can, useApp } from './context';
import { t } from './i18n';
import { fromInputValue } from './time';
import type { ArticleView } from './types';
import { AlertText, Field, TextArea } from './ui';

export type WorkflowAction = 'submit' | 'approve' | 'reject' | 'publish' | 'withdraw';
export type RunAction = (action: WorkflowAction, body: Record<string, string>) => Promise<boolean>;

interface Props {
  article: ArticleView;
  run: RunAction;
  busy: boolean;
}

/** A text some steps cannot go without (a reason, a comment): its value and whether it was missing. */
function useRequiredText(id: string) {
  const [value, setValue] = useState('');
  const [missing, setMissing] = useState(false);
  /** The trimmed text; null, with focus moved to the field, when there is none. */
  const take = (): string | null => {
    const text = value.trim();
    setMissing(!text);
    if (!text) document.getElementById(id)?.focus();
    return text || null;
  };
  return { value, setValue, missing, setMissing, take };
}

/** `{ at }` for a datetime-local value in the site's zone; nothing (= now) when it is empty. */
function atOf(value: string, timeZone: string): Record<string, string> {
  const when = value ? fromInputValue(value, timeZone) : null;
  return when ? { at: when } : {};
}

function ReviewPanel({ article, run, busy }: Props) {
  const { session } = useApp();
  const comment = useRequiredText('review-comment');
  const mayApprove = article.status === 'submitted' && can(session, 'article.approve');
  // An approved article can still be sent back before it is published.
  const mayReject =
    (article.status === 'submitted' || article.status === 'approved') && can(session, 'article.approve');
  if (!mayReject) return null;

  const approve = async () => {
    comment.setMissing(false);
    const text = comment.value.trim();
    if (await run('approve', text ? { comment: text } : {})) comment.setValue('');
  };
  const reject = async () => {
    // Sending an article back without saying why helps nobody; the API requires it too.
    const text = comment.take();
    if (text && (await run('reject', { comment: text }))) comment.setValue('');
  };

  return (
    <section class="panel" aria-labelledby="review-title">
      <h2 id="review-title">{t('workflow.review')}</h2>
      <TextArea id="review-comment" label={t('workflow.comment')} value={comment.value} onValue={comment.setValue} />
      <AlertText text={comment.missing ? t('workflow.commentRequired') : ''} />
      <div class="actions">
        {mayApprove ? (
          <button type="button" id="approve" class="primary" disabled={busy} onClick={() => void approve()}>
            {t('workflow.approve')}
          </button>
        ) : null}
        <button type="button" id="reject" class="danger" disabled={busy} onClick={() => void reject()}>
          {t('workflow.reject')}
        </button>
      </div>
    </section>
  );
}

function PublishPanel({ article, run, busy }: Props) {
  const { session, site } = useApp();
  const [at, setAt] = useState('');
  if (article.status !== 'approved' || !can(session, 'article.publish')) return null;

  return (
    <section class="panel" aria-labelledby="publish-title">
      <h2 id="publish-title">{t('workflow.publishTitle')}</h2>
      <Field
        id="publish-at"
        label={t('workflow.publishAt')}
        type="datetime-local"
        value={at}
        onValue={setAt}
        hint={t('workflow.publishAtHint')}
      />
      <div class="actions">
        <button
          type="button"
          id="publish"
          class="primary"
          disabled={busy}
          onClick={() => void run('publish', atOf(at, site.timeZone))}
        >
          {t('workflow.publish')}
        </button>
      </div>
    </section>
  );
}

function WithdrawPanel({ article, run, busy }: Props) {
  const { session, site } = useApp();
  const reason = useRequiredText('withdraw-reason');
  const [at, setAt] = useState('');
  if (article.status !== 'published' || !can(session, 'article.withdraw')) return null;

  const withdraw = async () => {
    const text = reason.take();
    if (!text) return;
    // With a time set the server schedules it: the article stays published until then.
    if (await run('withdraw', { reason: text, ...atOf(at, site.timeZone) })) {
      reason.setValue('');
      setAt('');
    }
  };

  return (
    <section class="panel" aria-labelledby="withdraw-title">
      <h2 id="withdraw-title">{t('workflow.withdrawTitle')}</h2>
      <TextArea
        id="withdraw-reason"
        label={t('workflow.withdrawReason')}
        value={reason.value}
        onValue={reason.setValue}
        required
      />
      <AlertText text={reason.missing ? t('workflow.reasonRequired') : ''} />
      <Field
        id="withdraw-at"
        label={t('workflow.withdrawAt')}
        type="datetime-local"
        value={at}
        onValue={setAt}
        hint={t('workflow.withdrawAtHint')}
      />
      <div class="actions">
        <button type="button" id="withdraw" class="danger" disabled={busy} onClick={() => void withdraw()}>
          {t('workflow.withdraw')}
        </button>
      </div>
    </section>
  );
}

export function WorkflowPanels(props: Props) {
  return (
    <>
      <ReviewPanel {...props} />
      <PublishPanel {...props} />
      <WithdrawPanel {...props} />
    </>
  );
}
