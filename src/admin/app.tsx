// The app root: finds out who is signed in, gates on login and forced password change,
// then shows the routed screen inside the layout.
import { useEffect, useState } from 'preact/hooks';
import { api, onSessionLost, setCsrfToken } from './api';
import { AppContext, can, type AppState } from './context';
import { t, useLang } from './i18n';
import { LoginScreen } from './login';
import { ForcedPasswordScreen } from './password';
import { ForcedTotpScreen } from './account';
import { ProofDialog } from './proof-dialog';
import { SecurityNotices } from './security-notices';
import { requestFocus, useRouter } from './router';
import { Screen } from './screens';
import { Layout, routeNeeds } from './shell';
import type { SessionView, SiteInfo } from './types';
import { StatusText } from './ui';

const DEFAULT_SITE: SiteInfo = { id: 0, name: '', timeZone: 'Asia/Shanghai' };

export function App() {
  useLang(); // the whole tree re-renders in the new language
  const { route, key } = useRouter();
  const [session, setSession] = useState<SessionView | null | undefined>(undefined);
  const [site, setSite] = useState<SiteInfo>(DEFAULT_SITE);

  const accept = (next: SessionView) => {
    setCsrfToken(next.csrfToken);
    setSession(next);
  };
  const loadSession = () => api.get<SessionView>('/api/v1/session').then(accept, () => setSession(null));

  useEffect(() => {
    onSessionLost((error) => {
      if (error.code === 'AUTH_REQUIRED') setSession(null);
      else if (error.code === 'SECOND_FACTOR_REQUIRED')
        setSession((s) => (s ? { ...s, mustEnrolSecondFactor: true } : s));
      else setSession((s) => (s ? { ...s, user: { ...s.user, mustChangePassword: true } } : s));
    });
    void loadSession();
  }, []);

  const userId = session?.user.id;
  useEffect(() => {
    if (userId !== undefined) api.get<SiteInfo>('/api/v1/site').then(setSite, () => setSite(DEFAULT_SITE));
  }, [userId]);

  if (session === undefined) {
    return (
      <Layout siteName="">
        <StatusText text={t('common.loading')} />
      </Layout>
    );
  }
  if (session === null) {
    const onLogin = (next: SessionView) => {
      requestFocus();
      accept(next);
    };
    return (
      <Layout siteName="">
        <LoginScreen onLogin={onLogin} />
      </Layout>
    );
  }
  const logout = () => {
    api
      .del('/api/v1/session')
      .catch(() => undefined)
      .finally(() => {
        requestFocus();
        setCsrfToken('');
        setSession(null);
      });
  };
  if (session.user.mustChangePassword) {
    const done = () => {
      requestFocus();
      void loadSession();
    };
    return (
      <Layout siteName={site.name} onLogout={logout}>
        <ForcedPasswordScreen username={session.user.username} onDone={done} />
      </Layout>
    );
  }
  const state: AppState = { session, site, refreshSession: loadSession };
  if (session.mustEnrolSecondFactor) {
    return (
      <AppContext.Provider value={state}>
        <Layout siteName={site.name} onLogout={logout}>
          <ForcedTotpScreen />
        </Layout>
        <ProofDialog />
      </AppContext.Provider>
    );
  }
  const needs = routeNeeds(route);
  const allowed = needs.length === 0 || can(session, ...needs);
  return (
    <AppContext.Provider value={state}>
      <Layout siteName={site.name} session={session} route={route} onLogout={logout}>
        <SecurityNotices />
        <Screen key={key} route={allowed ? route : { name: 'forbidden' }} />
      </Layout>
      <ProofDialog />
    </AppContext.Provider>
  );
}
