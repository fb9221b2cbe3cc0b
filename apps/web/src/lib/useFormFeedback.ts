// Shared state of every form: the top alert, per-field errors (client-side or from the server's
// problem `errors[]`), the Retry-After cooldown, and moving focus to the first invalid field.
import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import { describeError, type ErrorOverrides } from './api/describeError';
import { hasErrorCode, isApiError, readFieldErrors } from './api/problem';
import { useI18n } from './i18n/useI18n';
import { useCooldown } from './useCooldown';
import { hasErrors, type FieldErrors } from './validation';

export interface FormFeedback {
  formRef: RefObject<HTMLFormElement | null>;
  alert: string;
  fieldErrors: FieldErrors;
  coolingDown: boolean;
  /** Shows client-side validation errors; returns true when there were none. */
  acceptValidation: (errors: FieldErrors) => boolean;
  showError: (error: unknown, overrides?: ErrorOverrides) => void;
  clear: () => void;
}

export function useFormFeedback(): FormFeedback {
  const { t, locale } = useI18n();
  const formRef = useRef<HTMLFormElement>(null);
  const [alert, setAlert] = useState('');
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const { coolingDown, startCooldown } = useCooldown();

  useEffect(() => {
    if (!hasErrors(fieldErrors)) return;
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [fieldErrors]);

  const acceptValidation = useCallback((errors: FieldErrors) => {
    setAlert('');
    setFieldErrors(errors);
    return !hasErrors(errors);
  }, []);

  const showError = useCallback(
    (error: unknown, overrides: ErrorOverrides = {}) => {
      setAlert(describeError(error, t, locale, overrides));
      setFieldErrors(hasErrorCode(error, 'validation_failed') ? readFieldErrors(error.problem) : {});
      if (isApiError(error) && error.code === 'rate_limited' && error.retryAfterSeconds !== undefined) {
        startCooldown(error.retryAfterSeconds);
      }
    },
    [t, locale, startCooldown],
  );

  const clear = useCallback(() => {
    setAlert('');
    setFieldErrors({});
  }, []);

  return { formRef, alert, fieldErrors, coolingDown, acceptValidation, showError, clear };
}
