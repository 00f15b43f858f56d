// 站点管理: the platform administrator's sites — add one (its host, name, 网站标识码, the site it
// sits under), archive it (kept, no longer served) or bring it back, remove an archived one.
import { useState } from 'preact/hooks';
import { api, chooseSite } from './api';
import { useBusy, useLoad } from './hooks';
import { getLang, t } from './i18n';
import { AlertText, ConfirmDelete, DataTable, Field, Loading, ScreenTitle, StatusText } from './ui';

interface SiteHealth {
  id: number;
  name: string;
  domain: string;
  latest: {
    at: string;
    score: number;
    passed: boolean;
    failed: { id: string; title: string; count: number | null }[];
  } | null;
}

interface PlatformSite {
  id: number;
  name: string;
  domain: string;
  hosts: string[];
  status: 'active' | 'archived';
  parentId: number | null;
  siteCode: string;
}

// This screen's own words [中文, English].
const TEXT = {
  caption: ['平台上的站点', 'Sites of the platform'],
  name: ['站点名称', 'Name'],
  host: ['域名', 'Host name'],
  hostHint: [
    '读者访问本站所用的域名，如 swj.example.gov.cn；其他域名可在添加后设置。',
    'The host readers use, e.g. swj.example.gov.cn; more can be added later.',
  ],
  code: ['网站标识码', 'Site code (网站标识码)'],
  codeHint: ['10 位字母或数字，可留空', '10 letters or digits; may be left empty'],
  parent: ['上级站点', 'Parent site'],
  none: ['（无）', '(none)'],
  status: ['状态', 'Status'],
  hosts: ['全部域名', 'All hosts'],
  actions: ['操作', 'Actions'],
  active: ['运行中', 'Active'],
  archived: ['已归档', 'Archived'],
  archive: ['归档', 'Archive'],
  activate: ['恢复', 'Bring back'],
  remove: ['删除', 'Remove'],
  confirmRemove: ['删除站点及其全部内容？', 'Remove the site and everything in it?'],
  add: ['添加站点', 'Add a site'],
  added: ['已添加站点：', 'Site added: '],
  changed: ['已保存：', 'Saved: '],
  removed: ['已删除站点：', 'Site removed: '],
  health: ['各站点健康状况', 'Health of every site'],
  score: ['得分', 'Score'],
  result: ['结果', 'Result'],
  vetoes: ['单项否决', 'Veto items failing'],
  passed: ['合格', 'Passes'],
  failed: ['不合格', 'Fails'],
  never: ['尚未检查', 'Not checked yet'],
  report: ['查看报告', 'Open the report'],
} as const;

function tr(key: keyof typeof TEXT): string {
  return TEXT[key][getLang() === 'en' ? 1 : 0];
}

