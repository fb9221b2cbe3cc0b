import { describe, expect, it } from 'vitest';
import { createTranslator } from '../i18n/translate';
import { describeError } from './describeError';
import { ApiError, parseProblem } from './problem';

const t = createTranslator('en');
const apiError = (status: number, code: string, retryAfter?: number, extra: object = {}) =>
  new ApiError(parseProblem(status, JSON.stringify({ code, ...extra })), retryAfter);

describe('describeError', () => {
  it('maps known codes to translated sentences', () => {
    expect(describeError(apiError(401, 'invalid_credentials'), t, 'en')).toBe(
      'The email or password is incorrect.',
    );
    expect(describeError(apiError(403, 'organization_suspended'), t, 'en')).toMatch(/suspended/);
    expect(describeError(apiError(0, 'network_error'), t, 'en')).toMatch(/Cannot reach the server/);
  });

  it('shows the Retry-After wait for rate limiting, in the current language', () => {
    expect(describeError(apiError(429, 'rate_limited', 30), t, 'en')).toBe(
      'Too many attempts. Try again in 30 seconds.',
    );
    expect(describeError(apiError(429, 'rate_limited', 120), createTranslator('pt-BR'), 'pt-BR')).toBe(
      'Muitas tentativas. Tente novamente em 2 minutos.',
    );
    expect(describeError(apiError(429, 'rate_limited'), t, 'en')).toMatch(/Wait a moment/);
  });

  it('lets a screen override the wording of a code', () => {
    const error = apiError(410, 'token_invalid');
    expect(describeError(error, t, 'en')).toMatch(/reset link/);
    expect(describeError(error, t, 'en', { token_invalid: 'errors.invitationInvalid' })).toMatch(
      /invitation/,
    );
  });

  it('falls back to a generic message with the request id for support', () => {
    expect(describeError(apiError(500, 'internal', undefined, { requestId: 'req-9' }), t, 'en')).toBe(
      'Something went wrong. Please try again. Reference: req-9',
    );
    expect(describeError(new Error('boom'), t, 'en')).toBe('Something went wrong. Please try again.');
  });
});
