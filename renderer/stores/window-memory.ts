/**
 * The window's memory across a close to the tray. Closing the window destroys its renderer
 * (quality-bars.md P7), so the window reports how it is being used (screen, open clip, each
 * list's search and filters, and where each list is scrolled) to main as it changes, and the
 * window built again starts from main's copy (app/ipc/window-ui-state.ts).
 *
 * Reports are coalesced: one IPC message per quiet moment, not one per scroll event.
 */
import { createContext, useContext } from 'react';
import type { ListScroll, WindowUiState } from '../../app/ipc/window-ui-state';
import type { IpcResult } from '../../app/ipc/result';
import type { ListName, UiData, UiStore } from './ui-store';

/** The preload's verbs for it (`window.companion.window`). */
export interface WindowMemoryApi {
  saveState(state: WindowUiState): Promise<IpcResult<true>>;
  restoreState(): Promise<IpcResult<WindowUiState | null>>;
}

export interface WindowMemory {
  /** A list was scrolled: the first clip in view and how far past its top. */
  scrolled(list: ListName, scroll: ListScroll | undefined): void;
  /** Where a list was when the last window closed: the list opens there, once. */
  restoredScroll(list: ListName): ListScroll | undefined;
  /** The list has opened (there or elsewhere): later mounts of it start at the top. */
  forgetRestoredScroll(list: ListName): void;
  /** Sends what is waiting now (the page is going away). */
  flush(): void;
  stop(): void;
}

/** The quiet time before a report: a scroll or a burst of typing becomes one message. */
export const REPORT_DELAY_MS = 150;

/**
 * Asks main for the last window's state. The ui store is then built from it (`uiFromRestored`),
 * before the first render, so the window opens where the user left it without a flash.
 */
export async function restoreWindowState(
  api: Pick<WindowMemoryApi, 'restoreState'>,
): Promise<WindowUiState | undefined> {
  try {
    const answer = await api.restoreState();
    return answer.ok ? (answer.value ?? undefined) : undefined;
  } catch {
    return undefined;
  }
}

/** The ui store's starting data from a restored state. */
export function uiFromRestored(state: WindowUiState | undefined): Partial<UiData> {
  if (!state) return {};
  return {
    screen: state.screen,
    openClipId: state.openClipId,
    queries: state.queries,
    ...(state.filtersOpen ? { filtersOpen: state.filtersOpen } : {}),
  };
}

export function createWindowMemory(
  api: Pick<WindowMemoryApi, 'saveState'>,
  ui: UiStore,
  restored: WindowUiState | undefined,
  options: { readonly delayMs?: number } = {},
): WindowMemory {
  const scroll: Partial<Record<ListName, ListScroll>> = { ...restored?.scroll };
  const toRestore: Partial<Record<ListName, ListScroll>> = { ...restored?.scroll };
  let timer: ReturnType<typeof setTimeout> | undefined;

  const current = (): WindowUiState => {
    const state = ui.getState();
    return {
      screen: state.screen,
      ...(state.openClipId !== undefined ? { openClipId: state.openClipId } : {}),
      queries: state.queries,
      filtersOpen: state.filtersOpen,
      scroll: { ...scroll },
    };
  };
  const send = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    void api.saveState(current()).catch(() => undefined);
  };
  const schedule = () => {
    timer ??= setTimeout(send, options.delayMs ?? REPORT_DELAY_MS);
  };
  const unsubscribe = ui.subscribe((next, previous) => {
    if (
      next.screen !== previous.screen ||
      next.openClipId !== previous.openClipId ||
      next.queries !== previous.queries ||
      next.filtersOpen !== previous.filtersOpen
    )
      schedule();
  });
  return {
    scrolled(list, position) {
      const before = scroll[list];
      if (before?.clipId === position?.clipId && before?.offsetPx === position?.offsetPx) return;
      if (position) scroll[list] = position;
      else delete scroll[list];
      schedule();
    },
    restoredScroll: (list) => toRestore[list],
    forgetRestoredScroll(list) {
      delete toRestore[list];
    },
    flush() {
      if (timer !== undefined) send();
    },
    stop() {
      unsubscribe();
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
  };
}

const WindowMemoryContext = createContext<WindowMemory | undefined>(undefined);

/** Provides the window memory to the lists (absent in tests and previews: nothing is kept). */
export const WindowMemoryProvider = WindowMemoryContext.Provider;

export function useWindowMemory(): WindowMemory | undefined {
  return useContext(WindowMemoryContext);
}
