import { useEffect, useId, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useI18n } from '../../../lib/i18n/useI18n';

const DEBOUNCE_MS = 300;

/** The inbox search box; the query lives in the URL (`q`) so results survive opening one. `/` focuses it. */
export function InboxSearch() {
  const { t } = useI18n();
  const id = useId();
  const ref = useRef<HTMLInputElement>(null);
  const [params, setParams] = useSearchParams();
  const current = params.get('q') ?? '';
  const [text, setText] = useState(current);

  useEffect(() => {
    const q = text.trim();
    if (q === current) return undefined;
    const timer = window.setTimeout(() => {
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          if (q === '') next.delete('q');
          else next.set('q', q);
          return next;
        },
        { replace: true },
      );
    }, DEBOUNCE_MS);
    return () => window.clearTimeout(timer);
  }, [text, current, setParams]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement;
      if (
        event.key !== '/' ||
        ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName) ||
        target.isContentEditable
      )
        return;
      event.preventDefault();
      ref.current?.focus();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  return (
    <div className="inbox-search" role="search">
      <label htmlFor={id} className="visually-hidden">
        {t('search.label')}
      </label>
      <input
        id={id}
        ref={ref}
        type="search"
        value={text}
        placeholder={t('search.placeholder')}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') setText('');
        }}
        maxLength={200}
        data-testid="inbox-search"
      />
    </div>
  );
}
