import { useEffect, useRef, type ReactNode } from 'react';
import { useI18n } from '../../../lib/i18n/useI18n';

/**
 * The contact panel at tablet width, where it has no column: a native modal dialog sliding in on
 * the right (the rest of the page is inert, focus moves in). Escape, the close button or a click
 * on the backdrop close it; the caller then gives focus back to its toggle.
 */
export function ContactDrawer({
  id,
  open,
  onClose,
  children,
}: {
  id: string;
  open: boolean;
  onClose: () => void;
  children: ReactNode;
}) {
  const { t } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = `${id}-title`;

  useEffect(() => {
    const dialog = ref.current;
    if (dialog === null) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  return (
    <dialog
      ref={ref}
      id={id}
      className="contact-drawer"
      aria-labelledby={titleId}
      data-testid="contact-drawer"
      // Escape (the dialog's cancel) and close() both end in `close`.
      onClose={onClose}
      onClick={(event) => {
        // A click on the backdrop lands on the dialog itself, outside its content box.
        if (event.target === ref.current) ref.current.close();
      }}
    >
      <div className="contact-drawer-body">
        <div className="contact-drawer-head">
          <h2 id={titleId}>{t('contactDrawer.title')}</h2>
          <button
            type="button"
            className="button-ghost"
            aria-label={t('contactDrawer.close')}
            onClick={() => ref.current?.close()}
          >
            <span aria-hidden="true">✕</span>
          </button>
        </div>
        {open ? children : null}
      </div>
    </dialog>
  );
}
