/**
 * Where to go after logging in. Only a same-origin, relative path is accepted:
 * anything else (`//evil.com`, `https://evil.com`, `/\evil.com`, `javascript:`...) falls back to `/`.
 */
export const LOGIN_PATH = '/login';

const FALLBACK = '/';
const PROBE_ORIGIN = 'http://shopcrm.invalid';

export function safeNextPath(raw: string | null | undefined): string {
  if (typeof raw !== 'string' || raw === '') return FALLBACK;
  // Must be a path on this site: one leading slash, no scheme, no protocol-relative `//`,
  // no backslashes (browsers read `/\host` as `//host`) and no control characters.
  if (!raw.startsWith('/') || raw.startsWith('//')) return FALLBACK;
  // eslint-disable-next-line no-control-regex -- rejecting control characters is the point
  if (/[\\\u0000-\u001f\u007f]/.test(raw)) return FALLBACK;

  let url: URL;
  try {
    url = new URL(raw, PROBE_ORIGIN);
  } catch {
    return FALLBACK;
  }
  if (url.origin !== PROBE_ORIGIN) return FALLBACK;

  const path = url.pathname + url.search + url.hash;
  // Going back to the login page after logging in would be a loop.
  if (url.pathname === LOGIN_PATH || url.pathname.startsWith(`${LOGIN_PATH}/`)) return FALLBACK;
  return path;
}

/** `/login?next=<path>` for the given current location (no `next` when it is just `/`). */
export function loginPathFor(currentPath: string): string {
  const next = safeNextPath(currentPath);
  return next === FALLBACK ? LOGIN_PATH : `${LOGIN_PATH}?next=${encodeURIComponent(next)}`;
}
