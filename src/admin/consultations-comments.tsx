// The comments on a consultation, each decided 采纳 / 部分采纳 / 不予采纳 with its reason and perhaps
// shown (masked) on the page; who wrote one is a separate, audited reading. Then the 反馈: its text,
// saved, and published once the consultation has closed and every comment is decided.
import { useState } from 'preact/hooks';
import { COMMENT_DECISIONS, COMMENT_DECISION_NAMES, type CommentDecision } from '../domain/consultations';
import { api } from './api';
import type { ConsultationDetail } from './consultations-detail';
import { useLoad } from './hooks';
import { t } from './i18n';
import { AlertText, Loading, StatusText, TextArea } from './ui';

interface CommentRow {
  id: number;
  receiptCode: string;
  clause: string;
  body: string;
  submittedAt: string;
  wording: { word: string; severity: string }[];
  nearDuplicateOf: number | null;
  decision: CommentDecision | null;
  reason: string;
  shown: boolean;
}

interface Commenter {
  name: string;
  phone: string;
  email: string;
  organisation: string;
}

function CommentItem({
  c,
  comment,
  earlierCode,
  onSaved,
}: {
  c: ConsultationDetail;
  comment: CommentRow;
  /** The receipt code of the earlier comment this one nearly repeats. */
  earlierCode: string | null;
  onSaved: (code: string) => void;
}) {
  const [decision, setDecision] = useState<CommentDecision | ''>(comment.decision ?? '');
  const [reason, setReason] = useState(comment.reason);
  const [shown, setShown] = useState(comment.shown);
  const [commenter, setCommenter] = useState<Commenter | null>(null);
  const [error, setError] = useState<unknown>(null);
  const prefix = `comment-${comment.id}`;
  const base = `/api/v1/consultations/${c.id}/comments/${comment.id}`;
  const save = async (event: Event) => {
    event.preventDefault();
    setError(null);
    try {
      await api.put(base, { decision: decision === '' ? null : decision, reason, shown });
      onSaved(comment.receiptCode);
    } catch (failure) {
      setError(failure);
    }
  };
  const reveal = async () => {
    try {
      setCommenter(await api.get<Commenter>(`${base}/commenter`));
    } catch (failure) {
      setError(failure);
    }
  };
  return (
    <li class="consultation-comment" aria-labelledby={`${prefix}-title`}>
      <h3 id={`${prefix}-title`}>{t('consultations.comment', { code: comment.receiptCode })}</h3>
      {comment.clause ? <p lang="zh-CN">{t('consultations.clause', { clause: comment.clause })}</p> : null}
      <p class="letter-note" lang="zh-CN">
        {comment.body}
      </p>
      {comment.wording.length > 0 ? (
        <p class="notice warning" lang="zh-CN">
          {t('consultations.wording', { words: comment.wording.map((w) => w.word).join('、') })}
        </p>
      ) : null}
      {earlierCode ? <p class="notice warning">{t('consultations.nearDuplicate', { code: earlierCode })}</p> : null}
      {commenter ? (
        <p lang="zh-CN" id={`${prefix}-commenter`}>
          {t('consultations.commenterText', {
            name: commenter.name,
            phone: commenter.phone,
            email: commenter.email ? `，${commenter.email}` : '',
            organisation: commenter.organisation ? `，${commenter.organisation}` : '',
          })}
        </p>
      ) : (
        <button type="button" class="small" id={`${prefix}-reveal`} onClick={() => void reveal()}>
          {t('consultations.commenter')}
        </button>
      )}
      <form onSubmit={(event) => void save(event)}>
        <div class="field">
          <label for={`${prefix}-decision`}>{t('consultations.decision')}</label>
          <select
            id={`${prefix}-decision`}
            value={decision}
            onChange={(event) => setDecision(event.currentTarget.value as CommentDecision | '')}
          >
            <option value="">{t('consultations.undecided')}</option>
            {COMMENT_DECISIONS.map((d) => (
              <option key={d} value={d} lang="zh-CN">
                {COMMENT_DECISION_NAMES[d]}
              </option>
            ))}
          </select>
        </div>
        <TextArea
          id={`${prefix}-reason`}
          label={t('consultations.reason')}
          value={reason}
          onValue={setReason}
          rows={2}
        />
        <div class="check">
          <input
            id={`${prefix}-shown`}
            type="checkbox"
            checked={shown}
            onChange={(event) => setShown(event.currentTarget.checked)}
          />{' '}
          <label for={`${prefix}-shown`}>{t('consultations.shown')}</label>
        </div>
        <button type="submit" class="small" id={`${prefix}-save`}>
          {t('consultations.decide')}
        </button>
      </form>
      <AlertText error={error} id={`${prefix}-error`} />
    </li>
  );
}

