import { describe, expect, it } from 'vitest';
import type { ClipsChanged, IntakeStatus } from '../../../app/ipc/contract';
import { createAppStore } from '../../../renderer/stores/app-store';
import { createClipsStore } from '../../../renderer/stores/clips-store';
import { connectStores } from '../../../renderer/stores/connect-stores';
import { createSettingsStore } from '../../../renderer/stores/settings-store';
import { createUiStore } from '../../../renderer/stores/ui-store';
import { selectIntake } from '../../../renderer/stores/app-store';
import { FakeCompanion, clipView } from '../fixtures';

class FakeEvents {
  clipsListeners = new Set<(delta: ClipsChanged) => void>();
  intakeListeners = new Set<(intake: IntakeStatus) => void>();
  readonly events = {
    onClipsChanged: (listener: (delta: ClipsChanged) => void) => {
      this.clipsListeners.add(listener);
      return () => void this.clipsListeners.delete(listener);
    },
    onIntakeStatusChanged: (listener: (intake: IntakeStatus) => void) => {
      this.intakeListeners.add(listener);
      return () => void this.intakeListeners.delete(listener);
    },
  };
}

describe('connectStores', () => {
  it('subscribes once, loads both stores, routes pushes, and unsubscribes', () => {
    const api = new FakeCompanion();
    const bus = new FakeEvents();
    const stores = { clips: createClipsStore(api), app: createAppStore(api) };
    const disconnect = connectStores(bus, stores);
    expect(bus.clipsListeners.size).toBe(1);
    expect(bus.intakeListeners.size).toBe(1);
    expect(api.listCalls).toHaveLength(1);
    expect(api.statusCalls).toHaveLength(1);

    const clip = clipView();
    for (const listener of bus.clipsListeners) listener({ upserts: [clip], removedIds: [] });
    for (const listener of bus.intakeListeners) listener({ state: 'watching' });
    expect(stores.clips.getState().byId[clip.id]).toBe(clip);
    expect(selectIntake(stores.app.getState())).toEqual({ state: 'watching' });

    disconnect();
    expect(bus.clipsListeners.size).toBe(0);
    expect(bus.intakeListeners.size).toBe(0);
  });
});

describe('connectStores: the window’s other pushes', () => {
  it('routes upload figures, settings, focus requests and thumbnail requests', () => {
    const api = new FakeCompanion();
    type Listener<T> = (payload: T) => void;
    const listeners = new Map<string, Listener<unknown>>();
    const on =
      <T>(name: string) =>
      (listener: Listener<T>) => {
        listeners.set(name, listener as Listener<unknown>);
        return () => void listeners.delete(name);
      };
    const ui = createUiStore();
    const requests: Array<{ clipId: string; offsetMs: number }> = [];
    const settingsViews: unknown[] = [];
    const settings = createSettingsStore({
      settings: {
        get: () => new Promise(() => undefined),
        update: () => new Promise(() => undefined),
        addFolder: () => new Promise(() => undefined),
        removeFolder: () => new Promise(() => undefined),
      },
      account: {
        setToken: () => new Promise(() => undefined),
        clearToken: () => new Promise(() => undefined),
      },
    });
    settings.subscribe((state) => settingsViews.push(state.view));
    const disconnect = connectStores(
      {
        events: {
          onClipsChanged: on('clips'),
          onIntakeStatusChanged: on('intake'),
          onUploadProgressed: on('progress'),
          onSettingsChanged: on('settings'),
          onClipsFocusRequested: on('focus'),
          onClipsThumbnailsRequested: on('thumbnails'),
        },
      },
      { clips: createClipsStore(api), app: createAppStore(api), ui, settings },
      { onThumbnailsRequested: (request) => requests.push(request) },
    );
    expect(listeners.size).toBe(6);
    listeners.get('progress')?.({
      items: [{ clipId: 'c1', sentBytes: 1, totalBytes: 2, bytesPerSecond: 1 }],
    });
    expect(ui.getState().progress.c1?.sentBytes).toBe(1);
    ui.getState().screenChosen('settings');
    listeners.get('focus')?.({ clipId: 'c2' });
    expect(ui.getState().screen).toBe('pending');
    expect(ui.getState().openClipId).toBe('c2');
    listeners.get('thumbnails')?.({ clipId: 'c3', offsetMs: 1500 });
    expect(requests).toEqual([{ clipId: 'c3', offsetMs: 1500 }]);
    const view = { settings: {}, watchedFolders: [], hasAccountToken: false, tokenEncrypted: true };
    listeners.get('settings')?.(view);
    expect(settings.getState().view).toBe(view);
    disconnect();
    expect(listeners.size).toBe(0);
  });
});
