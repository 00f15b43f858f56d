// 插入图片: a modal dialog that uploads an image with its 替代文字 (required by the national
// accessibility rules) and inserts it into the body.
import type { Editor } from '@tiptap/core';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { api } from './api';
import { t } from './i18n';
import type { MediaView } from './types';
import { AlertText } from './ui';

export const IMAGE_TYPES = 'image/jpeg,image/png,image/webp,image/gif';

/** multipart POST /api/v1/media; alt goes first so the server can check it before reading the file. */
export function uploadMedia(file: File, alt: string | null): Promise<MediaView> {
  const form = new FormData();
  if (alt !== null) form.append('alt', alt);
  form.append('file', file);
  return api.upload<MediaView>('/api/v1/media', form);
}

/** The smallest variant makes a light thumbnail; the original when there are none. */
export function thumbnailOf(media: MediaView): string {
  const smallest = [...media.variants].sort((a, b) => a.width - b.width)[0];
  return smallest?.url ?? media.url;
}

/**
 * A <dialog> shown modally while `open` (focus trapped, Escape closes it). `onShow` runs once it
 * is shown; `returnFocus` gives focus back to what had it before.
 */
export function useModal(open: boolean, onShow: () => void) {
  const dialog = useRef<HTMLDialogElement>(null);
  const opener = useRef<Element | null>(null);
  useLayoutEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) {
      opener.current = document.activeElement;
      element.showModal(); // traps focus, Escape fires "cancel" then "close"
      onShow();
    } else if (!open && element.open) {
      element.close();
    }
  }, [open]);
  const returnFocus = () => {
    const before = opener.current;
    if (!(before instanceof HTMLElement)) return;
    // A re-render may have replaced the opener meanwhile: then its successor, by id.
    const target = before.isConnected || !before.id ? before : document.getElementById(before.id);
    target?.focus();
  };
  return { dialog, returnFocus };
}

interface ImageDialogProps {
  editor: Editor;
  open: boolean;
  onClose: () => void;
}

export function ImageDialog({ editor, open, onClose }: ImageDialogProps) {
  const fileInput = useRef<HTMLInputElement>(null);
  const [alt, setAlt] = useState('');
  const [problem, setProblem] = useState<{ text?: string; error?: unknown } | null>(null);
  const [busy, setBusy] = useState(false);
  const inserted = useRef(false);
  const { dialog, returnFocus } = useModal(open, () => {
    setAlt('');
    setProblem(null);
    if (fileInput.current) fileInput.current.value = '';
    fileInput.current?.focus();
  });

  const closed = () => {
    onClose();
    // After inserting, keep writing where the image went; otherwise back to the button that opened it.
    if (inserted.current) editor.commands.focus();
    else returnFocus();
    inserted.current = false;
  };

  const insert = async (event: Event) => {
    event.preventDefault();
    const file = fileInput.current?.files?.[0];
    if (!file) return setProblem({ text: t('image.fileRequired') });
    if (!alt.trim()) return setProblem({ text: t('image.altRequired') });
    setBusy(true);
    setProblem(null);
    try {
      const media = await uploadMedia(file, alt.trim());
      editor.chain().setImage({ src: media.url, alt: alt.trim() }).run();
      inserted.current = true;
      dialog.current?.close();
    } catch (failure) {
      setProblem({ error: failure });
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog ref={dialog} class="dialog" aria-labelledby="image-dialog-title" onClose={closed}>
      <form onSubmit={(event) => void insert(event)} method="dialog" noValidate>
        <h2 id="image-dialog-title">{t('image.title')}</h2>
        <div class="field">
          <label for="image-file">
            {t('image.file')}
            <span class="required" aria-hidden="true">
              {' '}
              *
            </span>
          </label>
          <input id="image-file" name="file" type="file" accept={IMAGE_TYPES} ref={fileInput} required />
        </div>
        <div class="field">
          <label for="image-alt">
            {t('image.alt')}
            <span class="required" aria-hidden="true">
              {' '}
              *
            </span>
          </label>
          <input
            id="image-alt"
            name="alt"
            type="text"
            value={alt}
            required
            aria-describedby="image-alt-hint"
            onInput={(e) => setAlt(e.currentTarget.value)}
          />
          <p class="hint" id="image-alt-hint">
            {t('image.altHint')}
          </p>
        </div>
        <AlertText error={problem?.error} text={problem?.text} />
        <div class="actions">
          <button type="submit" id="image-insert" class="primary" disabled={busy}>
            {t('image.insert')}
          </button>
          <button type="button" id="image-cancel" onClick={() => dialog.current?.close()}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
