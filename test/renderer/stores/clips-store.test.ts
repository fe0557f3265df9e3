import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CAPTION_SAVE_DELAY_MS, createClipsStore } from '../../../renderer/stores/clips-store';
import type { FirstRows } from '../../../app/clip/first-rows';
import type { IpcResult } from '../../../app/ipc/result';
import { isListComplete } from '../../../renderer/stores/clips-reducers';
import { selectCaption, selectTabCount } from '../../../renderer/stores/clips-selectors';
import { FakeCompanion, clipView, errorOf, later, readyStore, settle } from '../fixtures';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('createClipsStore: loading', () => {
  it('mirrors the list main answers', async () => {
    const clip = clipView();
    const { store } = await readyStore([clip]);
    expect(store.getState().order).toEqual([clip.id]);
    expect(store.getState().list.phase).toBe('ready');
  });

  it('shows why the list could not be loaded, envelope or bridge failure', async () => {
    const api = new FakeCompanion();
    const store = createClipsStore(api);
    const first = store.getState().load();
    api.listCalls[0]?.resolve({ ok: false, error: errorOf('refused') });
    await first;
    expect(store.getState().list).toMatchObject({ phase: 'failed', error: { message: 'refused' } });
    const second = store.getState().load();
    expect(store.getState().list.phase).toBe('loading');
    api.listCalls[1]?.reject(new Error('bridge down'));
    await second;
    expect(store.getState().list).toMatchObject({
      phase: 'failed',
      error: { code: 'app/internal', detail: 'bridge down' },
    });
  });
});

describe('createClipsStore: a new window’s first rows', () => {
  function firstRowsApi() {
    const api = new FakeCompanion();
    const firstRowsCalls: Array<(result: IpcResult<FirstRows | null>) => void> = [];
    const window = {
      firstRows: () =>
        new Promise<IpcResult<FirstRows | null>>((resolve) => firstRowsCalls.push(resolve)),
    };
    let painted: () => void = () => undefined;
    const afterPaint = () => new Promise<void>((resolve) => (painted = resolve));
    const store = createClipsStore(
      { ...api, clips: api.clips, history: api.history, window },
      {
        afterPaint,
      },
    );
    return { api, store, firstRowsCalls, paint: () => painted() };
  }

  it('shows the first rows with main’s counts, then asks for the whole list once they are painted', async () => {
    const { api, store, firstRowsCalls, paint } = firstRowsApi();
    const rows = [clipView(), clipView()];
    const whole = [...rows, clipView(), clipView()];
    const loading = store.getState().load({ firstRows: true });
    expect(api.listCalls).toHaveLength(0);
    firstRowsCalls[0]?.({ ok: true, value: { clips: rows, counts: { pending: 4, history: 9 } } });
    await settle();
    expect(store.getState().list).toEqual({
      phase: 'first-rows',
      counts: { pending: 4, history: 9 },
    });
    expect(store.getState().order).toEqual(rows.map((clip) => clip.id));
    expect(selectTabCount(store.getState(), 'pending')).toBe(4);
    expect(isListComplete(store.getState().list)).toBe(false);
    // Taking in the whole list keeps the page busy: not asked before the rows are on screen.
    expect(api.listCalls).toHaveLength(0);
    paint();
    await settle();
    expect(api.listCalls).toHaveLength(1);
    api.listCalls[0]?.resolve({ ok: true, value: whole });
    await loading;
    expect(store.getState().list.phase).toBe('ready');
    expect(store.getState().order).toEqual(whole.map((clip) => clip.id));
    expect(selectTabCount(store.getState(), 'pending')).toBe(4);
  });

  it('does not pass the first rows off as the list when the whole list fails', async () => {
    const { api, store, firstRowsCalls, paint } = firstRowsApi();
    const loading = store.getState().load({ firstRows: true });
    firstRowsCalls[0]?.({
      ok: true,
      value: { clips: [clipView()], counts: { pending: 3, history: 0 } },
    });
    await settle();
    paint();
    await settle();
    api.listCalls[0]?.resolve({ ok: false, error: errorOf('refused') });
    await loading;
    expect(store.getState().list.phase).toBe('failed');
    expect(store.getState().order).toEqual([]);
  });

  it('goes straight to the whole list when main has no first rows (Settings) or fails', async () => {
    for (const answer of [
      { ok: true as const, value: null },
      { ok: false as const, error: errorOf('refused') },
    ]) {
      const { api, store, firstRowsCalls } = firstRowsApi();
      const loading = store.getState().load({ firstRows: true });
      firstRowsCalls[0]?.(answer);
      await settle();
      expect(store.getState().list.phase).toBe('loading');
      expect(api.listCalls).toHaveLength(1);
      api.listCalls[0]?.resolve({ ok: true, value: [clipView()] });
      await loading;
      expect(store.getState().list.phase).toBe('ready');
    }
  });
});

