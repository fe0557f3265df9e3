/**
 * Hands the stores to components through context, so tests and previews can render with stores
 * built over a fake API instead of a module-level singleton.
 */
import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { AppState } from './app-store';
import type { ClipsActions, ClipsState } from './clips-store';
import type { Stores } from './connect-stores';
import type { SettingsState, SettingsStore } from './settings-store';
import { createUiStore, type UiState, type UiStore } from './ui-store';

const StoresContext = createContext<Required<Stores> | null>(null);

/** A settings store that never loads, for renders without settings (tests of the list alone). */
function idleSettingsStore(): SettingsStore {
  const idle = () => Promise.resolve();
  return createStore<SettingsState>()(() => ({
    view: undefined,
    error: undefined,
    busy: false,
    load: idle,
    viewReceived: () => undefined,
    changed: () => Promise.resolve(false),
    folderAddRequested: idle,
    folderRemoved: idle,
    tokenEntered: () => Promise.resolve(false),
    tokenCleared: idle,
  }));
}

/** Provides the window's stores to everything below it. */
export function StoresProvider({ stores, children }: { stores: Stores; children: ReactNode }) {
  const complete: Required<Stores> = {
    ...stores,
    ui: stores.ui ?? fallbackUi,
    settings: stores.settings ?? fallbackSettings,
  };
  return <StoresContext value={complete}>{children}</StoresContext>;
}
const fallbackUi: UiStore = createUiStore();
const fallbackSettings: SettingsStore = idleSettingsStore();

function useStores(): Required<Stores> {
  const stores = useContext(StoresContext);
  if (stores === null) throw new Error('useClips/useApp used outside <StoresProvider>.');
  return stores;
}

/** Selects from the clips store; re-renders only when the selected value changes. */
export function useClips<T>(selector: (state: ClipsState) => T): T {
  return useStore(useStores().clips, selector);
}

/** Selects from the app store. */
export function useApp<T>(selector: (state: AppState) => T): T {
  return useStore(useStores().app, selector);
}

/** Selects from the ui store. */
export function useUi<T>(selector: (state: UiState) => T): T {
  return useStore(useStores().ui, selector);
}

/** Selects from the settings store. */
export function useSettings<T>(selector: (state: SettingsState) => T): T {
  return useStore(useStores().settings, selector);
}

/** The clips store's actions, which never change identity, for event handlers. */
export function useClipsActions(): ClipsActions {
  return useStores().clips.getState();
}

/** The ui store's actions. */
export function useUiActions(): UiState {
  return useStores().ui.getState();
}

/** The settings store's actions. */
export function useSettingsActions(): SettingsState {
  return useStores().settings.getState();
}

/** The current ui state without subscribing, for event handlers that need the latest value. */
export function useUiStore(): UiStore {
  return useStores().ui;
}
