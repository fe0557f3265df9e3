/**
 * The desktop shell over the Electron stand-in (no Chromium needed: windows here are never
 * loaded), with the real file ledger and fake ports that record what reached them: tray, menu,
 * notifications, single instance and "open with", start at login, close to tray, placement.
 */
import type { BrowserWindow } from 'electron';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { newClipRecord, type ClipRecord, type ClipState } from '../../../app/clip/clip';
import type { AppStatus, EventName } from '../../../app/ipc/contract';
import { fail, ok } from '../../../app/ipc/result';
import { defaultSettings, type Settings } from '../../../app/settings';
import { silentLogger } from '../../../main/util/logger';
import {
  captureOpenFiles,
  createDesktop,
  type Desktop,
  type DesktopRuntime,
  type EarlyOpenFiles,
} from '../../../main/desktop/desktop';
import { AUTOSTART_FILE } from '../../../main/desktop/login-item';
import { WINDOW_STATE_FILE } from '../../../main/desktop/window-state';
import type { IntakePort, UploadsPort } from '../../../main/ipc/ports';
import { FileClipLedger } from '../../../main/ledger/file-clip-ledger';
import {
  createElectronStandIn,
  type ElectronStandIn,
  type StandInRectangle,
} from '../../electron-stand-in/stand-in';
import { tempDir } from '../../support/clips';

const root = path.resolve(__dirname, '../../..');
const NOW = '2026-03-01T12:00:00.000Z';

let home: { dir: string; cleanup: () => Promise<void> };
let standIn: ElectronStandIn;
let ledger: FileClipLedger;
let settings: Settings;
let desktop: Desktop | undefined;
let registered: string[][];
let uploadCalls: string[];
let broadcasts: Array<[EventName, unknown]>;
let uploadsPaused: boolean;
let uploadsRefuse: boolean;
let windowsRebuilt: number;

function clip(n: number, state: ClipState, extra: Partial<ClipRecord> = {}): ClipRecord {
  const id = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  return {
    ...newClipRecord({
      id,
      origin: 'watch',
      file: { path: `/videos/clip ${n}.mp4`, size: 100, mtimeMs: 1, fingerprint: 'f' },
      probe: { container: 'mp4', durationSeconds: 3, recordedAt: NOW },
      draft: { caption: '', visibility: 'Owner' },
      now: NOW,
    }),
    state,
    ...extra,
  };
}

function status(): AppStatus {
  return {
    version: 'test',
    service: {
      kind: 'sandbox',
      baseUrl: 'http://127.0.0.1',
      hasAccount: true,
      tokenEncrypted: true,
    },
    watchedFolders: [],
    intake: { state: 'watching' },
    uploadsPaused,
  };
}

async function start(
  options: {
    argv?: string[];
    displays?: StandInRectangle[];
    isPackaged?: boolean;
    beforeReady?: (standIn: ElectronStandIn) => EarlyOpenFiles;
  } = {},
): Promise<Desktop> {
  standIn = createElectronStandIn({
    paths: { userData: path.join(home.dir, 'user-data'), appData: path.join(home.dir, 'config') },
    ...(options.displays ? { displays: options.displays } : {}),
  });
  const earlyOpenFiles = options.beforeReady?.(standIn);
  (standIn.electron.app as { isPackaged: boolean }).isPackaged = options.isPackaged ?? false;
  const uploads: Pick<UploadsPort, 'pauseAll' | 'resumeAll'> = {
    pauseAll: () => {
      uploadCalls.push('pauseAll');
      if (uploadsRefuse) return Promise.resolve(fail('app/internal', 'not now'));
      uploadsPaused = true;
      return Promise.resolve(ok(status()));
    },
    resumeAll: () => {
      uploadCalls.push('resumeAll');
      uploadsPaused = false;
      return Promise.resolve(ok(status()));
    },
  };
  const intake: Pick<IntakePort, 'registerFiles'> = {
    registerFiles: (paths) => {
      registered.push([...paths]);
      return Promise.resolve(ok([]));
    },
  };
  desktop = createDesktop(standIn.electron as unknown as DesktopRuntime, {
    distDir: path.join(root, 'dist'),
    userData: path.join(home.dir, 'user-data'),
    logger: silentLogger,
    settings: () => settings,
    ledger: () => Promise.resolve(ledger),
    uploads,
    intake,
    broadcaster: { send: (channel, payload) => broadcasts.push([channel, payload]) },
    rendererUrl: () => 'file:///app/dist/renderer/index.html',
    argv: options.argv ?? ['/opt/gameclips/gameclips-companion'],
    ...(earlyOpenFiles ? { earlyOpenFiles } : {}),
    cwd: home.dir,
    openWindow: () => void (windowsRebuilt += 1),
  });
  // The tray and the notifier start once the ledger promise settles.
  await vi.waitFor(() => expect(standIn.trays()).toHaveLength(1));
  return desktop;
}

