import { negotiateLocale, isLocale } from './translate';
import type { Locale } from './types';

const STORAGE_KEY = 'switchboard.locale';

/** The saved choice if any, else the browser's preferred languages, else English. */
export function readInitialLocale(): Locale {
  try {
    const saved = window.localStorage.getItem(STORAGE_KEY);
    if (isLocale(saved)) return saved;
  } catch {
    // Storage can be disabled (privacy mode); fall through to the browser language.
  }
  const preferred = navigator.languages.length > 0 ? navigator.languages : [navigator.language];
  return negotiateLocale(preferred);
}

export function saveLocale(locale: Locale): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // Not persisted; the choice still applies to this page view.
  }
}
