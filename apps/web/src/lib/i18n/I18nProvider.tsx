import { createContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { readInitialLocale, saveLocale } from './storage';
import { createPlural, createTranslator } from './translate';
import type { Locale, Plural, Translate } from './types';

export interface I18nValue {
  locale: Locale;
  setLocale: (locale: Locale) => void;
  t: Translate;
  /** Plural-aware messages: `plural('message.order', n)`. */
  plural: Plural;
}

export const I18nContext = createContext<I18nValue | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(readInitialLocale);

  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);

  const value = useMemo<I18nValue>(
    () => ({
      locale,
      setLocale: (next) => {
        saveLocale(next);
        setLocaleState(next);
      },
      t: createTranslator(locale),
      plural: createPlural(locale),
    }),
    [locale],
  );

  return <I18nContext value={value}>{children}</I18nContext>;
}
