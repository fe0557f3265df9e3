import { afterEach, describe, expect, it, vi } from 'vitest';
import { EMPTY_QUERY } from '../../../app/clip/clip-query';
import { WindowUiStateSchema, type WindowUiState } from '../../../app/ipc/window-ui-state';
import { createUiStore } from '../../../renderer/stores/ui-store';
import {
  createWindowMemory,
  restoreWindowState,
  uiFromRestored,
} from '../../../renderer/stores/window-memory';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';

afterEach(() => vi.useRealTimers());

function recordingApi() {
  const saved: WindowUiState[] = [];
  return {
    saved,
    saveState: (state: WindowUiState) => {
      saved.push(state);
      return Promise.resolve({ ok: true as const, value: true as const });
    },
  };
}

describe('window memory', () => {
  it('reports screen, open clip, filters and scroll as one coalesced message main accepts', () => {
    vi.useFakeTimers();
    const ui = createUiStore();
    const api = recordingApi();
    const memory = createWindowMemory(api, ui, undefined, { delayMs: 100 });
    ui.getState().screenChosen('history');
    ui.getState().clipOpened(A);
    ui.getState().queryChanged('history', { text: 'clutch', sort: 'oldest' });
    memory.scrolled('history', { clipId: B, offsetPx: 40 });
    memory.scrolled('history', { clipId: B, offsetPx: 41 });
    expect(api.saved).toHaveLength(0);
    vi.advanceTimersByTime(100);
    expect(api.saved).toHaveLength(1);
    const [state] = api.saved;
    expect(state).toEqual({
      screen: 'history',
      openClipId: A,
      queries: {
        pending: EMPTY_QUERY,
        history: { ...EMPTY_QUERY, text: 'clutch', sort: 'oldest' },
      },
      filtersOpen: { pending: false, history: false },
      scroll: { history: { clipId: B, offsetPx: 41 } },
    });
    // What the window sends is what main's contract accepts.
    expect(WindowUiStateSchema.safeParse(state).success).toBe(true);
    memory.stop();
  });

  it('sends what is waiting when the page goes away, and nothing when nothing changed', () => {
    vi.useFakeTimers();
    const ui = createUiStore();
    const api = recordingApi();
    const memory = createWindowMemory(api, ui, undefined, { delayMs: 10_000 });
    memory.flush();
    expect(api.saved).toHaveLength(0);
    ui.getState().screenChosen('settings');
    memory.flush();
    expect(api.saved.map((state) => state.screen)).toEqual(['settings']);
    ui.getState().progressReceived({ items: [] });
    vi.advanceTimersByTime(10_000);
    expect(api.saved).toHaveLength(1);
    memory.stop();
  });

  it('a rebuilt window starts from the restored state, and opens each list there once', async () => {
    const restored: WindowUiState = {
      screen: 'history',
      openClipId: A,
      queries: { pending: EMPTY_QUERY, history: { ...EMPTY_QUERY, text: 'clutch' } },
      filtersOpen: { pending: false, history: true },
      scroll: { history: { clipId: B, offsetPx: 12 } },
    };
    const answer = await restoreWindowState({
      restoreState: () => Promise.resolve({ ok: true, value: restored }),
    });
    const ui = createUiStore(uiFromRestored(answer));
    expect(ui.getState()).toMatchObject({
      screen: 'history',
      openClipId: A,
      queries: restored.queries,
      filtersOpen: { pending: false, history: true },
    });
    const memory = createWindowMemory(recordingApi(), ui, answer);
    expect(memory.restoredScroll('history')).toEqual({ clipId: B, offsetPx: 12 });
    expect(memory.restoredScroll('pending')).toBeUndefined();
    memory.forgetRestoredScroll('history');
    expect(memory.restoredScroll('history')).toBeUndefined();
    memory.stop();
  });

  it('a first window, or a failed bridge, starts as a new window does', async () => {
    expect(
      await restoreWindowState({ restoreState: () => Promise.resolve({ ok: true, value: null }) }),
    ).toBeUndefined();
    expect(
      await restoreWindowState({ restoreState: () => Promise.reject(new Error('gone')) }),
    ).toBeUndefined();
    expect(uiFromRestored(undefined)).toEqual({});
  });
});
