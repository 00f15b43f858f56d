// 封面图片: the picture shown with the article in lists, chosen from the images in the media library.
import { useState } from 'preact/hooks';
import { api } from './api';
import { useLoad } from './hooks';
import { t } from './i18n';
import { thumbnailOf, useModal } from './image-dialog';
import type { MediaView, Page } from './types';
import { Loading, Pagination, StatusText, focusLater, msgText, type Msg } from './ui';

function CoverOptions({ current, onChoose }: { current: string | null; onChoose: (media: MediaView) => void }) {
  const [page, setPage] = useState(1);
  const list = useLoad(() => api.get<Page<MediaView>>('/api/v1/media', { kind: 'image', page }), [page]);
  if (!list.data) return <Loading loading={list.loading} error={list.error} />;
  return (
    <>
      <Loading loading={list.loading} error={list.error} />
      {list.data.items.length === 0 ? (
        <p class="empty">{t('cover.noImages')}</p>
      ) : (
        <ul class="cover-options">
          {list.data.items.map((media) => (
            <li key={media.id}>
              <button type="button" class="cover-option" onClick={() => onChoose(media)}>
                <img src={thumbnailOf(media)} alt="" loading="lazy" width={160} height={120} />
                <span>{media.alt || media.originalName}</span>
                <span class="meta">
                  {media.originalName}
                  {media.url === current ? t('cover.current') : ''}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <Pagination page={list.data.page} pageSize={list.data.pageSize} total={list.data.total} onPage={setPage} />
    </>
  );
}

interface DialogProps {
  open: boolean;
  current: string | null;
  onChoose: (media: MediaView) => void;
  onClose: () => void;
}

function CoverDialog({ open, current, onChoose, onClose }: DialogProps) {
  const { dialog, returnFocus } = useModal(open, () => document.getElementById('cover-dialog-title')?.focus());
  const closed = () => {
    onClose();
    returnFocus();
  };
  const choose = (media: MediaView) => {
    onChoose(media);
    dialog.current?.close();
  };
  return (
    <dialog ref={dialog} class="dialog cover-dialog" aria-labelledby="cover-dialog-title" onClose={closed}>
      <h2 id="cover-dialog-title" tabIndex={-1}>
        {t('cover.dialogTitle')}
      </h2>
      {/* The list is read each time the dialog opens, so a just-uploaded image is there. */}
      {open ? <CoverOptions current={current} onChoose={choose} /> : null}
      <div class="actions">
        <button type="button" id="cover-cancel" onClick={() => dialog.current?.close()}>
          {t('common.cancel')}
        </button>
      </div>
    </dialog>
  );
}

interface CoverFieldProps {
  value: string | null;
  onChange: (url: string | null) => void;
}

export function CoverField({ value, onChange }: CoverFieldProps) {
  const [open, setOpen] = useState(false);
  const [status, setStatus] = useState<Msg | null>(null);
  const choose = (media: MediaView) => {
    onChange(media.url);
    setStatus({ key: 'cover.chosen', params: { name: media.alt || media.originalName } });
  };
  const remove = () => {
    onChange(null);
    setStatus({ key: 'cover.removed' });
    // The pressed button is gone; keep keyboard focus in this field.
    focusLater('cover-choose');
  };
  return (
    <>
      <fieldset class="cover-field">
        <legend>{t('cover.title')}</legend>
        <div class="cover-current">
          {value ? (
            <>
              <img src={value} alt={t('cover.preview')} width={160} height={120} />
              <code id="cover-url">{value}</code>
            </>
          ) : (
            <p class="empty">{t('cover.none')}</p>
          )}
        </div>
        <div class="actions">
          <button type="button" id="cover-choose" aria-haspopup="dialog" onClick={() => setOpen(true)}>
            {t('cover.choose')}
          </button>
          {value ? (
            <button type="button" id="cover-remove" aria-label={t('cover.remove')} onClick={remove}>
              {t('common.remove')}
            </button>
          ) : null}
        </div>
        <StatusText id="cover-status" text={msgText(status)} />
      </fieldset>
      <CoverDialog open={open} current={value} onChoose={choose} onClose={() => setOpen(false)} />
    </>
  );
}
