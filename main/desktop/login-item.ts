/**
 * Start at login, hidden to the tray. macOS and Windows keep login items themselves
 * (`app.setLoginItemSettings`); Linux has no such API in Electron, so there the app writes an XDG
 * autostart entry, which every freedesktop session reads.
 */
import type { App } from 'electron';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { HIDDEN_FLAG } from '../../app/desktop/launch-args';
import type { Logger } from '../util/logger';
import { writeFileAtomic } from '../util/atomic-file';

export const AUTOSTART_FILE = 'gameclips-companion.desktop';

export async function applyStartAtLogin(
  app: Pick<App, 'setLoginItemSettings' | 'getPath'>,
  enabled: boolean,
  logger: Logger,
  platform: NodeJS.Platform = process.platform,
): Promise<void> {
  // Windows passes `args` at login; macOS dropped `openAsHidden`, so there the app asks
  // `wasOpenedAtLogin` at start (see wasOpenedAtLogin below).
  app.setLoginItemSettings({ openAtLogin: enabled, args: [HIDDEN_FLAG] });
  if (platform !== 'linux') return;
  try {
    const file = path.join(app.getPath('appData'), 'autostart', AUTOSTART_FILE);
    if (enabled) {
      // ~/.config/autostart does not exist until something first asks to start at login.
      await mkdir(path.dirname(file), { recursive: true });
      await writeFileAtomic(file, autostartEntry(linuxExecutable()));
    } else await rm(file, { force: true });
  } catch (error) {
    logger.warn('could not change the start-at-login entry', { error: String(error) });
  }
}

/** macOS: a start by the login item (which cannot carry arguments there) also stays hidden. */
export function wasOpenedAtLogin(
  app: Pick<App, 'getLoginItemSettings'>,
  platform: NodeJS.Platform = process.platform,
): boolean {
  return platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin === true;
}

/** An AppImage runs from a temporary mount; the file the user keeps is in $APPIMAGE. */
function linuxExecutable(): string {
  return process.env.APPIMAGE ?? process.execPath;
}

/** The desktop entry; Exec quotes the path as the freedesktop spec asks. */
export function autostartEntry(executable: string): string {
  const quoted = `"${executable.replace(/(["`$\\])/gu, '\\$1')}"`;
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=GameClips Companion',
    'Comment=Reserve and upload game clips as you record them',
    `Exec=${quoted} ${HIDDEN_FLAG}`,
    'X-GNOME-Autostart-enabled=true',
    'NoDisplay=true',
    '',
  ].join('\n');
}
