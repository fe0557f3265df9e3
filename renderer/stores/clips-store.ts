/**
 * The clips store: main's clip records mirrored, the user's caption drafts, and saving them.
 *
 * Built by a factory that takes the API so tests pass a fake (architecture.md section 4). State
 * changes go through the pure reducers in `clips-reducers.ts`; this file adds only the effects:
 * loading the list and saving drafts, debounced while typing and flushed when the field is left.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ClipView } from '../../app/clip/views';
import { errorView, type ErrorView } from '../../app/errors';
import type { CompanionApi } from '../../app/ipc/api';
import type { BatchEdit, ClipsChanged, ThumbnailImages } from '../../app/ipc/contract';
import type { IpcResult } from '../../app/ipc/result';
import { afterNextPaint, markStart } from '../perf-marks';
import * as reduce from './clips-reducers';
import type { ClipsData, FieldChoice } from './clips-reducers';

/** The verbs this store needs; the full `window.companion` satisfies it, and so does a fake. */
export interface ClipsStoreApi {
  readonly clips: Pick<
    CompanionApi['clips'],
    | 'list'
    | 'updateDraft'
    | 'send'
    | 'pause'
    | 'resume'
    | 'cancel'
    | 'retry'
    | 'restore'
    | 'locate'
    | 'remove'
    | 'forceDuplicate'
    | 'applyBatch'
    | 'saveThumbnail'
  > &
    Partial<Pick<CompanionApi['clips'], 'openLink' | 'showInFolder' | 'remove'>>;
  readonly history: Pick<CompanionApi['history'], 'clear'>;
  /** A new window's first rows (absent in tests that need none). */
  readonly window?: Pick<CompanionApi['window'], 'firstRows'>;
}

/** Commands that act on clips by id and answer the clips as they now are. */
export type ClipCommand = 'send' | 'pause' | 'resume' | 'cancel' | 'retry' | 'restore' | 'remove';

export interface ClipsStoreOptions {
  /** Quiet time after the last keystroke before a caption is saved. */
  readonly saveDelayMs?: number;
  /** Resolves once the window has painted what the store holds now (tests pass their own). */
  readonly afterPaint?: () => Promise<void>;
}

/** What can happen to the clips store, named for the event rather than the mutation. */
export interface ClipsActions {
  /**
   * Asks main for the whole list (at startup, or when the user retries). A new window asks for
   * the first rows of the list it opens on first, and shows them while the whole list comes.
   */
  load(options?: { readonly firstRows?: boolean }): Promise<void>;
  clipsReceived(list: readonly ClipView[]): void;
  clipsLoadFailed(error: ErrorView): void;
  clipsChanged(delta: ClipsChanged): void;
  /** The user typed; the draft is kept at once and saved after a quiet moment. */
  captionEdited(id: string, text: string): void;
  /** The user left the caption field: save now rather than wait. */
  captionLeft(id: string): Promise<void>;
  draftSaved(id: string, view: ClipView): void;
  draftSaveFailed(id: string, error: ErrorView): void;
  /** Saves every draft still waiting for its debounce, e.g. when the window is closing. */
  flushDrafts(): Promise<void>;
  /** The user chose a visibility or a thumbnail frame: shown at once, saved at once. */
  fieldChosen(id: string, choice: FieldChoice): Promise<void>;
  /** Send, pause, resume, cancel or retry; captions typed are saved first so none is lost. */
  commandRequested(command: ClipCommand, ids: readonly string[]): Promise<void>;
  /** Locate a missing clip's file through main's dialog. */
  located(id: string): Promise<void>;
  /** Keep a clip refused as a duplicate. */
  duplicateKept(id: string): Promise<void>;
  /** The user asked to open a published clip's link: main opens the service's link by id. */
  linkOpened(id: string): Promise<void>;
  /** "Show in folder" on a row: main shows the clip's own file, named by id (issue 15, item 1). */
  fileShown(id: string): Promise<void>;
  /** "Remove from list" on a refused or missing row: the file stays on disk. */
  clipRemoved(id: string): Promise<void>;
  /** A caption template and/or visibility for many clips. */
  batchApplied(ids: readonly string[], edit: BatchEdit): Promise<ErrorView | undefined>;
  /** Removes finished clips from the list (never files); answers how many. */
  historyCleared(): Promise<number | ErrorView>;
  /** The window rendered the chosen frame's PNGs: hand them to main for the upload. */
  thumbnailRendered(id: string, images: ThumbnailImages): Promise<ErrorView | undefined>;
}

