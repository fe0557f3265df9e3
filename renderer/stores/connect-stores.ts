/**
 * Wires main's pushes into the stores and asks for the first state. Called once at startup, not
 * from components, so a re-render can never add or drop a subscription (architecture.md 4).
 */
import type { CompanionApi } from '../../app/ipc/api';
import type { AppStore } from './app-store';
import type { ClipsStore } from './clips-store';

/** Every store of the window. */
export interface Stores {
  readonly clips: ClipsStore;
  readonly app: AppStore;
}

/**
 * Subscribes before loading, so no change made between the answer and the subscription is lost;
 * the reducers settle any overlap by `updatedAt`. Returns the unsubscribe.
 */
/** The pushes the stores follow; the rest of `companion.events` is for the features that need it. */
type StoreEvents = Pick<CompanionApi['events'], 'onClipsChanged' | 'onIntakeStatusChanged'>;

export function connectStores(api: { readonly events: StoreEvents }, stores: Stores): () => void {
  const unsubscribers = [
    api.events.onClipsChanged((delta) => stores.clips.getState().clipsChanged(delta)),
    api.events.onIntakeStatusChanged((intake) => stores.app.getState().intakeStatusChanged(intake)),
  ];
  void stores.clips.getState().load();
  void stores.app.getState().load();
  return () => {
    for (const unsubscribe of unsubscribers) unsubscribe();
  };
}
