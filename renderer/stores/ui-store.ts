/**
 * The small `ui` store: which screen is shown, which clip is open in the editor, which clips are
 * selected for a batch, live upload figures, and what became of the last drop. None of it is
 * main's truth; all of it is how the window is being used right now.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { EMPTY_QUERY, panelFilterCount, type ClipQuery } from '../../app/clip/clip-query';
import { errorView, type ErrorView } from '../../app/errors';
import type { IpcResult } from '../../app/ipc/result';
import type {
  AddClipsKind,
  RegisterOutcome,
  UploadProgressBatch,
  UploadProgressItem,
} from '../../app/ipc/contract';

export type Screen = 'pending' | 'history' | 'settings';

/** The lists that can be searched, filtered and sorted. */
export type ListName = 'pending' | 'history';

/** One line of drop feedback. */
export interface DropFeedback {
  readonly id: number;
  readonly outcomes: readonly RegisterOutcome[];
  readonly error?: ErrorView;
}

export interface UiData {
  readonly screen: Screen;
  /** The clip open in the editor. */
  readonly openClipId: string | undefined;
  /** Selected clip ids for batch actions. */
  readonly selected: Readonly<Record<string, true>>;
  /** Where the last plain or ctrl click was, for shift-click ranges. */
  readonly anchorId: string | undefined;
  /** Latest upload figures by clip id (bytes, rate, ETA): not worth a ledger write. */
  readonly progress: Readonly<Record<string, UploadProgressItem>>;
  /** Whether files are being dragged over the window. */
  readonly dragging: boolean;
  /** The drops of this session, newest first. */
  readonly drops: readonly DropFeedback[];
  /** Search, filters and sort of each list: kept while the app runs, per list. */
  readonly queries: Readonly<Record<ListName, ClipQuery>>;
  /** Whether each list's filter panel is open: kept while the app runs, like the queries. */
  readonly filtersOpen: Readonly<Record<ListName, boolean>>;
}

export interface UiActions {
  screenChosen(screen: Screen): void;
  clipOpened(id: string | undefined): void;
  /**
   * A selection click. `range` (shift) selects from the anchor to `id` in `order`; `toggle`
   * (ctrl/cmd or the checkbox) flips one; otherwise the selection becomes `id` alone.
   */
  selectionClicked(id: string, mode: 'toggle' | 'range' | 'only', order: readonly string[]): void;
  allSelected(ids: readonly string[]): void;
  selectionCleared(): void;
  progressReceived(batch: UploadProgressBatch): void;
  draggingChanged(dragging: boolean): void;
  dropAnswered(outcomes: readonly RegisterOutcome[], error?: ErrorView): void;
  dropDismissed(id: number): void;
  queryChanged(list: ListName, change: Partial<ClipQuery>): void;
  /** Clears the filters and the search of a list; its sort order stays. */
  filtersCleared(list: ListName): void;
  filtersToggled(list: ListName): void;
  /** Files were dropped on the window: register them through the preload. */
  filesDropped(files: readonly File[]): Promise<void>;
  /** "Add clips..." was pressed: main's dialog, then the same answers as a drop. */
  addClipsRequested(kind: AddClipsKind): Promise<void>;
}

/** The preload's drop verb (see renderer/global.d.ts), and "Add clips..." through main's dialog. */
export interface DropPort {
  registerFiles(files: readonly File[]): Promise<IpcResult<readonly RegisterOutcome[]>>;
  addFiles?(kind: AddClipsKind): Promise<IpcResult<readonly RegisterOutcome[]>>;
}

export type UiState = UiData & UiActions;
export type UiStore = StoreApi<UiState>;

export function initialUiData(): UiData {
  return {
    screen: 'pending',
    openClipId: undefined,
    selected: {},
    anchorId: undefined,
    progress: {},
    dragging: false,
    drops: [],
    queries: { pending: EMPTY_QUERY, history: EMPTY_QUERY },
    filtersOpen: { pending: false, history: false },
  };
}

