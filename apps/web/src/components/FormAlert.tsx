import type { ReactNode } from 'react';

/**
 * A live region that stays in the DOM so screen readers announce each new message. Errors are
 * assertive (role="alert"); confirmations are polite (role="status").
 */
export function FormAlert({
  tone = 'error',
  children,
}: {
  tone?: 'error' | 'success';
  children?: ReactNode;
}) {
  return (
    <div className={`alert alert-${tone}`} role={tone === 'error' ? 'alert' : 'status'} aria-atomic="true">
      {children}
    </div>
  );
}
