/**
 * Everything that makes the app a desktop citizen, installed with one call from the composition
 * root: guards on every webContents (S1), the application menu, the tray, notifications, start at
 * login, close-to-tray, remembered window placement, and single-instance + "open with" handling.
 *
 * The app's other rooms are reached only through their ports (UploadsPort, IntakePort) and the
 * ledger, so this file knows nothing of how uploads or intake work. Electron itself arrives as a
 * parameter (`DesktopRuntime`): install-desktop.ts passes the real module, unit tests the stand-in.
 */
import type { App, BrowserWindow } from 'electron';
import path from 'node:path';
import type { WindowPlacement } from '../../app/desktop/window-bounds';
import { readLaunchArgs } from '../../app/desktop/launch-args';
import type { IpcResult } from '../../app/ipc/result';
import type { AppStatus } from '../../app/ipc/contract';
import type { Settings } from '../../app/settings';
import type { Logger } from '../util/logger';
import type { ClipLedger } from '../ledger/clip-ledger';
import type { IntakePort, UploadsPort } from '../ipc/ports';
import type { Broadcaster } from '../ipc/typed-ipc';
import { mainWindowOptions } from '../window-options';
import { english, type Translator } from '../../app/i18n/messages';
import { applicationMenuTemplate, type HelpActions } from './app-menu';
import { installGuards } from './guards';
import { applyStartAtLogin, wasOpenedAtLogin } from './login-item';
import { startNotifier } from './notifier';
import { createAppTray, type AppTray } from './tray';
import { loadWindowPlacement, rememberWindowState } from './window-state';

/** The parts of Electron the desktop shell uses. */
export type DesktopRuntime = Pick<
  typeof Electron.CrossProcessExports,
  'app' | 'Menu' | 'Tray' | 'Notification' | 'nativeImage' | 'screen' | 'session' | 'shell'
>;

export interface DesktopOptions {
  /** The built app's dist/ folder; icons are in ../assets/icons beside it, in and out of asar. */
  readonly distDir: string;
  readonly userData: string;
  readonly logger: Logger;
  readonly settings: () => Settings;
  readonly ledger: () => Promise<ClipLedger>;
  readonly uploads: Pick<UploadsPort, 'pauseAll' | 'resumeAll'>;
  readonly intake: Pick<IntakePort, 'registerFiles'>;
  readonly broadcaster: Broadcaster;
  readonly rendererUrl: () => string | undefined;
  /** Files macOS handed over before the app was ready (captureOpenFiles). */
  readonly earlyOpenFiles?: EarlyOpenFiles;
  /** This launch's command line and working directory (files passed to the first instance). */
  readonly argv?: readonly string[];
  readonly cwd?: string;
  /** The File menu's "Add clips...": main's own dialog (main/ipc/add-clips.ts). */
  readonly addClips?: (kind: 'files' | 'folder') => void;
  /**
   * Builds the window again when it is shown while none exists: closing to the tray destroys
   * the window and its renderer (quality-bars.md P7), the tray and notifications rebuild it.
   */
  readonly openWindow?: () => void;
  /** The language of the tray, menus and notifications, read at each redraw. */
  readonly translator?: () => Translator;
  /** Help menu actions (logs, diagnostics, shortcuts, about, restart to update). */
  readonly help?: () => HelpActions;
}

export interface Desktop {
  /** True when launched at login: the window stays hidden in the tray. */
  readonly startHidden: boolean;
  /** Where the window should open, from the remembered state and the displays attached now. */
  windowPlacement(): Promise<WindowPlacement>;
  /** Wires the main window once it exists: close-to-tray and remembered bounds. */
  attachWindow(window: BrowserWindow): void;
  showWindow(): void;
  /** The settings changed (the settings service calls this): start-at-login follows. */
  settingsChanged(settings: Settings): void;
  /** Redraws the menu and tray (the language changed, an update is ready). */
  refresh(): void;
  /** Stops the tray, notifications and timers, and finishes the last window-state write. */
  dispose(): Promise<void>;
}

export interface EarlyOpenFiles {
  /** Stops capturing and hands over what arrived. */
  take(): string[];
}