export type ClipsState = ClipsData & ClipsActions;
export type ClipsStore = StoreApi<ClipsState>;

/** The wait that makes one save out of a burst of keystrokes without feeling laggy. */
export const CAPTION_SAVE_DELAY_MS = 400;

function bridgeError(cause: unknown): ErrorView {
  // The envelope never throws by contract; a rejection means the bridge itself failed.
  return errorView('app/internal', cause instanceof Error ? cause.message : String(cause));
}

async function answer<T>(call: () => Promise<IpcResult<T>>): Promise<IpcResult<T>> {
  try {
    return await call();
  } catch (cause) {
    return { ok: false, error: bridgeError(cause) };
  }
}

function omit<T>(record: Readonly<Record<string, T>>, ids: readonly string[]): Record<string, T> {
  const copy = { ...record };
  for (const id of ids) delete copy[id];
  return copy;
}

/** Builds a clips store that talks to main through `api`. */
export function createClipsStore(api: ClipsStoreApi, options: ClipsStoreOptions = {}): ClipsStore {
  const delay = options.saveDelayMs ?? CAPTION_SAVE_DELAY_MS;
  const afterPaint = options.afterPaint ?? afterNextPaint;
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  const inFlight = new Map<string, Promise<void>>();
  // Saves asked for while one was out; sent when it returns, so saves of a clip never overlap
  // and main sees the captions in the order they were typed.
  const queued = new Set<string>();

  return createStore<ClipsState>()((set, get) => {
    function cancelTimer(id: string): void {
      const timer = timers.get(id);
      if (timer !== undefined) clearTimeout(timer);
      timers.delete(id);
    }

    function saveNow(id: string): Promise<void> {
      cancelTimer(id);
      const running = inFlight.get(id);
      if (running !== undefined) {
        queued.add(id);
        return running;
      }
      const caption = get().drafts[id];
      if (caption === undefined) return Promise.resolve();
      set((state) => reduce.draftSaveStarted(state, id, caption));
      const request = (async () => {
        let result: IpcResult<ClipView>;
        try {
          result = await api.clips.updateDraft(id, { caption });
        } catch (cause) {
          result = { ok: false, error: bridgeError(cause) };
        }
        if (result.ok) get().draftSaved(id, result.value);
        else get().draftSaveFailed(id, result.error);
      })().finally(() => {
        inFlight.delete(id);
        if (queued.delete(id)) void saveNow(id);
      });
      inFlight.set(id, request);
      return request;
    }

    return {
      ...reduce.initialClipsData(),

      async load(options) {
        set((state) => reduce.clipsLoadStarted(state));
        markStart('clips-asked');
        // The first rows are answered before the whole list is asked for, so building and
        // sending 10,000 clips in main never holds back the few rows the window shows first.
        const askFirstRows = api.window?.firstRows;
        if (options?.firstRows === true && askFirstRows) {
          const rows = await answer(() => askFirstRows());
          markStart('first-rows-received');
          const first = rows.ok ? rows.value : null;
          if (first !== null && first.clips.length > 0) {
            set((state) => reduce.firstRowsReceived(state, first));
            // Taking in the whole list (3 MB with 10,000 clips) keeps the page busy: the first
            // rows are painted before it is asked for.
            await afterPaint();
          }
        }
        const result = await answer(() => api.clips.list());
        markStart('clips-received');
        if (result.ok) get().clipsReceived(result.value);
        else get().clipsLoadFailed(result.error);
      },
      clipsReceived(list) {
        set((state) => reduce.clipsReceived(state, list));
      },
      clipsLoadFailed(error) {
        set((state) => reduce.clipsLoadFailed(state, error));
      },
      clipsChanged(delta) {
        for (const id of delta.removedIds) cancelTimer(id);
        set((state) => reduce.clipsChanged(state, delta));
      },
      captionEdited(id, text) {
        const before = get();
        set((state) => reduce.captionEdited(state, id, text));
        if (get() === before) return;
        cancelTimer(id);
        timers.set(
          id,
          setTimeout(() => {
            timers.delete(id);
            void saveNow(id);
          }, delay),
        );
      },
      captionLeft(id) {
        const waiting = timers.has(id) || get().saves[id]?.phase === 'failed';
        return waiting ? saveNow(id) : (inFlight.get(id) ?? Promise.resolve());
      },
      draftSaved(id, view) {
        set((state) => reduce.draftSaved(state, id, view));
      },
      draftSaveFailed(id, error) {
        set((state) => reduce.draftSaveFailed(state, id, error));
      },
      async flushDrafts() {
        await Promise.all([...timers.keys()].map((id) => saveNow(id)));
      },
      async fieldChosen(id, choice) {
        set((state) => reduce.fieldChosen(state, id, choice));
        const result = await answer(() => api.clips.updateDraft(id, choice));
        if (result.ok) set((state) => reduce.fieldSaved(state, id, result.value));
        else set((state) => reduce.fieldSaveFailed(state, id, result.error));
      },
      async commandRequested(command, ids) {
        if (ids.length === 0) return;
        // A Send must carry the caption just typed, not the one main had a moment ago.
        await Promise.all(ids.filter((id) => timers.has(id)).map((id) => saveNow(id)));
        const result = await answer(() => api.clips[command]([...ids]));
        if (result.ok && command === 'remove') {
          const removedIds = result.value.map((view) => view.id);
          set((state) => reduce.clipsChanged(state, { upserts: [], removedIds }));
        } else if (result.ok) set((state) => reduce.commandSucceeded(state, result.value));
        else set((state) => reduce.commandFailed(state, ids, result.error));
      },
      async located(id) {
        const result = await answer(() => api.clips.locate(id));
        if (result.ok) set((state) => reduce.commandSucceeded(state, result.value));
        else set((state) => reduce.commandFailed(state, [id], result.error));
      },
      async duplicateKept(id) {
        const result = await answer(() => api.clips.forceDuplicate(id));
        if (result.ok) set((state) => reduce.commandSucceeded(state, [result.value]));
        else set((state) => reduce.commandFailed(state, [id], result.error));
      },
      async linkOpened(id) {
        const open = api.clips.openLink;
        if (open === undefined) return;
        const result = await answer(() => open(id));
        if (!result.ok) set((state) => reduce.commandFailed(state, [id], result.error));
      },
      async fileShown(id) {
        const show = api.clips.showInFolder;
        if (show === undefined) return;
        const result = await answer(() => show(id));
        if (!result.ok) set((state) => reduce.commandFailed(state, [id], result.error));
      },
      async clipRemoved(id) {
        await get().commandRequested('remove', [id]);
      },
      async batchApplied(ids, edit) {
        if (ids.length === 0) return undefined;
        const result = await answer(() => api.clips.applyBatch([...ids], edit));
        if (!result.ok) return result.error;
        // Main rewrote these captions: a stale local draft must not overwrite them later.
        for (const view of result.value) cancelTimer(view.id);
        set((state) =>
          reduce.commandSucceeded(
            edit.captionTemplate === undefined
              ? state
              : {
                  ...state,
                  drafts: omit(
                    state.drafts,
                    result.value.map((view) => view.id),
                  ),
                },
            result.value,
          ),
        );
        return undefined;
      },
      async thumbnailRendered(id, images) {
        const result = await answer(() => api.clips.saveThumbnail(id, images));
        if (!result.ok) return result.error;
        set((state) => reduce.commandSucceeded(state, [result.value]));
        return undefined;
      },
      async historyCleared() {
        const result = await answer(() => api.history.clear());
        if (!result.ok) return result.error;
        await get().load();
        return result.value;
      },
    };
  });
}
