/**
 * The app store: what the header shows about the app as a whole (service, watched folders) and
 * the intake status line, from `app:get-status` and `intake:status-changed`.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { errorView, type ErrorView } from '../../app/errors';
import type { CompanionApi } from '../../app/ipc/api';
import type { AppStatus, IntakeStatus } from '../../app/ipc/contract';
import type { IpcResult } from '../../app/ipc/result';

/** The verbs this store needs. */
export interface AppStoreApi {
  readonly app: Pick<CompanionApi['app'], 'getStatus'>;
}

export interface AppData {
  /** Main's answer to `app:get-status`, once it came. */
  readonly status: AppStatus | undefined;
  /**
   * The intake status from the latest push. Kept apart from `status` because a push can arrive
   * before the status answer; the push is then the newer word and must not be overwritten.
   */
  readonly intake: IntakeStatus | undefined;
  readonly request:
    | { readonly phase: 'loading' | 'ready' }
    | { readonly phase: 'failed'; readonly error: ErrorView };
}

export interface AppActions {
  load(): Promise<void>;
  statusReceived(status: AppStatus): void;
  statusLoadFailed(error: ErrorView): void;
  intakeStatusChanged(intake: IntakeStatus): void;
}

export type AppState = AppData & AppActions;
export type AppStore = StoreApi<AppState>;

/** The state before main answered. */
export function initialAppData(): AppData {
  return { status: undefined, intake: undefined, request: { phase: 'loading' } };
}

/** The intake status to show: the latest push, else the one in the status answer. */
export function selectIntake(state: AppData): IntakeStatus | undefined {
  return state.intake ?? state.status?.intake;
}

/** Builds the app store over `api`. */
export function createAppStore(api: AppStoreApi): AppStore {
  return createStore<AppState>()((set, get) => ({
    ...initialAppData(),
    async load() {
      set({ request: { phase: 'loading' } });
      let result: IpcResult<AppStatus>;
      try {
        result = await api.app.getStatus();
      } catch (cause) {
        result = {
          ok: false,
          error: errorView('app/internal', cause instanceof Error ? cause.message : String(cause)),
        };
      }
      if (result.ok) get().statusReceived(result.value);
      else get().statusLoadFailed(result.error);
    },
    statusReceived(status) {
      set({ status, request: { phase: 'ready' } });
    },
    statusLoadFailed(error) {
      set({ request: { phase: 'failed', error } });
    },
    intakeStatusChanged(intake) {
      set({ intake });
    },
  }));
}
