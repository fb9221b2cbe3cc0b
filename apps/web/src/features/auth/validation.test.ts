import { describe, expect, it } from 'vitest';
import { createTranslator } from '../../lib/i18n/translate';
import {
  normalizeTotpCode,
  readRedirectTarget,
  validateForgotPassword,
  validateInvitation,
  validateLogin,
  validateResetPassword,
  validateSecondFactor,
} from './validation';

const t = createTranslator('en');

describe('validateLogin', () => {
  it('requires a plausible email and a password', () => {
    expect(validateLogin({ email: '', password: '' }, t)).toEqual({
      email: 'This field is required.',
      password: 'This field is required.',
    });
    expect(validateLogin({ email: 'not-an-email', password: 'x' }, t)).toEqual({
      email: 'Enter a valid email address.',
    });
    expect(validateLogin({ email: '  ana@example.com ', password: 'short' }, t)).toEqual({});
  });
});

describe('validateSecondFactor', () => {
  it('accepts 6 digits, ignoring spaces and dashes', () => {
    expect(validateSecondFactor('totp', '123 456', t)).toEqual({});
    expect(normalizeTotpCode(' 123-456 ')).toBe('123456');
    expect(validateSecondFactor('totp', '12345', t)).toHaveProperty('totpCode');
    expect(validateSecondFactor('totp', 'abcdef', t)).toHaveProperty('totpCode');
  });

  it('requires a recovery code of at most 20 characters', () => {
    expect(validateSecondFactor('recovery', 'k7m2-q9xp-4t', t)).toEqual({});
    expect(validateSecondFactor('recovery', '  ', t)).toEqual({ recoveryCode: 'This field is required.' });
    expect(validateSecondFactor('recovery', 'x'.repeat(21), t)).toHaveProperty('recoveryCode');
  });
});

describe('validateForgotPassword', () => {
  it('requires an email', () => {
    expect(validateForgotPassword({ email: '' }, t)).toHaveProperty('email');
    expect(validateForgotPassword({ email: 'a@b.co' }, t)).toEqual({});
  });
});

describe('validateResetPassword', () => {
  it('needs 10 to 200 characters and a matching confirmation', () => {
    expect(validateResetPassword({ password: 'short', confirmPassword: 'short' }, t)).toEqual({
      password: 'Use at least 10 characters.',
    });
    expect(validateResetPassword({ password: 'long enough!', confirmPassword: 'different!!' }, t)).toEqual({
      confirmPassword: 'The passwords do not match.',
    });
    expect(validateResetPassword({ password: 'p'.repeat(201), confirmPassword: 'p'.repeat(201) }, t)).toEqual(
      {
        password: 'Use at most 200 characters.',
      },
    );
    expect(validateResetPassword({ password: 'long enough!', confirmPassword: 'long enough!' }, t)).toEqual(
      {},
    );
  });

  it('translates its messages', () => {
    expect(validateResetPassword({ password: '', confirmPassword: '' }, createTranslator('es'))).toEqual({
      password: 'Este campo es obligatorio.',
      confirmPassword: 'Este campo es obligatorio.',
    });
  });
});

describe('validateInvitation', () => {
  it('requires names and a strong enough password', () => {
    expect(validateInvitation({ firstName: ' ', lastName: 'Souza', password: 'abc' }, t)).toEqual({
      firstName: 'This field is required.',
      password: 'Use at least 10 characters.',
    });
    expect(
      validateInvitation({ firstName: 'Ana', lastName: 'x'.repeat(101), password: 'a'.repeat(10) }, t),
    ).toEqual({ lastName: 'Use at most 100 characters.' });
  });
});

describe('readRedirectTarget', () => {
  it('returns the in-app page that required sign-in', () => {
    expect(readRedirectTarget({ from: '/account/sessions?x=1' })).toBe('/account/sessions?x=1');
  });

  it('refuses anything that could leave the app, and defaults to home', () => {
    expect(readRedirectTarget(undefined)).toBe('/');
    expect(readRedirectTarget({ from: 'https://evil.example' })).toBe('/');
    expect(readRedirectTarget({ from: '//evil.example' })).toBe('/');
    expect(readRedirectTarget({ from: '/\\evil.example' })).toBe('/');
    expect(readRedirectTarget({ from: '/login' })).toBe('/');
    expect(readRedirectTarget({ from: 42 })).toBe('/');
  });
});
