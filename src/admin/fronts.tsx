// 前端服务器: the web servers in the DMZ that published pages are pushed to (分发) — each one's
// state and how far behind it is (the platform administrator's) — and the tamper events
// (网页防篡改) they report, which the platform administrator and each site's administrator mark
// handled. Fronts are added and removed on the command line only: that needs the front's token
// file on the CMS machine.
import { useState } from 'preact/hooks';
import type { FrontEventView, FrontStateName, FrontStatus } from '../services/fronts/views';
import { api } from './api';
import { can, useApp } from './context';
import { useBusy, useLoad } from './hooks';
import { getLang, t } from './i18n';
import { formatDateTime } from './time';
import { AlertText, DataTable, Loading, ScreenTitle, StatusText, TextArea, focusLater } from './ui';

// The API's own shapes (its TypeBox schemas), not a second description of them.
type FrontState = FrontStateName;
type FrontEvent = FrontEventView;
type TamperKind = FrontEventView['kind'];

// This screen's own words [中文, English].
const TEXT = {
  cliNote: [
    '前端服务器的添加和删除须在内容管理服务器上用命令完成（需要与该前端服务器共享的令牌文件）：',
    'Front servers are added and removed with a command on the CMS machine (it needs the token file shared with that front):',
  ],
  fronts: ['前端服务器状态', 'Front servers'],
  name: ['名称', 'Name'],
  url: ['地址', 'Address'],
  sites: ['服务的站点', 'Sites served'],
  allSites: ['全部站点', 'Every site'],
  state: ['状态', 'State'],
  lag: ['同步进度', 'Lag'],
  lastContact: ['最近联系', 'Last contact'],
  lastSweep: ['最近全量校验', 'Last full sweep'],
  unhandled: ['未处理事件', 'Unhandled events'],
  noFronts: [
    '尚未配置前端服务器：网站由内容管理服务器直接对外提供。',
    'No front server yet: the CMS serves the sites itself.',
  ],
  upToDate: ['已同步', 'Up to date'],
  behind: ['落后 {n} 项变更，最早的已等待 {age}', 'Behind by {n} changes, the oldest waiting for {age}'],
  never: ['从未', 'Never'],
  diskFull: [
    '{name} 磁盘已满：它继续提供原有页面，新发布的内容尚未送达，请清理磁盘。',
    '{name} has a full disk: it keeps serving the pages it had, new changes have not reached it. Free some space.',
  ],
  events: ['防篡改事件', 'Tamper events'],
  onlyUnhandled: ['只看未处理的', 'Unhandled only'],
  noEvents: ['没有防篡改事件。', 'No tamper events.'],
  time: ['时间', 'Time'],
  front: ['前端服务器', 'Front server'],
  site: ['站点', 'Site'],
  path: ['路径', 'Path'],
  kind: ['类型', 'Kind'],
  restored: ['恢复', 'Restored'],
  yes: ['已恢复', 'Restored'],
  no: ['未恢复', 'Not restored'],
  detail: ['详情', 'Detail'],
  showDiff: ['查看差异', 'Show the changes'],
  showDetail: ['查看说明', 'Show the description'],
  kept: ['外来文件隔离保存于 {path}', 'The foreign file is kept at {path}'],
  handling: ['处理', 'Handling'],
  handle: ['标记为已处理', 'Mark handled'],
  handleNamed: ['标记为已处理：{path}', 'Mark handled: {path}'],
  note: ['处理说明', 'What was done'],
  confirm: ['确认已处理', 'Confirm'],
  handledBy: ['已处理（{who}，{time}）', 'Handled ({who}, {time})'],
  console: ['命令行', 'the console'],
  handledNow: ['已标记为已处理：{path}', 'Marked handled: {path}'],
} as const;

const STATES: Record<FrontState, readonly [string, string]> = {
  new: ['尚未连接', 'Not reached yet'],
  ok: ['正常', 'Up to date'],
  behind: ['正在同步', 'Catching up'],
  down: ['无法连接，正在重试', 'Unreachable, retrying'],
  refused: ['推送被拒绝', 'Push refused'],
  'disk-full': ['磁盘已满', 'Disk full'],
};

const KINDS: Record<TamperKind, readonly [string, string]> = {
  modified: ['文件被改动', 'File changed'],
  removed: ['文件被删除', 'File deleted'],
  added: ['出现未发布的文件', 'Unpublished file appeared'],
  symlink: ['出现符号链接', 'Symbolic link planted'],
  directory: ['目录被改动', 'Folder changed'],
};

