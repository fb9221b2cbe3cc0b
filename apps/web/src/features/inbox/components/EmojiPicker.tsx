import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { useI18n } from '../../../lib/i18n/useI18n';
import { searchEmoji } from '../emoji';

const COLUMNS = 8;

/**
 * A button opening a small panel of common emoji with a search box. Arrow keys move across the
 * grid (Home and End to its ends), Enter or a click picks one, Escape closes and gives focus back.
 */
export function EmojiPicker({ onPick, disabled }: { onPick: (emoji: string) => void; disabled?: boolean }) {
  const { t, locale } = useI18n();
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const grid = useRef<HTMLDivElement>(null);
  const search = useRef<HTMLInputElement>(null);
  const panelId = useId();
  const found = searchEmoji(query, locale);
  const current = Math.min(active, Math.max(0, found.length - 1));

  useEffect(() => {
    if (!open) return undefined;
    // The panel opens to type a name at once.
    search.current?.focus();
    const onPointer = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointer);
    return () => document.removeEventListener('pointerdown', onPointer);
  }, [open]);

  function close() {
    setOpen(false);
    setQuery('');
    setActive(0);
    button.current?.focus();
  }
  function pick(char: string) {
    setOpen(false);
    setQuery('');
    setActive(0);
    onPick(char);
  }
  function focusCell(index: number) {
    setActive(index);
    requestAnimationFrame(() => grid.current?.querySelectorAll<HTMLButtonElement>('button')[index]?.focus());
  }
  function onPanelKey(event: KeyboardEvent<HTMLDivElement>) {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      close();
    }
  }
  function onGridKey(event: KeyboardEvent<HTMLDivElement>) {
    const last = found.length - 1;
    const moves: Record<string, number> = {
      ArrowRight: current + 1,
      ArrowLeft: current - 1,
      ArrowDown: current + COLUMNS,
      ArrowUp: current - COLUMNS,
      Home: 0,
      End: last,
    };
    const next = moves[event.key];
    if (next === undefined) return;
    event.preventDefault();
    focusCell(Math.max(0, Math.min(last, next)));
  }
  function onSearchKey(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === 'ArrowDown' && found.length > 0) {
      event.preventDefault();
      focusCell(0);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      const first = found[0];
      if (first !== undefined) pick(first.char);
    }
  }

  return (
    <div className="emoji-picker" ref={root}>
      <div className="disclosure">
        <button
          ref={button}
          type="button"
          className="button-ghost"
          aria-label={t('emoji.button')}
          title={t('emoji.button')}
          aria-haspopup="dialog"
          aria-expanded={open}
          aria-controls={panelId}
          disabled={disabled}
          data-testid="emoji-button"
          onClick={() => (open ? close() : setOpen(true))}
        >
          <span aria-hidden="true">🙂</span>
        </button>
      </div>
      {open ? (
        <div
          id={panelId}
          className="emoji-panel"
          role="dialog"
          aria-label={t('emoji.grid')}
          onKeyDown={onPanelKey}
          data-testid="emoji-panel"
        >
          <input
            type="search"
            ref={search}
            aria-label={t('emoji.search')}
            placeholder={t('emoji.search')}
            value={query}
            onChange={(e) => {
              setQuery(e.target.value);
              setActive(0);
            }}
            onKeyDown={onSearchKey}
          />
          {found.length === 0 ? (
            <p className="muted">{t('emoji.none')}</p>
          ) : (
            <div
              className="emoji-grid"
              ref={grid}
              role="group"
              aria-label={t('emoji.grid')}
              onKeyDown={onGridKey}
            >
              {found.map((emoji, index) => (
                <button
                  key={emoji.char}
                  type="button"
                  tabIndex={index === current ? 0 : -1}
                  aria-label={emoji.names[locale]}
                  title={emoji.names[locale]}
                  onClick={() => pick(emoji.char)}
                  onFocus={() => setActive(index)}
                >
                  {emoji.char}
                </button>
              ))}
            </div>
          )}
        </div>
      ) : null}
    </div>
  );
}
