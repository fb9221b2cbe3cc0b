// The one way the app talks to the API: same-origin fetch with the session cookie, JSON bodies,
// the CSRF header on every write, and RFC 9457 problems turned into ApiError.
import { getCsrfToken } from './csrf';
import { ApiError, parseProblem, parseRetryAfter } from './problem';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RequestOptions {
  body?: unknown;
  signal?: AbortSignal;
}

const API_PREFIX = '/api/v1';

/** Headers for a request; writes carry `X-CSRF-Token` when a token is known. */
export function buildHeaders(method: HttpMethod, hasBody: boolean, csrfToken: string | undefined): Headers {
  const headers = new Headers({ Accept: 'application/json, application/problem+json' });
  if (hasBody) headers.set('Content-Type', 'application/json');
  if (method !== 'GET' && csrfToken !== undefined) headers.set('X-CSRF-Token', csrfToken);
  return headers;
}

/**
 * Sends a request to `/api/v1{path}` and returns the parsed JSON body (undefined for 204/202
 * without a body). Throws ApiError for non-2xx answers and, with code `network_error`, when the
 * server cannot be reached.
 */
export async function requestApi<T>(
  method: HttpMethod,
  path: string,
  options: RequestOptions = {},
): Promise<T> {
  const hasBody = options.body !== undefined;
  let response: Response;
  try {
    response = await fetch(`${API_PREFIX}${path}`, {
      method,
      credentials: 'same-origin',
      headers: buildHeaders(method, hasBody, getCsrfToken()),
      ...(hasBody ? { body: JSON.stringify(options.body) } : {}),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError({
      type: 'about:blank',
      title: 'Network error',
      status: 0,
      detail: '',
      code: 'network_error',
    });
  }
  const text = await response.text();
  if (!response.ok) {
    const problem = parseProblem(response.status, text, response.statusText);
    throw new ApiError(problem, parseRetryAfter(response.headers.get('Retry-After'), new Date()));
  }
  return (text === '' ? undefined : JSON.parse(text)) as T;
}

/**
 * Uploads raw bytes (a file the user picked) to `/api/v1{path}` with their own Content-Type and the
 * CSRF header; answers and errors as requestApi does.
 */
export async function uploadApi<T>(path: string, file: Blob, signal?: AbortSignal): Promise<T> {
  const headers = buildHeaders('POST', false, getCsrfToken());
  headers.set('Content-Type', file.type === '' ? 'application/octet-stream' : file.type);
  let response: Response;
  try {
    response = await fetch(`${API_PREFIX}${path}`, {
      method: 'POST',
      credentials: 'same-origin',
      headers,
      body: file,
      ...(signal === undefined ? {} : { signal }),
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError({
      type: 'about:blank',
      title: 'Network error',
      status: 0,
      detail: '',
      code: 'network_error',
    });
  }
  const text = await response.text();
  if (!response.ok) {
    throw new ApiError(
      parseProblem(response.status, text, response.statusText),
      parseRetryAfter(response.headers.get('Retry-After'), new Date()),
    );
  }
  return JSON.parse(text) as T;
}
