import { describe, expect, it } from 'vitest';
import {
  captionEdited,
  clipsChanged,
  clipsReceived,
  compareClips,
  draftSaved,
  draftSaveFailed,
  draftSaveStarted,
  initialClipsData,
  type ClipsData,
} from '../../../renderer/stores/clips-reducers';
import { selectCaption } from '../../../renderer/stores/clips-selectors';
import { clipView, errorOf, later } from '../fixtures';

function withClips(...clips: ReturnType<typeof clipView>[]): ClipsData {
  return clipsReceived(initialClipsData(), clips);
}

describe('clipsReceived', () => {
  it('mirrors the list, newest recording first, and marks the list ready', () => {
    const older = clipView({ recordedAt: '2025-01-01T00:00:00Z' });
    const newer = clipView({ recordedAt: '2025-02-01T00:00:00Z' });
    const undated = clipView({ recordedAt: undefined });
    const state = withClips(undated, older, newer);
    expect(state.order).toEqual([newer.id, older.id, undated.id]);
    expect(state.byId[older.id]).toBe(older);
    expect(state.list).toEqual({ phase: 'ready' });
  });

  it('orders a list as compareClips does, whether main sent it in order or not', () => {
    const clips = [
      clipView({ id: 'b', recordedAt: '2025-01-01T00:00:00Z' }),
      clipView({ id: 'a', recordedAt: '2025-01-01T00:00:00Z' }),
      clipView({ id: 'c', recordedAt: '2025-06-01T00:00:00Z' }),
      clipView({ id: 'd', recordedAt: undefined }),
      clipView({ id: 'e', recordedAt: '2024-06-01T00:00:00Z' }),
    ];
    const expected = [...clips].sort(compareClips).map((clip) => clip.id);
    expect(expected).toEqual(['c', 'a', 'b', 'e', 'd']);
    expect(withClips(...clips).order).toEqual(expected);
    const inOrder = expected.map(
      (id) => clips.find((clip) => clip.id === id) as (typeof clips)[number],
    );
    expect(withClips(...inOrder).order).toEqual(expected);
    expect(withClips(...[...inOrder].reverse()).order).toEqual(expected);
  });

  it('keeps main’s newest-first list as it is, and still corrects one out of order', () => {
    const at = (id: string, recordedAt: string) => clipView({ id, recordedAt });
    const sent = [
      at('x', '2025-06-01T10:00:00.000Z'),
      at('a', '2025-05-01T10:00:00.000Z'),
      at('b', '2025-05-01T10:00:00.000Z'),
      at('y', '2024-01-01T00:00:00.000Z'),
    ];
    expect(withClips(...sent).order).toEqual(['x', 'a', 'b', 'y']);
    // Ties out of id order, a newer clip late, and an offset time are all put right.
    expect(withClips(sent[0]!, sent[2]!, sent[1]!, sent[3]!).order).toEqual(['x', 'a', 'b', 'y']);
    expect(withClips(sent[1]!, sent[0]!).order).toEqual(['x', 'a']);
    // 12:00+05:00 is 07:00 UTC, older than x, though its text sorts after x's: it is parsed.
    const offset = at('z', '2025-06-01T12:00:00+05:00');
    expect(withClips(offset, sent[0]!).order).toEqual(['x', 'z']);
  });

  it('keeps drafts of clips still listed and drops drafts of clips gone', () => {
    const kept = clipView();
    const gone = clipView();
    let state = withClips(kept, gone);
    state = captionEdited(state, kept.id, 'kept text');
    state = captionEdited(state, gone.id, 'gone text');
    state = clipsReceived(state, [kept]);
    expect(state.drafts).toEqual({ [kept.id]: 'kept text' });
    expect(state.saves[gone.id]).toBeUndefined();
  });

  it('keeps a mirror entry newer than a stale list answer', () => {
    const clip = clipView();
    const pushed = { ...clip, state: 'uploading' as const, updatedAt: later(clip.updatedAt) };
    let state = clipsChanged(initialClipsData(), { upserts: [pushed], removedIds: [] });
    state = clipsReceived(state, [clip]);
    expect(state.byId[clip.id]).toBe(pushed);
  });
});

