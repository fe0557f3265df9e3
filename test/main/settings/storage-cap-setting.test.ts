/** Issue 16, item 5: the built-in service's storage cap is a stored setting that survives restart. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SettingsPatchSchema } from '../../../app/ipc/contract';
import { defaultSettings, SettingsSchema } from '../../../app/settings';
import { SettingsService } from '../../../main/settings/settings-service';
import { loadSettings } from '../../../main/settings/settings-store';
import { silentLogger } from '../../../main/util/logger';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'gc-cap-setting-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const noTokens = {
  read: () => Promise.resolve(undefined),
  write: () => Promise.resolve(),
  clear: () => Promise.resolve(),
  hasToken: () => Promise.resolve(false),
  isEncrypted: () => Promise.resolve(true),
};

describe('the storage cap setting', () => {
  it('is none by default, also in a file written before it existed', () => {
    expect(defaultSettings(undefined).serviceStorage).toEqual({ capBytes: null });
    const older = SettingsSchema.parse({
      schemaVersion: 2,
      watchedFolders: [],
      service: { kind: 'sandbox' },
      defaults: { visibility: 'Owner', captionTemplate: '', savedByUser: false },
      sendPolicy: { kind: 'review' },
    });
    expect(older.serviceStorage).toEqual({ capBytes: null });
  });

  it('is stored by settings:update and read back after a restart; null removes it', async () => {
    const initial = await loadSettings(dir, undefined, silentLogger);
    const service = new SettingsService({
      userDataDir: dir,
      initial,
      tokens: noTokens,
      logger: silentLogger,
      chooseFolder: () => Promise.resolve(undefined),
    });
    const cap = 5 * 1024 ** 3;
    const patch = SettingsPatchSchema.parse({ serviceStorage: { capBytes: cap } });
    const answer = await service.update(patch);
    expect(answer.ok && answer.value.settings.serviceStorage).toEqual({ capBytes: cap });
    expect(service.current().serviceStorage.capBytes).toBe(cap);
    // A restart reads it from the file.
    expect((await loadSettings(dir, undefined, silentLogger)).serviceStorage.capBytes).toBe(cap);

    await service.update(SettingsPatchSchema.parse({ serviceStorage: { capBytes: null } }));
    expect((await loadSettings(dir, undefined, silentLogger)).serviceStorage.capBytes).toBeNull();
  });

  it('refuses a cap that is not a size', () => {
    for (const capBytes of [-1, 1.5, 2 ** 51, '5'])
      expect(SettingsPatchSchema.safeParse({ serviceStorage: { capBytes } }).success).toBe(false);
  });
});