/** Pure: the selection after a click. */
export function selectionAfterClick(
  data: Pick<UiData, 'selected' | 'anchorId'>,
  id: string,
  mode: 'toggle' | 'range' | 'only',
  order: readonly string[],
): Pick<UiData, 'selected' | 'anchorId'> {
  if (mode === 'range' && data.anchorId !== undefined) {
    const from = order.indexOf(data.anchorId);
    const to = order.indexOf(id);
    if (from !== -1 && to !== -1) {
      const selected: Record<string, true> = { ...data.selected };
      for (let index = Math.min(from, to); index <= Math.max(from, to); index += 1)
        selected[order[index] as string] = true;
      return { selected, anchorId: data.anchorId };
    }
  }
  if (mode === 'only') return { selected: { [id]: true }, anchorId: id };
  const selected: Record<string, true> = { ...data.selected };
  if (selected[id]) delete selected[id];
  else selected[id] = true;
  return { selected, anchorId: id };
}

let nextDropId = 1;

export function createUiStore(initial: Partial<UiData> = {}, drop?: DropPort): UiStore {
  return createStore<UiState>()((set, get) => ({
    ...initialUiData(),
    ...initial,
    // Each screen starts without an open editor, so a clip opened elsewhere does not linger.
    screenChosen: (screen) =>
      set((state) => (state.screen === screen ? state : { screen, openClipId: undefined })),
    clipOpened: (openClipId) => set({ openClipId }),
    selectionClicked: (id, mode, order) =>
      set((state) => selectionAfterClick(state, id, mode, order)),
    allSelected: (ids) =>
      set({ selected: Object.fromEntries(ids.map((id) => [id, true] as const)), anchorId: ids[0] }),
    selectionCleared: () => set({ selected: {}, anchorId: undefined }),
    progressReceived: (batch) =>
      set((state) => {
        const progress = { ...state.progress };
        for (const item of batch.items) progress[item.clipId] = item;
        return { progress };
      }),
    draggingChanged: (dragging) =>
      set((state) => (state.dragging === dragging ? state : { dragging })),
    dropAnswered: (outcomes, error) =>
      set((state) => ({
        drops: [{ id: nextDropId++, outcomes, ...(error ? { error } : {}) }, ...state.drops].slice(
          0,
          5,
        ),
      })),
    queryChanged: (list, change) =>
      set((state) => {
        const query = { ...state.queries[list], ...change };
        // A filter set from elsewhere (the refusal notice opens History on "Not added") opens
        // the panel, so the user sees why the list is narrowed and can undo it.
        const opened = panelFilterCount(query) > panelFilterCount(state.queries[list]);
        return {
          queries: { ...state.queries, [list]: query },
          ...(opened && !state.filtersOpen[list]
            ? { filtersOpen: { ...state.filtersOpen, [list]: true } }
            : {}),
        };
      }),
    filtersToggled: (list) =>
      set((state) => ({
        filtersOpen: { ...state.filtersOpen, [list]: !state.filtersOpen[list] },
      })),
    filtersCleared: (list) =>
      set((state) => ({
        queries: { ...state.queries, [list]: { ...EMPTY_QUERY, sort: state.queries[list].sort } },
      })),
    dropDismissed: (id) =>
      set((state) => ({ drops: state.drops.filter((item) => item.id !== id) })),
    async filesDropped(files) {
      set({ dragging: false });
      if (files.length === 0 || drop === undefined) return;
      let result: IpcResult<readonly RegisterOutcome[]>;
      try {
        result = await drop.registerFiles(files);
      } catch (cause) {
        result = {
          ok: false,
          error: errorView('app/internal', cause instanceof Error ? cause.message : String(cause)),
        };
      }
      if (result.ok) get().dropAnswered(result.value);
      else get().dropAnswered([], result.error);
    },
    async addClipsRequested(kind) {
      if (drop?.addFiles === undefined) return;
      let result: IpcResult<readonly RegisterOutcome[]>;
      try {
        result = await drop.addFiles(kind);
      } catch (cause) {
        result = {
          ok: false,
          error: errorView('app/internal', cause instanceof Error ? cause.message : String(cause)),
        };
      }
      // A cancelled dialog answers nothing and shows nothing.
      if (result.ok && result.value.length > 0) get().dropAnswered(result.value);
      else if (!result.ok) get().dropAnswered([], result.error);
    },
  }));
}
