/**
 * Loads electron-updater from its own bundle beside main's (updater-entry.ts). Named by a path
 * at run time, so the bundler leaves it out of main's bundle.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import type { AppUpdater } from 'electron-updater';

/** The file scripts/build.mjs writes beside dist/main/index.js. */
export const UPDATER_BUNDLE = 'updater.js';

export function loadAutoUpdater(mainDir: string): AppUpdater {
  const loaded = createRequire(path.join(mainDir, 'index.js'))(
    path.join(mainDir, UPDATER_BUNDLE),
  ) as { readonly autoUpdater: AppUpdater };
  return loaded.autoUpdater;
}
