// The preview of a template being edited: a real page of the site (its home, a column, a recent
// article) rendered with the draft, in a sandboxed frame; nothing is saved.
import { useState } from 'preact/hooks';
import { api } from './api';
import { useBusy, useChannels, useLoad } from './hooks';
import { templatePath } from './theme-history';
import { tr } from './theme-text';
import type { ArticleSummary, Page } from './types';
import { AlertText, StatusText } from './ui';

interface PreviewAnswer {
  pages: { path: string; html: string }[];
}

/** The pages offered: the home page, each column, the newest published articles. */
function usePreviewPaths(): { path: string; label: string }[] {
  const channels = useChannels();
  const articles = useLoad(
    () => api.get<Page<ArticleSummary>>('/api/v1/articles', { status: 'published', pageSize: 5 }),
    [],
  );
  const columns = (channels.data ?? [])
    .filter((c) => c.type !== 'link')
    .map((c) => ({ path: c.path, label: tr('previewColumn', { name: c.name, path: c.path }) }));
  const recent = (articles.data?.items ?? [])
    .filter((a): a is ArticleSummary & { url: string } => a.url !== null)
    .map((a) => ({ path: a.url, label: tr('previewArticle', { title: a.title }) }));
  return [{ path: '/', label: tr('previewHome') }, ...recent, ...columns];
}

export function ThemePreview({ name, source }: { name: string; source: string }) {
  const paths = usePreviewPaths();
  const [path, setPath] = useState('/');
  const [html, setHtml] = useState('');
  const { busy, error, run } = useBusy();

  const show = async () => {
    const answer = await run(() => api.post<PreviewAnswer>(`${templatePath(name)}/preview`, { source, paths: [path] }));
    if (answer) setHtml(answer.pages[0]?.html ?? '');
  };

  return (
    <section class="panel theme-preview" aria-labelledby="theme-preview-title">
      <h2 id="theme-preview-title">{tr('preview')}</h2>
      <p class="hint">{tr('previewHint')}</p>
      <div class="filters">
        <div class="field">
          <label for="theme-preview-path">{tr('previewPath')}</label>
          <select id="theme-preview-path" value={path} onChange={(e) => setPath(e.currentTarget.value)}>
            {paths.map((p) => (
              <option key={p.path} value={p.path}>
                {p.label}
              </option>
            ))}
          </select>
        </div>
        <button type="button" id="theme-preview-run" disabled={busy} onClick={() => void show()}>
          {tr('previewRun')}
        </button>
      </div>
      <StatusText id="theme-preview-status" text={busy ? tr('previewLoading') : ''} />
      <AlertText id="theme-preview-error" error={error} />
      <iframe id="theme-preview-frame" title={tr('previewFrame')} sandbox="" srcdoc={html} />
    </section>
  );
}
