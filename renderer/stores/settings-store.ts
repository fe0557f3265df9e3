/**
 * The settings store: main's SettingsView mirrored, and the edits the settings screen makes.
 * Every edit goes to main, which validates, saves and pushes `settings:changed`; the token is
 * sent once and never comes back (the view only says whether one is set).
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { errorView, type ErrorView } from '../../app/errors';
import type { CompanionApi } from '../../app/ipc/api';
import type { SettingsPatch, SettingsView } from '../../app/ipc/contract';
import type { IpcResult } from '../../app/ipc/result';

export interface SettingsStoreApi {
  readonly settings: Pick<
    CompanionApi['settings'],
    'get' | 'update' | 'addFolder' | 'removeFolder'
  >;
  readonly account: Pick<CompanionApi['account'], 'setToken' | 'clearToken'>;
}

export interface SettingsData {
  readonly view: SettingsView | undefined;
  /** The last refusal, shown at the top of the settings screen. */
  readonly error: ErrorView | undefined;
  readonly busy: boolean;
}

export interface SettingsActions {
  load(): Promise<void>;
  viewReceived(view: SettingsView): void;
  changed(patch: SettingsPatch): Promise<boolean>;
  folderAddRequested(): Promise<void>;
  folderRemoved(key: string): Promise<void>;
  tokenEntered(token: string): Promise<boolean>;
  tokenCleared(): Promise<void>;
}

export type SettingsState = SettingsData & SettingsActions;
export type SettingsStore = StoreApi<SettingsState>;

export function createSettingsStore(api: SettingsStoreApi): SettingsStore {
  return createStore<SettingsState>()((set) => {
    async function run(call: () => Promise<IpcResult<SettingsView>>): Promise<boolean> {
      set({ busy: true });
      let result: IpcResult<SettingsView>;
      try {
        result = await call();
      } catch (cause) {
        result = {
          ok: false,
          error: errorView('app/internal', cause instanceof Error ? cause.message : String(cause)),
        };
      }
      if (result.ok) set({ view: result.value, error: undefined, busy: false });
      else set({ error: result.error, busy: false });
      return result.ok;
    }
    return {
      view: undefined,
      error: undefined,
      busy: false,
      load: async () => void (await run(() => api.settings.get())),
      viewReceived: (view) => set({ view }),
      changed: (patch) => run(() => api.settings.update(patch)),
      folderAddRequested: async () => void (await run(() => api.settings.addFolder())),
      folderRemoved: async (key) => void (await run(() => api.settings.removeFolder(key))),
      tokenEntered: (token) => run(() => api.account.setToken(token)),
      tokenCleared: async () => void (await run(() => api.account.clearToken())),
    };
  });
}