function newWindow(options: Record<string, unknown> = { width: 1120, height: 760 }) {
  const Window = standIn.electron.BrowserWindow as unknown as new (
    options: Record<string, unknown>,
  ) => BrowserWindow;
  return new Window(options);
}

beforeEach(async () => {
  home = await tempDir('gc-desktop-');
  ledger = await FileClipLedger.open(path.join(home.dir, 'ledger'), silentLogger);
  settings = defaultSettings(path.join(home.dir, 'Videos'));
  registered = [];
  uploadCalls = [];
  broadcasts = [];
  uploadsPaused = false;
  uploadsRefuse = false;
  windowsRebuilt = 0;
});
afterEach(async () => {
  await desktop?.dispose();
  desktop = undefined;
  await ledger.flush();
  await home.cleanup();
});

describe('tray', () => {
  it('shows the state and the waiting count, and pauses and resumes uploads through the port', async () => {
    await start();
    const tray = () => standIn.trays()[0]!;
    expect(path.basename(tray().image.path)).toBe('tray-idle.png');
    expect(tray().tooltip).toBe('GameClips Companion: all caught up');

    await ledger.put(clip(1, 'reserving'));
    await vi.waitFor(() => expect(path.basename(tray().image.path)).toBe('tray-working.png'));
    await ledger.put(clip(1, 'reserved'));
    await ledger.put(clip(2, 'reserved'));
    await vi.waitFor(() =>
      expect(tray().tooltip).toBe('GameClips Companion: 2 clips waiting for review'),
    );
    expect(path.basename(tray().image.path)).toBe('tray-idle.png');
    expect(tray().contextMenu?.getMenuItemById('open')?.label).toBe('Review 2 clips');
    await ledger.put(clip(3, 'blocked'));
    await vi.waitFor(() => expect(path.basename(tray().image.path)).toBe('tray-attention.png'));

    tray().contextMenu?.getMenuItemById('pause-all')?.click?.();
    await vi.waitFor(() => expect(tray().contextMenu?.getMenuItemById('resume-all')).toBeTruthy());
    expect(tray().tooltip).toContain('uploads paused');
    tray().contextMenu?.getMenuItemById('resume-all')?.click?.();
    await vi.waitFor(() => expect(tray().contextMenu?.getMenuItemById('pause-all')).toBeTruthy());
    expect(uploadCalls).toEqual(['pauseAll', 'resumeAll']);

    tray().contextMenu?.getMenuItemById('open-folder')?.click?.();
    expect(standIn.openedPaths).toEqual([path.join(home.dir, 'Videos')]);
  });

  it('keeps the menu as it was when the uploads port refuses, and disables the folder item with no folder', async () => {
    settings = { ...settings, watchedFolders: [] };
    uploadsRefuse = true;
    await start();
    const menu = () => standIn.trays()[0]!.contextMenu!;
    expect(menu().getMenuItemById('open-folder')?.enabled).toBe(false);
    menu().getMenuItemById('pause-all')?.click?.();
    await vi.waitFor(() => expect(uploadCalls).toEqual(['pauseAll']));
    await ledger.put(clip(1, 'reserved')); // a redraw after the refusal
    await vi.waitFor(() => expect(menu().getMenuItemById('open')?.label).toBe('Review 1 clip'));
    expect(menu().getMenuItemById('pause-all')).toBeTruthy();
    expect(menu().getMenuItemById('resume-all')).toBeNull();
  });

  it('quits from the tray menu', async () => {
    await start();
    const quit = vi.fn();
    (standIn.electron.app as { quit: () => void }).quit = quit;
    standIn.trays()[0]!.contextMenu?.getMenuItemById('quit')?.click?.();
    expect(quit).toHaveBeenCalledTimes(1);
  });
});

