/**
 * IPC for the window's own state across a close to the tray (app/ipc/window-ui-state.ts): the
 * window reports how it is being used, main keeps the last report in memory (never on disk: it
 * is this run's state, and it names clips) and hands it to the next window it builds.
 */
import type { IpcMain } from 'electron';
import type { WindowUiState } from '../../app/ipc/window-ui-state';
import { ok } from '../../app/ipc/result';
import type { Logger } from '../util/logger';
import { handle, type SenderCheck } from './typed-ipc';

/** The last state the window reported, kept while the app runs. */
export interface WindowUiMemory {
  save(state: WindowUiState): void;
  last(): WindowUiState | undefined;
}

export function createWindowUiMemory(): WindowUiMemory {
  let last: WindowUiState | undefined;
  return {
    save: (state) => void (last = state),
    last: () => last,
  };
}

export function registerWindowStateIpc(
  ipcMain: IpcMain,
  isTrustedSender: SenderCheck,
  logger: Logger,
  memory: WindowUiMemory,
): void {
  handle(ipcMain, isTrustedSender, logger, 'window:save-state', (state) => {
    memory.save(state);
    return Promise.resolve(ok(true as const));
  });
  handle(ipcMain, isTrustedSender, logger, 'window:restore-state', () =>
    Promise.resolve(ok(memory.last() ?? null)),
  );
}
