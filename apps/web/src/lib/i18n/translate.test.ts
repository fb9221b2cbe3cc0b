import { describe, expect, it } from 'vitest';
import { en } from './en';
import {
  catalogs,
  createTranslator,
  formatWait,
  interpolate,
  lookupMessage,
  negotiateLocale,
} from './translate';
import { locales, type MessageKey } from './types';

const placeholders = (message: string) => [...message.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('catalogs', () => {
  it.each(locales)('%s has exactly the English keys, with the same placeholders', (locale) => {
    const catalog = catalogs[locale];
    expect(Object.keys(catalog).sort()).toEqual(Object.keys(en).sort());
    for (const key of Object.keys(en) as MessageKey[]) {
      const message = catalog[key];
      expect(message, key).toBeTypeOf('string');
      expect(placeholders(message ?? ''), key).toEqual(placeholders(en[key]));
    }
  });
});

describe('translate', () => {
  it('translates and interpolates', () => {
    expect(createTranslator('es')('home.title', { name: 'Ana' })).toBe('Hola, Ana');
    expect(createTranslator('pt-BR')('login.submit')).toBe('Entrar');
    expect(createTranslator('en')('login.submit')).toBe('Sign in');
  });

  it('falls back to English, then to the key, when a message is missing', () => {
    const partial = { en: { 'login.submit': 'Sign in' }, es: {}, 'pt-BR': {} };
    expect(lookupMessage(partial, 'es', 'login.submit')).toBe('Sign in');
    expect(lookupMessage(partial, 'es', 'login.title')).toBe('login.title');
    expect(createTranslator('pt-BR', partial)('login.submit')).toBe('Sign in');
  });

  it('leaves unknown placeholders visible', () => {
    expect(interpolate('Hi {name} {missing}', { name: 'Bo' })).toBe('Hi Bo {missing}');
    expect(interpolate('{n} items', { n: 3 })).toBe('3 items');
  });
});

describe('negotiateLocale', () => {
  it('prefers an exact match, then the same language', () => {
    expect(negotiateLocale(['pt-BR'])).toBe('pt-BR');
    expect(negotiateLocale(['pt-br'])).toBe('pt-BR');
    expect(negotiateLocale(['pt-PT'])).toBe('pt-BR');
    expect(negotiateLocale(['es-MX', 'en'])).toBe('es');
    expect(negotiateLocale(['en-GB'])).toBe('en');
  });

  it('walks the preference list and falls back to English', () => {
    expect(negotiateLocale(['fr-FR', 'de', 'es'])).toBe('es');
    expect(negotiateLocale(['fr-FR'])).toBe('en');
    expect(negotiateLocale([])).toBe('en');
  });
});

describe('formatWait', () => {
  it('uses seconds, then minutes, then hours, rounding up', () => {
    expect(formatWait(30, 'en')).toBe('in 30 seconds');
    expect(formatWait(0, 'en')).toBe('in 1 second');
    expect(formatWait(91, 'en')).toBe('in 2 minutes');
    expect(formatWait(2 * 3600, 'es')).toBe('dentro de 2 horas');
  });
});
