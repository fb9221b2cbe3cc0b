// Checks and server-error wording of the account forms; pure, so they are unit-tested.
import { hasErrorCode } from '../../lib/api/problem';
import type { Translate } from '../../lib/i18n/types';
import {
  checkName,
  checkNewPassword,
  checkRequired,
  compactErrors,
  PASSWORD_MIN_LENGTH,
  PASSWORD_MAX_LENGTH,
  type FieldErrors,
} from '../../lib/validation';

export const availabilityOptions = ['online', 'busy', 'offline'] as const;
export type AvailabilityOption = (typeof availabilityOptions)[number];

export function isAvailability(value: string): value is AvailabilityOption {
  return (availabilityOptions as readonly string[]).includes(value);
}

export function validateProfile(values: { firstName: string; lastName: string }, t: Translate) {
  return compactErrors({
    firstName: checkName(values.firstName, t),
    lastName: checkName(values.lastName, t),
  });
}

export type PasswordField = 'currentPassword' | 'newPassword' | 'confirmPassword';

export function validatePasswordChange(
  values: Record<PasswordField, string>,
  t: Translate,
): FieldErrors<PasswordField> {
  return compactErrors({
    currentPassword: checkRequired(values.currentPassword, t),
    newPassword: checkNewPassword(values.newPassword, t),
    confirmPassword:
      values.confirmPassword === ''
        ? t('validation.required')
        : values.confirmPassword !== values.newPassword
          ? t('validation.passwordMismatch')
          : undefined,
  });
}

/**
 * The server's refusal of a password change, per field and in words: its issues carry English
 * messages, so each is worded here by the field it names. Undefined when the error is not a
 * validation problem (the caller shows describeError's sentence instead).
 */
export function passwordChangeErrors(
  error: unknown,
  t: Translate,
): { alert: string; fields: FieldErrors<PasswordField> } | undefined {
  if (!hasErrorCode(error, 'validation_failed')) return undefined;
  const fields: FieldErrors<PasswordField> = {};
  for (const issue of error.problem.errors ?? []) {
    const field = issue.path.replace(/^body\./, '');
    if (field === 'currentPassword') fields.currentPassword ??= t('account.currentPasswordIncorrect');
    else if (field === 'newPassword')
      fields.newPassword ??= t('account.newPasswordRule', {
        min: PASSWORD_MIN_LENGTH,
        max: PASSWORD_MAX_LENGTH,
      });
  }
  const alert =
    fields.currentPassword !== undefined && fields.newPassword === undefined
      ? t('account.currentPasswordIncorrect')
      : t('errors.validation');
  return { alert, fields };
}
