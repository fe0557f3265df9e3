/**
 * A translator bound to one language, for the surfaces outside the window (tray, notifications,
 * menus, dialogs, CLI): the same catalogues as the window, without its module-wide active locale,
 * so main can follow the language setting as it changes. Plurals go by Intl.PluralRules.
 */
import type { Catalogue, MessageKey } from './en';
import { CATALOGUES, interpolate, type Locale, type MessageParams } from './translate';

/** Message keys that have plural forms: `<base>.one` / `<base>.other` (and any other category). */
export type PluralBase = {
  [K in MessageKey]: K extends `${infer Base}.other` ? Base : never;
}[MessageKey];

export interface Translator {
  readonly locale: Locale;
  t(key: MessageKey, params?: MessageParams): string;
  /** The form for `count` in this language ("1 clip", "2 clips"); `{count}` is filled. */
  plural(base: PluralBase, count: number, params?: MessageParams): string;
  /**
   * An error in this language: main's own sentence in English (it may carry detail), else the
   * catalogue's sentence for its code, else main's sentence.
   */
  error(error: { readonly code: string; readonly message: string }): string;
}

const pluralRules = new Map<Locale, Intl.PluralRules>();

export function translator(locale: Locale): Translator {
  const catalogue: Catalogue = CATALOGUES[locale];
  let rules = pluralRules.get(locale);
  if (rules === undefined) pluralRules.set(locale, (rules = new Intl.PluralRules(locale)));
  const select = rules;
  const lookup = catalogue as Readonly<Record<string, string>>;
  return {
    locale,
    t: (key, params) => interpolate(catalogue[key], params),
    plural(base, count, params) {
      const form = lookup[`${base}.${select.select(count)}`] ?? lookup[`${base}.other`] ?? base;
      return interpolate(form, { ...params, count });
    },
    error: (error) =>
      locale === 'en' ? error.message : (lookup[`error.${error.code}`] ?? error.message),
  };
}

/** English, for callers that have no language setting (tests, the CLI by default). */
export const english: Translator = translator('en');
