/**
 * IPC for settings and the account: the window edits settings and sets a token, but only main
 * picks folders (through its dialog) and only main ever holds the token.
 */
import type { IpcMain } from 'electron';
import type { Logger } from '../util/logger';
import type { SettingsPort } from './ports';
import { handle, type SenderCheck } from './typed-ipc';

export function registerSettingsIpc(
  ipcMain: IpcMain,
  isTrustedSender: SenderCheck,
  logger: Logger,
  settings: SettingsPort,
): void {
  const on: typeof handle = (...args) => handle(...args);
  on(ipcMain, isTrustedSender, logger, 'settings:get', () => settings.get());
  on(ipcMain, isTrustedSender, logger, 'settings:update', (patch) => settings.update(patch));
  on(ipcMain, isTrustedSender, logger, 'settings:add-folder', () => settings.addFolder());
  on(ipcMain, isTrustedSender, logger, 'settings:remove-folder', (key) =>
    settings.removeFolder(key),
  );
  on(ipcMain, isTrustedSender, logger, 'account:set-token', (token) => settings.setToken(token));
  on(ipcMain, isTrustedSender, logger, 'account:clear-token', () => settings.clearToken());
}
