import { useEffect, useId, useRef, useState, type ReactNode } from 'react';

export interface DisclosureProps {
  /** The button's content; `label` names it for assistive technology when it is only an icon. */
  button: ReactNode;
  label?: string;
  buttonClassName?: string;
  panelClassName?: string;
  children: (close: () => void) => ReactNode;
}

/**
 * A button that shows a panel below it (menus, the notifications list). Escape and a click
 * outside close it, and focus returns to the button.
 */
export function Disclosure({ button, label, buttonClassName, panelClassName, children }: DisclosureProps) {
  const [open, setOpen] = useState(false);
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const panelId = useId();

  useEffect(() => {
    if (!open) return undefined;
    const onPointer = (event: PointerEvent) => {
      if (!rootRef.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      setOpen(false);
      buttonRef.current?.focus();
    };
    document.addEventListener('pointerdown', onPointer);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  const close = () => {
    setOpen(false);
    buttonRef.current?.focus();
  };

  return (
    <div className="disclosure" ref={rootRef}>
      <button
        ref={buttonRef}
        type="button"
        className={buttonClassName ?? 'button-ghost'}
        aria-expanded={open}
        aria-controls={panelId}
        aria-label={label}
        onClick={() => setOpen((v) => !v)}
      >
        {button}
      </button>
      <div id={panelId} className={`disclosure-panel ${panelClassName ?? ''}`} hidden={!open}>
        {open ? children(close) : null}
      </div>
    </div>
  );
}
