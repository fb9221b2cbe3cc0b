import { useEffect, useRef } from 'react';
import type { PlainMessageKey } from '../../lib/i18n/types';
import { useI18n } from '../../lib/i18n/useI18n';
import { isTypingTarget } from '../inbox/shortcuts';

interface Shortcut {
  keys: readonly string[];
  label: PlainMessageKey;
}

const groups: readonly { title: PlainMessageKey; shortcuts: readonly Shortcut[] }[] = [
  {
    title: 'shortcuts.groupGeneral',
    shortcuts: [
      { keys: ['?'], label: 'shortcuts.help' },
      { keys: ['/'], label: 'shortcuts.search' },
      { keys: ['Esc'], label: 'shortcuts.close' },
    ],
  },
  {
    title: 'shortcuts.groupInbox',
    shortcuts: [
      { keys: ['j'], label: 'shortcuts.nextOpen' },
      { keys: ['k'], label: 'shortcuts.previousOpen' },
      { keys: ['↓', '↑'], label: 'shortcuts.listMove' },
      { keys: ['Enter'], label: 'shortcuts.open' },
      { keys: ['r'], label: 'shortcuts.reply' },
      { keys: ['n'], label: 'shortcuts.note' },
      { keys: ['e'], label: 'shortcuts.resolve' },
      { keys: ['a'], label: 'shortcuts.assignMe' },
      { keys: ['s'], label: 'shortcuts.snooze' },
      { keys: ['p'], label: 'shortcuts.priority' },
      { keys: ['l'], label: 'shortcuts.labels' },
    ],
  },
  {
    title: 'shortcuts.groupComposer',
    shortcuts: [
      { keys: ['Enter'], label: 'shortcuts.send' },
      { keys: ['Shift', 'Enter'], label: 'shortcuts.newLine' },
      { keys: ['@'], label: 'shortcuts.mention' },
      { keys: ['/…'], label: 'shortcuts.canned' },
      { keys: ['Esc'], label: 'shortcuts.leaveComposer' },
    ],
  },
];

const OPEN_EVENT = 'switchboard:shortcuts';

/** Opens the shortcuts dialog (the inbox's "Keyboard shortcuts" button). */
export function openShortcutsDialog(): void {
  document.dispatchEvent(new Event(OPEN_EVENT));
}

/**
 * The keyboard shortcuts, opened with `?` anywhere outside a text field or by
 * `openShortcutsDialog` (a native modal dialog: focus returns to the opener on close).
 */
export function ShortcutsDialog() {
  const { t } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const open = () => {
      if (ref.current?.open !== true) ref.current?.showModal();
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== '?' || isTypingTarget(event.target) || ref.current?.open === true) return;
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      event.preventDefault();
      open();
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener(OPEN_EVENT, open);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener(OPEN_EVENT, open);
    };
  }, []);

  return (
    <dialog ref={ref} className="shortcuts-dialog" aria-labelledby="shortcuts-title">
      <h2 id="shortcuts-title">{t('shortcuts.title')}</h2>
      {groups.map((group) => (
        <section key={group.title} aria-labelledby={`shortcuts-${group.title}`}>
          <h3 id={`shortcuts-${group.title}`}>{t(group.title)}</h3>
          <dl>
            {group.shortcuts.map((s) => (
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
        </section>
      ))}
      <form method="dialog">
        <button type="submit" className="button-secondary">
          {t('shortcuts.closeButton')}
        </button>
      </form>
    </dialog>
  );
}
