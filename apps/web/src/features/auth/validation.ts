// Client-side checks for the auth forms; pure so they are unit-tested.
import type { Translate } from '../../lib/i18n/types';
import {
  checkEmail,
  checkName,
  checkNewPassword,
  checkRequired,
  compactErrors,
  type FieldErrors,
} from '../../lib/validation';

export type SecondFactorMode = 'totp' | 'recovery';

export function validateLogin(values: { email: string; password: string }, t: Translate) {
  return compactErrors({ email: checkEmail(values.email, t), password: checkRequired(values.password, t) });
}

/** Spaces and dashes people type or paste around an authenticator code are ignored. */
export function normalizeTotpCode(code: string): string {
  return code.replace(/[\s-]/g, '');
}

export function validateSecondFactor(
  mode: SecondFactorMode,
  code: string,
  t: Translate,
): FieldErrors<'totpCode' | 'recoveryCode'> {
  switch (mode) {
    case 'totp':
      return /^\d{6}$/.test(normalizeTotpCode(code)) ? {} : { totpCode: t('validation.totpCode') };
    case 'recovery': {
      const trimmed = code.trim();
      if (trimmed === '') return { recoveryCode: t('validation.required') };
      return trimmed.length > 20 ? { recoveryCode: t('validation.tooLong', { max: 20 }) } : {};
    }
  }
}

export function validateForgotPassword(values: { email: string }, t: Translate) {
  return compactErrors({ email: checkEmail(values.email, t) });
}

export function validateResetPassword(values: { password: string; confirmPassword: string }, t: Translate) {
  const confirmMismatch =
    values.confirmPassword === ''
      ? t('validation.required')
      : values.confirmPassword !== values.password
        ? t('validation.passwordMismatch')
        : undefined;
  return compactErrors({ password: checkNewPassword(values.password, t), confirmPassword: confirmMismatch });
}

export function validateInvitation(
  values: { firstName: string; lastName: string; password: string },
  t: Translate,
) {
  return compactErrors({
    firstName: checkName(values.firstName, t),
    lastName: checkName(values.lastName, t),
    password: checkNewPassword(values.password, t),
  });
}

/**
 * Where to go after signing in: the protected page that sent the user to /login, if it is a
 * same-app path; never an absolute or protocol-relative URL (open-redirect guard).
 */
export function readRedirectTarget(state: unknown): string {
  if (typeof state !== 'object' || state === null || !('from' in state)) return '/';
  const from = state.from;
  if (typeof from !== 'string' || !from.startsWith('/') || from.startsWith('//') || from.includes('\\')) {
    return '/';
  }
  return from.startsWith('/login') ? '/' : from;
}
