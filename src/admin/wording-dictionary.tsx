// 错敏词词库: the shipped dictionary and the site's own entries. Everyone who may check wording
// reads it; the site administrator adds, turns off and removes the site's entries.
import { useState } from 'preact/hooks';
import { api } from './api';
import { can, useApp } from './context';
import { useBusy, useLoad } from './hooks';
import { t, type MessageKey } from './i18n';
import { AlertText, DataTable, Field, Loading, Pagination, ScreenTitle, StatusText } from './ui';

interface Entry {
  id: number | null;
  source: string;
  phrase: string;
  kind: string;
  severity: 'serious' | 'suspect' | 'custom';
  suggestion: string;
  note: string;
  enabled: boolean;
}
interface EntryPage {
  items: Entry[];
  total: number;
  page: number;
  pageSize: number;
  shipped: number;
}
type Source = 'all' | 'site' | 'shipped';

const PAGE_SIZE = 50;
const SITE_KINDS = ['wrong', 'outdated', 'canonical', 'allow'] as const;
const SEVERITIES = ['custom', 'suspect', 'serious'] as const;
const kindText = (kind: string) => t(`wording.kind.${kind}` as MessageKey);
const severityText = (severity: string) => t(`wording.severity.${severity}` as MessageKey);

function Select<T extends string>({
  id,
  label,
  value,
  options,
  text,
  onValue,
}: {
  id: string;
  label: string;
  value: T;
  options: readonly T[];
  text: (v: T) => string;
  onValue: (v: T) => void;
}) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select id={id} name={id} value={value} onChange={(event) => onValue(event.currentTarget.value as T)}>
        {options.map((option) => (
          <option key={option} value={option}>
            {text(option)}
          </option>
        ))}
      </select>
    </div>
  );
}

/** The form that adds one of the site's own entries. */
function AddEntry({ onAdded }: { onAdded: (entry: Entry) => void }) {
  const [phrase, setPhrase] = useState('');
  const [kind, setKind] = useState<(typeof SITE_KINDS)[number]>('wrong');
  const [severity, setSeverity] = useState<(typeof SEVERITIES)[number]>('custom');
  const [suggestion, setSuggestion] = useState('');
  const [note, setNote] = useState('');
  const [enabled, setEnabled] = useState(true);
  const { busy, error, run } = useBusy();
  const submit = async (event: Event) => {
    event.preventDefault();
    const added = await run(() =>
      api.post<Entry>('/api/v1/wording/entries', { phrase, kind, severity, suggestion, note, enabled }),
    );
    if (added) {
      setPhrase('');
      setSuggestion('');
      setNote('');
      onAdded(added);
    }
  };
  return (
    <form class="panel" aria-labelledby="wording-add-title" onSubmit={(event) => void submit(event)}>
      <h2 id="wording-add-title">{t('wording.add')}</h2>
      <Field
        id="wording-phrase"
        label={t('wording.phrase')}
        value={phrase}
        onValue={setPhrase}
        required
        maxLength={100}
      />
      <Select
        id="wording-kind"
        label={t('wording.kind')}
        value={kind}
        options={SITE_KINDS}
        text={kindText}
        onValue={setKind}
      />
      <Select
        id="wording-severity"
        label={t('wording.severity')}
        value={severity}
        options={SEVERITIES}
        text={severityText}
        onValue={setSeverity}
      />
      <Field
        id="wording-suggestion"
        label={t('wording.suggestion')}
        value={suggestion}
        onValue={setSuggestion}
        maxLength={200}
      />
      <Field id="wording-note" label={t('wording.note')} value={note} onValue={setNote} maxLength={500} />
      <div class="field">
        <label>
          <input
            type="checkbox"
            id="wording-enabled"
            checked={enabled}
            onChange={(event) => setEnabled(event.currentTarget.checked)}
          />{' '}
          {t('wording.enabled')}
        </label>
      </div>
      <AlertText error={error} />
      <button type="submit" id="wording-add" class="primary" disabled={busy}>
        {t('wording.add')}
      </button>
    </form>
  );
}

