import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { CLIP_STATES } from '../../../../app/clip/clip';
import { errorView } from '../../../../app/errors';
import { CaptionField } from '../../../../renderer/features/pending/caption-editor';
import { ClipCardView, stateBadge } from '../../../../renderer/features/pending/clip-card';
import { clipView } from '../../fixtures';

describe('ClipCardView', () => {
  it('shows the file and its facts, and the GameClips id only on demand', () => {
    const clip = clipView({ fileName: 'ace.mp4', durationSeconds: 75, gameClipId: 'abc-123-full' });
    const html = renderToStaticMarkup(<ClipCardView clip={clip} />);
    expect(html).toContain('data-testid="clip-card"');
    expect(html).toContain(`data-clip-id="${clip.id}"`);
    expect(html).toContain('ace.mp4');
    expect(html).toContain('1:15');
    expect(html).toContain('12.3 MB');
    expect(html).toContain('data-testid="show-clip-id"');
    expect(html).not.toContain('abc-123-full');
    expect(html).toContain('Ready for review');
  });

  it('explains a rejection in plain words with the detail', () => {
    const clip = clipView({
      state: 'rejected',
      gameClipId: undefined,
      error: errorView('intake/too-large', '5,000,000,000 bytes'),
    });
    const html = renderToStaticMarkup(<ClipCardView clip={clip} />);
    expect(html).toContain('bigger than 4 GiB');
    expect(html).toContain('5,000,000,000 bytes');
    // A refused row will never get a clip ID: it must not say "not yet" (issue 15, item 1).
    expect(html).not.toContain('No clip ID yet');
    expect(html).toContain('data-testid="error-details"');
  });

  it('offers Show in folder and Remove from list on a refused row, not on a pending one', () => {
    const noop = () => undefined;
    const refused = renderToStaticMarkup(
      <ClipCardView
        clip={clipView({
          state: 'rejected',
          gameClipId: undefined,
          error: errorView('intake/empty'),
        })}
        onShowInFolder={noop}
        onRemove={noop}
      />,
    );
    expect(refused).toContain('data-testid="show-in-folder"');
    expect(refused).toContain('data-testid="remove-from-list"');
    const reserving = renderToStaticMarkup(
      <ClipCardView
        clip={clipView({ state: 'reserving', gameClipId: undefined })}
        onShowInFolder={noop}
        onRemove={noop}
      />,
    );
    expect(reserving).not.toContain('data-testid="remove-from-list"');
    expect(reserving).toContain('No clip ID yet');
  });

  it('shows upload progress in the badge and a progress bar', () => {
    const html = renderToStaticMarkup(
      <ClipCardView clip={clipView({ state: 'uploading', progress: 0.5 })} />,
    );
    expect(html).toContain('Uploading 50%');
    expect(html).toContain('<progress');
  });

  it('has words for every state', () => {
    for (const state of CLIP_STATES) expect(stateBadge(state).label).toMatch(/^state\./u);
    expect(stateBadge('reserved').label).toBe('state.reserved');
  });
});

describe('CaptionField', () => {
  const noop = () => undefined;

  it('is labelled for tests and assistive tech and shows what is left', () => {
    const html = renderToStaticMarkup(
      <CaptionField clipId="c1" caption="😀 gg" save={undefined} onEdit={noop} onLeave={noop} />,
    );
    expect(html).toContain('aria-label="Caption"');
    expect(html).toContain('data-testid="caption-input"');
    expect(html).toContain('245 left');
  });

  it('shows saving, saved, and a refusal next to the field', () => {
    const saving = renderToStaticMarkup(
      <CaptionField
        clipId="c1"
        caption="x"
        save={{ phase: 'saving', sending: 'x' }}
        onEdit={noop}
        onLeave={noop}
      />,
    );
    expect(saving).toContain('Saving…');
    const saved = renderToStaticMarkup(
      <CaptionField
        clipId="c1"
        caption="x"
        save={{ phase: 'saved' }}
        onEdit={noop}
        onLeave={noop}
      />,
    );
    expect(saved).toContain('Saved');
    const failed = renderToStaticMarkup(
      <CaptionField
        clipId="c1"
        caption="kept"
        save={{ phase: 'failed', error: errorView('ipc/invalid-arguments') }}
        onEdit={noop}
        onLeave={noop}
      />,
    );
    expect(failed).toContain('Your text is kept');
    expect(failed).toContain('aria-invalid="true"');
    expect(failed).toContain('>kept</textarea>');
  });
});
