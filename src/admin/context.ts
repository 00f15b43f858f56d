// What every screen behind the login needs: who is signed in, what they may do, the site.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { SessionView, SiteInfo } from './types';

export interface AppState {
  session: SessionView;
  site: SiteInfo;
  /** Re-reads GET /api/v1/session, e.g. after enabling two-step verification. */
  refreshSession: () => Promise<void>;
}

export const AppContext = createContext<AppState | null>(null);

export function useApp(): AppState {
  const state = useContext(AppContext);
  if (!state) throw new Error('useApp() outside <AppContext.Provider>');
  return state;
}

/** True when the user holds any of the permissions somewhere on the site. */
export function can(session: SessionView, ...permissions: string[]): boolean {
  return permissions.some((p) => session.permissions.includes(p));
}