function Feedback({ c, onChanged }: { c: ConsultationDetail; onChanged: (c: ConsultationDetail) => void }) {
  const [text, setText] = useState(c.feedbackText);
  const [status, setStatus] = useState('');
  const [error, setError] = useState<unknown>(null);
  const run = async (work: () => Promise<ConsultationDetail>, done: string) => {
    setError(null);
    try {
      onChanged(await work());
      setStatus(done);
    } catch (failure) {
      setError(failure);
    }
  };
  const base = `/api/v1/consultations/${c.id}/feedback`;
  return (
    <section aria-labelledby="consultation-feedback-title">
      <h2 id="consultation-feedback-title">{t('consultations.feedback')}</h2>
      {c.feedback ? (
        <div id="consultation-feedback" lang="zh-CN">
          <p>{c.feedback.headline}</p>
          {c.feedback.text.split(/\n+/).map((line, index) => (
            <p key={index}>{line}</p>
          ))}
        </div>
      ) : (
        <>
          <p class="hint">{t('consultations.feedbackWhen')}</p>
          <TextArea
            id="consultation-feedback-text"
            label={t('consultations.feedbackText')}
            value={text}
            onValue={setText}
            rows={6}
          />
          <button
            type="button"
            id="consultation-feedback-save"
            onClick={() => void run(() => api.put<ConsultationDetail>(base, { text }), t('consultations.saved'))}
          >
            {t('consultations.feedbackSave')}
          </button>{' '}
          <button
            type="button"
            id="consultation-feedback-publish"
            onClick={() =>
              void run(() => api.post<ConsultationDetail>(`${base}/publish`), t('consultations.feedbackPublished'))
            }
          >
            {t('consultations.feedbackPublish')}
          </button>
        </>
      )}
      <StatusText text={status} id="consultation-feedback-status" />
      <AlertText error={error} id="consultation-feedback-error" />
    </section>
  );
}

export function ConsultationComments({
  c,
  onChanged,
}: {
  c: ConsultationDetail;
  onChanged: (c: ConsultationDetail) => void;
}) {
  const list = useLoad(
    () => api.get<{ items: CommentRow[] }>(`/api/v1/consultations/${c.id}/comments`),
    [c.id, c.updatedAt],
  );
  const [status, setStatus] = useState('');
  return (
    <>
      <section aria-labelledby="consultation-comments-title">
        <h2 id="consultation-comments-title">{t('consultations.comments')}</h2>
        <Loading loading={list.loading} error={list.error} />
        {list.data && list.data.items.length === 0 ? <p class="empty">{t('consultations.noComments')}</p> : null}
        <ol class="consultation-comments">
          {list.data?.items.map((comment) => (
            <CommentItem
              key={comment.id}
              c={c}
              comment={comment}
              earlierCode={list.data?.items.find((x) => x.id === comment.nearDuplicateOf)?.receiptCode ?? null}
              onSaved={(code) => setStatus(t('consultations.decided', { code }))}
            />
          ))}
        </ol>
        <StatusText text={status} id="consultation-comments-status" />
      </section>
      <Feedback c={c} onChanged={onChanged} />
    </>
  );
}
