// 请确认身份: the password asked again before a sensitive action (ASVS 3.7.1). The API answers
// REAUTH_REQUIRED; api.ts asks through this dialog, then sends the refused call once more.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, onProofNeeded } from './api';
import { useModal } from './image-dialog';
import { t } from './i18n';
import { PasswordField } from './password-field';
import { AlertText } from './ui';

export function ProofDialog() {
  const [pending, setPending] = useState<((proved: boolean) => void) | null>(null);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const proved = useRef(false);
  const { dialog, returnFocus } = useModal(pending !== null, () => {
    proved.current = false;
    setPassword('');
    setError(null);
    document.getElementById('proof-password')?.focus();
  });

  useEffect(() => {
    onProofNeeded(() => new Promise<boolean>((resolve) => setPending(() => resolve)));
  }, []);

  const closed = () => {
    pending?.(proved.current);
    setPending(null);
    returnFocus();
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.post<void>('/api/v1/session/confirm', { password });
      proved.current = true;
      dialog.current?.close();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog ref={dialog} class="dialog" aria-labelledby="proof-title" onClose={closed}>
      <form onSubmit={(event) => void submit(event)} method="dialog" noValidate>
        <h2 id="proof-title">{t('proof.title')}</h2>
        <p>{t('proof.intro')}</p>
        <PasswordField
          id="proof-password"
          label={t('login.password')}
          value={password}
          onValue={setPassword}
          autocomplete="current-password"
          required
        />
        <AlertText error={error} />
        <div class="actions">
          <button type="submit" id="proof-submit" class="primary" disabled={busy}>
            {t('proof.submit')}
          </button>
          <button type="button" id="proof-cancel" onClick={() => dialog.current?.close()}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
