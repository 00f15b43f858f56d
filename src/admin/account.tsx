// 账户安全: change one's password and turn on two-step verification (TOTP).
import { useLayoutEffect, useState } from 'preact/hooks';
import { api } from './api';
import { useApp } from './context';
import { t } from './i18n';
import { ChangePasswordForm } from './password';
import type { TotpEnrolment } from './types';
import { AlertText, Field, ScreenTitle, StatusText } from './ui';

function TotpSection() {
  const { session, refreshSession } = useApp();
  const [enrolment, setEnrolment] = useState<TotpEnrolment | null>(null);
  const [code, setCode] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  const attempt = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  const begin = () =>
    attempt(async () => {
      setEnrolment(await api.post<TotpEnrolment>('/api/v1/session/totp'));
    });
  useLayoutEffect(() => {
    if (enrolment) document.getElementById('totp-code')?.focus();
  }, [enrolment]);
  const confirm = (event: Event) => {
    event.preventDefault();
    void attempt(async () => {
      await api.post<void>('/api/v1/session/totp/confirm', { code: code.trim() });
      setEnrolment(null);
      setCode('');
      setDone(true);
      await refreshSession();
    });
  };

  return (
    <section class="panel" aria-labelledby="totp-title">
      <h2 id="totp-title">{t('account.totp')}</h2>
      <StatusText text={done ? t('account.totpEnabled') : ''} />
      {session.user.totpEnabled && !enrolment ? <p>{t('account.totpOn')}</p> : null}
      {!session.user.totpEnabled && !enrolment ? (
        <>
          <p>{t('account.totpIntro')}</p>
          <button type="button" id="totp-begin" disabled={busy} onClick={() => void begin()}>
            {t('account.totpBegin')}
          </button>
        </>
      ) : null}
      {enrolment ? (
        <form onSubmit={confirm} class="narrow-form">
          <p>{t('account.totpScan')}</p>
          <dl class="secret">
            <dt>{t('account.secret')}</dt>
            <dd>
              <code id="totp-secret">{enrolment.secret}</code>
            </dd>
            <dt>{t('account.otpauthUrl')}</dt>
            <dd>
              <code id="totp-url">{enrolment.otpauthUrl}</code>
            </dd>
          </dl>
          <Field
            id="totp-code"
            label={t('login.totp')}
            value={code}
            onValue={setCode}
            inputMode="numeric"
            autocomplete="one-time-code"
            pattern="[0-9]{6}"
            maxLength={6}
            required
          />
          <button type="submit" id="totp-confirm" class="primary" disabled={busy}>
            {t('account.totpConfirm')}
          </button>
        </form>
      ) : null}
      <AlertText error={error} />
    </section>
  );
}

export function AccountScreen() {
  const { session } = useApp();
  return (
    <>
      <ScreenTitle title={t('nav.account')} />
      <section class="panel" aria-labelledby="password-title">
        <h2 id="password-title">{t('account.password')}</h2>
        <ChangePasswordForm username={session.user.username} onDone={() => undefined} />
      </section>
      <TotpSection />
    </>
  );
}
