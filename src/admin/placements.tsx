// 引用稿件: articles of other columns and sites shown in this site's columns. Each goes through the
// receiving column's review (审核, 签发) like an article of its own; withdrawing takes it off the
// column, never off its home site. An editor places an article here by its number.
import { useState } from 'preact/hooks';
import { api } from './api';
import { can, useApp } from './context';
import { useBusy, useChannels, useLoad } from './hooks';
import { getLang, t } from './i18n';
import { channelOptions, statusLabel } from './labels';
import type { PlacementView } from './sharing-types';
import { formatDateTime } from './time';
import { AlertText, DataTable, Field, Loading, ScreenTitle, StatusText } from './ui';

const TEXT = {
  caption: ['本站栏目中的引用文章', "Articles placed in this site's columns"],
  title: ['标题', 'Title'],
  home: ['所在站点', 'Home site'],
  column: ['引用到栏目', 'Placed in'],
  state: ['状态', 'State'],
  shown: ['正在显示', 'On the list'],
  hidden: ['未显示', 'Not shown'],
  updated: ['更新时间', 'Changed'],
  actions: ['操作', 'Actions'],
  approve: ['审核通过', 'Approve'],
  reject: ['退回', 'Reject'],
  publish: ['签发', 'Publish'],
  withdraw: ['撤下', 'Withdraw'],
  remove: ['删除', 'Remove'],
  place: ['引用文章', 'Place an article'],
  articleId: ['文章编号', 'Article number'],
  articleHint: [
    '任一站点已发布文章的编号（见文章地址末尾的数字）',
    'The number of a published article of any site (the digits at the end of its address)',
  ],
  target: ['栏目', 'Column'],
  add: ['引用', 'Place'],
  done: ['已完成：', 'Done: '],
  why: ['原因', 'Reason'],
  nothing: ['暂无', 'None'],
} as const;

function tr(key: keyof typeof TEXT): string {
  return TEXT[key][getLang() === 'en' ? 1 : 0];
}

type Step = 'approve' | 'reject' | 'publish' | 'withdraw';

export function PlacementsScreen() {
  const { session, site } = useApp();
  const loaded = useLoad(() => api.get<{ items: PlacementView[] }>('/api/v1/placements'), []);
  const channels = useChannels();
  const [articleId, setArticleId] = useState('');
  const [channelId, setChannelId] = useState('');
  const [asking, setAsking] = useState<{ id: number; step: Step } | null>(null);
  const [why, setWhy] = useState('');
  const [message, setMessage] = useState('');
  const { busy, error, run } = useBusy();
  const items = loaded.data?.items ?? [];
  const lists = channelOptions(channels.data ?? []).filter((option) => option.channel.type === 'list');

  const step = async (placement: PlacementView, name: Step, text?: string) => {
    const body = name === 'reject' ? { comment: text } : name === 'withdraw' ? { reason: text } : {};
    const done = await run(() => api.post<PlacementView>(`/api/v1/placements/${placement.id}/${name}`, body));
    if (done) {
      setAsking(null);
      setWhy('');
      setMessage(`${tr('done')}${tr(name)} · ${done.title}`);
      loaded.reload();
    }
  };
  const place = async (event: Event) => {
    event.preventDefault();
    const made = await run(() =>
      api.post<PlacementView>('/api/v1/placements', { articleId: Number(articleId), channelId: Number(channelId) }),
    );
    if (made) {
      setArticleId('');
      setMessage(`${tr('done')}${tr('place')} · ${made.title} → ${made.channelName}`);
      loaded.reload();
    }
  };
  const buttons = (p: PlacementView) => {
    const can2 = (action: string) => can(session, action);
    const out: Step[] = [];
    if (p.status === 'submitted' && can2('article.approve')) out.push('approve', 'reject');
    if (p.status === 'approved' && can2('article.publish')) out.push('publish', 'reject');
    if (p.status === 'published' && can2('article.withdraw')) out.push('withdraw');
    return out;
  };

  return (
    <>
      <ScreenTitle title={t('nav.placements')} />
      <Loading loading={loaded.loading} error={loaded.error} />
      {loaded.data && items.length === 0 ? <p>{tr('nothing')}</p> : null}
      <DataTable
        caption={tr('caption')}
        class="placements-table"
        columns={[tr('title'), tr('home'), tr('column'), tr('state'), tr('updated'), tr('actions')]}
      >
        {items.map((p) => (
          <tr key={p.id}>
            <td>{p.url ? <a href={p.url}>{p.title}</a> : p.title}</td>
            <td>
              {p.homeSite.name} · {p.homeChannelName}
            </td>
            <td>{p.channelName}</td>
            <td>
              {statusLabel(p.status)}（{p.live ? tr('shown') : tr('hidden')}）
            </td>
            <td>{formatDateTime(p.updatedAt, site.timeZone)}</td>
            <td>
              {asking?.id === p.id ? (
                <form
                  class="inline-form"
                  onSubmit={(event) => {
                    event.preventDefault();
                    void step(p, asking.step, why);
                  }}
                >
                  <Field
                    id={`placement-why-${p.id}`}
                    label={tr('why')}
                    value={why}
                    onValue={setWhy}
                    required
                    maxLength={2000}
                  />
                  <button type="submit" class="small danger" disabled={busy}>
                    {tr(asking.step)}
                  </button>
                </form>
              ) : (
                buttons(p).map((name) => (
                  <button
                    key={name}
                    type="button"
                    class="small"
                    disabled={busy}
                    onClick={() =>
                      name === 'reject' || name === 'withdraw'
                        ? setAsking({ id: p.id, step: name })
                        : void step(p, name)
                    }
                  >
                    {tr(name)}
                  </button>
                ))
              )}
            </td>
          </tr>
        ))}
      </DataTable>
      {can(session, 'article.edit') ? (
        <section class="panel" aria-labelledby="place-title">
          <h2 id="place-title">{tr('place')}</h2>
          <form onSubmit={(event) => void place(event)}>
            <Field
              id="place-article"
              label={tr('articleId')}
              value={articleId}
              onValue={setArticleId}
              hint={tr('articleHint')}
              required
              inputMode="numeric"
              pattern="[0-9]+"
            />
            <div class="field">
              <label for="place-channel">{tr('target')}</label>
              <select
                id="place-channel"
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
            <button type="submit" class="primary" id="place-add" disabled={busy}>
              {tr('add')}
            </button>
          </form>
        </section>
      ) : null}
      <StatusText text={message} />
      <AlertText error={error} />
    </>
  );
}
