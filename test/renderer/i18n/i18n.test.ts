import { describe, expect, it } from 'vitest';
import { en } from '../../../app/i18n/en';
import {
  formatDuration,
  formatMegabytes,
  formatPercent,
  formatRecordedAt,
} from '../../../app/i18n/format';
import { interpolate, t } from '../../../app/i18n/translate';

describe('t', () => {
  it('fills placeholders and leaves unknown ones visible', () => {
    expect(t('caption.remaining', { count: 12 })).toBe('12 left');
    expect(interpolate('{a} and {b}', { a: 1 })).toBe('1 and {b}');
  });

  it('has no empty message', () => {
    for (const [key, value] of Object.entries(en)) expect(value.trim(), key).not.toBe('');
  });
});

describe('formats', () => {
  it('shows durations as m:ss, and h:mm:ss from an hour', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(42.4)).toBe('0:42');
    expect(formatDuration(59.6)).toBe('1:00');
    expect(formatDuration(605)).toBe('10:05');
    expect(formatDuration(3725)).toBe('1:02:05');
  });

  it('shows sizes in megabytes with one decimal', () => {
    expect(formatMegabytes(12_345_678, 'en')).toBe('12.3 MB');
    expect(formatMegabytes(4_294_967_295, 'en')).toBe('4,295.0 MB');
  });

  it('shows dates in the locale and zone, and nothing for a bad date', () => {
    expect(formatRecordedAt('2025-03-01T12:05:00Z', 'en', 'UTC')).toBe('Mar 1, 2025, 12:05 PM');
    expect(formatRecordedAt('not a date', 'en')).toBeUndefined();
  });

  it('shows progress as a clamped whole percentage', () => {
    expect(formatPercent(0.424, 'en')).toBe('42%');
    expect(formatPercent(1.2, 'en')).toBe('100%');
  });
});
