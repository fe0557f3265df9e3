import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { errorView } from '../../../app/errors';
import { ClipCardView, nextStepLabel } from '../../../renderer/features/pending/clip-card';
import { VisibilityChoice } from '../../../renderer/features/pending/visibility-choice';
import { setLocale } from '../../../app/i18n/translate';
import { clipView } from '../fixtures';

describe('a row', () => {
  it('gives a blocked clip one plain sentence and one next step', () => {
    const clip = clipView({ state: 'blocked', error: errorView('gameclips/over-quota') });
    const html = renderToStaticMarkup(
      <ClipCardView clip={clip} showThumb={false} onStep={() => undefined} />,
    );
    expect(html).toContain('Your GameClips storage is full.');
    expect((html.match(/data-testid="next-step"/gu) ?? []).length).toBe(1);
    expect(html).toContain('data-action="free-space"');
    expect(nextStepLabel('none')).toBeUndefined();
  });

  it('shows upload progress and time left from the live figures', () => {
    const clip = clipView({ state: 'uploading', progress: 0.1 });
    const html = renderToStaticMarkup(
      <ClipCardView
        clip={clip}
        showThumb={false}
        live={{
          clipId: clip.id,
          sentBytes: 60,
          totalBytes: 100,
          bytesPerSecond: 1e6,
          etaSeconds: 40,
        }}
      />,
    );
    expect(html).toContain('Uploading 60%');
    expect(html).toContain('40 sec left');
  });

  it('speaks Traditional Chinese, including the error sentence', () => {
    setLocale('zh-TW');
    try {
      const clip = clipView({ state: 'blocked', error: errorView('gameclips/unauthorized') });
      const html = renderToStaticMarkup(
        <ClipCardView clip={clip} showThumb={false} onStep={() => undefined} />,
      );
      expect(html).toContain('你已登出 GameClips');
      expect(html).toContain('>登入<');
    } finally {
      setLocale('en');
    }
  });
});

describe('VisibilityChoice', () => {
  it('is a real choice of four, each with a line saying who sees the clip', () => {
    const html = renderToStaticMarkup(
      <VisibilityChoice value="Owner" onChoose={() => undefined} />,
    );
    expect((html.match(/type="radio"/gu) ?? []).length).toBe(4);
    expect(html).toContain('Only you can see it.');
    expect(html).toContain('Everyone on Xbox Live can see it.');
    const owner = html.match(/<input[^>]*value="Owner"[^>]*>/u)?.[0] ?? '';
    expect(owner).toContain('checked=""');
    expect((html.match(/checked=""/gu) ?? []).length).toBe(1);
  });
});
