import { describe, expect, it } from 'vitest';
import { APP_ERROR_CODES } from '../../../app/errors';
import { en } from '../../../app/i18n/en';
import { formatEta, formatOffset } from '../../../app/i18n/format';
import {
  CATALOGUES,
  errorSentence,
  resolveLocale,
  setLocale,
  t,
} from '../../../app/i18n/translate';
import { zhTW } from '../../../app/i18n/zh-tw';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/gu)].map((m) => m[1]).sort();

describe('the catalogues', () => {
  it('have exactly the same keys in English and Traditional Chinese', () => {
    expect(Object.keys(zhTW).sort()).toEqual(Object.keys(en).sort());
  });

  it('have no empty message, and keep every placeholder of English', () => {
    for (const [locale, catalogue] of Object.entries(CATALOGUES))
      for (const [key, value] of Object.entries(catalogue)) {
        expect(value.trim(), `${locale} ${key}`).not.toBe('');
        expect(placeholders(value), `${locale} ${key}`).toEqual(
          placeholders(en[key as keyof typeof en]),
        );
      }
  });

  it('translate what Traditional Chinese readers see (few keys equal the English)', () => {
    const same = Object.keys(en).filter(
      (key) => zhTW[key as keyof typeof en] === en[key as keyof typeof en],
    );
    // Only the product name and unit-only formats stay as in English.
    expect(same.sort()).toEqual(['app.name', 'format.megabytes', 'format.rate']);
  });

  it('say every error code in both languages', () => {
    setLocale('zh-TW');
    try {
      for (const code of APP_ERROR_CODES) {
        const sentence = errorSentence({ code, message: 'english' });
        expect(sentence, code).not.toBe('english');
        expect(sentence, code).toMatch(/[\u4e00-\u9fff]/u);
      }
      expect(t('nav.pending')).toBe('待處理');
    } finally {
      setLocale('en');
    }
    expect(errorSentence({ code: 'gameclips/unauthorized', message: 'x' })).toContain('signed out');
  });
});

describe('resolveLocale', () => {
  it('follows the user’s choice, else the OS language', () => {
    expect(resolveLocale('zh-TW', ['en-US'])).toBe('zh-TW');
    expect(resolveLocale('en', ['zh-TW'])).toBe('en');
    expect(resolveLocale('system', ['zh-TW', 'en'])).toBe('zh-TW');
    expect(resolveLocale('system', ['zh-Hant-HK'])).toBe('zh-TW');
    expect(resolveLocale(undefined, ['zh-HK'])).toBe('zh-TW');
    expect(resolveLocale('system', ['en-GB', 'zh-TW'])).toBe('en');
    expect(resolveLocale('system', ['de-DE'])).toBe('en');
    expect(resolveLocale('system', ['zh-CN', 'en-US'])).toBe('en');
    expect(resolveLocale('system', [])).toBe('en');
  });
});

describe('formats', () => {
  it('shows time left and frame offsets', () => {
    expect(formatEta(42, 'en')).toBe('42 sec');
    expect(formatEta(150, 'en')).toBe('3 min');
    expect(formatEta(3900, 'en')).toBe('1 hr 5 min');
    expect(formatOffset(3300)).toBe('0:03.3');
    expect(formatOffset(65_000)).toBe('1:05.0');
  });
});

describe('every surface (window, tray, notifications, menus, dialogs, CLI)', () => {
  it('looks up only keys both catalogues have', async () => {
    const { readdir, readFile } = await import('node:fs/promises');
    const path = await import('node:path');
    const root = path.resolve(__dirname, '../../..');
    const sources: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      for (const entry of await readdir(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) await walk(full);
        else if (/\.tsx?$/u.test(entry.name)) sources.push(full);
      }
    };
    for (const room of ['app', 'main', 'renderer']) await walk(path.join(root, room));
    const used = new Set<string>();
    for (const file of sources) {
      const text = await readFile(file, 'utf8');
      for (const match of text.matchAll(/\bt\(\s*'([\w.-]+)'/gu)) used.add(match[1]!);
      for (const match of text.matchAll(/\.plural\(\s*'([\w.-]+)'/gu))
        used.add(`${match[1]}.other`);
    }
    expect(used.size).toBeGreaterThan(50);
    for (const key of used) {
      expect(en, `English lacks ${key}`).toHaveProperty([key]);
      expect(zhTW, `zh-TW lacks ${key}`).toHaveProperty([key]);
    }
  });

  it('give every plural an English "one" form next to its "other"', () => {
    for (const key of Object.keys(en).filter((name) => name.endsWith('.other')))
      expect(en, key).toHaveProperty([key.replace(/\.other$/u, '.one')]);
  });
});
