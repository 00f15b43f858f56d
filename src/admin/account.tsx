// 账户安全: change one's password, turn on two-step verification (TOTP), see and end one's sessions.
import { useEffect, useLayoutEffect, useState } from 'preact/hooks';
import { api } from './api';
import { useApp } from './context';
import { useBusy } from './hooks';
import { t } from './i18n';
import { ChangePasswordForm } from './password';
import { formatDateTime } from './time';
import type { SessionItem, TotpEnrolment, UserView } from './types';
import { AlertText, DataTable, Field, ScreenTitle, StatusText } from './ui';

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

/** Shown before anything else while an administrative account has no second factor (ASVS 4.3.1). */
export function ForcedTotpScreen() {
  return (
    <div class="login-box">
      <ScreenTitle title={t('account.totpForcedTitle')} />
      <p>{t('account.totpForcedIntro')}</p>
      <TotpSection />
    </div>
  );
}

function SessionsSection() {
  const { site } = useApp();
  const [items, setItems] = useState<SessionItem[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [status, setStatus] = useState('');
  const load = () =>
    api.get<{ items: SessionItem[] }>('/api/v1/sessions').then(
      (answer) => setItems(answer.items),
      (failure: unknown) => setError(failure),
    );
  useEffect(() => void load(), []);
  const act = async (work: () => Promise<string>) => {
    setError(null);
    try {
      // The list is read again before the outcome is announced: what is said is what is shown.
      const outcome = await work();
      await load();
      setStatus(outcome);
    } catch (failure) {
      setError(failure);
    }
  };
  const when = (iso: string) => formatDateTime(iso, site.timeZone);
  const others = (items ?? []).filter((item) => !item.current).length;
  return (
    <section class="panel" aria-labelledby="sessions-title">
      <h2 id="sessions-title">{t('account.sessions')}</h2>
      <p>{t('account.sessionsIntro')}</p>
      {items ? (
        <DataTable
          caption={t('account.sessions')}
          class="sessions"
          columns={[
            t('account.sessionCreated'),
            t('account.sessionSeen'),
            t('account.sessionIp'),
            t('account.sessionBrowser'),
            t('common.actions'),
          ]}
        >
          {items.map((item) => (
            <tr key={item.ref}>
              <td>{when(item.createdAt)}</td>
              <td>{when(item.lastSeenAt)}</td>
              <td>{item.ip ?? t('account.sessionUnknown')}</td>
              <td class="user-agent">{item.userAgent ?? t('account.sessionUnknown')}</td>
              <td>
                {item.current ? (
                  <strong>{t('account.sessionCurrent')}</strong>
                ) : (
                  <button
                    type="button"
                    aria-label={t('account.sessionEndNamed', { when: when(item.createdAt) })}
                    onClick={() =>
                      void act(async () => {
                        await api.del(`/api/v1/sessions/${item.ref}`);
                        return t('account.sessionsEnded', { count: 1 });
                      })
                    }
                  >
                    {t('account.sessionEnd')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      ) : null}
      <div class="actions">
        <button
          type="button"
          id="sessions-end-others"
          disabled={others === 0}
          onClick={() =>
            void act(async () => {
              const { ended } = await api.del<{ ended: number }>('/api/v1/sessions');
              return t('account.sessionsEnded', { count: ended });
            })
          }
        >
          {t('account.sessionsEndOthers')}
        </button>
      </div>
      <StatusText text={status} />
      <AlertText error={error} />
    </section>
  );
}

/** The address the user's letter deadline alerts are mailed to. */
function EmailSection() {
  const { session, refreshSession } = useApp();
  const [email, setEmail] = useState(session.user.email ?? '');
  const [status, setStatus] = useState('');
  const { busy, error, run } = useBusy();
  const save = (event: Event) => {
    event.preventDefault();
    setStatus('');
    void run(async () => {
      const saved = await api.put<UserView>('/api/v1/session/email', { email: email.trim() });
      setEmail(saved.email ?? '');
      await refreshSession();
      setStatus(t(saved.email ? 'account.emailSaved' : 'account.emailRemoved'));
    });
  };
  return (
    <section class="panel" aria-labelledby="email-title">
      <h2 id="email-title">{t('account.email')}</h2>
      <form onSubmit={save} class="narrow-form">
        <Field
          id="account-email"
          label={t('account.email')}
          type="email"
          value={email}
          onValue={setEmail}
          autocomplete="email"
          maxLength={254}
          hint={t('account.emailIntro')}
        />
        <button type="submit" id="account-email-save" disabled={busy}>
          {t('account.emailSave')}
        </button>
      </form>
      <StatusText text={status} />
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
      <EmailSection />
      <TotpSection />
      <SessionsSection />
    </>
  );
}
