// 模板编辑: a site administrator with theme.edit overrides the default theme's templates for the
// site. The draft is checked as it is typed (the API's validate, debounced) and its problems shown
// with their line before anything is saved; a preview renders real pages with it; saving
// publishes the pages that use it; every change is a revision that can be compared and restored.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from './api';
import { useApp } from './context';
import { useBusy, useLoad } from './hooks';
import { getLang, t } from './i18n';
import { CodeEditor, goToLine } from './theme-code';
import { ThemeHistory, templatePath, type TemplateDetail } from './theme-history';
import { ThemePreview } from './theme-preview';
import { tr } from './theme-text';
import { formatDateTime } from './time';
import type { Items } from './types';
import { AlertText, Loading, ScreenTitle, StatusText } from './ui';

interface TemplateSummary {
  name: string;
  kind: 'page' | 'partial';
  overridden: boolean;
}

interface Problem {
  message: string;
  messageEn: string;
  line: number;
  column: number;
}

/** How long after the last keystroke the draft is checked. */
const CHECK_DELAY_MS = 500;
/** How long after a check that could not be made (network, server busy) it is tried again. */
const CHECK_RETRY_MS = 3000;

interface CheckState {
  checking: boolean;
  /** null until an answer. */
  problems: Problem[] | null;
  /** The last check got no answer; it is tried again. */
  failed: boolean;
}

/** The draft's problems, checked again (debounced) as it changes, and again after a failed check. */
function useProblems(name: string, source: string | null): CheckState {
  const [state, setState] = useState<CheckState>({ checking: false, problems: null, failed: false });
  const [attempt, setAttempt] = useState(0);
  const latest = useRef(0);
  useEffect(() => {
    if (source === null) return;
    const ticket = ++latest.current;
    let retry = 0;
    setState((current) => ({ ...current, checking: true }));
    const timer = window.setTimeout(() => {
      api.post<{ ok: boolean; errors: Problem[] }>(`${templatePath(name)}/validate`, { source }).then(
        (answer) => ticket === latest.current && setState({ checking: false, problems: answer.errors, failed: false }),
        () => {
          if (ticket !== latest.current) return;
          setState({ checking: false, problems: null, failed: true });
          retry = window.setTimeout(() => setAttempt((n) => n + 1), CHECK_RETRY_MS);
        },
      );
    }, CHECK_DELAY_MS);
    return () => {
      window.clearTimeout(timer);
      window.clearTimeout(retry);
    };
  }, [name, source, attempt]);
  return state;
}

