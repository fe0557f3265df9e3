/**
 * The main window, hardened per Electron's security checklist (quality-bars.md S1): context
 * isolation, sandbox, no Node in the page, web security on, navigation and new windows refused.
 */
import { BrowserWindow } from 'electron';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { WindowPlacement } from '../app/desktop/window-bounds';
import { isOwnPage } from './desktop/guards';
import { mainWindowOptions } from './window-options';

export interface MainWindow {
  readonly window: BrowserWindow;
  readonly rendererUrl: string;
}

export interface MainWindowChoices {
  /** Remembered size and position, validated against the displays (main/desktop). */
  readonly placement?: WindowPlacement;
  /** False when started at login: the app stays in the tray until the user opens it. */
  readonly show?: boolean;
}

/** Creates the window; `distDir` holds the built `preload/` and `renderer/`. */
export function createMainWindow(distDir: string, choices: MainWindowChoices = {}): MainWindow {
  const rendererFile = path.join(distDir, 'renderer', 'index.html');
  const rendererUrl = pathToFileURL(rendererFile).href;
  const placement = choices.placement;
  const window = new BrowserWindow({
    ...mainWindowOptions(path.join(distDir, 'preload', 'index.js')),
    ...(placement ? { width: placement.width, height: placement.height } : {}),
    ...(placement?.position ? placement.position : {}),
  });
  // maximize() also shows the window, so it waits for the same moment show() would.
  if (choices.show !== false)
    window.once('ready-to-show', () =>
      placement?.isMaximized ? window.maximize() : window.show(),
    );
  // main/desktop/guards.ts hardens every webContents too; these keep the window safe on its own.
  window.webContents.on('will-navigate', (event, url) => {
    if (!isOwnPage(url, rendererUrl)) event.preventDefault();
  });
  // Nothing opens from the page, inside the app or in the browser: a clip's published link opens
  // only through `clips:open-link`, by clip id (issue 14, item 6).
  window.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  // A window closed while it loads (closed to the tray at once, the app quitting) rejects the
  // load; nothing is left to show, so that is not an error.
  window.loadFile(rendererFile).catch(() => undefined);
  return { window, rendererUrl };
}
