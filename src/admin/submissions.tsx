// 信息报送: a department's or town's editors submit articles to another site's column and see what
// became of each; the receiving site's editors adopt them (as a placement of the original, or as
// a draft copy to edit) or return them with a reason.
import { useState } from 'preact/hooks';
import { api, withQuery } from './api';
import { can, useApp } from './context';
import { useBusy, useChannels, useLoad } from './hooks';
import { channelOptions } from './labels';
import { getLang, t } from './i18n';
import { statusLabel } from './labels';
import { navigate } from './router';
import type { SubmissionTarget, SubmissionView } from './sharing-types';
import { formatDateTime } from './time';
import type { ArticleSummary, Page } from './types';
import { AlertText, DataTable, Field, Loading, ScreenTitle, StatusText } from './ui';

const TEXT = {
  submit: ['报送文章', 'Submit an article'],
  article: ['文章', 'Article'],
  target: ['报送到', 'Submit to'],
  note: ['附言', 'Note'],
  send: ['报送', 'Submit'],
  sentOk: ['已报送：', 'Submitted: '],
  noTargets: ['目前没有接收报送的栏目。', 'No column takes submissions yet.'],
  inbox: ['报送稿件', 'Submissions received'],
  sent: ['已报送', 'Submitted by this site'],
  title: ['标题', 'Title'],
  from: ['报送单位', 'From'],
  column: ['栏目', 'Column'],
  time: ['报送时间', 'Submitted'],
  state: ['状态', 'State'],
  actions: ['操作', 'Actions'],
  pending: ['待处理', 'Pending'],
  adopted: ['已采用', 'Adopted'],
  returned: ['已退回', 'Returned'],
  adoptPlacement: ['采用（引用原文）', 'Adopt (show the original)'],
  adoptCopy: ['采用并编辑', 'Adopt and edit a copy'],
  return: ['退回', 'Return'],
  reason: ['退回原因', 'Reason for returning'],
  confirmReturn: ['确认退回', 'Return it'],
  cancel: ['取消', 'Cancel'],
  adoptedOk: ['已采用：', 'Adopted: '],
  returnedOk: ['已退回：', 'Returned: '],
  nothing: ['暂无', 'None'],
  points: ['分', 'pts'],
  stats: ['报送统计', 'Statistics'],
  open: ['接收报送的栏目', 'Columns that take submissions'],
  openHint: [
    '其他站点可以向这些栏目报送文章；采用一篇计所填积分。',
    'Other sites may submit articles to these columns; an adopted one earns the points set.',
  ],
  openColumn: ['开放栏目', 'Open a column'],
  close: ['关闭', 'Close'],
  save: ['保存', 'Save'],
  pointsLabel: ['每篇采用积分', 'Points per adopted article'],
  saved: ['已保存：', 'Saved: '],
} as const;

function tr(key: keyof typeof TEXT): string {
  return TEXT[key][getLang() === 'en' ? 1 : 0];
}

function stateText(s: SubmissionView): string {
  if (s.status === 'pending') return tr('pending');
  if (s.status === 'returned') return `${tr('returned')}：${s.reason}`;
  return `${tr('adopted')}（${s.adoptedStatus ? statusLabel(s.adoptedStatus) : '—'}）`;
}

export function SubmissionsScreen() {
  const { session, site } = useApp();
  const canSubmit = can(session, 'article.submit');
  const [message, setMessage] = useState('');
  const inbox = useLoad(
    () => api.get<Page<SubmissionView>>(withQuery('/api/v1/submissions', { box: 'inbox', pageSize: 100 })),
    [],
  );
  const sent = useLoad(
    () => api.get<Page<SubmissionView>>(withQuery('/api/v1/submissions', { box: 'sent', pageSize: 100 })),
    [],
  );
  return (
    <>
      <ScreenTitle title={t('nav.submissions')}>
        <a
          href="/admin/submissions/stats"
          onClick={(event) => {
            event.preventDefault();
            navigate('/submissions/stats');
          }}
        >
          {tr('stats')}
        </a>
      </ScreenTitle>
      <StatusText text={message} id="submission-status" />
      <Inbox
        items={inbox.data?.items ?? null}
        loading={inbox.loading}
        error={inbox.error}
        onDone={(text) => {
          setMessage(text);
          inbox.reload();
        }}
      />
      {can(session, 'channel.manage') ? <OpenColumns onDone={setMessage} /> : null}
      {canSubmit ? (
        <SubmitForm
          onSent={(text) => {
            setMessage(text);
            sent.reload();
          }}
        />
      ) : null}
      <section aria-labelledby="sent-title">
        <h2 id="sent-title">{tr('sent')}</h2>
        <Loading loading={sent.loading} error={sent.error} />
        <DataTable
          caption={tr('sent')}
          class="sent-table"
          columns={[tr('title'), tr('target'), tr('time'), tr('state')]}
        >
          {(sent.data?.items ?? []).map((s) => (
            <tr key={s.id}>
              <td>{s.title}</td>
              <td>
                {s.site.name} · {s.channelName}
              </td>
              <td>{formatDateTime(s.submittedAt, site.timeZone)}</td>
              <td>{stateText(s)}</td>
            </tr>
          ))}
        </DataTable>
      </section>
    </>
  );
}

