import { describe, expect, it } from 'vitest';
import { CLIP_STATES } from '../../../app/clip/clip';
import {
  captionEdited,
  clipsChanged,
  clipsReceived,
  initialClipsData,
} from '../../../renderer/stores/clips-reducers';
import {
  createSectionsSelector,
  sectionOf,
  selectCaption,
  selectClip,
  selectHasDraft,
  selectIsEmpty,
  selectUnsavedCount,
} from '../../../renderer/stores/clips-selectors';
import { clipView, later } from '../fixtures';

describe('sectionOf', () => {
  it('puts every state in exactly one section', () => {
    const sections = Object.fromEntries(CLIP_STATES.map((state) => [state, sectionOf(state)]));
    expect(sections).toEqual({
      reserving: 'pending',
      'waiting-retry': 'pending',
      reserved: 'pending',
      uploading: 'pending',
      paused: 'pending',
      processing: 'pending',
      blocked: 'pending',
      rejected: 'rejected',
      published: 'closed',
      failed: 'closed',
      missing: 'closed',
      cancelled: 'closed',
      incomplete: 'closed',
    });
  });
});

describe('createSectionsSelector', () => {
  it('splits ids by section in list order', () => {
    const pending = clipView({ recordedAt: '2025-03-02T00:00:00Z' });
    const rejected = clipView({ state: 'rejected', gameClipId: undefined });
    const published = clipView({ state: 'published' });
    const state = clipsReceived(initialClipsData(), [rejected, published, pending]);
    expect(createSectionsSelector()(state)).toEqual({
      pending: [pending.id],
      rejected: [rejected.id],
      closed: [published.id],
    });
  });

  it('returns the same arrays while membership is unchanged', () => {
    const clip = clipView({ state: 'uploading', progress: 0 });
    const select = createSectionsSelector();
    const state = clipsReceived(initialClipsData(), [clip]);
    const first = select(state);
    const tick = clipsChanged(state, {
      upserts: [{ ...clip, progress: 0.5, updatedAt: later(clip.updatedAt) }],
      removedIds: [],
    });
    expect(select(tick)).toBe(first);
    const done = clipsChanged(tick, {
      upserts: [{ ...clip, state: 'published', updatedAt: later(clip.updatedAt, 2000) }],
      removedIds: [],
    });
    const after = select(done);
    expect(after).not.toBe(first);
    expect(after.pending).toEqual([]);
    expect(after.closed).toEqual([clip.id]);
    expect(after.rejected).toBe(first.rejected);
  });
});

describe('clip selectors', () => {
  it('shows the draft over main caption, and main caption without one', () => {
    const clip = clipView({ caption: 'from main' });
    let state = clipsReceived(initialClipsData(), [clip]);
    expect(selectCaption(state, clip.id)).toBe('from main');
    expect(selectHasDraft(state, clip.id)).toBe(false);
    state = captionEdited(state, clip.id, 'typed');
    expect(selectCaption(state, clip.id)).toBe('typed');
    expect(selectHasDraft(state, clip.id)).toBe(true);
    expect(selectUnsavedCount(state)).toBe(1);
    expect(selectClip(state, clip.id)).toBe(clip);
    expect(selectCaption(state, 'unknown')).toBe('');
  });

  it('knows when there is nothing to show', () => {
    expect(selectIsEmpty(initialClipsData())).toBe(true);
    expect(selectIsEmpty(clipsReceived(initialClipsData(), [clipView()]))).toBe(false);
  });
});
