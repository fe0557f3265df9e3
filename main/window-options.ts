/**
 * The options every window of the app is created with, kept free of runtime Electron imports so a
 * unit test can enumerate them under plain Node (quality-bars.md S1).
 */
import type { BrowserWindowConstructorOptions } from 'electron';

/** The options every window of the app is created with; a unit test enumerates them. */
export function mainWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1120,
    height: 760,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'GameClips Companion',
    backgroundColor: '#16181d',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      // A middle click would open a window without a click handler's say; none is wanted.
      disableBlinkFeatures: 'Auxclick',
      spellcheck: true,
    },
  };
}