describe('notifications', () => {
  it('announces a fresh reservation, a block with its reason, a publication and a failure, once each', async () => {
    await start();
    await ledger.put(clip(1, 'reserving'));
    await ledger.put(clip(1, 'reserved'));
    await ledger.put(clip(1, 'reserved', { draft: { caption: 'edited', visibility: 'Owner' } }));
    await ledger.put(
      clip(2, 'blocked', {
        error: {
          code: 'gameclips/over-quota',
          message: 'Your clip storage is full.',
          action: 'free-space',
        },
      }),
    );
    await ledger.put(clip(3, 'uploading'));
    await ledger.put(clip(3, 'processing'));
    await ledger.put(clip(3, 'published'));
    await ledger.put(clip(4, 'failed'));
    await vi.waitFor(() => expect(standIn.notifications()).toHaveLength(4));
    expect(standIn.notifications().map((n) => n.options.title)).toEqual([
      'Clip ready for review',
      'A clip needs you',
      'Clip published',
      'Upload failed',
    ]);
    expect(standIn.notifications()[1]?.options.body).toBe('clip 2.mp4: Your clip storage is full.');
  });

  it('stays quiet for what the settings turn off', async () => {
    settings = {
      ...settings,
      desktop: {
        ...settings.desktop,
        notifications: { reserved: false, blocked: true, published: false, failed: true },
      },
    };
    await start();
    await ledger.put(clip(1, 'reserved'));
    await ledger.put(clip(2, 'published'));
    await ledger.put(clip(3, 'failed'));
    await vi.waitFor(() => expect(standIn.notifications()).toHaveLength(1));
    expect(standIn.notifications()[0]?.options.title).toBe('Upload failed');
  });

  it('shows the window and asks it to focus the clip when clicked', async () => {
    await start();
    const window = newWindow();
    desktop!.attachWindow(window);
    window.hide();
    const record = clip(7, 'reserved');
    await ledger.put(record);
    await vi.waitFor(() => expect(standIn.notifications()).toHaveLength(1));
    standIn.notifications()[0]!.emit('click');
    expect(window.isVisible()).toBe(true);
    expect(broadcasts).toContainEqual(['clips:focus-requested', { clipId: record.id }]);
  });

  it('collapses a burst of reservations into one summary', async () => {
    await start();
    await Promise.all(Array.from({ length: 20 }, (_, i) => ledger.put(clip(i + 1, 'reserved'))));
    await vi.waitFor(() => expect(standIn.notifications()).toHaveLength(1));
    expect(standIn.notifications()[0]?.options.title).toBe('20 clips ready for review');
  });
});

describe('single instance and open with', () => {
  it('a second launch shows the window and registers its video files through the intake port', async () => {
    await start();
    const window = newWindow();
    desktop!.attachWindow(window);
    window.hide();
    standIn.secondInstance(
      ['/opt/gameclips/gameclips-companion', '--no-sandbox', 'Ace.mp4', 'notes.txt', '/abs/b.MKV'],
      '/home/player/Videos',
    );
    expect(window.isVisible()).toBe(true);
    await vi.waitFor(() =>
      expect(registered).toEqual([['/home/player/Videos/Ace.mp4', '/abs/b.MKV']]),
    );
  });

  it('hands a very long list of opened files to the port in turns it accepts', async () => {
    await start();
    const many = Array.from({ length: 10_001 }, (_, i) => `/clips/c${i}.mp4`);
    standIn.secondInstance(['/opt/gc', ...many], '/');
    await vi.waitFor(() => expect(registered.map((call) => call.length)).toEqual([10_000, 1]));
    expect(registered.flat()).toEqual(many);
  });

  it('a second launch at login stays in the tray', async () => {
    await start();
    const window = newWindow();
    desktop!.attachWindow(window);
    window.hide();
    standIn.secondInstance(['/opt/gameclips/gameclips-companion', '--hidden'], '/');
    expect(window.isVisible()).toBe(false);
  });

  it('registers files given to the first launch and opened on macOS, batched', async () => {
    await start({
      argv: ['/opt/gameclips/gameclips-companion', 'first.webm'],
      // macOS: the file the app was launched to open arrives before 'ready'.
      beforeReady: (early) => {
        const captured = captureOpenFiles(early.electron.app as unknown as DesktopRuntime['app']);
        early.openFile('/Users/p/Movies/launched.mp4');
        return captured;
      },
    });
    standIn.openFile('/Users/p/Movies/a.mov');
    standIn.openFile('/Users/p/Movies/b.m4v');
    await vi.waitFor(() =>
      expect(registered.flat()).toEqual([
        '/Users/p/Movies/launched.mp4',
        path.join(home.dir, 'first.webm'),
        '/Users/p/Movies/a.mov',
        '/Users/p/Movies/b.m4v',
      ]),
    );
    expect(registered).toHaveLength(1);
  });
});

