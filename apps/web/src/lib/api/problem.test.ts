import { describe, expect, it } from 'vitest';
import { ApiError, hasErrorCode, parseProblem, parseRetryAfter, readFieldErrors } from './problem';

describe('parseProblem', () => {
  it('reads an RFC 9457 problem with field errors', () => {
    const body = JSON.stringify({
      type: 'https://switchboard.dev/problems/validation-failed',
      title: 'The request is not valid',
      status: 400,
      detail: 'body.email: Must be a valid email address',
      code: 'validation_failed',
      requestId: 'req-1',
      errors: [{ path: 'body.email', message: 'Must be a valid email address' }],
    });
    expect(parseProblem(400, body)).toEqual({
      type: 'https://switchboard.dev/problems/validation-failed',
      title: 'The request is not valid',
      status: 400,
      detail: 'body.email: Must be a valid email address',
      code: 'validation_failed',
      requestId: 'req-1',
      errors: [{ path: 'body.email', message: 'Must be a valid email address' }],
    });
  });

  it('uses the HTTP status, not the body, as the status', () => {
    expect(parseProblem(401, JSON.stringify({ status: 500, code: 'invalid_credentials' })).status).toBe(401);
  });

  it('falls back to a code derived from the status for non-JSON bodies', () => {
    const problem = parseProblem(502, '<html>Bad gateway</html>', 'Bad Gateway');
    expect(problem).toMatchObject({
      code: 'internal',
      title: 'Bad Gateway',
      detail: '',
      type: 'about:blank',
    });
    expect(parseProblem(429, '').code).toBe('rate_limited');
    expect(parseProblem(401, 'null').code).toBe('unauthenticated');
    expect(parseProblem(418, '[]').code).toBe('unknown');
  });

  it('drops malformed field issues and omits an empty list', () => {
    const body = JSON.stringify({ code: 'validation_failed', errors: [{ path: 'body.x' }, 'oops', null] });
    expect(parseProblem(400, body).errors).toBeUndefined();
    const mixed = JSON.stringify({ code: 'x', errors: [{ path: 'body.a', message: 'A' }, { message: 'B' }] });
    expect(parseProblem(400, mixed).errors).toEqual([{ path: 'body.a', message: 'A' }]);
  });
});

describe('parseRetryAfter', () => {
  const now = new Date('2025-01-01T12:00:00Z');

  it('reads delay-seconds', () => {
    expect(parseRetryAfter('30', now)).toBe(30);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
  });

  it('reads an HTTP date relative to now, rounding up and never negative', () => {
    expect(parseRetryAfter('Wed, 01 Jan 2025 12:01:30 GMT', now)).toBe(90);
    expect(parseRetryAfter('Wed, 01 Jan 2025 11:00:00 GMT', now)).toBe(0);
  });

  it('returns undefined when absent or unreadable', () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
  });
});

describe('readFieldErrors', () => {
  it('strips the request part prefix and keeps the first message per field', () => {
    const problem = parseProblem(
      400,
      JSON.stringify({
        code: 'validation_failed',
        errors: [
          { path: 'body.email', message: 'first' },
          { path: 'body.email', message: 'second' },
          { path: 'body.password', message: 'too short' },
          { path: 'query.limit', message: 'too big' },
        ],
      }),
    );
    expect(readFieldErrors(problem)).toEqual({ email: 'first', password: 'too short', limit: 'too big' });
  });
});

describe('ApiError', () => {
  it('exposes code, status and Retry-After, and is recognised by hasErrorCode', () => {
    const error = new ApiError(
      parseProblem(429, JSON.stringify({ code: 'rate_limited', detail: 'Slow down' })),
      12,
    );
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toBe('Slow down');
    expect(error.retryAfterSeconds).toBe(12);
    expect(hasErrorCode(error, 'rate_limited')).toBe(true);
    expect(hasErrorCode(error, 'invalid_credentials')).toBe(false);
    expect(hasErrorCode(new Error('x'), 'rate_limited')).toBe(false);
  });
});