export function SitesScreen() {
  const loaded = useLoad(() => api.get<{ items: PlatformSite[]; defaultSiteId: number | null }>('/api/v1/sites'), []);
  const [host, setHost] = useState('');
  const [name, setName] = useState('');
  const [code, setCode] = useState('');
  const [parentId, setParentId] = useState('');
  const [removing, setRemoving] = useState<number | null>(null);
  const [message, setMessage] = useState('');
  const { busy, error, run } = useBusy();
  const items = loaded.data?.items ?? [];
  const health = useLoad(() => api.get<{ items: SiteHealth[] }>('/api/v1/sites/health'), []);
  // A site's report is that site's health screen: switch to the site, then open it.
  const openReport = (id: number) => {
    chooseSite(id);
    window.location.assign('/admin/health');
  };
  const nameOf = (id: number | null) => items.find((s) => s.id === id)?.name ?? '';

  const add = async (event: Event) => {
    event.preventDefault();
    const parent = items.find((s) => String(s.id) === parentId);
    const made = await run(() =>
      api.post<PlatformSite>('/api/v1/sites', {
        host,
        name,
        ...(code && { siteCode: code }),
        ...(parent && { parentHost: parent.domain }),
      }),
    );
    if (made) {
      setMessage(tr('added') + made.name);
      setHost('');
      setName('');
      setCode('');
      loaded.reload();
    }
  };
  const setStatus = async (site: PlatformSite, status: PlatformSite['status']) => {
    const saved = await run(() => api.patch<PlatformSite>(`/api/v1/sites/${site.id}`, { status }));
    if (saved) {
      setMessage(tr('changed') + saved.name);
      loaded.reload();
    }
  };
  const remove = async (site: PlatformSite) => {
    setRemoving(null);
    const done = await run(async () => {
      await api.del(`/api/v1/sites/${site.id}`);
      return true;
    });
    if (done) {
      setMessage(tr('removed') + site.name);
      loaded.reload();
    }
  };

  return (
    <>
      <ScreenTitle title={t('nav.sites')} />
      <Loading loading={loaded.loading} error={loaded.error} />
      <DataTable
        caption={tr('caption')}
        class="sites-table"
        columns={[tr('name'), tr('host'), tr('hosts'), tr('parent'), tr('status'), tr('actions')]}
      >
        {items.map((site) => (
          <tr key={site.id}>
            <td>{site.name}</td>
            <td>
              <a href={`/_site/${site.domain}/`}>{site.domain}</a>
            </td>
            <td>{site.hosts.join(' ')}</td>
            <td>{nameOf(site.parentId)}</td>
            <td>{site.status === 'active' ? tr('active') : tr('archived')}</td>
            <td>
              {site.status === 'active' ? (
                <button type="button" class="small" disabled={busy} onClick={() => void setStatus(site, 'archived')}>
                  {tr('archive')}
                </button>
              ) : (
                <>
                  <button type="button" class="small" disabled={busy} onClick={() => void setStatus(site, 'active')}>
                    {tr('activate')}
                  </button>{' '}
                  {removing === site.id ? (
                    <ConfirmDelete
                      small
                      text={tr('confirmRemove')}
                      confirmId={`remove-site-${site.id}`}
                      disabled={busy}
                      onConfirm={() => void remove(site)}
                      onCancel={() => setRemoving(null)}
                    />
                  ) : (
                    <button type="button" class="small danger" disabled={busy} onClick={() => setRemoving(site.id)}>
                      {tr('remove')}
                    </button>
                  )}
                </>
              )}
            </td>
          </tr>
        ))}
      </DataTable>
      <section aria-labelledby="site-health-title">
        <h2 id="site-health-title">{tr('health')}</h2>
        <Loading loading={health.loading} error={health.error} />
        <DataTable
          caption={tr('health')}
          class="site-health-table"
          columns={[tr('name'), tr('result'), tr('score'), tr('vetoes'), tr('actions')]}
        >
          {(health.data?.items ?? []).map((line) => (
            <tr key={line.id}>
              <td>
                {line.name}（{line.domain}）
              </td>
              <td>{line.latest === null ? tr('never') : line.latest.passed ? tr('passed') : tr('failed')}</td>
              <td>{line.latest?.score ?? '—'}</td>
              <td>
                {line.latest?.failed.map((f) => (f.count === null ? f.title : `${f.title} ${f.count}`)).join('；') ??
                  ''}
              </td>
              <td>
                <button type="button" class="small" onClick={() => openReport(line.id)}>
                  {tr('report')}
                </button>
              </td>
            </tr>
          ))}
        </DataTable>
      </section>
      <section class="panel" aria-labelledby="add-site-title">
        <h2 id="add-site-title">{tr('add')}</h2>
        <form onSubmit={(event) => void add(event)}>
          <Field id="site-host" label={tr('host')} value={host} onValue={setHost} hint={tr('hostHint')} required />
          <Field id="site-name" label={tr('name')} value={name} onValue={setName} required maxLength={100} />
          <Field
            id="site-code"
            label={tr('code')}
            value={code}
            onValue={setCode}
            hint={tr('codeHint')}
            maxLength={10}
          />
          <div class="field">
            <label for="site-parent">{tr('parent')}</label>
            <select id="site-parent" value={parentId} onChange={(event) => setParentId(event.currentTarget.value)}>
              <option value="">{tr('none')}</option>
              {items.map((site) => (
                <option key={site.id} value={String(site.id)}>
                  {site.name}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" class="primary" id="add-site" disabled={busy}>
            {tr('add')}
          </button>
        </form>
      </section>
      <StatusText text={message} />
      <AlertText error={error} />
    </>
  );
}
