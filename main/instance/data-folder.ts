/**
 * One writer per ledger (issue 13 item 1): whoever holds the data folder decides about its clips;
 * a second process hands its files over (hand-over.ts) or stops with a sentence naming the holder.
 */
import { FolderHeldError, lockFolder, type HeldFolderLock } from '../util/folder-lock';

export const DATA_FOLDER_LOCK = 'companion.lock';

/** The sentence the window and the CLI show when another process holds the data folder. */
export function alreadyRunningSentence(pid: number | undefined): string {
  return `GameClips Companion is already running (process ${pid ?? 'unknown'}). Quit it, or use --data for a separate folder.`;
}

/** Another live process holds the data folder; the message is the sentence shown to the user. */
export class DataFolderHeldError extends Error {
  override name = 'DataFolderHeldError';
  constructor(
    readonly dataDir: string,
    readonly pid: number | undefined,
  ) {
    super(alreadyRunningSentence(pid));
  }
}

export interface DataFolderLockOptions {
  /** Test seam: stale timeout of the owner lock (default 10 s). */
  readonly staleMs?: number;
  readonly onLost?: (error: Error) => void;
}

/** Takes the data folder for this process, or throws DataFolderHeldError. */
export async function claimDataFolder(
  dataDir: string,
  options: DataFolderLockOptions = {},
): Promise<HeldFolderLock> {
  try {
    return await lockFolder(dataDir, {
      name: DATA_FOLDER_LOCK,
      ...(options.staleMs !== undefined ? { staleMs: options.staleMs } : {}),
      ...(options.onLost ? { onCompromised: options.onLost } : {}),
    });
  } catch (error) {
    if (error instanceof FolderHeldError) throw new DataFolderHeldError(dataDir, error.owner?.pid);
    throw error;
  }
}
