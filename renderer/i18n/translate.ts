/**
 * `t(key, params)`: looks a message up in the active catalogue and fills its `{placeholders}`.
 *
 * Kept tiny on purpose: the window needs lookup, interpolation and a locale for `Intl`, nothing
 * a library would add. zh-TW plugs in by adding its catalogue to `CATALOGUES`.
 */
import { en, type Catalogue, type MessageKey } from './en';

/** The languages the window can speak. */
export type Locale = 'en';

const CATALOGUES: Readonly<Record<Locale, Catalogue>> = { en };

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

/** Switches the language; called once at startup before the first render. */
export function setLocale(locale: Locale): void {
  activeLocale = locale;
}
