import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SettingsView } from '../../../app/ipc/contract';
import { defaultSettings, SettingsSchema } from '../../../app/settings';
import type { TokenStore } from '../../../main/account/token-store';
import type { Logger } from '../../../main/util/logger';
import { folderKey, SettingsService } from '../../../main/settings/settings-service';
import { loadSettings } from '../../../main/settings/settings-store';
import { tempDir } from '../../support/clips';

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** A small in-memory TokenStore; `encrypted` plays an OS with or without encryption. */
function memoryTokens(encrypted: boolean): TokenStore & { value: string | undefined } {
  const store = {
    value: undefined as string | undefined,
    read: () => Promise.resolve(store.value),
    write: (token: string) => {
      store.value = token;
      return Promise.resolve();
    },
    clear: () => {
      store.value = undefined;
      return Promise.resolve();
    },
    hasToken: () => Promise.resolve(store.value !== undefined),
    isEncrypted: () => Promise.resolve(encrypted),
  };
  return store;
}

describe('SettingsService', () => {
  let home: Awaited<ReturnType<typeof tempDir>>;
  let videos: string;
  let changes: SettingsView[];
  let folderChanges: (readonly string[])[];
  let chosen: string | undefined;
  let tokens: ReturnType<typeof memoryTokens>;

  function service(encrypted = true): SettingsService {
    tokens = memoryTokens(encrypted);
    return new SettingsService({
      userDataDir: home.dir,
      initial: defaultSettings(videos),
      tokens,
      logger: quiet,
      chooseFolder: () => Promise.resolve(chosen),
      onChanged: (view) => changes.push(view),
      onFoldersChanged: (folders) => folderChanges.push(folders),
    });
  }

  beforeEach(async () => {
    home = await tempDir('gc-settings-');
    videos = path.join(home.dir, 'Videos');
    await mkdir(videos);
    changes = [];
    folderChanges = [];
    chosen = undefined;
  });
  afterEach(() => home.cleanup());

  async function onDisk() {
    return SettingsSchema.parse(
      JSON.parse(await readFile(path.join(home.dir, 'settings.json'), 'utf8')),
    );
  }

  it('merges a patch, saves it atomically and announces it', async () => {
    const settings = service();
    const result = await settings.update({
      defaults: { visibility: 'Public', captionTemplate: '{file} {date}' },
      uploads: { bandwidthCapBytesPerSecond: 2_000_000 },
      desktop: { notifications: { published: false } },
      language: 'zh-TW',
    });
    expect(result.ok).toBe(true);
    const saved = await onDisk();
    expect(saved.defaults).toMatchObject({
      visibility: 'Public',
      captionTemplate: '{file} {date}',
    });
    expect(saved.defaults.savedByUser).toBe(false);
    expect(saved.uploads).toEqual({ parallelBlocks: 4, bandwidthCapBytesPerSecond: 2_000_000 });
    expect(saved.desktop.notifications).toEqual({
      reserved: true,
      blocked: true,
      published: false,
      failed: true,
    });
    expect(saved.language).toBe('zh-TW');
    expect(changes).toHaveLength(1);
    expect(changes[0]?.settings.language).toBe('zh-TW');
    // A fresh load reads what was saved: the file is complete and valid.
    expect((await loadSettings(home.dir, undefined, quiet)).language).toBe('zh-TW');
  });

  it('keeps two quick edits in order on disk', async () => {
    const settings = service();
    await Promise.all([
      settings.update({ uploads: { parallelBlocks: 2 } }),
      settings.update({ uploads: { parallelBlocks: 7 } }),
    ]);
    expect((await onDisk()).uploads.parallelBlocks).toBe(7);
    expect(settings.current().uploads.parallelBlocks).toBe(7);
  });

  it('adds a folder only through the dialog, and tells intake', async () => {
    const settings = service();
    const games = path.join(home.dir, 'Games');
    await mkdir(games);
    chosen = undefined;
    const cancelled = await settings.addFolder();
    expect(cancelled.ok && cancelled.value.watchedFolders.map((f) => f.path)).toEqual([videos]);
    expect(folderChanges).toHaveLength(0);

    chosen = games;
    const added = await settings.addFolder();
    expect(added.ok && added.value.watchedFolders.map((f) => f.path)).toEqual([videos, games]);
    expect(folderChanges).toEqual([[videos, games]]);
    expect((await onDisk()).watchedFolders).toEqual([videos, games]);

    // The same folder twice is one folder.
    await settings.addFolder();
    expect(settings.current().watchedFolders).toEqual([videos, games]);

    chosen = path.join(home.dir, 'gone');
    const missing = await settings.addFolder();
    expect(missing.ok).toBe(false);
  });

  it('removes a folder by its key', async () => {
    const settings = service();
    const removed = await settings.removeFolder(folderKey(videos));
    expect(removed.ok && removed.value.watchedFolders).toEqual([]);
    expect(folderChanges).toEqual([[]]);
    const unknown = await settings.removeFolder('no-such-key');
    expect(unknown.ok && unknown.value.watchedFolders).toEqual([]);
    expect(folderChanges).toHaveLength(1);
  });

  it('writes the token through the store and only ever says whether one is set', async () => {
    const settings = service(false);
    const token = 'XBL3.0 x=123;secret-token-value';
    const result = await settings.setToken(token);
    expect(tokens.value).toBe(token);
    expect(result.ok && result.value.hasAccountToken).toBe(true);
    expect(result.ok && result.value.tokenEncrypted).toBe(false);
    expect(JSON.stringify(result)).not.toContain('secret-token-value');
    expect(JSON.stringify(changes)).not.toContain('secret-token-value');
    expect(
      await readFile(path.join(home.dir, 'settings.json'), 'utf8').catch(() => ''),
    ).not.toContain('secret-token-value');
    const cleared = await settings.clearToken();
    expect(cleared.ok && cleared.value.hasAccountToken).toBe(false);
    expect(tokens.value).toBeUndefined();
  });

  it('switches the service to a custom URL and back', async () => {
    const settings = service();
    const scid = '8d2f0c0e-1a8c-4a0e-9b6e-0d7f8c2a1b3c';
    await settings.update({ service: { kind: 'custom', baseUrl: 'https://clips.example', scid } });
    expect((await onDisk()).service).toEqual({
      kind: 'custom',
      baseUrl: 'https://clips.example',
      scid,
    });
    await settings.update({ service: { kind: 'sandbox' } });
    expect((await onDisk()).service).toEqual({ kind: 'sandbox' });
  });

  it('answers a failed save with an error and keeps the settings it had', async () => {
    const settings = new SettingsService({
      userDataDir: home.dir,
      initial: defaultSettings(videos),
      tokens: memoryTokens(true),
      logger: quiet,
      chooseFolder: () => Promise.resolve(undefined),
      save: () => Promise.reject(new Error('disk full')),
    });
    const result = await settings.update({ language: 'en' });
    expect(result.ok).toBe(false);
    expect(settings.current().language).toBe('system');
  });

  it('labels a watched folder with a game by its key, removes the label with an empty one, and ignores keys of no folder', async () => {
    const settings = service();
    const key = folderKey(videos);
    const labelled = await settings.update({ folderLabels: { [key]: 'Apex Legends' } });
    expect(labelled.ok && labelled.value.settings.folderLabels).toEqual({
      [videos]: 'Apex Legends',
    });
    expect((await loadSettings(home.dir, undefined, quiet)).folderLabels).toEqual({
      [videos]: 'Apex Legends',
    });
    const stranger = await settings.update({ folderLabels: { '0123456789abcdef': 'Halo' } });
    expect(stranger.ok && stranger.value.settings.folderLabels).toEqual({
      [videos]: 'Apex Legends',
    });
    const cleared = await settings.update({ folderLabels: { [key]: '' } });
    expect(cleared.ok && cleared.value.settings.folderLabels).toEqual({});
  });
});
