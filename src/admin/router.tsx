// History routing under /admin/ (the server answers index.html for every /admin/* path).
import type { AnchorHTMLAttributes, ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';

export type Route =
  | { name: 'dashboard' }
  | { name: 'articles' }
  | { name: 'review' }
  | { name: 'editor'; id: number | null }
  | { name: 'revisions'; id: number }
  | { name: 'channels' }
  | { name: 'media' }
  | { name: 'users' }
  | { name: 'audit' }
  | { name: 'account' }
  | { name: 'notFound' }
  | { name: 'forbidden' }
  | { name: 'siteSettings' }
  | { name: 'look' }
  | { name: 'theme' }
  | { name: 'sites' }
  | { name: 'submissions' }
  | { name: 'submissionStats' }
  | { name: 'placements' }
  | { name: 'disclosureReport' }
  | { name: 'health' }
  | { name: 'wordingDictionary' }
  | { name: 'letters' }
  | { name: 'letter'; id: number }
  | { name: 'letterDesk' }
  | { name: 'letterStats' }
  | { name: 'infoRequests' }
  | { name: 'infoRequest'; id: number }
  | { name: 'surveys' }
  | { name: 'survey'; id: number | null }
  | { name: 'surveyResults'; id: number }
  | { name: 'consultations' }
  | { name: 'consultation'; id: number | null }
  | { name: 'calendar' }
  | { name: 'contentTypes' }
  | { name: 'fronts' };

const BASE = '/admin';

const SIMPLE: Record<string, Route> = {
  '/': { name: 'dashboard' },
  '/articles': { name: 'articles' },
  '/articles/new': { name: 'editor', id: null },
  '/review': { name: 'review' },
  '/channels': { name: 'channels' },
  '/media': { name: 'media' },
  '/users': { name: 'users' },
  '/audit': { name: 'audit' },
  '/account': { name: 'account' },
  '/site': { name: 'siteSettings' },
  '/site/look': { name: 'look' },
  '/site/theme': { name: 'theme' },
  '/sites': { name: 'sites' },
  '/submissions': { name: 'submissions' },
  '/submissions/stats': { name: 'submissionStats' },
  '/placements': { name: 'placements' },
  '/disclosure': { name: 'disclosureReport' },
  '/health': { name: 'health' },
  '/wording': { name: 'wordingDictionary' },
  '/letters': { name: 'letters' },
  '/letters/desk': { name: 'letterDesk' },
  '/letters/stats': { name: 'letterStats' },
  '/info-requests': { name: 'infoRequests' },
  '/surveys': { name: 'surveys' },
  '/surveys/new': { name: 'survey', id: null },
  '/consultations': { name: 'consultations' },
  '/consultations/new': { name: 'consultation', id: null },
  '/calendar': { name: 'calendar' },
  '/content-types': { name: 'contentTypes' },
  '/fronts': { name: 'fronts' },
};

/** App paths ('/articles/3') to real URLs ('/admin/articles/3'). */
export function href(path: string): string {
  return path === '/' ? `${BASE}/` : BASE + path;
}

export function parseRoute(pathname: string): Route {
  let path = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : pathname;
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  if (path === '') path = '/';
  const simple = SIMPLE[path];
  if (simple) return simple;
  const article = /^\/articles\/(\d+)(\/revisions)?$/.exec(path);
  if (article?.[1]) {
    const id = Number(article[1]);
    return article[2] ? { name: 'revisions', id } : { name: 'editor', id };
  }
  const letter = /^\/letters\/(\d+)$/.exec(path);
  if (letter?.[1]) return { name: 'letter', id: Number(letter[1]) };
  const infoRequest = /^\/info-requests\/(\d+)$/.exec(path);
  if (infoRequest?.[1]) return { name: 'infoRequest', id: Number(infoRequest[1]) };
  const consultation = /^\/consultations\/(\d+)$/.exec(path);
  if (consultation?.[1]) return { name: 'consultation', id: Number(consultation[1]) };
  const survey = /^\/surveys\/(\d+)(\/results)?$/.exec(path);
  if (survey?.[1])
    return survey[2] ? { name: 'surveyResults', id: Number(survey[1]) } : { name: 'survey', id: Number(survey[1]) };
  return { name: 'notFound' };
}

interface RouterState {
  path: string;
  key: number;
}

let state: RouterState = { path: location.pathname, key: 0 };
// Set by navigations the user asked for, so the new screen's h1 takes focus; not on first load,
// where the skip link should stay the first thing Tab reaches.
let focusPending = false;
const listeners = new Set<() => void>();

function update(next: RouterState, focus: boolean): void {
  state = next;
  focusPending = focus;
  for (const listener of listeners) listener();
}

export interface NavigateOptions {
  replace?: boolean;
  /** Keep the current screen mounted (e.g. a new article got its id): no remount, no focus move. */
  keepScreen?: boolean;
}

export function navigate(path: string, options: NavigateOptions = {}): void {
  const url = href(path);
  if (options.replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  const key = options.keepScreen ? state.key : state.key + 1;
  update({ path: location.pathname, key }, !options.keepScreen);
  if (!options.keepScreen) window.scrollTo(0, 0);
}

window.addEventListener('popstate', () => {
  // A fragment jump (the skip link) also fires popstate; only a new path is a new screen.
  if (location.pathname !== state.path) update({ path: location.pathname, key: state.key + 1 }, true);
});

/** Asks the next screen to focus its h1 (after login, logout, a forced password change). */
export function requestFocus(): void {
  focusPending = true;
}

export function takeFocusRequest(): boolean {
  const pending = focusPending;
  focusPending = false;
  return pending;
}

export function useRouter(): { route: Route; key: number; path: string } {
  const [, setTick] = useState(0);
  useEffect(() => {
    const listener = () => setTick((n) => n + 1);
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  }, []);
  return { route: parseRoute(state.path), key: state.key, path: state.path };
}

type LinkProps = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href' | 'onClick'> & {
  to: string;
  children: ComponentChildren;
};

/** A real link (works with keyboard, middle click and "open in new tab") that routes in place. */
export function Link({ to, children, ...rest }: LinkProps) {
  const onClick = (event: MouseEvent) => {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  };
  return (
    <a {...rest} href={href(to)} onClick={onClick}>
      {children}
    </a>
  );
}
