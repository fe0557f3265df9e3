import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../main/util/logger';
import { loadSettings } from '../../../main/settings/settings-store';
import { tempDir } from '../../support/clips';

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

describe('loadSettings', () => {
  it('on first run watches the OS videos folder, creating it when the account has none yet', async () => {
    const temp = await tempDir('gc-settings-');
    cleanup = temp.cleanup;
    const videos = path.join(temp.dir, 'home', 'Videos');
    const settings = await loadSettings(path.join(temp.dir, 'data'), videos, silentLogger);
    expect(settings.watchedFolders).toEqual([videos]);
    expect((await stat(videos)).isDirectory()).toBe(true);
    expect(
      JSON.parse(await readFile(path.join(temp.dir, 'data', 'settings.json'), 'utf8')),
    ).toMatchObject({
      schemaVersion: 2,
      sendPolicy: { kind: 'review' },
    });
  });

  it('reads a version 1 file into the current shape without losing what the user chose', async () => {
    const temp = await tempDir('gc-settings-');
    cleanup = temp.cleanup;
    const data = path.join(temp.dir, 'data');
    await mkdir(data);
    await writeFile(
      path.join(data, 'settings.json'),
      JSON.stringify({
        schemaVersion: 1,
        watchedFolders: ['/clips'],
        service: { kind: 'sandbox' },
        defaults: { visibility: 'Title', captionTemplate: '{file}', savedByUser: true },
        sendPolicy: 'immediate',
      }),
    );
    const settings = await loadSettings(data, undefined, silentLogger);
    expect(settings).toMatchObject({
      schemaVersion: 2,
      watchedFolders: ['/clips'],
      defaults: { visibility: 'Title', captionTemplate: '{file}', savedByUser: true },
      sendPolicy: { kind: 'immediate' },
      uploads: { parallelBlocks: 4, bandwidthCapBytesPerSecond: 0 },
      language: 'system',
    });
  });

  it('keeps a file it cannot read aside and starts from defaults', async () => {
    const temp = await tempDir('gc-settings-');
    cleanup = temp.cleanup;
    const data = path.join(temp.dir, 'data');
    await mkdir(data);
    await writeFile(path.join(data, 'settings.json'), '{ not json');
    const settings = await loadSettings(data, undefined, silentLogger);
    expect(settings.watchedFolders).toEqual([]);
    const names = await readdir(data);
    expect(names.some((name) => name.startsWith('settings.json.invalid-'))).toBe(true);
  });
});