describe('start at login', () => {
  it('registers a hidden login item and a Linux autostart entry, and removes them when turned off', async () => {
    settings = { ...settings, desktop: { ...settings.desktop, startAtLogin: true } };
    await start();
    const autostart = path.join(home.dir, 'config', 'autostart', AUTOSTART_FILE);
    await vi.waitFor(async () =>
      expect(await readFile(autostart, 'utf8').catch(() => '')).toMatch(/^Exec=".+" --hidden$/mu),
    );
    expect(standIn.loginItemSettings()).toEqual([{ openAtLogin: true, args: ['--hidden'] }]);

    desktop!.settingsChanged({
      ...settings,
      desktop: { ...settings.desktop, startAtLogin: false },
    });
    await vi.waitFor(() =>
      expect(standIn.loginItemSettings().at(-1)).toEqual({
        openAtLogin: false,
        args: ['--hidden'],
      }),
    );
    await vi.waitFor(async () =>
      expect(await readFile(autostart, 'utf8').catch(() => 'gone')).toBe('gone'),
    );
  });

  it('a launch with --hidden starts hidden', async () => {
    expect((await start({ argv: ['/opt/gc', '--hidden'] })).startHidden).toBe(true);
    await desktop!.dispose();
    expect((await start({ argv: ['/opt/gc'] })).startHidden).toBe(false);
  });
});

describe('close to tray', () => {
  // Issue 17 item 11 (P7): closing to the tray used to hide the window; it now destroys it, and
  // its renderer with it, so the memory goes back to the game. Showing it again rebuilds it.
  it('destroys the window on close while closeToTray is on, and rebuilds it when shown', async () => {
    await start();
    const window = newWindow();
    desktop!.attachWindow(window);
    window.show();
    window.close();
    expect(window.isDestroyed()).toBe(true);
    expect(windowsRebuilt).toBe(0);

    standIn.trays()[0]?.contextMenu?.getMenuItemById('open')?.click?.();
    expect(windowsRebuilt).toBe(1);
    standIn.secondInstance(['/opt/gameclips/gameclips-companion'], home.dir);
    expect(windowsRebuilt).toBe(2);

    // A window that exists is shown, not rebuilt.
    const again = newWindow();
    desktop!.attachWindow(again);
    standIn.trays()[0]?.contextMenu?.getMenuItemById('open')?.click?.();
    expect(again.isVisible()).toBe(true);
    expect(windowsRebuilt).toBe(2);
  });

  it('closes the window when closeToTray is off', async () => {
    settings = { ...settings, desktop: { ...settings.desktop, closeToTray: false } };
    await start();
    const window = newWindow();
    desktop!.attachWindow(window);
    window.close();
    expect(window.isDestroyed()).toBe(true);
  });
});

describe('window placement', () => {
  it('remembers size and position, and drops a position on a display that is gone', async () => {
    await start({
      displays: [
        { x: 0, y: 0, width: 1920, height: 1040 },
        { x: 1920, y: 0, width: 2560, height: 1400 },
      ],
    });
    const window = newWindow();
    desktop!.attachWindow(window);
    window.setBounds({ x: 2100, y: 100, width: 1400, height: 900 });
    window.close(); // hides to the tray, and saves on the way
    await vi.waitFor(async () =>
      expect(
        JSON.parse(await readFile(path.join(home.dir, 'user-data', WINDOW_STATE_FILE), 'utf8')),
      ).toEqual({ x: 2100, y: 100, width: 1400, height: 900, isMaximized: false }),
    );
    expect(await desktop!.windowPlacement()).toEqual({
      position: { x: 2100, y: 100 },
      width: 1400,
      height: 900,
      isMaximized: false,
    });
    await desktop!.dispose();

    // The second monitor was unplugged: same size (it fits), no position (the OS centres it).
    await start({ displays: [{ x: 0, y: 0, width: 1920, height: 1040 }] });
    expect(await desktop!.windowPlacement()).toEqual({
      width: 1400,
      height: 900,
      isMaximized: false,
    });
  });
});

describe('application menu', () => {
  it('has the usual roles and no developer tools in a packaged build', async () => {
    await start({ isPackaged: true });
    const packaged = JSON.stringify(standIn.applicationMenu()?.items);
    for (const role of ['editMenu', 'windowMenu', 'togglefullscreen', 'zoomIn', 'quit'])
      expect(packaged).toContain(`"${role}"`);
    expect(packaged).not.toContain('toggleDevTools');
    await desktop!.dispose();
    await start({ isPackaged: false });
    expect(JSON.stringify(standIn.applicationMenu()?.items)).toContain('"toggleDevTools"');
  });
});
