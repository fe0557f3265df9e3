import { describe, expect, it } from 'vitest';
import type { SettingsPatch, SettingsView } from '../../../app/ipc/contract';
import type { IpcResult } from '../../../app/ipc/result';
import { defaultSettings } from '../../../app/settings';
import { createSettingsStore } from '../../../renderer/stores/settings-store';
import { errorOf } from '../fixtures';

function view(overrides: Partial<SettingsView> = {}): SettingsView {
  const { watchedFolders: _folders, ...settings } = defaultSettings('/videos');
  return {
    settings,
    watchedFolders: [{ key: 'k1', path: '/videos' }],
    hasAccountToken: false,
    tokenEncrypted: true,
    ...overrides,
  };
}

describe('createSettingsStore', () => {
  it('loads, sends each change to main and mirrors its answer', async () => {
    const patches: SettingsPatch[] = [];
    const store = createSettingsStore({
      settings: {
        get: () => Promise.resolve({ ok: true, value: view() }),
        update: (patch) => {
          patches.push(patch);
          return Promise.resolve({
            ok: true,
            value: view({ settings: { ...view().settings, language: 'zh-TW' } }),
          });
        },
        addFolder: () => Promise.resolve({ ok: true, value: view() }),
        removeFolder: () => Promise.resolve({ ok: true, value: view({ watchedFolders: [] }) }),
      },
      account: {
        setToken: () => Promise.resolve({ ok: true, value: view({ hasAccountToken: true }) }),
        clearToken: () => Promise.resolve({ ok: true, value: view() }),
      },
    });
    await store.getState().load();
    expect(store.getState().view?.watchedFolders).toHaveLength(1);
    expect(await store.getState().changed({ language: 'zh-TW' })).toBe(true);
    expect(patches).toEqual([{ language: 'zh-TW' }]);
    expect(store.getState().view?.settings.language).toBe('zh-TW');
    await store.getState().folderRemoved('k1');
    expect(store.getState().view?.watchedFolders).toEqual([]);
    expect(await store.getState().tokenEntered('XBL3.0 x=1;token')).toBe(true);
    expect(store.getState().view?.hasAccountToken).toBe(true);
  });

  it('keeps the last view and shows the refusal', async () => {
    const refuse = (): Promise<IpcResult<SettingsView>> =>
      Promise.resolve({ ok: false, error: errorOf('not valid') });
    const store = createSettingsStore({
      settings: { get: refuse, update: refuse, addFolder: refuse, removeFolder: refuse },
      account: { setToken: refuse, clearToken: refuse },
    });
    store.getState().viewReceived(view());
    expect(await store.getState().tokenEntered('bad')).toBe(false);
    expect(store.getState().error?.message).toBe('not valid');
    expect(store.getState().view).toBeDefined();
  });
});
