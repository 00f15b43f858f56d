// 修订记录 of a template: every save, restore, reset and import, the change each made (line by
// line, against the revision before it), and restoring one.
import { useState } from 'preact/hooks';
import { api } from './api';
import { useApp } from './context';
import { useBusy, useLoad } from './hooks';
import { DiffText } from './revisions';
import { formatDateTime } from './time';
import { tr, type ThemeText } from './theme-text';
import type { DiffPart, Items } from './types';
import { AlertText, DataTable, Loading } from './ui';

export interface TemplateDetail {
  name: string;
  kind: 'page' | 'partial';
  overridden: boolean;
  updatedAt: string | null;
  updatedBy: string | null;
  defaultSource: string;
  source: string | null;
  usedBy: string[];
}

interface TemplateRevision {
  id: number;
  name: string;
  action: 'save' | 'restore' | 'reset' | 'import';
  at: string;
  userName: string | null;
  source: string | null;
}

interface TemplateDiff {
  id: number;
  name: string;
  against: number | null;
  unified: string;
  parts: DiffPart[];
}

const ACTIONS: Record<TemplateRevision['action'], ThemeText> = {
  save: 'actionSave',
  restore: 'actionRestore',
  reset: 'actionReset',
  import: 'actionImport',
};

/** A template's name in a path: `blocks/headline` as one segment. */
export function templatePath(name: string): string {
  return `/api/v1/theme/templates/${encodeURIComponent(name)}`;
}

function ThemeDiff({ id }: { id: number }) {
  const diff = useLoad(() => api.get<TemplateDiff>(`/api/v1/theme/revisions/${id}/diff`), [id]);
  const against = diff.data?.against;
  return (
    <section class="theme-diff" aria-labelledby="theme-diff-title">
      <h3 id="theme-diff-title">
        {tr('diffTitle', {
          id,
          against: against ? tr('diffAgainst', { id: against }) : tr('diffAgainstDefault'),
        })}
      </h3>
      <Loading loading={diff.loading} error={diff.error} />
      {diff.data ? (
        <pre class="diff code-diff" id="theme-diff" tabIndex={0}>
          <DiffText parts={diff.data.parts} />
        </pre>
      ) : null}
    </section>
  );
}

export function ThemeHistory({
  name,
  round,
  onRestored,
}: {
  name: string;
  /** Changes whenever the template was saved, so the list is read again. */
  round: number;
  onRestored: (detail: TemplateDetail, id: number) => void;
}) {
  const { site } = useApp();
  const list = useLoad(
    () => api.get<Items<TemplateRevision>>(`${templatePath(name)}/revisions`).then((answer) => answer.items),
    [name, round],
  );
  const [shown, setShown] = useState<number | null>(null);
  const { busy, error, run } = useBusy();

  const restore = async (id: number) => {
    const detail = await run(() => api.post<TemplateDetail>(`/api/v1/theme/revisions/${id}/restore`));
    if (detail) onRestored(detail, id);
  };

  return (
    <section class="panel" aria-labelledby="theme-revisions-title">
      <h2 id="theme-revisions-title">{tr('revisions')}</h2>
      <Loading loading={list.loading} error={list.error} />
      {list.data && list.data.length === 0 ? <p>{tr('revisionsNone')}</p> : null}
      {list.data && list.data.length > 0 ? (
        <DataTable
          caption={tr('revisions')}
          columns={[tr('revisionAt'), tr('revisionBy'), tr('revisionAction'), tr('revisionActions')]}
        >
          {list.data.map((revision) => (
            <tr key={revision.id}>
              <td>
                #{revision.id} {formatDateTime(revision.at, site.timeZone)}
              </td>
              <td>{revision.userName ?? tr('system')}</td>
              <td>{tr(ACTIONS[revision.action])}</td>
              <td class="actions">
                <button
                  type="button"
                  class="small"
                  aria-label={tr('diffOf', { id: revision.id })}
                  aria-pressed={shown === revision.id}
                  onClick={() => setShown(shown === revision.id ? null : revision.id)}
                >
                  {tr('diff')}
                </button>{' '}
                <button
                  type="button"
                  class="small"
                  aria-label={tr('restoreOf', { id: revision.id })}
                  disabled={busy}
                  onClick={() => void restore(revision.id)}
                >
                  {tr('restore')}
                </button>
              </td>
            </tr>
          ))}
        </DataTable>
      ) : null}
      <AlertText id="theme-history-error" error={error} />
      {shown !== null ? <ThemeDiff id={shown} /> : null}
    </section>
  );
}
