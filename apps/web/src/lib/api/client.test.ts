import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildHeaders, requestApi } from './client';
import { setCsrfToken } from './csrf';
import { ApiError } from './problem';

function stubFetch(response: Response | Error) {
  const fetchMock = vi.fn((_url: string, _init: RequestInit) =>
    response instanceof Error ? Promise.reject(response) : Promise.resolve(response),
  );
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

async function catchError(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the request to fail');
}

afterEach(() => {
  vi.unstubAllGlobals();
  setCsrfToken(undefined);
});

describe('buildHeaders', () => {
  it('sends the CSRF token on writes only', () => {
    expect(buildHeaders('POST', true, 'tok').get('X-CSRF-Token')).toBe('tok');
    expect(buildHeaders('DELETE', false, 'tok').get('X-CSRF-Token')).toBe('tok');
    expect(buildHeaders('GET', false, 'tok').get('X-CSRF-Token')).toBeNull();
    expect(buildHeaders('POST', true, undefined).get('X-CSRF-Token')).toBeNull();
  });

  it('declares a JSON body only when there is one', () => {
    expect(buildHeaders('POST', true, undefined).get('Content-Type')).toBe('application/json');
    expect(buildHeaders('DELETE', false, undefined).get('Content-Type')).toBeNull();
  });
});

describe('requestApi', () => {
  it('posts JSON same-origin with the in-memory CSRF token and returns the body', async () => {
    setCsrfToken('csrf-123');
    const fetchMock = stubFetch(Response.json({ ok: true }));
    await expect(requestApi('POST', '/auth/logout', { body: { a: 1 } })).resolves.toEqual({ ok: true });
    const [url, init] = fetchMock.mock.calls[0]!;
    expect(url).toBe('/api/v1/auth/logout');
    expect(init.credentials).toBe('same-origin');
    expect(init.body).toBe('{"a":1}');
    expect(new Headers(init.headers).get('X-CSRF-Token')).toBe('csrf-123');
  });

  it('returns undefined for an empty 204', async () => {
    stubFetch(new Response(null, { status: 204 }));
    await expect(requestApi('DELETE', '/auth/sessions/1')).resolves.toBeUndefined();
  });

  it('throws an ApiError with the problem and the Retry-After delay', async () => {
    const body = JSON.stringify({
      type: 't',
      title: 'Too many requests',
      status: 429,
      detail: 'd',
      code: 'rate_limited',
    });
    stubFetch(
      new Response(body, {
        status: 429,
        headers: { 'Content-Type': 'application/problem+json', 'Retry-After': '42' },
      }),
    );
    const error = await catchError(requestApi('POST', '/auth/login', { body: {} }));
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 429, code: 'rate_limited', retryAfterSeconds: 42 });
  });

  it('maps an unreachable server to network_error', async () => {
    stubFetch(new TypeError('Failed to fetch'));
    const error = await catchError(requestApi('GET', '/me'));
    expect(error).toMatchObject({ status: 0, code: 'network_error' });
  });
});