function SubmitForm({ onSent }: { onSent: (text: string) => void }) {
  const targets = useLoad(() => api.get<{ items: SubmissionTarget[] }>('/api/v1/submissions/targets'), []);
  const mine = useLoad(
    () => api.get<Page<ArticleSummary>>(withQuery('/api/v1/articles', { status: 'published', pageSize: 100 })),
    [],
  );
  const [articleId, setArticleId] = useState('');
  const [target, setTarget] = useState('');
  const [note, setNote] = useState('');
  const { busy, error, run } = useBusy();
  const list = targets.data?.items ?? [];
  const send = async (event: Event) => {
    event.preventDefault();
    const made = await run(() =>
      api.post<SubmissionView>('/api/v1/submissions', {
        articleId: Number(articleId),
        channelId: Number(target),
        ...(note && { note }),
      }),
    );
    if (made) {
      setNote('');
      onSent(`${tr('sentOk')}${made.title} → ${made.site.name} · ${made.channelName}`);
    }
  };
  return (
    <section class="panel" aria-labelledby="submit-title">
      <h2 id="submit-title">{tr('submit')}</h2>
      <Loading loading={targets.loading} error={targets.error} />
      {targets.data && list.length === 0 ? (
        <p>{tr('noTargets')}</p>
      ) : (
        <form onSubmit={(event) => void send(event)}>
          <div class="field">
            <label for="submit-article">{tr('article')}</label>
            <select
              id="submit-article"
              required
              value={articleId}
              onChange={(event) => setArticleId(event.currentTarget.value)}
            >
              <option value="">—</option>
              {(mine.data?.items ?? []).map((a) => (
                <option key={a.id} value={String(a.id)}>
                  {a.title}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="submit-target">{tr('target')}</label>
            <select
              id="submit-target"
              required
              value={target}
              onChange={(event) => setTarget(event.currentTarget.value)}
            >
              <option value="">—</option>
              {list.map((c) => (
                <option key={c.channelId} value={String(c.channelId)}>
                  {c.site.name} · {c.channelName}
                  {c.points > 0 ? `（${c.points}${tr('points')}）` : ''}
                </option>
              ))}
            </select>
          </div>
          <Field id="submit-note" label={tr('note')} value={note} onValue={setNote} maxLength={500} />
          <button type="submit" class="primary" id="submit-send" disabled={busy}>
            {tr('send')}
          </button>
        </form>
      )}
      <AlertText error={error} />
    </section>
  );
}

function Inbox({
  items,
  loading,
  error,
  onDone,
}: {
  items: SubmissionView[] | null;
  loading: boolean;
  error: unknown;
  onDone: (text: string) => void;
}) {
  const { site } = useApp();
  const [returning, setReturning] = useState<number | null>(null);
  const [reason, setReason] = useState('');
  const busy = useBusy();
  const adopt = async (s: SubmissionView, as: 'placement' | 'copy') => {
    const done = await busy.run(() => api.post<SubmissionView>(`/api/v1/submissions/${s.id}/adopt`, { as }));
    if (!done) return;
    // A copy is a draft of this site: its editor opens it to edit and submit for review.
    if (as === 'copy' && done.copyId !== null) navigate(`/articles/${done.copyId}`);
    else onDone(tr('adoptedOk') + done.title);
  };
  const giveBack = async (s: SubmissionView, event: Event) => {
    event.preventDefault();
    const done = await busy.run(() => api.post<SubmissionView>(`/api/v1/submissions/${s.id}/return`, { reason }));
    if (done) {
      setReturning(null);
      setReason('');
      onDone(tr('returnedOk') + done.title);
    }
  };
  return (
    <section aria-labelledby="inbox-title">
      <h2 id="inbox-title">{tr('inbox')}</h2>
      <Loading loading={loading} error={error} />
      {items && items.length === 0 ? <p>{tr('nothing')}</p> : null}
      <DataTable
        caption={tr('inbox')}
        class="inbox-table"
        columns={[tr('title'), tr('from'), tr('column'), tr('note'), tr('time'), tr('state'), tr('actions')]}
      >
        {(items ?? []).map((s) => (
          <tr key={s.id}>
            <td>{s.title}</td>
            <td>{s.fromSite.name}</td>
            <td>{s.channelName}</td>
            <td>{s.note}</td>
            <td>{formatDateTime(s.submittedAt, site.timeZone)}</td>
            <td>{stateText(s)}</td>
            <td>
              {s.status !== 'pending' ? null : returning === s.id ? (
                <form class="inline-form" onSubmit={(event) => void giveBack(s, event)}>
                  <Field
                    id={`return-reason-${s.id}`}
                    label={tr('reason')}
                    value={reason}
                    onValue={setReason}
                    required
                    maxLength={2000}
                  />
                  <button type="submit" class="small danger" disabled={busy.busy}>
                    {tr('confirmReturn')}
                  </button>{' '}
                  <button type="button" class="small" onClick={() => setReturning(null)}>
                    {tr('cancel')}
                  </button>
                </form>
              ) : (
                <>
                  <button type="button" class="small" disabled={busy.busy} onClick={() => void adopt(s, 'placement')}>
                    {tr('adoptPlacement')}
                  </button>{' '}
                  <button type="button" class="small" disabled={busy.busy} onClick={() => void adopt(s, 'copy')}>
                    {tr('adoptCopy')}
                  </button>{' '}
                  <button
                    type="button"
                    class="small danger"
                    disabled={busy.busy}
                    onClick={() => {
                      setReturning(s.id);
                      setReason('');
                    }}
                  >
                    {tr('return')}
                  </button>
                </>
              )}
            </td>
          </tr>
        ))}
      </DataTable>
      <AlertText error={busy.error} />
    </section>
  );
}

function OpenColumns({ onDone }: { onDone: (text: string) => void }) {
  const open = useLoad(
    () =>
      api.get<{ items: { channelId: number; channelName: string; points: number }[] }>('/api/v1/submission-columns'),
    [],
  );
  const channels = useChannels();
  const [channelId, setChannelId] = useState('');
  const [points, setPoints] = useState('0');
  const { busy, error, run } = useBusy();
  const lists = channelOptions(channels.data ?? []).filter((option) => option.channel.type === 'list');
  const save = async (id: number, isOpen: boolean, value: number) => {
    const done = await run(() =>
      api.put<{ open: boolean; points: number }>(`/api/v1/channels/${id}/submissions`, {
        open: isOpen,
        ...(isOpen && { points: value }),
      }),
    );
    if (done) {
      onDone(tr('saved') + (lists.find((o) => o.id === id)?.channel.name ?? ''));
      open.reload();
    }
  };
  return (
    <section class="panel" aria-labelledby="open-columns-title">
      <h2 id="open-columns-title">{tr('open')}</h2>
      <p class="hint">{tr('openHint')}</p>
      <Loading loading={open.loading} error={open.error} />
      <DataTable
        caption={tr('open')}
        class="open-columns-table"
        columns={[tr('column'), tr('pointsLabel'), tr('actions')]}
      >
        {(open.data?.items ?? []).map((c) => (
          <tr key={c.channelId}>
            <td>{c.channelName}</td>
            <td>{c.points}</td>
            <td>
              <button type="button" class="small" disabled={busy} onClick={() => void save(c.channelId, false, 0)}>
                {tr('close')}
              </button>
            </td>
          </tr>
        ))}
      </DataTable>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void save(Number(channelId), true, Number(points));
        }}
      >
        <div class="field">
          <label for="open-column">{tr('column')}</label>
          <select
            id="open-column"
            required
            value={channelId}
            onChange={(event) => setChannelId(event.currentTarget.value)}
          >
            <option value="">—</option>
            {lists.map((option) => (
              <option key={option.id} value={String(option.id)}>
                {option.label}
              </option>
            ))}
          </select>
        </div>
        <Field
          id="open-points"
          label={tr('pointsLabel')}
          value={points}
          onValue={setPoints}
          type="number"
          min={0}
          max={1000}
          required
        />
        <button type="submit" class="primary" id="open-save" disabled={busy}>
          {tr('openColumn')}
        </button>
      </form>
      <AlertText error={error} />
    </section>
  );
}
