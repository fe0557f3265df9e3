/**
 * The one door to the world the preload opens (architecture.md section 2.3); typed from the
 * contract so the window and main cannot drift apart.
 */
import type { CompanionApi } from '../app/ipc/api';
import type { RegisterOutcome } from '../app/ipc/contract';
import type { IpcResult } from '../app/ipc/result';

/**
 * The one verb outside the contract's tables: dropped files go in as File objects and come back
 * as outcomes, so the window never holds a path (the preload resolves them with webUtils).
 */
export interface DropApi {
  readonly drop: {
    registerFiles(files: readonly File[]): Promise<IpcResult<readonly RegisterOutcome[]>>;
  };
}

declare global {
  interface Window {
    readonly companion: CompanionApi & DropApi;
  }
}

export {};
