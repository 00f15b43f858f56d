// 从媒体库选择: a modal list of the media library's images or attachments, for a typed field's
// image or file (the cover image has its own, with the cover's words).
import { useState } from 'preact/hooks';
import { api } from './api';
import { useLoad } from './hooks';
import { t } from './i18n';
import { thumbnailOf, useModal } from './image-dialog';
import type { MediaKind, MediaView, Page } from './types';
import { Loading, Pagination } from './ui';

function MediaOptions({ kind, onChoose }: { kind: MediaKind; onChoose: (media: MediaView) => void }) {
  const [page, setPage] = useState(1);
  const list = useLoad(() => api.get<Page<MediaView>>('/api/v1/media', { kind, page }), [page]);
  if (!list.data) return <Loading loading={list.loading} error={list.error} />;
  return (
    <>
      <Loading loading={list.loading} error={list.error} />
      {list.data.items.length === 0 ? (
        <p class="empty">{t('typed.noMedia')}</p>
      ) : (
        <ul class="cover-options">
          {list.data.items.map((media) => (
            <li key={media.id}>
              <button type="button" class="cover-option" onClick={() => onChoose(media)}>
                {kind === 'image' ? (
                  <img src={thumbnailOf(media)} alt="" loading="lazy" width={160} height={120} />
                ) : null}
                <span>{media.alt || media.originalName}</span>
                <span class="meta">{media.originalName}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <Pagination page={list.data.page} pageSize={list.data.pageSize} total={list.data.total} onPage={setPage} />
    </>
  );
}

interface PickerProps {
  /** Prefix of the dialog's ids: several fields on one page each have their own. */
  id: string;
  kind: MediaKind;
  label: string;
  onChoose: (media: MediaView) => void;
}

/** The 从媒体库选择 button and its dialog. */
export function MediaPicker({ id, kind, label, onChoose }: PickerProps) {
  const [open, setOpen] = useState(false);
  const titleId = `${id}-picker-title`;
  const { dialog, returnFocus } = useModal(open, () => document.getElementById(titleId)?.focus());
  const closed = () => {
    setOpen(false);
    returnFocus();
  };
  const choose = (media: MediaView) => {
    onChoose(media);
    dialog.current?.close();
  };
  return (
    <>
      <button type="button" id={`${id}-pick`} aria-haspopup="dialog" onClick={() => setOpen(true)}>
        {t('typed.pick', { label })}
      </button>
      <dialog ref={dialog} class="dialog cover-dialog" aria-labelledby={titleId} onClose={closed}>
        <h2 id={titleId} tabIndex={-1}>
          {t('typed.pickTitle', { label })}
        </h2>
        {/* Read each time it opens, so a file just uploaded is there. */}
        {open ? <MediaOptions kind={kind} onChoose={choose} /> : null}
        <div class="actions">
          <button type="button" onClick={() => dialog.current?.close()}>
            {t('common.cancel')}
          </button>
        </div>
      </dialog>
    </>
  );
}
