// Field validators shared by the forms. Limits mirror the API's schemas so that a form the client
// accepts is accepted by the server; the server's own per-field errors are still shown if not.
import type { Translate } from './i18n/types';

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 200;
export const NAME_MAX_LENGTH = 100;
export const EMAIL_MAX_LENGTH = 254;

/** Field name → message. Only invalid fields have an entry. */
export type FieldErrors<F extends string = string> = Partial<Record<F, string>>;

export function hasErrors(errors: FieldErrors): boolean {
  return Object.values(errors).some((message) => message !== undefined);
}

/** Keeps only defined entries, so `exactOptionalPropertyTypes` and `hasErrors` stay simple. */
export function compactErrors<F extends string>(errors: Record<F, string | undefined>): FieldErrors<F> {
  const result: FieldErrors<F> = {};
  for (const [field, message] of Object.entries(errors) as [F, string | undefined][]) {
    if (message !== undefined) result[field] = message;
  }
  return result;
}

export function checkRequired(value: string, t: Translate): string | undefined {
  return value.trim() === '' ? t('validation.required') : undefined;
}

/** A light syntax check (one @, no spaces, a dot in the domain); the server decides the rest. */
export function checkEmail(value: string, t: Translate): string | undefined {
  const email = value.trim();
  if (email === '') return t('validation.required');
  if (email.length > EMAIL_MAX_LENGTH || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
    return t('validation.email');
  return undefined;
}

export function checkNewPassword(value: string, t: Translate): string | undefined {
  if (value === '') return t('validation.required');
  if (value.length < PASSWORD_MIN_LENGTH) return t('validation.passwordMin', { min: PASSWORD_MIN_LENGTH });
  if (value.length > PASSWORD_MAX_LENGTH) return t('validation.tooLong', { max: PASSWORD_MAX_LENGTH });
  return undefined;
}

export function checkName(value: string, t: Translate): string | undefined {
  if (value.trim() === '') return t('validation.required');
  if (value.trim().length > NAME_MAX_LENGTH) return t('validation.tooLong', { max: NAME_MAX_LENGTH });
  return undefined;
}
