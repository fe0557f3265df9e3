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
