/**
 * IPC for the app domain: what the window shows about the app as a whole.
 */
import type { IpcMain } from 'electron';
import type { AppStatus } from '../../app/ipc/contract';
import { ok } from '../../app/ipc/result';
import type { Logger } from '../util/logger';
import { handle, type SenderCheck } from './typed-ipc';

export function registerAppIpc(
  ipcMain: IpcMain,
  isTrustedSender: SenderCheck,
  logger: Logger,
  status: () => Promise<AppStatus>,
): void {
  handle(ipcMain, isTrustedSender, logger, 'app:get-status', async () => ok(await status()));
}