describe('clipsChanged', () => {
  it('upserts new and changed clips and removes ids gone', () => {
    const a = clipView();
    const b = clipView();
    const c = clipView({ recordedAt: '2026-01-01T00:00:00Z' });
    const changedA = {
      ...a,
      state: 'uploading' as const,
      progress: 0.5,
      updatedAt: later(a.updatedAt),
    };
    const state = clipsChanged(withClips(a, b), { upserts: [changedA, c], removedIds: [b.id] });
    expect(state.byId[a.id]).toBe(changedA);
    expect(state.byId[c.id]).toBe(c);
    expect(state.byId[b.id]).toBeUndefined();
    expect(state.order).toEqual([c.id, a.id]);
  });

  it('does not lose the text being typed when main sends an update of that clip', () => {
    const clip = clipView({ caption: 'old' });
    let state = withClips(clip);
    state = captionEdited(state, clip.id, 'what I am typing');
    const fromMain = {
      ...clip,
      caption: 'old',
      state: 'reserved' as const,
      updatedAt: later(clip.updatedAt),
    };
    state = clipsChanged(state, { upserts: [fromMain], removedIds: [] });
    expect(selectCaption(state, clip.id)).toBe('what I am typing');
    expect(state.byId[clip.id]).toBe(fromMain);
  });

  it('keeps the same order array for a progress tick, so lists do not re-render', () => {
    const clip = clipView({ state: 'uploading', progress: 0.1 });
    const state = withClips(clip, clipView());
    const tick = { ...clip, progress: 0.2, updatedAt: later(clip.updatedAt) };
    const next = clipsChanged(state, { upserts: [tick], removedIds: [] });
    expect(next.order).toBe(state.order);
    expect(next.byId[clip.id]?.progress).toBe(0.2);
  });

  it('ignores an upsert older than the mirror and returns the same state for a no-op', () => {
    const clip = clipView();
    const state = withClips(clip);
    const stale = { ...clip, state: 'reserving' as const, updatedAt: '2000-01-01T00:00:00Z' };
    expect(clipsChanged(state, { upserts: [stale], removedIds: [] })).toBe(state);
    expect(clipsChanged(state, { upserts: [], removedIds: ['unknown'] })).toBe(state);
  });

  it('removes the draft and save status of a removed clip', () => {
    const clip = clipView();
    let state = captionEdited(withClips(clip), clip.id, 'x');
    state = clipsChanged(state, { upserts: [], removedIds: [clip.id] });
    expect(state.drafts).toEqual({});
    expect(state.saves).toEqual({});
    expect(state.order).toEqual([]);
  });
});

describe('caption drafts', () => {
  it('cuts an edit at 250 code units without splitting a surrogate pair', () => {
    const clip = clipView();
    const state = captionEdited(withClips(clip), clip.id, `${'a'.repeat(249)}😀 and more`);
    expect(state.drafts[clip.id]).toBe('a'.repeat(249));
  });

  it('ignores edits of unknown clips', () => {
    const state = withClips(clipView());
    expect(captionEdited(state, 'nope', 'x')).toBe(state);
  });

  it('drops the draft when main confirms the text that was sent', () => {
    const clip = clipView();
    let state = captionEdited(withClips(clip), clip.id, 'hello');
    state = draftSaveStarted(state, clip.id, 'hello');
    state = draftSaved(state, clip.id, {
      ...clip,
      caption: 'hello',
      updatedAt: later(clip.updatedAt),
    });
    expect(state.drafts[clip.id]).toBeUndefined();
    expect(state.saves[clip.id]).toEqual({ phase: 'saved' });
    expect(selectCaption(state, clip.id)).toBe('hello');
  });

  it('keeps newer typing when an older save is confirmed', () => {
    const clip = clipView();
    let state = captionEdited(withClips(clip), clip.id, 'hel');
    state = draftSaveStarted(state, clip.id, 'hel');
    state = captionEdited(state, clip.id, 'hello');
    expect(state.saves[clip.id]).toEqual({ phase: 'editing', sending: 'hel' });
    state = draftSaved(state, clip.id, {
      ...clip,
      caption: 'hel',
      updatedAt: later(clip.updatedAt),
    });
    expect(selectCaption(state, clip.id)).toBe('hello');
    expect(state.saves[clip.id]?.phase).toBe('editing');
    expect(state.byId[clip.id]?.caption).toBe('hel');
  });

  it('keeps the typed text and the reason when a save fails', () => {
    const clip = clipView();
    let state = captionEdited(withClips(clip), clip.id, 'typed');
    state = draftSaveStarted(state, clip.id, 'typed');
    state = draftSaveFailed(state, clip.id, errorOf('No.'));
    expect(selectCaption(state, clip.id)).toBe('typed');
    expect(state.saves[clip.id]).toMatchObject({ phase: 'failed', error: { message: 'No.' } });
  });

  it('does not bring back a clip removed while its save was out', () => {
    const clip = clipView();
    let state = draftSaveStarted(captionEdited(withClips(clip), clip.id, 'x'), clip.id, 'x');
    state = clipsChanged(state, { upserts: [], removedIds: [clip.id] });
    expect(draftSaved(state, clip.id, { ...clip, caption: 'x' })).toBe(state);
    expect(draftSaveFailed(state, clip.id, errorOf())).toBe(state);
  });
});

describe('compareClips', () => {
  it('orders by recording date, newest first, then by id', () => {
    const a = clipView({ id: 'a', recordedAt: '2025-01-01T00:00:00Z' });
    const b = clipView({ id: 'b', recordedAt: '2025-01-01T00:00:00Z' });
    const c = clipView({ id: 'c', recordedAt: '2025-06-01T00:00:00Z' });
    expect([b, a, c].sort(compareClips).map((clip) => clip.id)).toEqual(['c', 'a', 'b']);
  });
});
