/**
 * Issue 16, item 1: when the window's player cannot play a published clip (the file is gone and
 * the service did not send it), it shows one sentence with main's reason instead of a broken
 * video, in English and Traditional Chinese.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { errorView } from '../../../../app/errors';
import { setLocale } from '../../../../app/i18n/translate';
import { playbackSentence } from '../../../../renderer/features/published/published-actions';

const CLIP_ID = '00000000-0000-4000-8000-0000000000aa';
type Answer =
  { ok: true; value: string | null } | { ok: false; error: ReturnType<typeof errorView> };

function mainAnswers(answer: Answer | undefined): string[] {
  const asked: string[] = [];
  (globalThis as { companion?: unknown }).companion = {
    clips:
      answer === undefined
        ? {}
        : {
            playbackProblem: (id: string) => {
              asked.push(id);
              return Promise.resolve(answer);
            },
          },
  };
  return asked;
}

afterEach(() => {
  delete (globalThis as { companion?: unknown }).companion;
  setLocale('en');
});

describe('the sentence a published clip shows when it cannot be played', () => {
  it("names main's reason when neither the file nor the service gave the clip", async () => {
    const asked = mainAnswers({ ok: true, value: 'the service no longer has this clip.' });
    expect(await playbackSentence(CLIP_ID)).toBe(
      'This clip is not on this computer any more and the service did not send it: the service no longer has this clip.',
    );
    expect(asked).toEqual([CLIP_ID]);
  });

  it('says so in Traditional Chinese', async () => {
    setLocale('zh-TW');
    mainAnswers({ ok: true, value: 'it was removed from the service.' });
    expect(await playbackSentence(CLIP_ID)).toBe(
      '這個短片已不在這台電腦上，服務也沒有傳來：it was removed from the service.',
    );
  });

  it('a clip main can serve but the window cannot play points to the browser', async () => {
    mainAnswers({ ok: true, value: null });
    expect(await playbackSentence(CLIP_ID)).toBe(
      'This clip cannot be played in the window. Use “Open in browser” to watch it.',
    );
  });

  it('a refused question still gives a sentence, and so does a window without the verb', async () => {
    mainAnswers({ ok: false, error: errorView('ipc/unknown-clip') });
    expect(await playbackSentence(CLIP_ID)).toMatch(
      /^This clip is not on this computer any more and the service did not send it: \S/u,
    );
    mainAnswers(undefined);
    expect(await playbackSentence(CLIP_ID)).toContain('The file is no longer on this computer.');
  });
});