/**
 * macOS delivers the file the app was launched to open ("Open With") as 'open-file' before
 * 'ready', long before the desktop shell exists: capture from the first line of main.
 */
export function captureOpenFiles(app: Pick<App, 'on' | 'removeListener'>): EarlyOpenFiles {
  const files: string[] = [];
  const listener = (event: { preventDefault(): void }, file: string) => {
    event.preventDefault();
    files.push(file);
  };
  app.on('open-file', listener);
  return {
    take() {
      app.removeListener('open-file', listener);
      return files.splice(0);
    },
  };
}

/** Files arriving one event at a time (Finder opens each as its own event) are sent together. */
export const OPEN_FILES_BATCH_MS = 150;
/** The most paths one `drop:register-files` call accepts (app/ipc/contract.ts). */
export const MAX_FILES_PER_REGISTRATION = 10_000;
/** electron-builder.yml's appId. */
export const WINDOWS_APP_USER_MODEL_ID = 'app.gameclips.companion';
/** The tray redraws at most this often during a burst of ledger changes. */
export const TRAY_REDRAW_MS = 200;

export function createDesktop(runtime: DesktopRuntime, options: DesktopOptions): Desktop {
  const { app, Menu, screen, session, shell } = runtime;
  const { logger } = options;
  const launch = readLaunchArgs(options.argv ?? process.argv);
  const iconsDir = path.join(options.distDir, '..', 'assets', 'icons');
  let window: BrowserWindow | undefined;
  let startAtLogin: boolean | undefined;
  let disposed = false;
  let loginItemWrite: Promise<void> = Promise.resolve();
  let saveWindowState: () => Promise<void> = () => Promise.resolve();

  // Windows shows notifications only for an app whose user model id matches its Start-menu
  // shortcut; the NSIS installer creates that shortcut with the appId.
  if (process.platform === 'win32') app.setAppUserModelId(WINDOWS_APP_USER_MODEL_ID);

  installGuards(app, session.defaultSession, { rendererUrl: options.rendererUrl, logger });

  const words = () => options.translator?.() ?? english;
  const showWindow = () => {
    if (!window || window.isDestroyed()) {
      options.openWindow?.();
      return;
    }
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  };

  const setMenu = () => {
    const help = options.help?.();
    Menu.setApplicationMenu(
      Menu.buildFromTemplate(
        applicationMenuTemplate({
          platform: process.platform,
          isPackaged: app.isPackaged,
          appName: app.getName(),
          openWindow: showWindow,
          addClips: (kind) => {
            showWindow();
            options.addClips?.(kind);
          },
          translator: words(),
          ...(help ? { help } : {}),
        }),
      ),
    );
  };
  setMenu();

  // Files from "open with", the command line of this launch or of a second one: through the
  // intake port, which re-validates every path (exists, regular file, video).
  let queued: string[] = [];
  let batchTimer: NodeJS.Timeout | undefined;
  const registerFiles = (files: readonly string[]) => {
    if (files.length === 0) return;
    queued.push(...files);
    batchTimer ??= setTimeout(() => {
      batchTimer = undefined;
      const paths = queued;
      queued = [];
      void registerInChunks(paths);
    }, OPEN_FILES_BATCH_MS);
  };
  // The port takes what one IPC message may carry; a folder's worth from Finder goes in turns.
  const registerInChunks = async (paths: readonly string[]) => {
    for (let start = 0; start < paths.length; start += MAX_FILES_PER_REGISTRATION) {
      const chunk = paths.slice(start, start + MAX_FILES_PER_REGISTRATION);
      const result = await options.intake.registerFiles(chunk).catch((error: unknown) => {
        logger.error('registering opened files failed', { error: String(error) });
        return undefined;
      });
      if (result && !result.ok)
        logger.warn('could not register opened files', { code: result.error.code });
    }
  };
  const resolveAll = (files: readonly string[], cwd: string) =>
    files.map((file) => path.resolve(cwd, file));

  registerFiles([
    ...(options.earlyOpenFiles?.take() ?? []),
    ...resolveAll(launch.files, options.cwd ?? process.cwd()),
  ]);
  app.on('second-instance', (_event, argv, workingDirectory) => {
    const second = readLaunchArgs(argv);
    registerFiles(resolveAll(second.files, workingDirectory));
    // A second start at login (a stale login item) must not pop the window up.
    if (!second.startHidden) showWindow();
  });
  app.on('open-file', (event, file) => {
    event.preventDefault();
    registerFiles([file]);
    showWindow();
  });
  app.on('activate', () => showWindow());

  const pauseOrResume = async (
    verb: () => Promise<IpcResult<AppStatus>>,
  ): Promise<boolean | undefined> => {
    const result = await verb().catch((error: unknown) => {
      logger.error('tray: upload control failed', { error: String(error) });
      return undefined;
    });
    if (result?.ok) return result.value.uploadsPaused;
    if (result) logger.warn('tray: upload control refused', { code: result.error.code });
    return undefined;
  };

  const tray: AppTray = createAppTray(runtime, path.join(iconsDir, 'tray'), {
    openWindow: showWindow,
    pauseAll: () => pauseOrResume(() => options.uploads.pauseAll()),
    resumeAll: () => pauseOrResume(() => options.uploads.resumeAll()),
    recordingsFolder: () => options.settings().watchedFolders[0],
    openFolder: (folder) =>
      void shell.openPath(folder).then((message) => {
        if (message !== '') logger.warn('could not open the recordings folder', { message });
      }),
    quit: () => app.quit(),
    translator: words,
    restartToUpdate: () => options.help?.().restartToUpdate,
  });

  const stops: Array<() => void> = [];
  void options
    .ledger()
    .then((ledger) => {
      if (disposed) return;
      let trayTimer: NodeJS.Timeout | undefined;
      const refreshTray = () => {
        trayTimer = undefined;
        tray.update(ledger.all());
      };
      refreshTray();
      // A burst of changes (upload progress, a dropped folder) redraws the tray a few times a second.
      stops.push(
        ledger.subscribe(() => {
          trayTimer ??= setTimeout(refreshTray, TRAY_REDRAW_MS);
        }),
        () => clearTimeout(trayTimer),
      );
      const stopNotifier = startNotifier(runtime, {
        ledger,
        settings: options.settings,
        iconPath: path.join(iconsDir, 'png', '256x256.png'),
        translator: words,
        onClick: (clipId) => {
          showWindow();
          options.broadcaster.send('clips:focus-requested', { clipId });
        },
        logger,
      });
      stops.push(stopNotifier);
    })
    .catch(() => undefined);

  let language = options.settings().language;
  const refresh = () => {
    setMenu();
    tray.refresh();
  };
  const settingsChanged = (settings: Settings) => {
    if (settings.language !== language) {
      language = settings.language;
      refresh();
    }
    if (settings.desktop.startAtLogin === startAtLogin) return;
    startAtLogin = settings.desktop.startAtLogin;
    const enabled = startAtLogin;
    // One change at a time, in order: a quick on-off-on must end on.
    loginItemWrite = loginItemWrite.then(() => applyStartAtLogin(app, enabled, logger));
  };
  settingsChanged(options.settings());

  const defaults = mainWindowOptions('');
  return {
    startHidden: launch.startHidden || wasOpenedAtLogin(app),
    windowPlacement: () =>
      loadWindowPlacement(
        options.userData,
        screen,
        { width: defaults.width ?? 1120, height: defaults.height ?? 760 },
        { width: defaults.minWidth ?? 720, height: defaults.minHeight ?? 480 },
      ),
    attachWindow(created) {
      window = created;
      saveWindowState = rememberWindowState(created, options.userData, logger);
      // Closing the window is not quitting while the tray keeps the app (settings.desktop): the
      // window and its renderer go away so a game gets the memory (quality-bars.md P7); the tray,
      // a notification or a second launch builds it again (options.openWindow). main/index.ts
      // keeps the app running when the last window closes.
      created.on('closed', () => {
        if (window === created) window = undefined;
      });
    },
    showWindow,
    settingsChanged,
    refresh,
    async dispose() {
      disposed = true;
      for (const stop of stops.splice(0)) stop();
      if (batchTimer) clearTimeout(batchTimer);
      tray.destroy();
      await Promise.all([saveWindowState(), loginItemWrite]);
    },
  };
}
