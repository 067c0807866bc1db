import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

import { configureClientForTests, jsonResponse } from '@/test/render';

import { authLogin, authLogout, authMe, healthGet } from './client';
import { ApiError } from './errors';
import { readCookie, setUnauthorizedHandler } from './http';

function stubFetch(response: () => Response) {
  const fetchMock = vi.fn((_request: Request) => Promise.resolve(response()));
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

function lastRequest(fetchMock: ReturnType<typeof stubFetch>): Request {
  const request = fetchMock.mock.lastCall?.[0];
  if (request === undefined) throw new Error('fetch was not called');
  return request;
}

const UNAUTHORIZED = { error: { code: 'unauthorized', message: 'Not logged in', details: null } };

describe('API client configuration', () => {
  beforeAll(() => {
    configureClientForTests();
  });

  afterEach(() => {
    document.cookie = 'shopcrm_csrf=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/';
  });

  it('reads a cookie by exact name', () => {
    expect(readCookie('shopcrm_csrf', 'a=1; shopcrm_csrf=t%3Dk; shopcrm_csrf_old=x')).toBe('t=k');
    expect(readCookie('missing', 'a=1')).toBeNull();
  });

  it('sends the CSRF cookie as X-CSRF-Token on unsafe methods only', async () => {
    document.cookie = 'shopcrm_csrf=csrf-123; path=/';
    const fetchMock = stubFetch(() => new Response(null, { status: 204 }));

    await authLogout();
    const post = lastRequest(fetchMock);
    expect(post.method).toBe('POST');
    expect(post.headers.get('X-CSRF-Token')).toBe('csrf-123');
    expect(post.credentials).toBe('include');

    await healthGet();
    expect(lastRequest(fetchMock).headers.get('X-CSRF-Token')).toBeNull();
  });

  it('turns error bodies into ApiError with status and Retry-After', async () => {
    stubFetch(() =>
      jsonResponse(
        429,
        { error: { code: 'too_many_attempts', message: 'Slow down', details: null } },
        { 'Retry-After': '7' },
      ),
    );
    const { error } = await authLogin({ body: { email: 'a@b.co', password: 'x' } });
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 429, code: 'too_many_attempts', message: 'Slow down', retryAfter: 7 });
  });

  it('redirects on a 401, except from login and me', async () => {
    const onUnauthorized = vi.fn();
    setUnauthorizedHandler(onUnauthorized);
    stubFetch(() => jsonResponse(401, UNAUTHORIZED));

    await authLogin({ body: { email: 'a@b.co', password: 'x' } });
    await authMe();
    expect(onUnauthorized).not.toHaveBeenCalled();

    await authLogout();
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
  });
});