function ProblemList({ problems, checking, failed, onLine }: CheckState & { onLine: (line: number) => void }) {
  const english = getLang() === 'en';
  const text = checking
    ? tr('checking')
    : problems === null
      ? failed
        ? tr('checkFailed')
        : ''
      : problems.length === 0
        ? tr('valid')
        : tr('problems', { count: problems.length });
  return (
    <div
      id="theme-problems"
      role="status"
      aria-live="polite"
      class={problems?.length || failed ? 'alert-message' : 'status-message'}
    >
      {text}
      {!checking && problems && problems.length > 0 ? (
        <ul>
          {problems.map((problem, i) => (
            <li key={i}>
              {english ? problem.messageEn : problem.message}{' '}
              <button type="button" class="small" onClick={() => onLine(problem.line)}>
                {tr('goToLine', { line: problem.line })}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function TemplatePanel({ name, onChanged }: { name: string; onChanged: () => void }) {
  const { site } = useApp();
  const loaded = useLoad(() => api.get<TemplateDetail>(templatePath(name)), [name]);
  const [detail, setDetail] = useState<TemplateDetail | null>(null);
  const [source, setSource] = useState<string | null>(null);
  const [round, setRound] = useState(0);
  const [message, setMessage] = useState('');
  const [confirming, setConfirming] = useState(false);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const { busy, error, run } = useBusy();
  const check = useProblems(name, source);
  const { checking, problems } = check;
  useEffect(() => {
    if (!loaded.data) return;
    setDetail(loaded.data);
    setSource(loaded.data.source ?? loaded.data.defaultSource);
  }, [loaded.data]);

  const changed = (next: TemplateDetail, text: string) => {
    setDetail(next);
    setSource(next.source ?? next.defaultSource);
    setMessage(text);
    setRound((n) => n + 1);
    onChanged();
  };
  const save = async () => {
    if (source === null) return;
    const saved = await run(() => api.put<TemplateDetail>(templatePath(name), { source }));
    if (saved) changed(saved, tr('saved', { name }));
  };
  const reset = async () => {
    setConfirming(false);
    const done = await run(() => api.post<TemplateDetail>(`${templatePath(name)}/reset`));
    if (done) changed(done, tr('resetDone', { name }));
  };

  const first = problems?.[0];
  return (
    <div class="theme-panel">
      <Loading loading={loaded.loading} error={loaded.error} />
      {detail && source !== null ? (
        <>
          <section class="panel" aria-labelledby="theme-template-title">
            <h2 id="theme-template-title">
              {name} <span class="meta">{detail.kind === 'page' ? tr('page') : tr('partial')}</span>
            </h2>
            <p id="theme-template-state">
              {detail.overridden
                ? tr('stateOverridden', {
                    user: detail.updatedBy ?? tr('system'),
                    at: formatDateTime(detail.updatedAt, site.timeZone),
                  })
                : tr('stateDefault')}{' '}
              {detail.usedBy.length > 0 ? tr('usedBy', { pages: detail.usedBy.join(', ') }) : tr('usedByNone')}
            </p>
            <CodeEditor
              id="theme-source"
              label={tr('source', { name })}
              hint={tr('sourceHint')}
              value={source}
              onValue={setSource}
              errorLine={first?.line ?? null}
              describedBy="theme-problems"
              textareaRef={textarea}
            />
            <ProblemList {...check} onLine={(line) => goToLine(textarea.current, line)} />
            <div class="actions main-actions">
              <button
                type="button"
                id="theme-save"
                class="primary"
                disabled={busy || checking || (problems?.length ?? 0) > 0}
                onClick={() => void save()}
              >
                {tr('save')}
              </button>
              {detail.overridden && !confirming ? (
                <button type="button" id="theme-reset" disabled={busy} onClick={() => setConfirming(true)}>
                  {tr('reset')}
                </button>
              ) : null}
              {confirming ? (
                <span class="confirm">
                  <span>{tr('resetConfirm', { name })}</span>
                  <button
                    type="button"
                    id="theme-reset-confirm"
                    class="danger"
                    disabled={busy}
                    onClick={() => void reset()}
                  >
                    {tr('resetYes')}
                  </button>
                  <button type="button" onClick={() => setConfirming(false)}>
                    {t('common.cancel')}
                  </button>
                </span>
              ) : null}
            </div>
            <StatusText id="theme-status" text={message} />
            <AlertText id="theme-error" error={error} />
          </section>
          <ThemePreview name={name} source={source} />
          <ThemeHistory
            name={name}
            round={round}
            onRestored={(restored, id) => changed(restored, tr('restored', { id }))}
          />
        </>
      ) : null}
    </div>
  );
}

export function ThemeEditorScreen() {
  const [round, setRound] = useState(0);
  const list = useLoad(
    () => api.get<Items<TemplateSummary>>('/api/v1/theme/templates').then((answer) => answer.items),
    [round],
  );
  const [name, setName] = useState<string | null>(null);
  return (
    <>
      <ScreenTitle title={tr('title')} />
      <p>{tr('intro')}</p>
      <Loading loading={list.loading && !list.data} error={list.error} />
      <div class="theme-layout">
        <nav class="theme-list" aria-labelledby="theme-list-title">
          <h2 id="theme-list-title">{tr('list')}</h2>
          <ul>
            {(list.data ?? []).map((template) => (
              <li key={template.name}>
                <button
                  type="button"
                  id={`theme-template-${template.name.replace(/\//g, '--')}`}
                  class={template.overridden ? 'overridden' : undefined}
                  aria-current={template.name === name ? 'true' : undefined}
                  onClick={() => setName(template.name)}
                >
                  {template.name}
                  {template.overridden ? tr('overridden') : ''}
                </button>
              </li>
            ))}
          </ul>
        </nav>
        {name ? (
          <TemplatePanel key={name} name={name} onChanged={() => setRound((n) => n + 1)} />
        ) : (
          <p class="theme-panel">{tr('chooseTemplate')}</p>
        )}
      </div>
    </>
  );
}
