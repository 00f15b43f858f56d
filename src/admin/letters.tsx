// 互动交流: the letters from the public the user may see (the office: the site's; a handler: their
// units'), newest first, by status, with the deadline in working days and what the intake flagged.
import { useApp } from './context';
import { useFilters, useStatusPage } from './hooks';
import { t } from './i18n';
import { DueText, FlagList, LetterStatusText, letterStatusLabel, letterTypeLabel } from './letters-parts';
import { Link } from './router';
import { formatDateTime } from './time';
import { LETTER_STATUSES, type LetterRow, type LetterStatus } from './types';
import { DataTable, Loading, Pagination, ScreenTitle } from './ui';

function StatusTabs({ status, onStatus }: { status: LetterStatus | ''; onStatus: (s: LetterStatus | '') => void }) {
  const choices: (LetterStatus | '')[] = ['', ...LETTER_STATUSES];
  return (
    <div class="status-tabs" role="group" aria-label={t('letters.filterStatus')}>
      {choices.map((choice) => (
        <button
          key={choice || 'all'}
          type="button"
          id={`letters-tab-${choice || 'all'}`}
          aria-pressed={choice === status}
          onClick={() => onStatus(choice)}
        >
          {choice ? letterStatusLabel(choice) : t('common.all')}
        </button>
      ))}
    </div>
  );
}

function LetterTable({ items, caption }: { items: LetterRow[]; caption: string }) {
  const { site } = useApp();
  return (
    <DataTable
      caption={caption}
      class="letters-table"
      columns={[
        t('letters.col.title'),
        t('letters.col.type'),
        t('letters.col.status'),
        t('letters.col.unit'),
        t('letters.col.received'),
        t('letters.col.due'),
        t('letters.col.flags'),
      ]}
    >
      {items.map((letter) => (
        <tr
          key={letter.id}
          class={letter.remainingWorkingDays !== null && letter.remainingWorkingDays < 0 ? 'late' : undefined}
        >
          <th scope="row">
            <Link to={`/letters/${letter.id}`}>{letter.title}</Link>
          </th>
          <td>{letterTypeLabel(letter.type)}</td>
          <td>
            <LetterStatusText letter={letter} />
          </td>
          <td>{letter.unit ? letter.unit.name : '—'}</td>
          <td>{formatDateTime(letter.receivedAt, site.timeZone).slice(0, 10)}</td>
          <td>
            <DueText letter={letter} />
          </td>
          <td>
            <FlagList flags={letter.flags} />
          </td>
        </tr>
      ))}
    </DataTable>
  );
}

function LetterSearch({
  draft,
  set,
  onSubmit,
}: {
  draft: Search;
  set: (patch: Partial<Search>) => void;
  onSubmit: (event: Event) => void;
}) {
  return (
    <form class="filters" onSubmit={onSubmit} role="search" aria-label={t('letters.search')}>
      <div class="field">
        <label for="letters-q">{t('letters.searchText')}</label>
        <input
          id="letters-q"
          name="q"
          type="search"
          maxLength={50}
          value={draft.q}
          onInput={(e) => set({ q: e.currentTarget.value })}
        />
      </div>
      <div class="field checkbox">
        <input
          id="letters-overdue"
          name="overdue"
          type="checkbox"
          checked={draft.overdue}
          onChange={(e) => set({ overdue: e.currentTarget.checked })}
        />
        <label for="letters-overdue">{t('letters.overdueOnly')}</label>
      </div>
      <button type="submit" id="letters-search">
        {t('common.filter')}
      </button>
    </form>
  );
}

interface Search {
  q: string;
  overdue: boolean;
}

export function LettersScreen() {
  const { draft, applied, set, apply } = useFilters<Search>({ q: '', overdue: false });
  const { status, chooseStatus, setPage, list } = useStatusPage<LetterStatus, LetterRow>('/api/v1/letters', {
    q: applied.q.trim() || undefined,
    overdue: applied.overdue || undefined,
  });
  const chosen = status ? letterStatusLabel(status) : t('common.all');
  return (
    <>
      <ScreenTitle title={t('nav.letters')} />
      <LetterSearch
        draft={draft}
        set={set}
        onSubmit={(event) => {
          apply(event);
          setPage(1);
        }}
      />
      <StatusTabs status={status} onStatus={chooseStatus} />
      <Loading loading={list.loading} error={list.error} />
      {list.data && list.data.items.length === 0 ? <p class="empty">{t('letters.none')}</p> : null}
      {list.data && list.data.items.length > 0 ? (
        <>
          <LetterTable items={list.data.items} caption={t('letters.caption', { status: chosen })} />
          <Pagination page={list.data.page} pageSize={list.data.pageSize} total={list.data.total} onPage={setPage} />
        </>
      ) : null}
    </>
  );
}