const pick = (pair: readonly [string, string]) => pair[getLang() === 'en' ? 1 : 0];

function tr(key: keyof typeof TEXT, params: Record<string, string | number> = {}): string {
  return pick(TEXT[key]).replace(/\{(\w+)\}/g, (whole, name: string) => String(params[name] ?? whole));
}

/** A duration in words: 45 秒, 3 分钟, 2 小时, 4 天. */
function age(seconds: number): string {
  const en = getLang() === 'en';
  if (seconds < 60) return en ? `${seconds} s` : `${seconds} 秒`;
  if (seconds < 3600) return en ? `${Math.floor(seconds / 60)} min` : `${Math.floor(seconds / 60)} 分钟`;
  if (seconds < 86_400) return en ? `${Math.floor(seconds / 3600)} h` : `${Math.floor(seconds / 3600)} 小时`;
  return en ? `${Math.floor(seconds / 86_400)} days` : `${Math.floor(seconds / 86_400)} 天`;
}

export function FrontsScreen() {
  const { session } = useApp();
  const platform = can(session, 'platform.manage');
  return (
    <>
      <ScreenTitle title={t('nav.fronts')} />
      {platform ? <FrontsTable /> : null}
      <TamperEvents platform={platform} />
    </>
  );
}

function FrontsTable() {
  const { site } = useApp();
  const loaded = useLoad(() => api.get<{ items: FrontStatus[] }>('/api/v1/fronts'), []);
  const items = loaded.data?.items ?? [];
  const time = (iso: string | null) => (iso === null ? tr('never') : formatDateTime(iso, site.timeZone, true));
  return (
    <section aria-labelledby="fronts-title">
      <h2 id="fronts-title">{tr('fronts')}</h2>
      <p class="hint" id="fronts-cli">
        {tr('cliNote')}
      </p>
      <pre aria-describedby="fronts-cli">
        <code>{'gazette front add URL --name NAME --token-file FILE [--sites HOST,…]\ngazette front remove NAME'}</code>
      </pre>
      <Loading loading={loaded.loading} error={loaded.error} />
      {items
        .filter((front) => front.state === 'disk-full')
        .map((front) => (
          <p key={front.id} class="notice">
            {tr('diskFull', { name: front.name })}
          </p>
        ))}
      {loaded.data && items.length === 0 ? <p>{tr('noFronts')}</p> : null}
      {items.length > 0 ? (
        <DataTable
          caption={tr('fronts')}
          class="fronts-table"
          columns={[
            tr('name'),
            tr('url'),
            tr('sites'),
            tr('state'),
            tr('lag'),
            tr('lastContact'),
            tr('lastSweep'),
            tr('unhandled'),
          ]}
        >
          {items.map((front) => (
            <tr key={front.id}>
              <th scope="row">{front.name}</th>
              <td>{front.url}</td>
              <td>
                {front.allSites ? tr('allSites') : front.sites.map((s) => s.name).join(t('common.listSeparator'))}
              </td>
              <td>
                {pick(STATES[front.state])}
                {front.lastError ? <span class="hint">（{front.lastError}）</span> : null}
              </td>
              <td>
                {front.behind === 0
                  ? tr('upToDate')
                  : tr('behind', { n: front.behind, age: age(front.behindSeconds ?? 0) })}
              </td>
              <td>{time(front.lastContactAt)}</td>
              <td>{time(front.lastSweepAt)}</td>
              <td>{front.unhandledEvents}</td>
            </tr>
          ))}
        </DataTable>
      ) : null}
    </section>
  );
}