describe('createClipsStore: saving captions', () => {
  it('saves once, after the typing stops, with the last text', async () => {
    const { api, store } = await readyStore();
    const id = store.getState().order[0] ?? '';
    for (const text of ['h', 'he', 'hel', 'hell', 'hello']) {
      store.getState().captionEdited(id, text);
      vi.advanceTimersByTime(CAPTION_SAVE_DELAY_MS - 100);
    }
    expect(api.updateCalls).toHaveLength(0);
    expect(store.getState().saves[id]?.phase).toBe('editing');
    vi.advanceTimersByTime(100);
    expect(api.updateCalls.map((call) => call.args)).toEqual([[id, { caption: 'hello' }]]);
    expect(store.getState().saves[id]).toEqual({ phase: 'saving', sending: 'hello' });
    const clip = store.getState().byId[id];
    api.updateCalls[0]?.resolve({
      ok: true,
      value: { ...clip!, caption: 'hello', updatedAt: later(clip!.updatedAt) },
    });
    await settle();
    expect(store.getState().saves[id]).toEqual({ phase: 'saved' });
    expect(store.getState().drafts[id]).toBeUndefined();
    expect(selectCaption(store.getState(), id)).toBe('hello');
  });

  it('saves at once when the field is left', async () => {
    const { api, store } = await readyStore();
    const id = store.getState().order[0] ?? '';
    store.getState().captionEdited(id, 'quick');
    void store.getState().captionLeft(id);
    expect(api.updateCalls.map((call) => call.args)).toEqual([[id, { caption: 'quick' }]]);
    vi.advanceTimersByTime(CAPTION_SAVE_DELAY_MS * 2);
    expect(api.updateCalls).toHaveLength(1);
  });

  it('does not save when the field is left without an edit', async () => {
    const { api, store } = await readyStore();
    await store.getState().captionLeft(store.getState().order[0] ?? '');
    expect(api.updateCalls).toHaveLength(0);
  });

  it('never overlaps saves of one clip and sends the newest text after the one out', async () => {
    const { api, store } = await readyStore();
    const id = store.getState().order[0] ?? '';
    const clip = store.getState().byId[id]!;
    store.getState().captionEdited(id, 'one');
    vi.advanceTimersByTime(CAPTION_SAVE_DELAY_MS);
    store.getState().captionEdited(id, 'one two');
    vi.advanceTimersByTime(CAPTION_SAVE_DELAY_MS);
    expect(api.updateCalls).toHaveLength(1);
    api.updateCalls[0]?.resolve({
      ok: true,
      value: { ...clip, caption: 'one', updatedAt: later(clip.updatedAt) },
    });
    await settle();
    expect(selectCaption(store.getState(), id)).toBe('one two');
    expect(api.updateCalls.map((call) => call.args[1])).toEqual([
      { caption: 'one' },
      { caption: 'one two' },
    ]);
    api.updateCalls[1]?.resolve({
      ok: true,
      value: { ...clip, caption: 'one two', updatedAt: later(clip.updatedAt, 2000) },
    });
    await settle();
    expect(store.getState().drafts).toEqual({});
    expect(store.getState().saves[id]).toEqual({ phase: 'saved' });
  });

  it('keeps the typed text and shows the error when main refuses, and retries on leave', async () => {
    const { api, store } = await readyStore();
    const id = store.getState().order[0] ?? '';
    store.getState().captionEdited(id, 'refused text');
    vi.advanceTimersByTime(CAPTION_SAVE_DELAY_MS);
    api.updateCalls[0]?.resolve({ ok: false, error: errorOf('No caption for you.') });
    await settle();
    expect(selectCaption(store.getState(), id)).toBe('refused text');
    expect(store.getState().saves[id]).toMatchObject({
      phase: 'failed',
      error: { message: 'No caption for you.' },
    });
    void store.getState().captionLeft(id);
    expect(api.updateCalls).toHaveLength(2);
    expect(api.updateCalls[1]?.args[1]).toEqual({ caption: 'refused text' });
  });

  it('turns a rejected bridge call into an error by the field', async () => {
    const { api, store } = await readyStore();
    const id = store.getState().order[0] ?? '';
    store.getState().captionEdited(id, 'text');
    vi.advanceTimersByTime(CAPTION_SAVE_DELAY_MS);
    api.updateCalls[0]?.reject(new Error('Error invoking remote method'));
    await settle();
    expect(store.getState().saves[id]).toMatchObject({
      phase: 'failed',
      error: { code: 'app/internal' },
    });
    expect(selectCaption(store.getState(), id)).toBe('text');
  });

  it('keeps the draft when an update from main lands mid-typing', async () => {
    const { store } = await readyStore();
    const id = store.getState().order[0] ?? '';
    const clip = store.getState().byId[id]!;
    store.getState().captionEdited(id, 'half typed');
    store.getState().clipsChanged({
      upserts: [{ ...clip, state: 'reserved', caption: '', updatedAt: later(clip.updatedAt) }],
      removedIds: [],
    });
    expect(selectCaption(store.getState(), id)).toBe('half typed');
  });

  it('flushes every waiting draft at once', async () => {
    const a = clipView();
    const b = clipView();
    const { api, store } = await readyStore([a, b]);
    store.getState().captionEdited(a.id, 'A');
    store.getState().captionEdited(b.id, 'B');
    void store.getState().flushDrafts();
    expect(api.updateCalls.map((call) => call.args).sort()).toEqual(
      [
        [a.id, { caption: 'A' }],
        [b.id, { caption: 'B' }],
      ].sort(),
    );
  });

  it('drops the pending save of a clip main removed', async () => {
    const { api, store } = await readyStore();
    const id = store.getState().order[0] ?? '';
    store.getState().captionEdited(id, 'bye');
    store.getState().clipsChanged({ upserts: [], removedIds: [id] });
    vi.advanceTimersByTime(CAPTION_SAVE_DELAY_MS * 2);
    expect(api.updateCalls).toHaveLength(0);
  });
});
