import { useEffect, useRef } from 'react';
import type { PlainMessageKey } from '../../lib/i18n/types';
import { useI18n } from '../../lib/i18n/useI18n';

const shortcuts: readonly { keys: readonly string[]; label: PlainMessageKey }[] = [
  { keys: ['?'], label: 'shortcuts.help' },
  { keys: ['/'], label: 'shortcuts.search' },
  { keys: ['↓', 'j'], label: 'shortcuts.next' },
  { keys: ['↑', 'k'], label: 'shortcuts.previous' },
  { keys: ['Enter'], label: 'shortcuts.open' },
  { keys: ['Enter'], label: 'shortcuts.send' },
  { keys: ['Shift', 'Enter'], label: 'shortcuts.newLine' },
  { keys: ['@'], label: 'shortcuts.mention' },
  { keys: ['/…'], label: 'shortcuts.canned' },
  { keys: ['Esc'], label: 'shortcuts.close' },
];

const typing = (target: EventTarget | null) =>
  target instanceof HTMLElement &&
  (['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName) || target.isContentEditable);

/** The keyboard shortcuts, opened with `?` anywhere outside a text field (a native modal dialog). */
export function ShortcutsDialog() {
  const { t } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== '?' || typing(event.target) || ref.current?.open === true) return;
      event.preventDefault();
      ref.current?.showModal();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  return (
    <dialog ref={ref} className="shortcuts-dialog" aria-labelledby="shortcuts-title">
      <h2 id="shortcuts-title">{t('shortcuts.title')}</h2>
      <dl>
        {shortcuts.map((s) => (
          <div key={s.label}>
            <dt>
              {s.keys.map((k) => (
                <kbd key={k}>{k}</kbd>
              ))}
            </dt>
            <dd>{t(s.label)}</dd>
          </div>
        ))}
      </dl>
      <form method="dialog">
        <button type="submit" className="button-secondary">
          {t('shortcuts.closeButton')}
        </button>
      </form>
    </dialog>
  );
}
