/**
 * `t(key, params)`: looks a message up in the active catalogue and fills its `{placeholders}`.
 *
 * Kept tiny on purpose: the window needs lookup, interpolation and a locale for `Intl`, nothing
 * a library would add. The language follows the OS unless the user chose one in settings.
 */
import type { LanguageSetting } from '../settings';
import { en, type Catalogue, type MessageKey } from './en';
import { zhTW } from './zh-tw';

/** The languages the window can speak. */
export const LOCALES = ['en', 'zh-TW'] as const;
export type Locale = (typeof LOCALES)[number];

export const CATALOGUES: Readonly<Record<Locale, Catalogue>> = { en, 'zh-TW': zhTW };

let activeLocale: Locale = 'en';

/** Values a message may interpolate. */
export type MessageParams = Readonly<Record<string, string | number>>;

/** Fills `{name}` placeholders; an unknown placeholder stays visible so the gap is noticed. */
export function interpolate(template: string, params: MessageParams = {}): string {
  return template.replace(/\{(\w+)\}/gu, (match, name: string) => {
    const value = params[name];
    return value === undefined ? match : String(value);
  });
}

/** The message for `key` in the active language, with its placeholders filled. */
export function t(key: MessageKey, params?: MessageParams): string {
  return interpolate(CATALOGUES[activeLocale][key], params);
}

/** The BCP 47 tag for `Intl` formatters, so numbers and dates follow the window's language. */
export function currentLocale(): Locale {
  return activeLocale;
}

/** Switches the language; the app re-renders below a key on the locale. */
export function setLocale(locale: Locale): void {
  activeLocale = locale;
}

/**
 * The language to speak: the user's choice, else the OS language. Chinese written in Traditional
 * characters (Taiwan, Hong Kong, Macau, or tagged Hant) gets zh-TW; anything else English.
 */
export function resolveLocale(
  setting: LanguageSetting | undefined,
  systemLanguages: readonly string[],
): Locale {
  if (setting === 'en' || setting === 'zh-TW') return setting;
  for (const tag of systemLanguages) {
    const lower = tag.toLowerCase();
    if (/^zh(-hant)?-(tw|hk|mo)\b|^zh-hant\b|^zh-(tw|hk|mo)$/u.test(lower)) return 'zh-TW';
    if (lower === 'zh' || lower.startsWith('zh-')) continue;
    if (lower.startsWith('en')) return 'en';
  }
  return 'en';
}

/**
 * The plain sentence of an error in the window's language. Main sends the code with its English
 * sentence; the window says it in the user's language, and keeps main's detail as it came.
 */
export function errorSentence(error: { readonly code: string; readonly message: string }): string {
  const key = `error.${error.code}`;
  const catalogue = CATALOGUES[activeLocale] as Readonly<Record<string, string>>;
  return catalogue[key] ?? error.message;
}
