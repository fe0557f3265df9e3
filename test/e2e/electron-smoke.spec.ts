/**
 * The built app under a real Electron binary, where one exists. The project's machines cannot
 * download Electron, so this skips itself there and says why; the binary is found by a file
 * check, never by `require('electron')` (which would try to download it).
 */
import { _electron as electron, expect, test } from '@playwright/test';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { tempDir } from '../support/clips';

const electronDir = path.resolve(__dirname, '../../node_modules/electron');
const pathFile = path.join(electronDir, 'path.txt');
const binary = existsSync(pathFile)
  ? path.join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim())
  : undefined;

test('the packaged main process starts in real Electron and shows the window', async () => {
  test.skip(
    binary === undefined || !existsSync(binary),
    `No Electron binary at ${electronDir}/dist: it cannot be downloaded on this machine (run "npx install-electron" where Electron's download host is reachable).`,
  );
  const home = await tempDir('gc-electron-');
  await mkdir(path.join(home.dir, 'Videos'), { recursive: true });
  try {
    const app = await electron.launch({
      executablePath: binary,
      args: [
        path.resolve(__dirname, '../../dist/main/index.js'),
        `--user-data-dir=${path.join(home.dir, 'user-data')}`,
      ],
      env: { ...process.env, HOME: home.dir, XDG_CONFIG_HOME: path.join(home.dir, 'config') },
    });
    const window = await app.firstWindow();
    await expect(window.getByText('GameClips Companion').first()).toBeVisible();
    // Isolated and sandboxed: the page sees the preload's verbs and no Node.
    const page = await window.evaluate(() => ({
      hasCompanion: typeof (window as unknown as { companion?: unknown }).companion === 'object',
      hasRequire: typeof (globalThis as { require?: unknown }).require,
      hasProcess: typeof (globalThis as { process?: unknown }).process,
    }));
    expect(page).toEqual({ hasCompanion: true, hasRequire: 'undefined', hasProcess: 'undefined' });
    await app.close();
  } finally {
    await home.cleanup();
  }
});
