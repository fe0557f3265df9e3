/**
 * A new clip's draft (app/clip/draft.ts) and the caption template it renders
 * (app/clip/caption-template.ts): the settings' template is rendered, never used literally.
 */
import { describe, expect, it } from 'vitest';
import { renderCaptionTemplate } from '../../../app/clip/caption-template';
import { initialDraft, thumbnailOffsetWithin } from '../../../app/clip/draft';

const probe = {
  container: 'mp4' as const,
  durationSeconds: 83.4,
  recordedAt: new Date(2026, 0, 2, 9, 5).toISOString(),
};

describe('initialDraft', () => {
  it('renders the default template with {file} {date} {time} {duration}', () => {
    const draft = initialDraft(
      {
        captionTemplate: '{file} {date} {time} {duration}',
        visibility: 'Owner',
        thumbnailOffsetMs: 0,
      },
      { path: '/videos/Boss fight.mp4', probe },
      new Date(),
    );
    expect(draft.caption).toBe('Boss fight 2026-01-02 09:05 1:23');
    expect(draft.caption).not.toContain('{');
    expect(draft.visibility).toBe('Owner');
  });

  it('always sets the thumbnail frame, kept inside the clip', () => {
    const defaults = {
      captionTemplate: '',
      visibility: 'Public' as const,
      thumbnailOffsetMs: 5000,
    };
    expect(initialDraft(defaults, { path: '/v/a.mp4', probe }, new Date()).thumbnailOffsetMs).toBe(
      5000,
    );
    const short = { ...probe, durationSeconds: 2 };
    expect(thumbnailOffsetWithin(5000, short)).toBe(1999);
    expect(thumbnailOffsetWithin(5000, undefined)).toBe(5000);
    expect(thumbnailOffsetWithin(-3, probe)).toBe(0);
  });
});

describe('renderCaptionTemplate', () => {
  it('keeps unknown words in braces as typed', () => {
    expect(
      renderCaptionTemplate('{file} {level}', { file: { path: '/a/b.mkv' } }, new Date()),
    ).toBe('b {level}');
  });

  it('cuts to 250 UTF-16 units without splitting a surrogate pair', () => {
    const caption = renderCaptionTemplate(
      `${'a'.repeat(249)}😀{file}`,
      { file: { path: '/x.mp4' } },
      new Date(),
    );
    expect(caption.length).toBeLessThanOrEqual(250);
    expect(caption.endsWith('\uD83D')).toBe(false);
  });

  it('uses the recording time from the probe, else now', () => {
    const now = new Date(2025, 5, 7, 18, 30);
    expect(
      renderCaptionTemplate('{date} {time} {duration}', { file: { path: '/x.mp4' } }, now),
    ).toBe('2025-06-07 18:30 0:00');
  });
});
