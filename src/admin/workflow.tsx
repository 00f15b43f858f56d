// The review and publishing decisions on an article, shown only when the user may take them
// and the article's status allows them. The server checks again; these just avoid dead buttons.
import { useState } from 'preact/hooks';
import { can, useApp } from './context';
import { t } from './i18n';
import { fromInputValue } from './time';
import type { ArticleView } from './types';
import { AlertText, TextArea } from './ui';

export type WorkflowAction = 'submit' | 'approve' | 'reject' | 'publish' | 'withdraw';
export type RunAction = (action: WorkflowAction, body: Record<string, string>) => Promise<boolean>;

interface Props { article: ArticleView; run: RunAction; busy: boolean }

function ReviewPanel({ article, run, busy }: Props) {
  const { session } = useApp();
  const [comment, setComment] = useState('');
  const [missing, setMissing] = useState(false);
  const mayApprove = article.status === 'submitted' && can(session, 'article.approve');
  // An approved article can still be sent back before it is published.
  const mayReject = (article.status === 'submitted' || article.status === 'approved') && can(session, 'article.approve');
  if (!mayReject) return null;

  const approve = async () => {
    setMissing(false);
    if (await run('approve', comment.trim() ? { comment: comment.trim() } : {})) setComment('');
  };
  const reject = async () => {
    // Sending an article back without saying why helps nobody; the API requires it too.
    setMissing(!comment.trim());
    if (!comment.trim()) return document.getElementById('review-comment')?.focus();
    if (await run('reject', { comment: comment.trim() })) setComment('');
  };

  return (
    <section class="panel" aria-labelledby="review-title">
      <h2 id="review-title">{t('workflow.review')}</h2>
      <TextArea id="review-comment" label={t('workflow.comment')} value={comment} onValue={setComment} />
      <AlertText text={missing ? t('workflow.commentRequired') : ''} />
      <div class="actions">
        {mayApprove ? <button type="button" id="approve" class="primary" disabled={busy} onClick={approve}>{t('workflow.approve')}</button> : null}
        <button type="button" id="reject" class="danger" disabled={busy} onClick={reject}>{t('workflow.reject')}</button>
      </div>
    </section>
  );
}

function PublishPanel({ article, run, busy }: Props) {
  const { session, site } = useApp();
  const [at, setAt] = useState('');
  if (article.status !== 'approved' || !can(session, 'article.publish')) return null;

  const publish = () => {
    const when = at ? fromInputValue(at, site.timeZone) : null;
    void run('publish', when ? { at: when } : {});
  };

  return (
    <section class="panel" aria-labelledby="publish-title">
      <h2 id="publish-title">{t('workflow.publishTitle')}</h2>
      <div class="field">
        <label for="publish-at">{t('workflow.publishAt')}</label>
        <input id="publish-at" name="publish-at" type="datetime-local" value={at} aria-describedby="publish-at-hint"
          onInput={(e) => setAt(e.currentTarget.value)} />
        <p class="hint" id="publish-at-hint">{t('workflow.publishAtHint')}</p>
      </div>
      <div class="actions">
        <button type="button" id="publish" class="primary" disabled={busy} onClick={publish}>{t('workflow.publish')}</button>
      </div>
    </section>
  );
}

function WithdrawPanel({ article, run, busy }: Props) {
  const { session } = useApp();
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  if (article.status !== 'published' || !can(session, 'article.withdraw')) return null;

  const withdraw = async () => {
    setMissing(!reason.trim());
    if (!reason.trim()) return document.getElementById('withdraw-reason')?.focus();
    if (await run('withdraw', { reason: reason.trim() })) setReason('');
  };

  return (
    <section class="panel" aria-labelledby="withdraw-title">
      <h2 id="withdraw-title">{t('workflow.withdrawTitle')}</h2>
      <TextArea id="withdraw-reason" label={t('workflow.withdrawReason')} value={reason} onValue={setReason} required />
      <AlertText text={missing ? t('workflow.reasonRequired') : ''} />
      <div class="actions">
        <button type="button" id="withdraw" class="danger" disabled={busy} onClick={withdraw}>{t('workflow.withdraw')}</button>
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
