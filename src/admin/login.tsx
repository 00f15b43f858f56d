// Sign in with username and password, then a 6-digit code when the account uses two-step verification.
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api } from './api';
import { t } from './i18n';
import type { SessionView } from './types';
import { PasswordField } from './password-field';
import { AlertText, Field, ScreenTitle } from './ui';

interface Credentials {
  username: string;
  password: string;
  totp?: string;
}

export function LoginScreen({ onLogin }: { onLogin: (session: SessionView) => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [needsTotp, setNeedsTotp] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const totpRef = useRef<HTMLInputElement>(null);

  // When the code field appears, put the cursor in it for the next step.
  useLayoutEffect(() => {
    if (needsTotp) totpRef.current?.focus();
  }, [needsTotp]);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const body: Credentials = { username, password };
    if (needsTotp) body.totp = totp;
    try {
      onLogin(await api.post<SessionView>('/api/v1/session', body));
    } catch (failure) {
      setError(failure);
      if (failure instanceof ApiError && failure.code === 'AUTH_TOTP_REQUIRED') {
        setNeedsTotp(true);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="login-box">
      <ScreenTitle title={t('login.title')} />
      <form onSubmit={(event) => void submit(event)}>
        <Field
          id="username"
          label={t('login.username')}
          value={username}
          onValue={setUsername}
          autocomplete="username"
          required
        />
        <PasswordField
          id="password"
          label={t('login.password')}
          value={password}
          onValue={setPassword}
          autocomplete="current-password"
          required
        />
        {needsTotp ? (
          <Field
            id="totp"
            label={t('login.totp')}
            value={totp}
            onValue={setTotp}
            inputRef={totpRef}
            inputMode="numeric"
            autocomplete="one-time-code"
            pattern="[0-9]{6}"
            maxLength={6}
            required
            hint={t('login.totpHint')}
          />
        ) : null}
        <AlertText error={error} />
        <button type="submit" id="login" class="primary" disabled={busy}>
          {t('login.submit')}
        </button>
      </form>
    </div>
  );
}
