// Pure i18n core: catalog lookup with English fallback, `{name}` interpolation, locale negotiation
// and a few Intl helpers. React wiring lives in I18nProvider.tsx.
import { en } from './en';
import { es } from './es';
import { ptBR } from './pt-BR';
import { locales, type Locale, type MessageKey, type Plural, type PluralBase, type Translate } from './types';

export type Catalogs = Readonly<Record<Locale, Partial<Record<MessageKey, string>>>>;

export const catalogs: Catalogs = { en, es, 'pt-BR': ptBR };

/** Native names, shown as-is in the language switch whatever the current language. */
export const localeNames: Readonly<Record<Locale, string>> = {
  en: 'English',
  es: 'Español',
  'pt-BR': 'Português (Brasil)',
};

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (locales as readonly string[]).includes(value);
}

/** Replaces `{name}` with `params.name`; unknown placeholders are left visible to make them easy to spot. */
export function interpolate(message: string, params: Readonly<Record<string, string | number>> = {}): string {
  return message.replace(/\{(\w+)\}/g, (match, name: string) => {
    const value = params[name];
    return value === undefined ? match : String(value);
  });
}

/** Looks `key` up in `locale`, then in English, then returns the key itself. */
export function lookupMessage(source: Catalogs, locale: Locale, key: MessageKey): string {
  return source[locale][key] ?? source.en[key] ?? key;
}

export function createTranslator(locale: Locale, source: Catalogs = catalogs): Translate {
  return (key, ...args) => interpolate(lookupMessage(source, locale, key), args[0]);
}

/**
 * The key of `base` for `count` in `locale`: `base.one`, `base.few`… as Intl.PluralRules names the
 * category, when the catalogs have that form, else `base.other` (every plural message has one).
 */
export function pluralKey(
  locale: Locale,
  base: PluralBase,
  count: number,
  source: Catalogs = catalogs,
): MessageKey {
  const category = new Intl.PluralRules(locale).select(count);
  const key = `${base}.${category}` as MessageKey;
  return source[locale][key] !== undefined || source.en[key] !== undefined
    ? key
    : (`${base}.other` as MessageKey);
}

/**
 * `plural('bulk.done', 1)` → "Done for 1 conversation": the form of the message for the count,
 * with `{count}` formatted for the language; other placeholders come in `params`.
 */
export function createPlural(locale: Locale, source: Catalogs = catalogs): Plural {
  const numbers = new Intl.NumberFormat(locale);
  return (base, count, params = {}) =>
    interpolate(lookupMessage(source, locale, pluralKey(locale, base, count, source)), {
      ...params,
      count: numbers.format(count),
    });
}

/**
 * Picks the best supported locale for a list of BCP 47 tags (e.g. navigator.languages): an exact
 * match first (case-insensitive), then the same language (`pt-PT` → `pt-BR`, `es-MX` → `es`).
 */
export function negotiateLocale(candidates: readonly string[], fallback: Locale = 'en'): Locale {
  for (const candidate of candidates) {
    const tag = candidate.trim().toLowerCase();
    const exact = locales.find((locale) => locale.toLowerCase() === tag);
    if (exact !== undefined) return exact;
    const language = tag.split(/[-_]/)[0];
    const sameLanguage = locales.find((locale) => locale.toLowerCase().split('-')[0] === language);
    if (sameLanguage !== undefined) return sameLanguage;
  }
  return fallback;
}

/** "in 30 seconds" / "dentro de 2 minutos" / "em 1 hora", rounded up so we never under-promise. */
export function formatWait(seconds: number, locale: Locale): string {
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'always' });
  const safe = Math.max(1, Math.ceil(seconds));
  if (safe < 90) return format.format(safe, 'second');
  const minutes = Math.ceil(safe / 60);
  if (minutes < 90) return format.format(minutes, 'minute');
  return format.format(Math.ceil(minutes / 60), 'hour');
}

export function formatDateTime(iso: string, locale: Locale): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}
