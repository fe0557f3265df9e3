/**
 * The composition root's one call: the desktop shell over the real Electron module. Kept apart
 * from desktop.ts so unit tests can build the shell over the stand-in without loading `electron`.
 */
import * as electron from 'electron';
import { createDesktop, type Desktop, type DesktopOptions } from './desktop';

export type { Desktop, DesktopOptions } from './desktop';

export function installDesktop(options: DesktopOptions): Desktop {
  return createDesktop(electron, options);
}