function EntryRow({
  entry,
  manage,
  onChanged,
}: {
  entry: Entry;
  manage: boolean;
  onChanged: (message: string) => void;
}) {
  const { busy, error, run } = useBusy();
  const id = entry.id;
  const toggle = async () => {
    if (id === null) return;
    if (await run(() => api.patch<Entry>(`/api/v1/wording/entries/${id}`, { enabled: !entry.enabled })))
      onChanged(t('wording.saved', { phrase: entry.phrase }));
  };
  const remove = async () => {
    if (id === null) return;
    await run(() => api.del(`/api/v1/wording/entries/${id}`));
    onChanged(t('wording.deleted', { phrase: entry.phrase }));
  };
  return (
    <tr>
      <td lang="zh-CN">{entry.phrase}</td>
      <td>{kindText(entry.kind)}</td>
      <td>{severityText(entry.severity)}</td>
      <td lang="zh-CN">{entry.suggestion}</td>
      <td lang="zh-CN">{entry.note}</td>
      <td>
        {entry.id === null ? t('wording.source.shipped') : t('wording.source.site')}
        {entry.enabled ? '' : `（${t('wording.disabled')}）`}
      </td>
      <td>
        {manage && id !== null ? (
          <>
            <button type="button" class="small" disabled={busy} onClick={() => void toggle()}>
              {t(entry.enabled ? 'wording.disable' : 'wording.enable', { phrase: entry.phrase })}
            </button>{' '}
            <button type="button" class="small danger" disabled={busy} onClick={() => void remove()}>
              {t('wording.delete', { phrase: entry.phrase })}
            </button>
            <AlertText error={error} />
          </>
        ) : null}
      </td>
    </tr>
  );
}

export function WordingDictionaryScreen() {
  const { session } = useApp();
  const manage = can(session, 'wording.manage');
  const [q, setQ] = useState('');
  const [applied, setApplied] = useState('');
  const [source, setSource] = useState<Source>('all');
  const [page, setPage] = useState(1);
  const [message, setMessage] = useState('');
  const loaded = useLoad(
    () => api.get<EntryPage>('/api/v1/wording/entries', { q: applied, source, page, pageSize: PAGE_SIZE }),
    [applied, source, page],
  );
  const changed = (text: string) => {
    setMessage(text);
    loaded.reload();
  };
  const search = (event: Event) => {
    event.preventDefault();
    setApplied(q);
    setPage(1);
  };
  const data = loaded.data;
  return (
    <>
      <ScreenTitle title={t('wording.dictionary')} />
      <p>{t('wording.dictionaryIntro', { n: data?.shipped ?? '…' })}</p>
      <StatusText id="wording-message" text={message} />
      {manage ? <AddEntry onAdded={(entry) => changed(t('wording.added', { phrase: entry.phrase }))} /> : null}
      <form class="filters" role="search" aria-label={t('wording.search')} onSubmit={search}>
        <Field id="wording-q" label={t('wording.search')} value={q} onValue={setQ} type="search" maxLength={100} />
        <Select<Source>
          id="wording-source"
          label={t('wording.source')}
          value={source}
          options={['all', 'site', 'shipped']}
          text={(s) => t(`wording.source.${s}` as MessageKey)}
          onValue={(s) => {
            setSource(s);
            setPage(1);
          }}
        />
        <button type="submit">{t('wording.search')}</button>
      </form>
      <Loading loading={loaded.loading} error={loaded.error} />
      {data ? (
        <section aria-labelledby="wording-entries-title">
          <h2 id="wording-entries-title">{t('wording.entries', { n: data.total })}</h2>
          <DataTable
            caption={t('wording.entries', { n: data.total })}
            columns={[
              t('wording.phrase'),
              t('wording.kind'),
              t('wording.severity'),
              t('wording.suggestion'),
              t('wording.note'),
              t('wording.source'),
              t('wording.actions'),
            ]}
          >
            {data.items.map((entry) => (
              <EntryRow
                key={`${entry.source}-${entry.phrase}-${entry.kind}`}
                entry={entry}
                manage={manage}
                onChanged={changed}
              />
            ))}
          </DataTable>
          <Pagination page={data.page} pageSize={data.pageSize} total={data.total} onPage={setPage} />
        </section>
      ) : null}
    </>
  );
}
