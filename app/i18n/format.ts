/**
 * Numbers and dates as a person reads them, formatted by `Intl` in the window's language.
 */
import { t } from './translate';

// Building an Intl formatter costs far more than using one; a list formats thousands of values.
const numberFormats = new Map<string, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = numberFormats.get(key);
  if (format === undefined)
    numberFormats.set(key, (format = new Intl.NumberFormat(locale, options)));
  return format;
}

function dateFormat(locale: string, timeZone: string | undefined): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone ?? ''}`;
  let format = dateFormats.get(key);
  if (format === undefined)
    dateFormats.set(
      key,
      (format = new Intl.DateTimeFormat(locale, {
        dateStyle: 'medium',
        timeStyle: 'short',
        ...(timeZone ? { timeZone } : {}),
      })),
    );
  return format;
}

/**
 * Builds the formatters a clip list uses, ahead of the list. The first Intl formatter of a page
 * loads the locale's ICU data (tens of milliseconds in Chromium); the window does it while it
 * waits for main's list, so the list's first render does not pay for it.
 */
export function prepareFormats(locale: string, timeZone?: string): void {
  megabyteFormat(locale);
  dateFormat(locale, timeZone);
  percentFormat(locale);
}

function megabyteFormat(locale: string): Intl.NumberFormat {
  return numberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
}

function percentFormat(locale: string): Intl.NumberFormat {
  return numberFormat(locale, { style: 'percent', maximumFractionDigits: 0 });
}

/** Clip length as m:ss (h:mm:ss from an hour), the way players and recorders show it. */
export function formatDuration(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const secs = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${secs}` : `${minutes}:${secs}`;
}

/**
 * File size in megabytes (10^6 bytes) with one decimal: the unit GameClips' own limits and
 * block sizes are written in, so the numbers line up with what the service says.
 */
export function formatMegabytes(bytes: number, locale: string): string {
  const value = megabyteFormat(locale).format(bytes / 1_000_000);
  return t('format.megabytes', { value });
}

/** A recording date and time in the user's locale and time zone; undefined if unreadable. */
export function formatRecordedAt(
  iso: string,
  locale: string,
  timeZone?: string,
): string | undefined {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return undefined;
  return dateFormat(locale, timeZone).format(time);
}

/** A 0..1 fraction as a whole percentage, clamped, for upload progress. */
export function formatPercent(fraction: number, locale: string): string {
  const clamped = Math.min(1, Math.max(0, fraction));
  return percentFormat(locale).format(clamped);
}

/** Time left of an upload, short: "12 s", "3 min", "1 h 5 min" in the window's language. */
export function formatEta(seconds: number, locale: string): string {
  const total = Math.max(0, Math.round(seconds));
  const unit = (value: number, name: 'second' | 'minute' | 'hour') =>
    numberFormat(locale, { style: 'unit', unit: name, unitDisplay: 'short' }).format(value);
  if (total < 60) return unit(total, 'second');
  if (total < 3600) return unit(Math.round(total / 60), 'minute');
  const hours = Math.floor(total / 3600);
  const minutes = Math.round((total % 3600) / 60);
  return minutes === 0 ? unit(hours, 'hour') : `${unit(hours, 'hour')} ${unit(minutes, 'minute')}`;
}

/** A transfer rate in MB/s with one decimal. */
export function formatRate(bytesPerSecond: number, locale: string): string {
  const value = numberFormat(locale, {
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  }).format(bytesPerSecond / 1_000_000);
  return t('format.rate', { value });
}

/** An offset in ms as m:ss.s, for the thumbnail frame. */
export function formatOffset(ms: number): string {
  const tenths = Math.max(0, Math.round(ms / 100));
  const minutes = Math.floor(tenths / 600);
  const seconds = ((tenths % 600) / 10).toFixed(1).padStart(4, '0');
  return `${minutes}:${seconds}`;
}
