/**
 * Where the app keeps its data when Electron is not there to say (the headless CLI): the same
 * folder Electron's `app.getPath('userData')` gives, so the CLI and the app share one ledger.
 */
import os from 'node:os';
import path from 'node:path';

export const PRODUCT_NAME = 'GameClips Companion';

export function defaultUserDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  const home = os.homedir();
  if (platform === 'win32')
    return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), PRODUCT_NAME);
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', PRODUCT_NAME);
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), PRODUCT_NAME);
}

/** Where the built-in service kept its data before it moved to machine-local app data. */
export function legacyServiceDataDir(userDataDir: string): string {
  return path.join(userDataDir, 'sandbox');
}

/**
 * Where the built-in service keeps its data (its copies of clips and thumbnails) for the app data
 * folder `userDataDir` (issue 16, item 5).
 *
 * Windows: the machine-local app data folder, `%LOCALAPPDATA%\GameClips Companion\sandbox`, when
 * `userDataDir` is the default roaming one (`%APPDATA%\GameClips Companion`): gigabytes of video
 * must not roam with the user's profile. A data folder chosen explicitly (the CLI's `--data`) keeps
 * the service beside it, so separate data folders never share one service.
 * Linux and macOS: unchanged, `<userData>/sandbox` (~/.config and ~/Library/Application Support
 * are machine-local already).
 *
 * `env` and `platform` are parameters so the Windows answer can be checked anywhere.
 */
export function serviceDataDir(
  userDataDir: string,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (platform !== 'win32') return legacyServiceDataDir(userDataDir);
  const same = (a: string, b: string) =>
    path.resolve(a).toLowerCase() === path.resolve(b).toLowerCase();
  if (!same(userDataDir, defaultUserDataDir(env, 'win32')))
    return legacyServiceDataDir(userDataDir);
  const local = env.LOCALAPPDATA ?? path.join(os.homedir(), 'AppData', 'Local');
  return path.join(local, PRODUCT_NAME, 'sandbox');
}
