import { describe, expect, it } from 'vitest';
import type { AppStatus } from '../../../app/ipc/contract';
import { createAppStore, selectIntake } from '../../../renderer/stores/app-store';
import { FakeCompanion, errorOf } from '../fixtures';

const status: AppStatus = {
  version: '0.1.0',
  service: {
    kind: 'sandbox',
    baseUrl: 'http://127.0.0.1:5050',
    hasAccount: true,
    tokenEncrypted: true,
  },
  watchedFolders: ['Captures'],
  intake: { state: 'starting' },
  uploadsPaused: false,
};

describe('createAppStore', () => {
  it('holds the status main answers', async () => {
    const api = new FakeCompanion();
    const store = createAppStore(api);
    const loading = store.getState().load();
    api.statusCalls[0]?.resolve({ ok: true, value: status });
    await loading;
    expect(store.getState().status).toBe(status);
    expect(selectIntake(store.getState())).toEqual({ state: 'starting' });
  });

  it('follows intake pushes, even one that beats the status answer', async () => {
    const api = new FakeCompanion();
    const store = createAppStore(api);
    const loading = store.getState().load();
    store.getState().intakeStatusChanged({ state: 'watching' });
    api.statusCalls[0]?.resolve({ ok: true, value: status });
    await loading;
    expect(selectIntake(store.getState())).toEqual({ state: 'watching' });
    store.getState().intakeStatusChanged({ state: 'error', message: 'Folder gone' });
    expect(selectIntake(store.getState())).toEqual({ state: 'error', message: 'Folder gone' });
  });

  it('keeps the reason when the status cannot be read', async () => {
    const api = new FakeCompanion();
    const store = createAppStore(api);
    const loading = store.getState().load();
    api.statusCalls[0]?.resolve({ ok: false, error: errorOf('nope') });
    await loading;
    expect(store.getState().request).toMatchObject({ phase: 'failed', error: { message: 'nope' } });
  });
});
