/**
 * Registers every command of the contract; the contract test calls this to prove each channel
 * has a handler that checks its sender and payload.
 */
import type { IpcMain } from 'electron';
import type { AppStatus } from '../../app/ipc/contract';
import type { Logger } from '../core/logger';
import type { ClipLedger } from '../ledger/clip-ledger';
import { registerAppIpc } from './app.ipc';
import { registerClipsIpc } from './clips.ipc';
import type { SenderCheck } from './typed-ipc';

export interface IpcServices {
  readonly status: () => Promise<AppStatus>;
  readonly ledger: () => Promise<ClipLedger>;
}

export function registerIpc(
  ipcMain: IpcMain,
  isTrustedSender: SenderCheck,
  logger: Logger,
  services: IpcServices,
): void {
  registerAppIpc(ipcMain, isTrustedSender, logger, services.status);
  registerClipsIpc(ipcMain, isTrustedSender, logger, services.ledger);
}
