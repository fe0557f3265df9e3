/**
 * Hands the stores to components through context, so tests and previews can render with stores
 * built over a fake API instead of a module-level singleton.
 */
import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { AppState } from './app-store';
import type { ClipsActions, ClipsState } from './clips-store';
import type { Stores } from './connect-stores';

const StoresContext = createContext<Stores | null>(null);

/** Provides the window's stores to everything below it. */
export function StoresProvider({ stores, children }: { stores: Stores; children: ReactNode }) {
  return <StoresContext value={stores}>{children}</StoresContext>;
}

function useStores(): Stores {
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

/** The clips store's actions, which never change identity, for event handlers. */
export function useClipsActions(): ClipsActions {
  return useStores().clips.getState();
}
