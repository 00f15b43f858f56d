// 来信办理提醒: the letters of the user's desk or units nearing or past their deadline, or nearing
// the 3-month veto, on the dashboard; each links to the letter.
import { api } from './api';
import { useLoad } from './hooks';
import { getLang, t } from './i18n';
import { Link } from './router';
import type { Items, LetterAlertItem } from './types';
import { Loading } from './ui';

function urgency(alert: LetterAlertItem['alert']): string {
  return alert === 'deadline-100' || alert === 'veto-90' ? 'due-late' : 'due-soon';
}

export function LetterAlertsPanel() {
  const { data, error, loading } = useLoad(() => api.get<Items<LetterAlertItem>>('/api/v1/letter-alerts'), []);
  return (
    <section aria-labelledby="dash-letterAlerts" class="panel letter-alerts">
      <h2 id="dash-letterAlerts">{t('dashboard.letterAlerts')}</h2>
      <Loading loading={loading} error={error} />
      {data && data.items.length === 0 ? <p class="empty">{t('dashboard.noLetterAlerts')}</p> : null}
      {data && data.items.length > 0 ? (
        <ul>
          {data.items.map((item) => (
            <li key={item.id}>
              <Link to={`/letters/${item.letterId}`}>{item.title}</Link>
              <br />
              <span class={urgency(item.alert)}>{getLang() === 'en' ? item.label.en : item.label.zh}</span>{' '}
              {t('dashboard.letterAlertMeta', {
                code: item.queryCode,
                unit: item.unit ? item.unit.name : t('dashboard.letterAlertNoUnit'),
              })}
              {item.dueDay ? t('dashboard.letterAlertDue', { day: item.dueDay }) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
