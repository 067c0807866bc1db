/**
 * Configures the generated API client once, at start-up:
 * same-origin base URL, cookies sent, CSRF header on unsafe methods,
 * errors turned into ApiError, and a 401 sending the user to the login page.
 */
import { client } from './client/client.gen';
import { toApiError } from './errors';

export const CSRF_COOKIE = 'shopcrm_csrf';
export const CSRF_HEADER = 'X-CSRF-Token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * 401s that must not trigger the global redirect: the login call answers 401 for a wrong password,
 * and `me` is owned by the route guard, which redirects by itself.
 */
const NO_REDIRECT_ON_401 = ['/api/auth/login', '/api/auth/me'];

export function readCookie(name: string, cookieString: string = document.cookie): string | null {
  for (const part of cookieString.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    if (part.slice(0, eq).trim() === name) {
      return decodeURIComponent(part.slice(eq + 1).trim());
    }
  }
  return null;
}

type UnauthorizedHandler = () => void;

let onUnauthorized: UnauthorizedHandler = () => {
  const { pathname, search, hash } = window.location;
  if (pathname === '/login') return;
  window.location.assign(`/login?next=${encodeURIComponent(pathname + search + hash)}`);
};

/** Replaces the default full-page redirect (the router registers an in-app navigation). */
export function setUnauthorizedHandler(handler: UnauthorizedHandler): void {
  onUnauthorized = handler;
}

let configured = false;

export function configureApiClient(): void {
  if (configured) return;
  configured = true;

  client.setConfig({ baseUrl: '', credentials: 'include' });

  client.interceptors.request.use((request) => {
    if (!SAFE_METHODS.has(request.method.toUpperCase())) {
      const token = readCookie(CSRF_COOKIE);
      if (token !== null) request.headers.set(CSRF_HEADER, token);
    }
    return request;
  });

  client.interceptors.error.use((error, response, request) => {
    const apiError = toApiError(error, response);
    if (apiError.status === 401) {
      const path = new URL(request.url, window.location.origin).pathname;
      if (!NO_REDIRECT_ON_401.includes(path)) onUnauthorized();
    }
    return apiError;
  });
}
