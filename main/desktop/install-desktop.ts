/**
 * The composition root's one call: the desktop shell over the real Electron module. Kept apart
 * from desktop.ts so unit tests can build the shell over the stand-in without loading `electron`.
 */
import * as electron from 'electron';
import {
  captureOpenFiles,
  createDesktop,
  type Desktop,
  type DesktopOptions,
  type EarlyOpenFiles,
} from './desktop';

export type { Desktop, DesktopOptions, EarlyOpenFiles } from './desktop';

/** Call first thing in main: keeps macOS "open with" files that arrive before 'ready'. */
export function captureEarlyOpenFiles(): EarlyOpenFiles {
  return captureOpenFiles(electron.app);
}

export function installDesktop(options: DesktopOptions): Desktop {
  return createDesktop(electron, options);
}
