import { describe, expect, it } from 'vitest';
import type { RegisterOutcome } from '../../../app/ipc/contract';
import type { IpcResult } from '../../../app/ipc/result';
import { createUiStore, selectionAfterClick } from '../../../renderer/stores/ui-store';

const order = ['a', 'b', 'c', 'd', 'e'];

describe('selection', () => {
  it('toggles one, selects only one, and selects a shift range from the anchor', () => {
    let state = selectionAfterClick({ selected: {}, anchorId: undefined }, 'b', 'toggle', order);
    expect(Object.keys(state.selected)).toEqual(['b']);
    state = selectionAfterClick(state, 'e', 'range', order);
    expect(Object.keys(state.selected).sort()).toEqual(['b', 'c', 'd', 'e']);
    state = selectionAfterClick(state, 'c', 'toggle', order);
    expect(Object.keys(state.selected).sort()).toEqual(['b', 'd', 'e']);
    expect(state.anchorId).toBe('c');
    state = selectionAfterClick(state, 'a', 'range', order);
    expect(Object.keys(state.selected).sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    state = selectionAfterClick(state, 'd', 'only', order);
    expect(Object.keys(state.selected)).toEqual(['d']);
  });

  it('selects all and clears', () => {
    const ui = createUiStore();
    ui.getState().allSelected(order);
    expect(Object.keys(ui.getState().selected)).toEqual(order);
    ui.getState().selectionCleared();
    expect(ui.getState().selected).toEqual({});
  });
});

describe('live figures and drops', () => {
  it('keeps the latest upload figures per clip', () => {
    const ui = createUiStore();
    ui.getState().progressReceived({
      items: [{ clipId: 'a', sentBytes: 10, totalBytes: 100, bytesPerSecond: 5, etaSeconds: 18 }],
    });
    ui.getState().progressReceived({
      items: [{ clipId: 'a', sentBytes: 50, totalBytes: 100, bytesPerSecond: 5, etaSeconds: 10 }],
    });
    expect(ui.getState().progress.a?.sentBytes).toBe(50);
  });

  it('hands dropped files to the preload and keeps each file’s answer', async () => {
    const received: File[][] = [];
    const outcomes: RegisterOutcome[] = [
      { fileName: 'good.mp4', outcome: 'accepted', clipId: 'x' },
      { fileName: 'notes.txt', outcome: 'ignored' },
    ];
    const ui = createUiStore(
      { dragging: true },
      {
        registerFiles: (files): Promise<IpcResult<readonly RegisterOutcome[]>> => {
          received.push([...files]);
          return Promise.resolve({ ok: true, value: outcomes });
        },
      },
    );
    const file = new File(['x'], 'good.mp4');
    await ui.getState().filesDropped([file]);
    expect(received).toEqual([[file]]);
    expect(ui.getState().dragging).toBe(false);
    expect(ui.getState().drops[0]?.outcomes).toEqual(outcomes);
  });

  it('shows why a drop failed when the bridge refuses', async () => {
    const ui = createUiStore({}, { registerFiles: () => Promise.reject(new Error('bridge down')) });
    await ui.getState().filesDropped([new File([], 'a.mp4')]);
    expect(ui.getState().drops[0]?.error?.detail).toBe('bridge down');
  });
});

describe('the filter panel', () => {
  it('opens and closes per list, and opens by itself when a filter is set from elsewhere', () => {
    const store = createUiStore();
    expect(store.getState().filtersOpen).toEqual({ pending: false, history: false });
    store.getState().filtersToggled('pending');
    expect(store.getState().filtersOpen).toEqual({ pending: true, history: false });
    store.getState().filtersToggled('pending');
    expect(store.getState().filtersOpen.pending).toBe(false);

    // Typing a search does not open it; the refusal notice's "Not added" filter does.
    store.getState().queryChanged('history', { text: 'halo' });
    expect(store.getState().filtersOpen.history).toBe(false);
    store.getState().queryChanged('history', { state: 'rejected' });
    expect(store.getState().filtersOpen.history).toBe(true);

    // Clearing the filters leaves the panel where the user put it.
    store.getState().filtersCleared('history');
    expect(store.getState().filtersOpen.history).toBe(true);
    expect(store.getState().queries.history.state).toBe('any');
  });
});
