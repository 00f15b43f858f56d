// 修订记录: every saved version of an article, what changed between two of them, and restoring one.
import { useState } from 'preact/hooks';
import { api } from './api';
import { useApp } from './context';
import { useLoad } from './hooks';
import { t } from './i18n';
import { actionLabel } from './labels';
import { Link } from './router';
import { formatDateTime } from './time';
import type { ArticleView, DiffPart, Items, RevisionDiff, RevisionSummary } from './types';
import { AlertText, DataTable, Loading, ScreenTitle, StatusText } from './ui';

/** Which two revisions to compare; `from` null means "the one before `to`" (the API's default). */
interface Pair {
  from: number | null;
  to: number;
}

/** Changes are underlined or struck through (not only coloured) and named for screen readers. */
export function DiffText({ parts }: { parts: DiffPart[] }) {
  return (
    <>
      {parts.map((part, index) => {
        if (part.op === 'insert')
          return (
            <ins key={index}>
              <span class="visually-hidden">{t('diff.insStart')}</span>
              {part.text}
              <span class="visually-hidden">{t('diff.insEnd')}</span>
            </ins>
          );
        if (part.op === 'delete')
          return (
            <del key={index}>
              <span class="visually-hidden">{t('diff.delStart')}</span>
              {part.text}
              <span class="visually-hidden">{t('diff.delEnd')}</span>
            </del>
          );
        return <span key={index}>{part.text}</span>;
      })}
    </>
  );
}

function DiffView({ id, pair }: { id: number; pair: Pair }) {
  const diff = useLoad(
    () => api.get<RevisionDiff>(`/api/v1/articles/${id}/revisions/${pair.to}/diff`, { against: pair.from }),
    [pair],
  );
  const against = pair.from ?? pair.to - 1;
  return (
    <section class="panel" aria-labelledby="diff-title">
      <h2 id="diff-title">{t('revisions.diffTitle', { from: against, to: pair.to })}</h2>
      <Loading loading={diff.loading} error={diff.error} />
      {diff.data ? (
        <>
          <h3>{t('field.title')}</h3>
          <p class="diff">
            <DiffText parts={diff.data.title} />
          </p>
          <h3>{t('editor.body')}</h3>
          <div class="diff diff-body">
            <DiffText parts={diff.data.body} />
          </div>
        </>
      ) : null}
    </section>
  );
}

function CompareForm({
  items,
  pair,
  onCompare,
}: {
  items: RevisionSummary[];
  pair: Pair | null;
  onCompare: (pair: Pair) => void;
}) {
  const newest = items[0]?.number ?? 1;
  const [from, setFrom] = useState(String(pair?.from ?? Math.max(1, newest - 1)));
  const [to, setTo] = useState(String(pair?.to ?? newest));
  const options = items.map((r) => (
    <option key={r.number} value={String(r.number)}>
      {t('revisions.numbered', { n: r.number })}
    </option>
  ));
  const submit = (event: Event) => {
    event.preventDefault();
    onCompare({ from: Number(from), to: Number(to) });
  };
  return (
    <form class="filters" onSubmit={submit}>
      <div class="field">
        <label for="diff-from">{t('revisions.from')}</label>
        <select id="diff-from" name="from" value={from} onChange={(e) => setFrom(e.currentTarget.value)}>
          {options}
        </select>
      </div>
      <div class="field">
        <label for="diff-to">{t('revisions.to')}</label>
        <select id="diff-to" name="to" value={to} onChange={(e) => setTo(e.currentTarget.value)}>
          {options}
        </select>
      </div>
      <button type="submit" id="diff-compare">
        {t('revisions.compare')}
      </button>
    </form>
  );
}

export function RevisionsScreen({ id }: { id: number }) {
  const { site } = useApp();
  const article = useLoad(() => api.get<ArticleView>(`/api/v1/articles/${id}`), [id]);
  const list = useLoad(
    () => api.get<Items<RevisionSummary>>(`/api/v1/articles/${id}/revisions`).then((a) => a.items),
    [id],
  );
  const [pair, setPair] = useState<Pair | null>(null);
  const [restored, setRestored] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const items = list.data ?? [];
  // By default show what the newest revision changed.
  const shown = pair ?? (items.length > 1 && items[0] ? { from: null, to: items[0].number } : null);

  const restore = async (revision: RevisionSummary) => {
    if (!article.data) return;
    setError(null);
    setRestored(null);
    try {
      await api.post<ArticleView>(`/api/v1/articles/${id}/revisions/${revision.number}/restore`, {
        version: article.data.version,
      });
      setRestored(revision.number);
      setPair(null);
      article.reload();
      list.reload();
    } catch (failure) {
      setError(failure);
    }
  };

  return (
    <>
      <ScreenTitle
        title={
          article.data
            ? t('common.titleWith', { what: t('article.revisions'), title: article.data.title })
            : t('article.revisions')
        }
      >
        {t('article.revisions')}
      </ScreenTitle>
      {article.data ? (
        <p class="lead">
          <Link to={`/articles/${id}`}>{t('revisions.backToArticle', { title: article.data.title })}</Link>
        </p>
      ) : null}
      <StatusText text={restored !== null ? t('revisions.restored', { n: restored }) : ''} />
      <AlertText error={error} />
      <Loading loading={list.loading} error={list.error ?? article.error} />
      {items.length > 0 ? (
        <DataTable
          caption={t('article.revisions')}
          columns={[
            t('revisions.number'),
            t('revisions.at'),
            t('revisions.user'),
            t('revisions.action'),
            t('field.title'),
            t('common.actions'),
          ]}
        >
          {items.map((r, index) => (
            <tr key={r.number}>
              <th scope="row">{r.number}</th>
              <td>{formatDateTime(r.at, site.timeZone)}</td>
              <td>{r.userName}</td>
              <td>{actionLabel(r.action)}</td>
              <td>{r.title}</td>
              <td>
                <div class="row-actions">
                  {r.number > 1 ? (
                    <button
                      type="button"
                      class="small"
                      onClick={() => setPair({ from: null, to: r.number })}
                      aria-label={t('revisions.showChangesOf', { n: r.number })}
                    >
                      {t('revisions.showChanges')}
                    </button>
                  ) : null}
                  {index > 0 ? (
                    <button
                      type="button"
                      class="small"
                      id={`restore-${r.number}`}
                      onClick={() => void restore(r)}
                      aria-label={t('revisions.restoreNumbered', { n: r.number })}
                    >
                      {t('revisions.restore')}
                    </button>
                  ) : null}
                </div>
              </td>
            </tr>
          ))}
        </DataTable>
      ) : null}
      {items.length > 1 ? <CompareForm items={items} pair={shown} onCompare={setPair} /> : null}
      {shown ? <DiffView key={`${shown.from}-${shown.to}`} id={id} pair={shown} /> : null}
    </>
  );
}
