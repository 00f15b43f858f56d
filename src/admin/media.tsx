// 媒体库: uploaded images and files, with upload (alt text for images) and copy-the-address.
import { useRef, useState } from 'preact/hooks';
import { api } from './api';
import { can, useApp } from './context';
import { useLoad } from './hooks';
import { t } from './i18n';
import { thumbnailOf, uploadMedia } from './image-dialog';
import { formatDateTime, formatSize } from './time';
import type { MediaKind, MediaView, Page } from './types';
import { AlertText, Field, Loading, Pagination, ScreenTitle, StatusText, msgText, type Msg } from './ui';

async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(new URL(text, location.origin).href);
    return true;
  } catch {
    return false; // no clipboard permission (e.g. plain http): the address stays visible to copy by hand
  }
}

function UploadForm({ onUploaded }: { onUploaded: (media: MediaView) => void }) {
  const file = useRef<HTMLInputElement>(null);
  const [alt, setAlt] = useState('');
  const [problem, setProblem] = useState<{ error?: unknown; text?: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    const chosen = file.current?.files?.[0];
    if (!chosen) return setProblem({ text: t('image.fileRequired') });
    const isImage = chosen.type.startsWith('image/');
    if (isImage && !alt.trim()) return setProblem({ text: t('image.altRequired') });
    setBusy(true);
    setProblem(null);
    try {
      onUploaded(await uploadMedia(chosen, isImage ? alt.trim() : alt.trim() || null));
      setAlt('');
      if (file.current) file.current.value = '';
    } catch (failure) {
      setProblem({ error: failure });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="filters" onSubmit={(event) => void submit(event)} noValidate>
      <div class="field">
        <label for="media-file">{t('media.file')}</label>
        <input id="media-file" name="file" type="file" ref={file} />
      </div>
      <Field id="media-alt" label={t('image.alt')} value={alt} onValue={setAlt} hint={t('media.altHint')} />
      <button type="submit" id="media-upload" class="primary" disabled={busy}>
        {t('media.upload')}
      </button>
      <AlertText error={problem?.error} text={problem?.text} />
    </form>
  );
}

function MediaCard({ media, onCopy }: { media: MediaView; onCopy: (media: MediaView) => void }) {
  const { site } = useApp();
  return (
    <li class="media-card">
      {media.kind === 'image' ? (
        <img src={thumbnailOf(media)} alt={media.alt} loading="lazy" width={160} height={120} />
      ) : (
        <span class="file-icon" aria-hidden="true">
          {media.originalName.split('.').pop()?.toUpperCase() ?? ''}
        </span>
      )}
      <p class="media-name">
        <a href={media.url} target="_blank" rel="noopener">
          {media.originalName}
        </a>
      </p>
      <p class="meta">
        {formatSize(media.size)}
        {media.width && media.height ? ` · ${media.width}×${media.height}` : ''}
        <br />
        {media.uploaderName} · {formatDateTime(media.createdAt, site.timeZone)}
      </p>
      <code class="media-url">{media.url}</code>
      <button
        type="button"
        class="small"
        onClick={() => onCopy(media)}
        aria-label={t('media.copyNamed', { name: media.originalName })}
      >
        {t('media.copy')}
      </button>
    </li>
  );
}

export function MediaScreen() {
  const { session } = useApp();
  const [kind, setKind] = useState<'' | MediaKind>('');
  const [page, setPage] = useState(1);
  const [message, setMessage] = useState<Msg | null>(null);
  const list = useLoad(() => api.get<Page<MediaView>>('/api/v1/media', { kind, page }), [kind, page]);

  const copy = async (media: MediaView) => {
    const ok = await copyText(media.url);
    setMessage({ key: ok ? 'media.copied' : 'media.copyFailed', params: { name: media.originalName } });
  };

  return (
    <>
      <ScreenTitle title={t('nav.media')} />
      <StatusText text={msgText(message)} />
      {can(session, 'media.upload') ? (
        <section class="panel" aria-labelledby="media-upload-title">
          <h2 id="media-upload-title">{t('media.uploadTitle')}</h2>
          <UploadForm
            onUploaded={(m) => {
              setMessage({ key: 'media.uploaded', params: { name: m.originalName } });
              list.reload();
            }}
          />
        </section>
      ) : null}
      <section class="panel" aria-labelledby="media-list-title">
        <h2 id="media-list-title">{t('media.library')}</h2>
        <div class="field inline">
          <label for="media-kind">{t('media.kind')}</label>
          <select
            id="media-kind"
            name="kind"
            value={kind}
            onChange={(e) => {
              setKind(e.currentTarget.value as '' | MediaKind);
              setPage(1);
            }}
          >
            <option value="">{t('common.all')}</option>
            <option value="image">{t('media.images')}</option>
            <option value="attachment">{t('media.attachments')}</option>
          </select>
        </div>
        <Loading loading={list.loading} error={list.error} />
        {list.data ? (
          <>
            {list.data.items.length === 0 ? (
              <p class="empty">{t('common.none')}</p>
            ) : (
              <ul class="media-grid">
                {list.data.items.map((m) => (
                  <MediaCard key={m.id} media={m} onCopy={(media) => void copy(media)} />
                ))}
              </ul>
            )}
            <Pagination page={list.data.page} pageSize={list.data.pageSize} total={list.data.total} onPage={setPage} />
          </>
        ) : null}
      </section>
    </>
  );
}
