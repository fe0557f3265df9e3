/**
 * Numbers and dates as a person reads them, formatted by `Intl` in the window's language.
 */
import { t } from './translate';

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
  const value = new Intl.NumberFormat(locale, {
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  }).format(bytes / 1_000_000);
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
  return new Intl.DateTimeFormat(locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
    ...(timeZone ? { timeZone } : {}),
  }).format(time);
}

/** A 0..1 fraction as a whole percentage, clamped, for upload progress. */
export function formatPercent(fraction: number, locale: string): string {
  const clamped = Math.min(1, Math.max(0, fraction));
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(
    clamped,
  );
}
