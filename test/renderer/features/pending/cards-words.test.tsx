/** Issue 15, item 3: who can see a clip is on its card, and the first-run note says what Send does. */
import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, describe, expect, it } from 'vitest';
import { USER_VISIBILITIES } from '../../../../app/gameclips/enums';
import { ClipCardView, VisibilityTag } from '../../../../renderer/features/pending/clip-card';
import { policySentence } from '../../../../renderer/features/pending/reserved-note';
import { setLocale } from '../../../../app/i18n/translate';
import { clipView } from '../../fixtures';

afterEach(() => setLocale('en'));

describe('visibility on the card', () => {
  it('every card says who can see it, Everyone stands out', () => {
    const html = renderToStaticMarkup(<ClipCardView clip={clipView({ visibility: 'Public' })} />);
    expect(html).toContain('data-testid="clip-visibility"');
    expect(html).toContain('visibility-tag--Public');
    expect(html).toContain('Everyone');
    const owner = renderToStaticMarkup(<ClipCardView clip={clipView({ visibility: 'Owner' })} />);
    expect(owner).toContain('Only me');
    expect(owner).not.toContain('visibility-tag--Public');
  });

  it('has an icon and a word for each visibility, in both languages', () => {
    for (const locale of ['en', 'zh-TW'] as const) {
      setLocale(locale);
      for (const visibility of USER_VISIBILITIES) {
        const html = renderToStaticMarkup(<VisibilityTag visibility={visibility} />);
        expect(html).toContain('<svg');
        expect(html).toMatch(/<\/svg>[^<]+<\/span>$/u);
      }
    }
  });
});

describe('the first-run note', () => {
  it('says what the send policy will do', () => {
    expect(policySentence({ kind: 'review' })).toMatch(/press Send/u);
    expect(policySentence({ kind: 'after-delay', minutes: 7 })).toMatch(/7 minutes after/u);
    expect(policySentence({ kind: 'immediate' })).toMatch(/as soon as they are reserved/u);
  });
});
