/**
 * IPC for the window's own state across a close to the tray (app/ipc/window-ui-state.ts): the
 * window reports how it is being used, main keeps the last report in memory (never on disk: it
 * is this run's state, and it names clips) and hands it to the next window it builds, with the
 * first rows of the list that window opens on.
 */
import type { IpcMain } from 'electron';
import { firstRows, firstRowsRequestFor } from '../../app/clip/first-rows';
import type { WindowUiState } from '../../app/ipc/window-ui-state';
import type { ClipLedger } from '../ledger/clip-ledger';
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
  ledger: () => Promise<ClipLedger>,
): void {
  handle(ipcMain, isTrustedSender, logger, 'window:save-state', (state) => {
    memory.save(state);
    return Promise.resolve(ok(true as const));
  });
  handle(ipcMain, isTrustedSender, logger, 'window:restore-state', () =>
    Promise.resolve(ok(memory.last() ?? null)),
  );
  // Only the rows the window opens on, answered before it asks for the whole list.
  handle(ipcMain, isTrustedSender, logger, 'window:first-rows', async () => {
    const request = firstRowsRequestFor(memory.last());
    return ok(request ? firstRows((await ledger()).all(), request) : null);
  });
}
