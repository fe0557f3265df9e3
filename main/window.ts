/**
 * The main window, hardened per Electron's security checklist (quality-bars.md S1): context
 * isolation, sandbox, no Node in the page, web security on, navigation and new windows refused.
 */
import { BrowserWindow, shell } from 'electron';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { mainWindowOptions } from './window-options';

export interface MainWindow {
  readonly window: BrowserWindow;
  readonly rendererUrl: string;
}

/** Creates the window; `distDir` holds the built `preload/` and `renderer/`. */
export function createMainWindow(distDir: string): MainWindow {
  const rendererFile = path.join(distDir, 'renderer', 'index.html');
  const rendererUrl = pathToFileURL(rendererFile).href;
  const window = new BrowserWindow(mainWindowOptions(path.join(distDir, 'preload', 'index.js')));
  window.once('ready-to-show', () => window.show());
  window.webContents.on('will-navigate', (event, url) => {
    if (url !== rendererUrl) event.preventDefault();
  });
  window.webContents.setWindowOpenHandler(({ url }) => {
    // External https links open in the user's browser; nothing opens inside the app.
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  void window.loadFile(rendererFile);
  return { window, rendererUrl };
}
