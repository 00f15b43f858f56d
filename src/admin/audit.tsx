// 审计日志: the append-only log, filterable, with a check that no entry was altered or removed.
import { useState } from 'preact/hooks';
import { api } from './api';
import { useApp } from './context';
import { useBusy, useFilters, useLoad } from './hooks';
import { t } from './i18n';
import { formatDateTime } from './time';
import type { AuditEntry, AuditVerify, Page } from './types';
import { AlertText, DataTable, Field, Loading, Pagination, ScreenTitle, StatusText } from './ui';

interface Filters {
  user: string;
  action: string;
  article: string;
  from: string;
  to: string;
}
const EMPTY: Filters = { user: '', action: '', article: '', from: '', to: '' };

function target(entry: AuditEntry): string {
  return entry.targetId ? `${entry.targetType} #${entry.targetId}` : entry.targetType;
}

function VerifyButton() {
  const [result, setResult] = useState<AuditVerify | null>(null);
  const { busy, error, run } = useBusy();
  const verify = () =>
    run(async () => {
      setResult(null);
      setResult(await api.get<AuditVerify>('/api/v1/audit/verify'));
    });
  const ok = result?.ok ? t('audit.verifyOk', { n: result.entries }) : '';
  const bad = result && !result.ok ? t('audit.verifyBad', { seq: result.firstBadSeq ?? '?', n: result.entries }) : '';
  return (
    <div class="verify">
      <button type="button" id="audit-verify" disabled={busy} onClick={() => void verify()}>
        {t('audit.verify')}
      </button>
      <StatusText id="audit-verify-status" text={busy ? t('audit.verifying') : ok} />
      <AlertText id="audit-verify-alert" error={error} text={bad} />
    </div>
  );
}

export function AuditScreen() {
  const { site } = useApp();
  const { draft, applied, page, setPage, set, apply } = useFilters<Filters>(EMPTY);
  const list = useLoad(() => api.get<Page<AuditEntry>>('/api/v1/audit', { ...applied, page }), [applied, page]);

  return (
    <>
      <ScreenTitle title={t('nav.audit')} />
      <VerifyButton />
      <form class="filters" onSubmit={apply} role="search" aria-label={t('audit.filters')}>
        <Field id="audit-user" label={t('audit.userHint')} value={draft.user} onValue={(user) => set({ user })} />
        <Field id="audit-action" label={t('audit.action')} value={draft.action} onValue={(action) => set({ action })} />
        <Field
          id="audit-article"
          label={t('audit.article')}
          type="number"
          min={1}
          value={draft.article}
          onValue={(article) => set({ article })}
        />
        <Field
          id="audit-from"
          label={t('audit.from')}
          type="date"
          value={draft.from}
          onValue={(from) => set({ from })}
        />
        <Field id="audit-to" label={t('audit.to')} type="date" value={draft.to} onValue={(to) => set({ to })} />
        <button type="submit" id="audit-apply">
          {t('common.filter')}
        </button>
      </form>
      <Loading loading={list.loading} error={list.error} />
      {list.data ? (
        <>
          <DataTable
            class="audit-table"
            caption={t('nav.audit')}
            columns={[
              t('audit.seq'),
              t('audit.at'),
              t('audit.user'),
              t('audit.action'),
              t('audit.target'),
              t('audit.details'),
              'IP',
            ]}
          >
            {list.data.items.map((entry) => (
              <tr key={entry.seq}>
                <th scope="row">{entry.seq}</th>
                <td>{formatDateTime(entry.at, site.timeZone, true)}</td>
                <td>{entry.userName}</td>
                <td>
                  <code>{entry.action}</code>
                </td>
                <td>{target(entry)}</td>
                <td>
                  <code class="details">{JSON.stringify(entry.details)}</code>
                </td>
                <td>{entry.ip ?? ''}</td>
              </tr>
            ))}
          </DataTable>
          {list.data.items.length === 0 ? <p class="empty">{t('common.none')}</p> : null}
          <Pagination page={list.data.page} pageSize={list.data.pageSize} total={list.data.total} onPage={setPage} />
        </>
      ) : null}
    </>
  );
}
