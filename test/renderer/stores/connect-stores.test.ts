import { describe, expect, it } from 'vitest';
import type { ClipsChanged, IntakeStatus } from '../../../app/ipc/contract';
import { createAppStore } from '../../../renderer/stores/app-store';
import { createClipsStore } from '../../../renderer/stores/clips-store';
import { connectStores } from '../../../renderer/stores/connect-stores';
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
