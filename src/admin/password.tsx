// Changing one's own password: forced after first login or a reset, and from 账户安全.
import { useState } from 'preact/hooks';
import { api } from './api';
import { t } from './i18n';
import { PasswordField } from './password-field';
import { AlertText, ScreenTitle, StatusText } from './ui';

/** The rules are the server's; it answers PASSWORD_WEAK with its own message, shown as is. */
export function ChangePasswordForm({ username, onDone }: { username: string; onDone: () => void }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [mismatch, setMismatch] = useState(false);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setSaved(false);
    setError(null);
    setMismatch(next !== confirm);
    if (next !== confirm) return;
    setBusy(true);
    try {
      await api.post<void>('/api/v1/session/password', { currentPassword: current, newPassword: next });
      setCurrent('');
      setNext('');
      setConfirm('');
      setSaved(true);
      onDone();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(event) => void submit(event)} class="narrow-form">
      <PasswordField
        id="current-password"
        label={t('password.current')}
        value={current}
        onValue={setCurrent}
        autocomplete="current-password"
        required
      />
      <PasswordField
        id="new-password"
        label={t('password.new')}
        value={next}
        onValue={setNext}
        autocomplete="new-password"
        required
        hint={t('password.rules')}
        strengthContext={[username]}
      />
      <PasswordField
        id="confirm-password"
        label={t('password.confirm')}
        value={confirm}
        onValue={setConfirm}
        autocomplete="new-password"
        required
      />
      <AlertText error={error} text={mismatch ? t('password.mismatch') : ''} />
      <StatusText text={saved ? t('password.changed') : ''} />
      <button type="submit" id="change-password" class="primary" disabled={busy}>
        {t('password.submit')}
      </button>
    </form>
  );
}

/** Shown before anything else while user.mustChangePassword is set. */
export function ForcedPasswordScreen({ username, onDone }: { username: string; onDone: () => void }) {
  return (
    <div class="login-box">
      <ScreenTitle title={t('password.forcedTitle')} />
      <p>{t('password.forcedIntro')}</p>
      <ChangePasswordForm username={username} onDone={onDone} />
    </div>
  );
}
