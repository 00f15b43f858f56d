// The one way the back office talks to /api/v1: same-origin cookie, JSON, CSRF token on writes,
// and every failure turned into an ApiError the screens can show in either language.
import type { ArticleView, VersionConflict } from './types';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly messageEn: string,
    /** Set for 409 ARTICLE_VERSION_CONFLICT. */
    readonly conflict: VersionConflict | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** 409 ARTICLE_VERSION_CONFLICT: the article as it is now on the server. */
  get current(): ArticleView | null {
    return this.conflict?.current ?? null;
  }

  /** 409 ARTICLE_VERSION_CONFLICT: the fields someone else changed. */
  get changed(): string[] {
    return this.conflict?.changed ?? [];
  }
}

type Query = Record<string, string | number | boolean | null | undefined>;
type Listener = (error: ApiError) => void;

let csrfToken = '';

/** Where the chosen site is kept in the browser: the site switcher's choice outlives a reload. */
const SITE_KEY = 'gazette.site';

/** The site the back office works on (sent as X-Gazette-Site), or null for the address's own site. */
export function chosenSite(): number | null {
  const stored = window.localStorage.getItem(SITE_KEY);
  return stored && /^\d+$/.test(stored) ? Number(stored) : null;
}

export function chooseSite(id: number | null): void {
  if (id === null) window.localStorage.removeItem(SITE_KEY);
  else window.localStorage.setItem(SITE_KEY, String(id));
}
let onSessionProblem: Listener = () => {};
let askForProof: () => Promise<boolean> = () => Promise.resolve(false);

/**
 * Called for 403 REAUTH_REQUIRED: the app asks for the password again (POST
 * /api/v1/session/confirm) and resolves true once given, false when the user cancels; the
 * refused call is then sent once more.
 */
export function onProofNeeded(asker: () => Promise<boolean>): void {
  askForProof = asker;
}

export function setCsrfToken(token: string): void {
  csrfToken = token;
}

/** Called for 401 AUTH_REQUIRED, 403 PASSWORD_CHANGE_REQUIRED and SECOND_FACTOR_REQUIRED so the app can react once, centrally. */
export function onSessionLost(listener: Listener): void {
  onSessionProblem = listener;
}

/** The query string: empty values and unchecked flags left out, a checked flag as `true` (what the API's booleans take). */
export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '' || value === false) continue;
    params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function conflictOf(body: Record<string, unknown>): VersionConflict | null {
  const { current, changed } = body;
  if (!isRecord(current) || !Array.isArray(changed)) return null;
  return { current: current as unknown as ArticleView, changed: changed.map(String) };
}

async function errorFrom(response: Response): Promise<ApiError> {
  const body: unknown = await response.json().catch(() => null);
  if (isRecord(body) && typeof body['code'] === 'string') {
    const message = typeof body['message'] === 'string' ? body['message'] : body['code'];
    const messageEn = typeof body['messageEn'] === 'string' ? body['messageEn'] : message;
    return new ApiError(response.status, body['code'], message, messageEn, conflictOf(body));
  }
  return new ApiError(
    response.status,
    'HTTP_ERROR',
    `服务器返回错误（${response.status}）`,
    `The server answered with an error (${response.status})`,
  );
}

const SESSION_PROBLEMS = new Set(['AUTH_REQUIRED', 'PASSWORD_CHANGE_REQUIRED', 'SECOND_FACTOR_REQUIRED']);

async function send<T>(method: string, path: string, body?: unknown, proved = false, asText = false): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (method !== 'GET') headers['X-CSRF-Token'] = csrfToken;
  const site = chosenSite();
  if (site !== null) headers['X-Gazette-Site'] = String(site);
  let payload: BodyInit | undefined;
  if (body instanceof FormData) {
    payload = body; // the browser sets the multipart boundary itself
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body: payload, credentials: 'same-origin' });
  } catch {
    throw new ApiError(
      0,
      'NETWORK',
      '无法连接服务器，请检查网络后重试',
      'Cannot reach the server. Check the network and try again',
    );
  }
  if (!response.ok) {
    const error = await errorFrom(response);
    // A chosen site that was removed: forget it, and the next call works on the address's site.
    if (error.code === 'SITE_NOT_FOUND' && site !== null) chooseSite(null);
    if (SESSION_PROBLEMS.has(error.code)) onSessionProblem(error);
    if (error.code === 'REAUTH_REQUIRED' && !proved && (await askForProof()))
      return send<T>(method, path, body, true, asText);
    throw error;
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  if (asText) return text as T;
  return (text ? JSON.parse(text) : undefined) as T;
}

export const api = {
  get: <T>(path: string, query?: Query) => send<T>('GET', withQuery(path, query)),
  post: <T>(path: string, body: unknown = {}) => send<T>('POST', path, body),
  patch: <T>(path: string, body: unknown) => send<T>('PATCH', path, body),
  put: <T>(path: string, body: unknown) => send<T>('PUT', path, body),
  /** A DELETE; `T` when its answer has a body. */
  del: <T = void>(path: string) => send<T>('DELETE', path),
  upload: <T>(path: string, form: FormData) => send<T>('POST', path, form),
  /** A POST whose answer is a page (text/html, e.g. a preview), not JSON. */
  postForText: (path: string, body: unknown) => send<string>('POST', path, body, false, true),
};
