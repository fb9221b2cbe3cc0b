// Turns any error thrown by the API client into one translated, user-facing sentence.
import { formatWait } from '../i18n/translate';
import type { Locale, PlainMessageKey, Translate } from '../i18n/types';
import { isApiError } from './problem';

const messageByCode: Readonly<Record<string, PlainMessageKey>> = {
  validation_failed: 'errors.validation',
  invalid_credentials: 'errors.invalidCredentials',
  invalid_two_factor_code: 'errors.invalidTwoFactorCode',
  organization_suspended: 'errors.organizationSuspended',
  csrf_token_invalid: 'errors.csrf',
  unauthenticated: 'errors.unauthenticated',
  forbidden: 'errors.forbidden',
  not_found: 'errors.notFound',
  email_taken: 'errors.emailTaken',
  token_invalid: 'errors.resetTokenInvalid',
  plan_limit_reached: 'errors.planLimit',
  network_error: 'errors.network',
  conflict: 'errors.conflict',
  unprocessable_content: 'errors.validation',
  whatsapp_window_closed: 'errors.windowClosed',
  unsupported_media_type: 'errors.unsupportedFile',
};

/** Per-screen wording for a code, e.g. `token_invalid` means a different link on each screen. */
export type ErrorOverrides = Readonly<Partial<Record<string, PlainMessageKey>>>;

export function describeError(
  error: unknown,
  t: Translate,
  locale: Locale,
  overrides: ErrorOverrides = {},
): string {
  if (!isApiError(error)) return t('errors.generic');
  if (error.code === 'rate_limited') {
    return error.retryAfterSeconds === undefined
      ? t('errors.rateLimitedNoWait')
      : t('errors.rateLimited', { wait: formatWait(error.retryAfterSeconds, locale) });
  }
  const key = overrides[error.code] ?? messageByCode[error.code];
  if (key !== undefined) return t(key);
  const { requestId } = error.problem;
  return requestId === undefined
    ? t('errors.generic')
    : `${t('errors.generic')} ${t('common.requestId', { requestId })}`;
}
