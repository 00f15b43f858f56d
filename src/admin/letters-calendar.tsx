// 工作日历: the days off and working weekends every letter deadline counts by — the State Council's
// schedules shipped with Gazette and the platform administrator's changes (next year's schedule
// once published, a correction). Everyone may read it; platform.manage may change it.
import { useState } from 'preact/hooks';
import { api } from './api';
import { can, useApp } from './context';
import { useBusy, useLoad } from './hooks';
import { t } from './i18n';
import { formatDateTime } from './time';
import type { CalendarDay, CalendarYear } from './types';
import { AlertText, DataTable, Field, Loading, ScreenTitle, StatusText, TextArea } from './ui';

function weekday(day: string): string {
  const names = t('calendar.weekdays').split('|');
  return names[new Date(`${day}T00:00:00Z`).getUTCDay()] ?? '';
}

const KINDS: Record<string, CalendarDay['kind']> = {
  放假: 'holiday',
  休: 'holiday',
  holiday: 'holiday',
  上班: 'workday',
  班: 'workday',
  调休上班: 'workday',
  workday: 'workday',
};

/** Lines of "2027-01-01 放假 元旦" as days, or the first line that is not one. */
function parseDays(text: string): { days: CalendarDay[] } | { bad: { n: number; line: string } } {
  const days: CalendarDay[] = [];
  const lines = text.split('\n');
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '') continue;
    const m = /^(\d{4}-\d{2}-\d{2})\s+(\S+)\s*(.*)$/.exec(line);
    const kind = m?.[2] ? KINDS[m[2]] : undefined;
    if (!m?.[1] || !kind) return { bad: { n: index + 1, line } };
    days.push({ day: m[1], kind, name: (m[3] ?? '').trim() });
  }
  return { days };
}

function EnterDays({ onSaved }: { onSaved: (n: number) => void }) {
  const [text, setText] = useState('');
  const [problem, setProblem] = useState('');
  const { busy, error, run } = useBusy();
  const save = async (event: Event) => {
    event.preventDefault();
    const parsed = parseDays(text);
    if ('bad' in parsed) {
      setProblem(t('calendar.lineInvalid', parsed.bad));
      return;
    }
    setProblem('');
    if (parsed.days.length === 0) return;
    const done = await run(() => api.put<{ changed: number }>('/api/v1/calendar', { days: parsed.days }));
    if (done) {
      setText('');
      onSaved(done.changed);
    }
  };
  return (
    <form class="panel" aria-labelledby="calendar-enter-title" onSubmit={(event) => void save(event)}>
      <h2 id="calendar-enter-title">{t('calendar.enter')}</h2>
      <p class="hint" id="calendar-lines-hint">
        {t('calendar.linesHint')}
      </p>
      <TextArea id="calendar-lines" label={t('calendar.lines')} value={text} onValue={setText} required rows={5} />
      <AlertText error={problem ? null : error} text={problem} />
      <button type="submit" class="primary" id="calendar-save" disabled={busy}>
        {t('calendar.save')}
      </button>
    </form>
  );
}

export function CalendarScreen() {
  const { session, site } = useApp();
  const editor = can(session, 'platform.manage');
  const thisYear = formatDateTime(new Date().toISOString(), site.timeZone).slice(0, 4) || '2025';
  const [draft, setDraft] = useState(thisYear);
  const [year, setYear] = useState(Number(thisYear));
  const [message, setMessage] = useState('');
  const loaded = useLoad(() => api.get<CalendarYear>(`/api/v1/calendar/${year}`), [year]);
  const { busy, error, run } = useBusy();
  const remove = async (day: string) => {
    const done = await run(async () => {
      await api.del(`/api/v1/calendar/${day}`);
      return true;
    });
    if (done) {
      setMessage(t('calendar.removed', { day }));
      loaded.reload();
    }
  };
  const mark = async (complete: boolean) => {
    const done = await run(() => api.put<CalendarYear>(`/api/v1/calendar/${year}`, { complete }));
    if (done) {
      setMessage(t(complete ? 'calendar.marked' : 'calendar.unmarked', { year }));
      loaded.reload();
    }
  };
  const data = loaded.data;
  const columns = [
    t('calendar.day'),
    t('calendar.weekday'),
    t('calendar.kind'),
    t('calendar.name'),
    t('calendar.source'),
  ];
  return (
    <>
      <ScreenTitle title={t('nav.calendar')} />
      <StatusText id="calendar-status" text={message} />
      <form
        class="filters"
        onSubmit={(event) => {
          event.preventDefault();
          const chosen = Number(draft);
          if (Number.isInteger(chosen) && chosen >= 2000 && chosen <= 2100) setYear(chosen);
        }}
      >
        <Field
          id="calendar-year"
          label={t('calendar.year')}
          value={draft}
          onValue={setDraft}
          type="number"
          min={2000}
          max={2100}
          required
        />
        <button type="submit" id="calendar-show">
          {t('calendar.show')}
        </button>
      </form>
      <Loading loading={loaded.loading} error={loaded.error} />
      {data ? (
        <>
          <p id="calendar-coverage" class={data.covered ? undefined : 'notice'}>
            {data.covered ? null : <span aria-hidden="true">⚠ </span>}
            {t(data.covered ? 'calendar.covered' : 'calendar.notCovered', { year: data.year })}
          </p>
          {editor && !data.shipped ? (
            <p>
              <button
                type="button"
                id="calendar-mark"
                aria-describedby="calendar-mark-hint"
                disabled={busy}
                onClick={() => void mark(!data.covered)}
              >
                {t(data.covered ? 'calendar.unmark' : 'calendar.markComplete', { year: data.year })}
              </button>{' '}
              <span class="hint" id="calendar-mark-hint">
                {t('calendar.markHint')}
              </span>
            </p>
          ) : null}
          {data.days.length === 0 ? <p class="empty">{t('calendar.none')}</p> : null}
          {data.days.length > 0 ? (
            <DataTable
              caption={t('calendar.caption', { year: data.year })}
              class="calendar-table"
              columns={editor ? [...columns, t('common.actions')] : columns}
            >
              {data.days.map((d) => (
                <tr key={d.day}>
                  <th scope="row">{d.day}</th>
                  <td>{weekday(d.day)}</td>
                  <td>{t(d.kind === 'holiday' ? 'calendar.holiday' : 'calendar.workday')}</td>
                  <td>{d.name}</td>
                  <td>{t(d.source === 'changed' ? 'calendar.changed' : 'calendar.shipped')}</td>
                  {editor ? (
                    <td>
                      {d.source === 'changed' ? (
                        <button type="button" class="small" disabled={busy} onClick={() => void remove(d.day)}>
                          {t('calendar.remove', { day: d.day })}
                        </button>
                      ) : null}
                    </td>
                  ) : null}
                </tr>
              ))}
            </DataTable>
          ) : null}
        </>
      ) : null}
      <AlertText error={error} />
      {editor ? (
        <EnterDays
          onSaved={(n) => {
            setMessage(t('calendar.saved', { n }));
            loaded.reload();
          }}
        />
      ) : (
        <p class="hint">{t('calendar.readOnly')}</p>
      )}
    </>
  );
}
