import type { en } from './en';

export const locales = ['en', 'es', 'pt-BR'] as const;
export type Locale = (typeof locales)[number];

export type MessageKey = keyof typeof en;
/** A full catalog: every key of the English reference, any wording. */
export type Catalog = { readonly [K in MessageKey]: string };

/** Names inside `{braces}` in a message literal: `'Hi {name}, {n}'` → `'name' | 'n'`. */
type PlaceholdersOf<S extends string> = S extends `${string}{${infer Name}}${infer Rest}`
  ? Name | PlaceholdersOf<Rest>
  : never;

export type MessageParams<K extends MessageKey> = Record<PlaceholdersOf<(typeof en)[K]>, string | number>;

/** `t('key')` for messages without placeholders, `t('key', { name })` (required) otherwise. */
export type TranslateArgs<K extends MessageKey> = [PlaceholdersOf<(typeof en)[K]>] extends [never]
  ? []
  : [params: MessageParams<K>];

export type Translate = <K extends MessageKey>(key: K, ...args: TranslateArgs<K>) => string;

/** Keys whose message takes no parameters, usable in lookup tables. */
export type PlainMessageKey = {
  [K in MessageKey]: TranslateArgs<K> extends [] ? K : never;
}[MessageKey];

/**
 * Messages with plural forms are keys `base.one`, `base.other` (and any other category a language
 * needs: `base.few`, `base.many`…), each with a `{count}`; `base` names them all.
 */
export type PluralBase = {
  [K in MessageKey]: K extends `${infer Base}.other` ? Base : never;
}[MessageKey];

export type Plural = (
  base: PluralBase,
  count: number,
  params?: Readonly<Record<string, string | number>>,
) => string;