function TamperEvents({ platform }: { platform: boolean }) {
  const { site } = useApp();
  const [unhandledOnly, setUnhandledOnly] = useState(false);
  const [open, setOpen] = useState<number | null>(null);
  const [note, setNote] = useState('');
  const [message, setMessage] = useState('');
  const { busy, error, run } = useBusy();
  const loaded = useLoad(
    () => api.get<{ items: FrontEvent[] }>('/api/v1/fronts/events', { unhandled: unhandledOnly }),
    [unhandledOnly],
  );
  // The platform administrator sees every site's events: each is named by its site.
  const sites = useLoad(
    () =>
      platform
        ? api.get<{ items: { id: number; name: string }[] }>('/api/v1/sites').then((answer) => answer.items)
        : Promise.resolve([]),
    [platform],
  );
  const siteName = (id: number) => sites.data?.find((s) => s.id === id)?.name ?? `#${id}`;
  const items = loaded.data?.items ?? [];

  const handle = async (event: FrontEvent, submitted: Event) => {
    submitted.preventDefault();
    const done = await run(() => api.post<FrontEvent>(`/api/v1/fronts/events/${event.id}/handle`, { note }));
    if (done) {
      setOpen(null);
      setNote('');
      setMessage(tr('handledNow', { path: done.path }));
      loaded.reload();
      // The form that had focus is gone: the list's heading takes it.
      focusLater('tamper-events-title');
    }
  };

  const columns = [tr('time'), tr('front'), ...(platform ? [tr('site')] : []), tr('path'), tr('kind')];
  return (
    <section aria-labelledby="tamper-events-title">
      <h2 id="tamper-events-title" tabIndex={-1}>
        {tr('events')}
      </h2>
      <div class="field checkbox">
        <input
          id="events-unhandled"
          type="checkbox"
          checked={unhandledOnly}
          onChange={(e) => setUnhandledOnly(e.currentTarget.checked)}
        />
        <label for="events-unhandled">{tr('onlyUnhandled')}</label>
      </div>
      <Loading loading={loaded.loading} error={loaded.error} />
      {loaded.data && items.length === 0 ? <p>{tr('noEvents')}</p> : null}
      {items.length > 0 ? (
        <DataTable
          caption={tr('events')}
          class="tamper-events"
          columns={[...columns, tr('restored'), tr('detail'), tr('handling')]}
        >
          {items.map((event) => (
            <tr key={event.id}>
              <td>{formatDateTime(event.at, site.timeZone, true)}</td>
              <td>{event.frontName}</td>
              {platform ? <td>{siteName(event.siteId)}</td> : null}
              <th scope="row">
                <code>{event.path}</code>
              </th>
              <td>{pick(KINDS[event.kind])}</td>
              <td>{event.restored ? tr('yes') : tr('no')}</td>
              <td>
                <details>
                  <summary>{isDiff(event.detail) ? tr('showDiff') : tr('showDetail')}</summary>
                  {isDiff(event.detail) ? <Diff text={event.detail} /> : <p>{event.detail}</p>}
                  {event.quarantine ? <p class="hint">{tr('kept', { path: event.quarantine })}</p> : null}
                </details>
              </td>
              <td>
                {event.handledAt !== null ? (
                  <>
                    <span>
                      {tr('handledBy', {
                        who: event.handledBy ?? tr('console'),
                        time: formatDateTime(event.handledAt, site.timeZone),
                      })}
                    </span>
                    {event.note ? <p class="comment-body">{event.note}</p> : null}
                  </>
                ) : open === event.id ? (
                  <form onSubmit={(submitted) => void handle(event, submitted)}>
                    <TextArea id={`handle-note-${event.id}`} label={tr('note')} value={note} onValue={setNote} />
                    <button type="submit" class="small primary" disabled={busy}>
                      {tr('confirm')}
                    </button>{' '}
                    <button type="button" class="small" onClick={() => setOpen(null)}>
                      {t('common.cancel')}
                    </button>
                  </form>
                ) : (
                  <button
                    type="button"
                    class="small"
                    aria-label={tr('handleNamed', { path: event.path })}
                    onClick={() => {
                      setOpen(event.id);
                      setNote('');
                      focusLater(`handle-note-${event.id}`);
                    }}
                  >
                    {tr('handle')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      ) : null}
      <StatusText text={message} />
      <AlertText error={error} />
    </section>
  );
}

/** A unified diff (what the front sends for a changed text file), rather than a description. */
const isDiff = (detail: string) => /^@@ /m.test(detail);

/** The diff with each added line in <ins> and each removed one in <del>: marked without colour too. */
function Diff({ text }: { text: string }) {
  return (
    <pre class="diff tamper-diff">
      {text
        .replace(/\n$/, '')
        .split('\n')
        .map((line, index) => {
          const header = line.startsWith('+++') || line.startsWith('---');
          if (!header && line.startsWith('+')) return <ins key={index}>{`${line}\n`}</ins>;
          if (!header && line.startsWith('-')) return <del key={index}>{`${line}\n`}</del>;
          return <span key={index}>{`${line}\n`}</span>;
        })}
    </pre>
  );
}
