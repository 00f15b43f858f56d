// A letter's files: the writer's (personal data: listed by name and downloaded only with
// case.personal, each download audited by the server) and the reply's, which the unit's handlers
// add and remove while they draft the reply, and which go public with the letter.
import { useState } from 'preact/hooks';
import { api } from './api';
import { can, useApp } from './context';
import { useBusy } from './hooks';
import { t } from './i18n';
import { download } from './info-request-detail';
import { formatDateTime, formatSize } from './time';
import type { LetterAttachment, LetterDetail } from './types';
import { AlertText, StatusText } from './ui';
import { UploadForm } from './upload-form';

function FileList({
  id,
  files,
  mayDownload,
  onRemove,
}: {
  id: string;
  files: LetterAttachment[];
  mayDownload: boolean;
  onRemove?: ((file: LetterAttachment) => void) | undefined;
}) {
  const { site } = useApp();
  const fetching = useBusy();
  if (files.length === 0)
    return (
      <p class="empty" id={id}>
        {t('letters.files.none')}
      </p>
    );
  return (
    <>
      <ul id={id} class="letter-files">
        {files.map((file) => (
          <li key={file.id}>
            {mayDownload ? (
              <a
                href={file.url}
                download={file.fileName}
                onClick={(event) => {
                  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
                  event.preventDefault();
                  void fetching.run(() => download(file.url, file.fileName));
                }}
              >
                {file.fileName}
              </a>
            ) : (
              <span>{file.fileName}</span>
            )}{' '}
            <span class="meta">
              {t('letters.files.info', {
                size: formatSize(file.size),
                by: file.uploadedBy,
                at: formatDateTime(file.uploadedAt, site.timeZone),
              })}
            </span>
            {onRemove ? (
              <>
                {' '}
                <button
                  type="button"
                  aria-label={t('letters.files.removeNamed', { name: file.fileName })}
                  onClick={() => onRemove(file)}
                >
                  {t('letters.files.remove')}
                </button>
              </>
            ) : null}
          </li>
        ))}
      </ul>
      <AlertText id={`${id}-error`} error={fetching.error} />
    </>
  );
}

/** The writer's files: names and downloads for readers of personal data. */
export function WriterFiles({ letter }: { letter: LetterDetail }) {
  const { session } = useApp();
  if (letter.writerAttachments.length === 0) return null;
  return (
    <section class="panel" aria-labelledby="letter-writer-files-title">
      <h2 id="letter-writer-files-title">{t('letters.files.writer')}</h2>
      <FileList id="letter-writer-files" files={letter.writerAttachments} mayDownload={can(session, 'case.personal')} />
    </section>
  );
}

/** The reply's files, with the upload and removal while the unit drafts it. */
export function ReplyFiles({ letter, onChange }: { letter: LetterDetail; onChange: (next: LetterDetail) => void }) {
  const [said, setSaid] = useState('');
  const busy = useBusy();
  const base = `/api/v1/letters/${letter.id}/reply-attachments`;
  if (letter.replyAttachments.length === 0 && !letter.canEditReplyAttachments) return null;
  const send = async (form: FormData, chosen: File) => {
    setSaid('');
    onChange(await api.upload<LetterDetail>(base, form));
    return t('letters.files.added', { name: chosen.name });
  };
  const remove = async (gone: LetterAttachment) => {
    setSaid('');
    const next = await busy.run(() => api.del<LetterDetail>(`${base}/${gone.id}`));
    if (next) {
      setSaid(t('letters.files.removed', { name: gone.fileName }));
      onChange(next);
    }
  };
  return (
    <section class="panel" aria-labelledby="letter-reply-files-title">
      <h2 id="letter-reply-files-title">{t('letters.files.reply')}</h2>
      <FileList
        id="letter-reply-files"
        files={letter.replyAttachments}
        mayDownload
        onRemove={letter.canEditReplyAttachments ? (gone) => void remove(gone) : undefined}
      />
      <StatusText id="letter-reply-files-status" text={said} />
      <AlertText id="letter-reply-files-remove-error" error={busy.error} />
      {letter.canEditReplyAttachments ? (
        <UploadForm
          id="letter-reply"
          label={t('letters.files.file')}
          hint={t('letters.files.hint')}
          accept=".pdf,.ofd,.doc,.docx,.xls,.xlsx,.zip,.jpg,.jpeg,.png"
          button={t('letters.files.upload')}
          missing={t('letters.files.missing')}
          send={send}
        />
      ) : null}
    </section>
  );
}
