/**
 * Registers every command of the contract; the contract test calls this to prove each channel
 * has a handler that checks its sender and payload.
 */
import type { IpcMain } from 'electron';
import type { Logger } from '../util/logger';
import { registerAppIpc } from './app.ipc';
import { registerClipsIpc } from './clips.ipc';
import type { IpcServices } from './ports';
import { registerSettingsIpc } from './settings.ipc';
import type { SenderCheck } from './typed-ipc';
import { createWindowUiMemory, registerWindowStateIpc } from './window-state.ipc';

export type { IpcServices } from './ports';

export function registerIpc(
  ipcMain: IpcMain,
  isTrustedSender: SenderCheck,
  logger: Logger,
  services: IpcServices,
): void {
  registerAppIpc(ipcMain, isTrustedSender, logger, services.status);
  registerClipsIpc(ipcMain, isTrustedSender, logger, services);
  registerSettingsIpc(ipcMain, isTrustedSender, logger, services.settings);
  registerWindowStateIpc(
    ipcMain,
    isTrustedSender,
    logger,
    services.windowUi ?? createWindowUiMemory(),
    services.ledger,
  );
}
