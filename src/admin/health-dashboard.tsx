// 网站健康: the latest health report (单项否决 and scored items, what to do), broken links with the
// article to fix, column freshness, and charts. The charts' code (ECharts) is fetched on first use.
import { api } from './api';
import { can, useApp } from './context';
import { useBusy, useLoad } from './hooks';
import { t, type MessageKey } from './i18n';
import { lazy } from './lazy';
import { Link } from './router';
import { formatDateTime } from './time';
import type { HealthOverview, HealthReport } from './health-types';
import { AlertText, DataTable, Loading, ScreenTitle, StatusText } from './ui';

const HealthCharts = lazy(() => import('./health-charts').then((module) => module.HealthCharts));

/** The link check's reasons are stable English words (the CLI prints them); the screen says them in its language. */
const REASONS: Readonly<Record<string, MessageKey>> = {
  'no such page': 'health.reason.notFound',
  'article withdrawn': 'health.reason.withdrawn',
  'media file missing': 'health.reason.media',
  'theme asset missing': 'health.reason.asset',
};

function reasonText(reason: string): string {
  const key = REASONS[reason];
  return key ? t(key) : reason;
}

function ItemList({ items }: { items: string[] }) {
  if (items.length === 0) return null;
  return (
    <ul class="health-items">
      {items.map((item, i) => (
        <li key={i}>{item}</li>
      ))}
    </ul>
  );
}

/** The 防篡改 item's events are handled on the 前端服务器 screen (its site's administrator may). */
function TamperLink({ id, canManage }: { id: string; canManage: boolean }) {
  if (id !== 'tamper' || !canManage) return null;
  return (
    <p>
      <Link to="/fronts">{t('health.tamperEvents')}</Link>
    </p>
  );
}

function VetoTable({ report, canManage }: { report: HealthReport; canManage: boolean }) {
  return (
    <section aria-labelledby="health-vetoes">
      <h2 id="health-vetoes">{t('health.vetoes')}</h2>
      <DataTable
        class="health-table"
        caption={t('health.vetoes')}
        columns={[t('health.item'), t('health.state'), t('health.count'), t('health.detail'), t('health.todo')]}
      >
        {report.vetoes.map((v) => (
          <tr key={v.id} class={`state-${v.state}`}>
            <th scope="row">{v.title}</th>
            <td>
              <span class={`badge state-${v.state}`}>{t(`health.state.${v.state}` as MessageKey)}</span>
            </td>
            <td>{v.count === null ? '—' : v.threshold === null ? v.count : `${v.count} / ${v.threshold}`}</td>
            <td>
              {v.detail}
              <ItemList items={v.items} />
            </td>
            <td>
              {v.todo}
              <TamperLink id={v.id} canManage={canManage} />
            </td>
          </tr>
        ))}
      </DataTable>
    </section>
  );
}

/** The 政策解读 item counts with the site's own limit: its administrator finds the setting from the row. */
function LimitLink({ id, canManage }: { id: string; canManage: boolean }) {
  if (id !== 'interpretations' || !canManage) return null;
  return (
    <p>
      <Link to="/site">{t('health.interpretationLimit')}</Link>
    </p>
  );
}

function ScoredTable({ report, canManage }: { report: HealthReport; canManage: boolean }) {
  return (
    <section aria-labelledby="health-scored">
      <h2 id="health-scored">{t('health.scored')}</h2>
      <p>{t('health.scoreNote')}</p>
      <DataTable
        class="health-table"
        caption={t('health.scored')}
        columns={[t('health.item'), t('health.state'), t('health.count'), t('health.penalty'), t('health.todo')]}
      >
        {report.scored.map((s) => (
          <tr key={s.id}>
            <th scope="row">{s.title}</th>
            <td>
              <span class={`badge state-${s.state}`}>{t(`health.state.${s.state}` as MessageKey)}</span>
            </td>
            <td>{s.count ?? '—'}</td>
            <td>
              {`-${s.penalty}`} <small>{t('health.penaltyRule', { per: s.perItem, max: s.maxPenalty })}</small>
            </td>
            <td>
              {s.todo}
              <ItemList items={s.items} />
              <LimitLink id={s.id} canManage={canManage} />
            </td>
          </tr>
        ))}
      </DataTable>
    </section>
  );
}

