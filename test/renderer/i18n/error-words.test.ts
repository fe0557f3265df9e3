/**
 * Every error sentence is written for a player (issue 15, item 2): one reason, one thing to do,
 * sizes in human units, no container internals, and an entry in every language.
 */
import { describe, expect, it } from 'vitest';
import { APP_ERROR_CODES, errorView } from '../../../app/errors';
import { tooLargeDetail } from '../../../main/intake/completion-gate';
import { CATALOGUES, LOCALES } from '../../../app/i18n/translate';

/** Words a player should never meet in a sentence: box types, EBML, raw byte counts. */
const INTERNALS =
  /\b(ftyp|moov|mdat|moof|mvex|mfra|EBML|Segment|box|boxes|bytes?|u32|FIFO|IPC|4294967295)\b|\d{5,}|\d{1,3}(,\d{3}){2,}/u;

describe('error sentences for people', () => {
  it.each(APP_ERROR_CODES)('%s: plain English, no internals, no raw sizes', (code) => {
    const { message } = errorView(code);
    expect(message, code).not.toMatch(INTERNALS);
    expect(message, code).toMatch(/[.!]$/u);
    // One reason and one step: at most three sentences.
    expect(message.split(/[.!](?:\s|$)/u).filter(Boolean).length, code).toBeLessThanOrEqual(3);
  });

  it.each(APP_ERROR_CODES)('%s: has a sentence in every language', (code) => {
    for (const locale of LOCALES) {
      const catalogue = CATALOGUES[locale] as Readonly<Record<string, string>>;
      const sentence = catalogue[`error.${code}`];
      expect(sentence, `${locale} ${code}`).toBeTruthy();
      expect(sentence, `${locale} ${code}`).not.toMatch(INTERNALS);
    }
  });

  it('the 4 GiB refusal says what to do that the app can do, not "Trim it"', () => {
    for (const locale of LOCALES) {
      const sentence = CATALOGUES[locale]['error.intake/too-large'];
      expect(sentence).toContain('4 GiB');
      expect(sentence).not.toMatch(/trim|剪短/iu);
    }
    expect(errorView('intake/too-large').message).toMatch(/export a shorter or lower-bitrate/iu);
  });

  it('the 4 GiB detail gives sizes in GiB', () => {
    expect(tooLargeDetail(5 * 2 ** 30)).toMatch(
      /^The file is 5\.0 GiB; GameClips takes at most 4 GiB/u,
    );
    expect(tooLargeDetail(5 * 2 ** 30)).not.toContain('5368709120');
  });
});
