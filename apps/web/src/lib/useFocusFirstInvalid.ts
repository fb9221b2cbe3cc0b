import { useEffect, useRef } from 'react';

/** After a failed submit, moves focus to the first invalid field so keyboard users land on it. */
export function useFocusFirstInvalid(errors: Readonly<Record<string, string>>) {
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (Object.keys(errors).length === 0) return;
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [errors]);
  return formRef;
}
