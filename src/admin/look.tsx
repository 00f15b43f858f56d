// 站点外观: the site administrator edits the look (colours, logo, banner, favicon, the home page's
// blocks) beside a live preview of the real home page, then saves it; the pages it changes are
// rendered again in the background, and the screen follows that until every page is written.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { LookColour } from '../domain/contrast';
import type { HomeBlock, LookImage, SiteLook } from '../domain/look';
import { api, ApiError } from './api';
import { useBusy, useChannels, useLoad } from './hooks';
import { LookBlocks } from './look-blocks';
import { LookColours } from './look-colours';
import { LookImages, type LookSlot } from './look-images';
import { errorText } from './i18n';
import { tr } from './look-text';
import { AlertText, Loading, ScreenTitle, StatusText } from './ui';

interface LookState {
  look: SiteLook;
  version: number;
  updatedAt: string | null;
  isDefault: boolean;
}

interface Progress {
  tasks: { id: number; type: string; done: number; total: number; since: string }[];
}

/** How long the preview waits after the last change before asking for the page again. */
const PREVIEW_DELAY_MS = 600;
const PROGRESS_EVERY_MS = 1000;

/** The draft's home page, asked for again (debounced) whenever the draft changes. */
function usePreview(draft: SiteLook | null): { html: string; loading: boolean; error: unknown } {
  const [html, setHtml] = useState('');
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const latest = useRef(0);
  const key = draft ? JSON.stringify(draft) : '';
  useEffect(() => {
    if (!draft) return;
    const ticket = ++latest.current;
    const timer = window.setTimeout(() => {
      setLoading(true);
      api.postForText('/api/v1/site/look/preview', { look: draft }).then(
        (page) => {
          if (ticket !== latest.current) return;
          setHtml(page);
          setError(null);
          setLoading(false);
        },
        (failure: unknown) => {
          if (ticket !== latest.current) return;
          setError(failure);
          setLoading(false);
        },
      );
    }, PREVIEW_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [key]);
  return { html, loading, error };
}

/** The background re-render after a save: polled until no task is left. */
function useProgress(): { text: string; done: number; total: number; running: boolean; follow: () => void } {
  const [state, setState] = useState({ text: '', done: 0, total: 0, running: false });
  const [round, setRound] = useState(0);
  useEffect(() => {
    if (round === 0) return;
    let stopped = false;
    const poll = async () => {
      const { tasks } = await api.get<Progress>('/api/v1/site/look/progress').catch(() => ({ tasks: [] }));
      if (stopped) return;
      if (tasks.length === 0) {
        setState({ text: tr('progressDone'), done: 0, total: 0, running: false });
        return;
      }
      const done = tasks.reduce((sum, t) => sum + t.done, 0);
      const total = tasks.reduce((sum, t) => sum + t.total, 0);
      setState({
        text: total > 0 ? tr('progressText', { done, total }) : tr('progressWaiting'),
        done,
        total,
        running: true,
      });
      window.setTimeout(() => void poll(), PROGRESS_EVERY_MS);
    };
    void poll();
    return () => {
      stopped = true;
    };
  }, [round]);
  return { ...state, follow: () => setRound((n) => n + 1) };
}

export function LookScreen() {
  const loaded = useLoad(() => api.get<LookState>('/api/v1/site/look'), []);
  const channels = useChannels();
  const [draft, setDraft] = useState<SiteLook | null>(null);
  const [version, setVersion] = useState(0);
  const [message, setMessage] = useState('');
  const { busy, error, run, setError } = useBusy();
  const preview = usePreview(draft);
  const progress = useProgress();
  useEffect(() => {
    if (!loaded.data) return;
    setDraft(loaded.data.look);
    setVersion(loaded.data.version);
  }, [loaded.data]);

  const change = (patch: Partial<SiteLook>) => setDraft((current) => (current ? { ...current, ...patch } : current));
  const setColour = (field: LookColour, value: string) => change({ [field]: value });
  const setImage = (slot: LookSlot, image: LookImage | null) =>
    change(slot === 'favicon' ? { favicon: image?.url ?? null } : { [slot]: image });

  const save = async () => {
    if (!draft) return;
    setMessage('');
    const saved = await run(() => api.put<LookState>('/api/v1/site/look', { look: draft, version }));
    if (!saved) return;
    const changed = saved.version !== version;
    setDraft(saved.look);
    setVersion(saved.version);
    setMessage(changed ? tr('saved', { version: saved.version }) : tr('unchanged'));
    if (changed) progress.follow();
  };
  const conflict = error instanceof ApiError && error.code === 'LOOK_VERSION_CONFLICT';

  return (
    <>
      <ScreenTitle title={tr('title')} />
      <p>{tr('intro')}</p>
      <Loading loading={loaded.loading || channels.loading} error={loaded.error ?? channels.error} />
      {loaded.data?.isDefault ? <p class="meta">{tr('isDefault')}</p> : null}
      {draft && channels.data ? (
        <div class="look-layout">
          <div class="look-editor">
            <LookColours colours={draft} onColour={setColour} />
            <LookImages
              key={version}
              logo={draft.logo}
              banner={draft.banner}
              favicon={draft.favicon}
              onImage={setImage}
            />
            <LookBlocks
              blocks={draft.blocks}
              channels={channels.data}
              onChange={(blocks: HomeBlock[]) => change({ blocks })}
            />
            <div class="actions main-actions">
              <button type="button" id="look-save" class="primary" disabled={busy} onClick={() => void save()}>
                {tr('save')}
              </button>
              {conflict ? (
                <button
                  type="button"
                  id="look-reload"
                  onClick={() => {
                    setError(null);
                    loaded.reload();
                  }}
                >
                  {tr('reload')}
                </button>
              ) : null}
            </div>
            <StatusText id="look-save-status" text={message} />
            <AlertText id="look-save-error" error={error} />
            <div
              id="look-progress"
              role="status"
              aria-live="polite"
              class={progress.text ? 'status-message' : 'live-empty'}
            >
              {progress.text}
              {progress.running && progress.total > 0 ? (
                <progress
                  id="look-progress-bar"
                  aria-label={tr('progress')}
                  value={progress.done}
                  max={progress.total}
                />
              ) : null}
            </div>
          </div>
          <section class="panel look-preview" aria-labelledby="look-preview-title">
            <h2 id="look-preview-title">{tr('preview')}</h2>
            <p class="hint">{tr('previewHint')}</p>
            {/* Not live: the preview refreshes as the administrator types, and saying so each time would drown the rest. */}
            <p id="look-preview-status" class="meta">
              {preview.loading ? tr('previewLoading') : preview.error ? errorText(preview.error) : ''}
            </p>
            <iframe id="look-preview-frame" title={tr('previewFrame')} sandbox="" srcdoc={preview.html} />
          </section>
        </div>
      ) : null}
    </>
  );
}
