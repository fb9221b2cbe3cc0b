import { createContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { readInitialLocale, saveLocale } from './storage';
import { createTranslator } from './translate';
import type { Locale, Translate } from './types';

export interface I18nValue {
  locale: Locale;
  setLocale: (locale: Locale) => void;
  t: Translate;
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
    }),
    [locale],
  );

  return <I18nContext value={value}>{children}</I18nContext>;
}
