/**
 * Wires main's pushes into the stores and asks for the first state. Called once at startup, not
 * from components, so a re-render can never add or drop a subscription (architecture.md 4).
 */
import type { CompanionApi } from '../../app/ipc/api';
import type { AppStore } from './app-store';
import type { ClipsStore } from './clips-store';
import type { SettingsStore } from './settings-store';
import type { UiStore } from './ui-store';

/** Every store of the window. */
export interface Stores {
  readonly clips: ClipsStore;
  readonly app: AppStore;
  readonly settings?: SettingsStore;
  readonly ui?: UiStore;
}

/** The pushes the stores follow. */
type StoreEvents = Pick<CompanionApi['events'], 'onClipsChanged' | 'onIntakeStatusChanged'> &
  Partial<
    Pick<
      CompanionApi['events'],
      | 'onUploadProgressed'
      | 'onSettingsChanged'
      | 'onClipsFocusRequested'
      | 'onClipsThumbnailsRequested'
      | 'onClipsFilesAdded'
    >
  >;

export interface ConnectOptions {
  /** A new window: the first rows of the list it opens on are shown before the whole list. */
  readonly firstRows?: boolean;
  /** Main asked for a clip's thumbnails: render the frame and answer with clips:save-thumbnail. */
  readonly onThumbnailsRequested?: (request: { clipId: string; offsetMs: number }) => void;
}

/**
 * Subscribes before loading, so no change made between the answer and the subscription is lost;
 * the reducers settle any overlap by `updatedAt`. Returns the unsubscribe.
 */
export function connectStores(
  api: { readonly events: StoreEvents },
  stores: Stores,
  options: ConnectOptions = {},
): () => void {
  const { events } = api;
  const unsubscribers = [
    events.onClipsChanged((delta) => stores.clips.getState().clipsChanged(delta)),
    events.onIntakeStatusChanged((intake) => stores.app.getState().intakeStatusChanged(intake)),
  ];
  const { ui, settings } = stores;
  if (ui && events.onUploadProgressed)
    unsubscribers.push(events.onUploadProgressed((batch) => ui.getState().progressReceived(batch)));
  if (ui && events.onClipsFocusRequested)
    unsubscribers.push(
      events.onClipsFocusRequested(({ clipId }) => {
        ui.getState().screenChosen('pending');
        ui.getState().clipOpened(clipId);
      }),
    );
  // Files added from the File menu get the same per-file answers as a drop.
  if (ui && events.onClipsFilesAdded)
    unsubscribers.push(
      events.onClipsFilesAdded(({ outcomes }) => ui.getState().dropAnswered(outcomes)),
    );
  if (settings && events.onSettingsChanged)
    unsubscribers.push(events.onSettingsChanged((view) => settings.getState().viewReceived(view)));
  if (options.onThumbnailsRequested && events.onClipsThumbnailsRequested)
    unsubscribers.push(events.onClipsThumbnailsRequested(options.onThumbnailsRequested));
  void stores.clips.getState().load({ firstRows: options.firstRows === true });
  void stores.app.getState().load();
  if (settings) void settings.getState().load();
  return () => {
    for (const unsubscribe of unsubscribers) unsubscribe();
  };
}
