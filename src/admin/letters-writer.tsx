// The writer's name, phone, e-mail and address: read from the server only when asked for, since
// every reading is written to the audit log, and forgotten again on 隐藏.
import { useState } from 'preact/hooks';
import { api } from './api';
import { useBusy } from './hooks';
import { t } from './i18n';
import type { LetterPersonalData } from './types';
import { AlertText, focusLater } from './ui';

export function LetterWriter({ id }: { id: number }) {
  const [writer, setWriter] = useState<LetterPersonalData | null>(null);
  const { busy, error, run } = useBusy();
  const show = async () => {
    const data = await run(() => api.get<LetterPersonalData>(`/api/v1/letters/${id}/personal`));
    if (data) {
      setWriter(data);
      focusLater('letter-writer-hide');
    }
  };
  const rows: [string, string][] = writer
    ? [
        [t('letters.writerName'), writer.name],
        [t('letters.writerPhone'), writer.phone],
        [t('letters.writerEmail'), writer.email],
        [t('letters.writerAddress'), writer.address],
      ]
    : [];
  return (
    <section class="panel" aria-labelledby="letter-writer-title">
      <h2 id="letter-writer-title">{t('letters.writer')}</h2>
      <p class="hint spaced" id="letter-writer-hint">
        {t('letters.writerHint')}
      </p>
      {writer ? (
        <>
          <dl class="letter-meta" id="letter-writer">
            {rows.map(([label, value]) => (
              <div key={label}>
                <dt>{label}</dt>
                <dd>{value || '—'}</dd>
              </div>
            ))}
          </dl>
          <button
            type="button"
            id="letter-writer-hide"
            onClick={() => {
              setWriter(null);
              focusLater('letter-writer-show');
            }}
          >
            {t('letters.writerHide')}
          </button>
        </>
      ) : (
        <button
          type="button"
          id="letter-writer-show"
          aria-describedby="letter-writer-hint"
          disabled={busy}
          onClick={() => void show()}
        >
          {t('letters.writerShow')}
        </button>
      )}
      <AlertText error={error} />
    </section>
  );
}