function LinkTable({ report }: { report: HealthReport }) {
  const findings = report.links.findings;
  return (
    <section aria-labelledby="health-links">
      <h2 id="health-links">{t('health.links')}</h2>
      {findings.length === 0 ? (
        <p class="empty">{t('health.noLinks')}</p>
      ) : (
        <DataTable
          class="health-table"
          caption={t('health.links')}
          columns={[
            t('health.page'),
            t('health.article'),
            t('health.url'),
            t('health.kind'),
            t('health.status'),
            t('health.reason'),
          ]}
        >
          {findings.map((f, i) => (
            <tr key={i}>
              <th scope="row">
                <code>{f.pagePath}</code>
              </th>
              <td>
                {f.articleId === null ? (
                  '—'
                ) : (
                  <Link to={`/articles/${f.articleId}`}>
                    {t('health.fix')}《{f.articleTitle ?? f.articleId}》
                  </Link>
                )}
              </td>
              <td>
                <code class="details">{f.url}</code>
              </td>
              <td>{t(`health.kind.${f.kind}`)}</td>
              <td>{f.status ?? '—'}</td>
              <td>{reasonText(f.reason)}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}

function ColumnTable({ report, timeZone }: { report: HealthReport; timeZone: string }) {
  return (
    <section aria-labelledby="health-columns">
      <h2 id="health-columns">{t('health.columns')}</h2>
      <DataTable
        class="health-table"
        caption={t('health.columns')}
        columns={[
          t('health.chart.column'),
          t('health.rule'),
          t('health.lastUpdate'),
          t('health.age'),
          t('health.state'),
        ]}
      >
        {report.columns.map((c) => (
          <tr key={c.channelId}>
            <th scope="row">
              {c.name} <code>{c.path}</code>
            </th>
            <td>{t(`channels.rule.${c.rule}`)}</td>
            <td>{c.lastUpdate ? formatDateTime(c.lastUpdate, timeZone) : '—'}</td>
            <td>{c.ageDays ?? '—'}</td>
            <td>
              <span class={`badge col-${c.state}`}>{t(`health.col.${c.state}`)}</span>
            </td>
          </tr>
        ))}
      </DataTable>
    </section>
  );
}

function RunNow({ onDone }: { onDone: () => void }) {
  const { busy, error, run } = useBusy();
  const start = () =>
    run(async () => {
      await api.post<HealthReport>('/api/v1/health/run', {});
      onDone();
    });
  return (
    <div class="actions">
      <button type="button" id="health-run" class="primary" disabled={busy} onClick={() => void start()}>
        {t('health.runNow')}
      </button>
      <StatusText id="health-run-status" text={busy ? t('health.running') : ''} />
      <AlertText error={error} />
    </div>
  );
}

export function HealthDashboardScreen() {
  const { site, session } = useApp();
  const overview = useLoad(() => api.get<HealthOverview>('/api/v1/health'), []);
  const report = overview.data?.latest ?? null;
  const failed = report?.vetoes.filter((v) => v.state === 'fail').length ?? 0;
  return (
    <>
      <ScreenTitle title={t('nav.health')} />
      {can(session, 'site.manage') ? <RunNow onDone={overview.reload} /> : null}
      <Loading loading={overview.loading} error={overview.error} />
      {overview.data && !report ? <p>{t('health.never')}</p> : null}
      {report ? (
        <>
          <p id="health-summary" class={report.passed ? 'health-passed' : 'health-failed'}>
            {t('health.summary', {
              at: formatDateTime(report.at, site.timeZone),
              result: report.passed ? t('health.passed') : t('health.failed', { n: failed }),
              score: report.score,
            })}
          </p>
          <VetoTable report={report} canManage={can(session, 'site.manage')} />
          <ScoredTable report={report} canManage={can(session, 'site.manage')} />
          <LinkTable report={report} />
          <ColumnTable report={report} timeZone={site.timeZone} />
        </>
      ) : null}
      {overview.data ? (
        <section aria-labelledby="health-charts">
          <h2 id="health-charts">{t('health.charts')}</h2>
          <HealthCharts overview={overview.data} timeZone={site.timeZone} />
        </section>
      ) : null}
    </>
  );
}
