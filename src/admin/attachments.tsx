// 附件: files listed under the article body (name, size), uploaded through the media library.
import type { Ref } from 'preact';
import { useState } from 'preact/hooks';
import { t } from './i18n';
import { uploadMedia } from './image-dialog';
import { formatSize } from './time';
import type { Attachment } from './types';
import { AlertText, StatusText, focusLater, msgText, type Msg } from './ui';

interface AttachmentsProps {
  items: Attachment[];
  onChange: (items: Attachment[]) => void;
  inputRef: Ref<HTMLInputElement>;
}

/** Images need an alt text on upload; for an image sent as a download, its file name says enough. */
function altFor(file: File): string | null {
  return file.type.startsWith('image/') ? file.name.replace(/\.[^.]+$/, '') : null;
}

export function Attachments({ items, onChange, inputRef }: AttachmentsProps) {
  const [error, setError] = useState<unknown>(null);
  const [status, setStatus] = useState<Msg | null>(null);
  const [busy, setBusy] = useState(false);

  const upload = async (event: Event) => {
    const input = event.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    setBusy(true);
    setError(null);
    setStatus({ key: 'attachments.uploading' });
    try {
      const media = await uploadMedia(file, altFor(file));
      onChange([...items, { name: media.originalName, url: media.url, size: media.size }]);
      setStatus({ key: 'attachments.added', params: { name: media.originalName } });
    } catch (failure) {
      setStatus(null);
      setError(failure);
    } finally {
      input.value = '';
      setBusy(false);
    }
  };

  const remove = (index: number) => {
    const removed = items[index];
    onChange(items.filter((_, i) => i !== index));
    if (removed) setStatus({ key: 'attachments.removed', params: { name: removed.name } });
    // The pressed button is gone; keep keyboard focus inside this section.
    focusLater('attachment-file');
  };

  return (
    <section class="attachments panel" aria-labelledby="attachments-title">
      <h2 id="attachments-title">{t('attachments.title')}</h2>
      {items.length === 0 ? (
        <p class="empty">{t('attachments.none')}</p>
      ) : (
        <ul>
          {items.map((item, index) => (
            <li key={`${item.url}-${index}`}>
              <a href={item.url} target="_blank" rel="noopener">
                {item.name}
              </a>
              {item.size !== null ? <span class="meta"> ({formatSize(item.size)})</span> : null}
              <button
                type="button"
                class="small"
                aria-label={t('attachments.removeNamed', { name: item.name })}
                onClick={() => remove(index)}
              >
                {t('common.remove')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <div class="field">
        <label for="attachment-file">{t('tool.attachment')}</label>
        <input
          id="attachment-file"
          name="attachment"
          type="file"
          ref={inputRef}
          disabled={busy}
          onChange={(event) => void upload(event)}
        />
      </div>
      <StatusText text={msgText(status)} />
      <AlertText error={error} />
    </section>
  );
}
