import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  selectCaption,
  selectCommandError,
  selectThumbnailOffset,
  selectVisibility,
} from '../../../renderer/stores/clips-selectors';
import { clipView, errorOf, later, readyStore, settle } from '../fixtures';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('choices (visibility, thumbnail frame)', () => {
  it('shows a choice at once and keeps main’s answer once saved', async () => {
    const clip = clipView();
    const { api, store } = await readyStore([clip]);
    const saving = store.getState().fieldChosen(clip.id, { visibility: 'Public' });
    expect(selectVisibility(store.getState(), clip.id)).toBe('Public');
    expect(api.updateCalls[0]?.args).toEqual([clip.id, { visibility: 'Public' }]);
    api.updateCalls[0]?.resolve({
      ok: true,
      value: { ...clip, visibility: 'Public', updatedAt: later(clip.updatedAt) },
    });
    await saving;
    expect(store.getState().choices[clip.id]).toBeUndefined();
    expect(selectVisibility(store.getState(), clip.id)).toBe('Public');
  });

  it('falls back to main’s value with the reason when a choice is refused', async () => {
    const clip = clipView();
    const { api, store } = await readyStore([clip]);
    const saving = store.getState().fieldChosen(clip.id, { thumbnailOffsetMs: 1500 });
    expect(selectThumbnailOffset(store.getState(), clip.id)).toBe(1500);
    api.updateCalls[0]?.resolve({ ok: false, error: errorOf('offset out of range') });
    await saving;
    expect(selectThumbnailOffset(store.getState(), clip.id)).toBeUndefined();
    expect(selectCommandError(store.getState(), clip.id)?.message).toBe('offset out of range');
  });
});

describe('commands', () => {
  it('saves a caption still waiting for its debounce before Send, so Send carries it', async () => {
    const clip = clipView();
    const { api, store } = await readyStore([clip]);
    store.getState().captionEdited(clip.id, 'typed just now');
    const sending = store.getState().commandRequested('send', [clip.id]);
    await settle();
    expect(api.updateCalls[0]?.args).toEqual([clip.id, { caption: 'typed just now' }]);
    expect(api.commandCalls).toHaveLength(0);
    api.updateCalls[0]?.resolve({
      ok: true,
      value: { ...clip, caption: 'typed just now', updatedAt: later(clip.updatedAt) },
    });
    await settle();
    expect(api.commandCalls[0]?.verb).toBe('send');
    expect(api.commandCalls[0]?.args).toEqual([[clip.id]]);
    api.commandCalls[0]?.resolve({
      ok: true,
      value: [
        {
          ...clip,
          caption: 'typed just now',
          state: 'uploading',
          updatedAt: later(clip.updatedAt, 2000),
        },
      ],
    });
    await sending;
    expect(store.getState().byId[clip.id]?.state).toBe('uploading');
  });

  it('puts a refusal on each clip it concerns, and clears it on the next success', async () => {
    const a = clipView();
    const b = clipView();
    const { api, store } = await readyStore([a, b]);
    const first = store.getState().commandRequested('retry', [a.id, b.id]);
    await settle();
    api.commandCalls[0]?.resolve({ ok: false, error: errorOf('not built yet') });
    await first;
    expect(selectCommandError(store.getState(), a.id)?.message).toBe('not built yet');
    expect(selectCommandError(store.getState(), b.id)?.message).toBe('not built yet');
    const second = store.getState().commandRequested('retry', [a.id]);
    await settle();
    api.commandCalls[1]?.resolve({
      ok: true,
      value: [{ ...a, state: 'reserving', updatedAt: later(a.updatedAt) }],
    });
    await second;
    expect(selectCommandError(store.getState(), a.id)).toBeUndefined();
    expect(selectCommandError(store.getState(), b.id)).toBeDefined();
  });

  it('a batch caption replaces drafts of the clips main rewrote', async () => {
    const a = clipView();
    const b = clipView();
    const { api, store } = await readyStore([a, b]);
    store.getState().captionEdited(a.id, 'local draft');
    const applying = store.getState().batchApplied([a.id, b.id], { captionTemplate: '{file}' });
    await settle();
    expect(api.commandCalls[0]?.verb).toBe('applyBatch');
    api.commandCalls[0]?.resolve({
      ok: true,
      value: [
        { ...a, caption: 'clip-a', updatedAt: later(a.updatedAt) },
        { ...b, caption: 'clip-b', updatedAt: later(b.updatedAt) },
      ],
    });
    expect(await applying).toBeUndefined();
    expect(selectCaption(store.getState(), a.id)).toBe('clip-a');
    expect(selectCaption(store.getState(), b.id)).toBe('clip-b');
    // The debounce of the replaced draft never fires a save of the old text.
    await vi.advanceTimersByTimeAsync(2000);
    expect(api.updateCalls).toHaveLength(0);
  });

  it('clears history and reloads the list', async () => {
    const published = clipView({ state: 'published' });
    const { api, store } = await readyStore([published]);
    const clearing = store.getState().historyCleared();
    await settle();
    api.commandCalls[0]?.resolve({ ok: true, value: 1 });
    await settle();
    api.listCalls[1]?.resolve({ ok: true, value: [] });
    expect(await clearing).toBe(1);
    expect(store.getState().order).toEqual([]);
  });
});
