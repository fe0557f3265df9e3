/**
 * The folder watcher port and its chokidar adapter, one watcher per root so that roots can be
 * added and removed at run time and each reports its own errors. Events are hints, not facts:
 * the intake re-checks every hinted file through the completion gate, and a reconcile scan covers
 * whatever the watcher missed (clip-lifecycle.md section 1).
 */
import { watch } from 'chokidar';
import path from 'node:path';
import { isCandidateName, isIgnoredName } from '../../app/clip/file-types';

export interface RootWatch {
  close(): Promise<void>;
}

export interface WatchRootOptions {
  /** Poll instead of using OS events, for file systems that deliver none (network drives). */
  readonly polling: boolean;
  readonly pollingIntervalMs: number;
}

export interface WatchHandlers {
  /** A candidate clip was added, changed or removed. */
  readonly file: (filePath: string) => void;
  /** A subfolder appeared; files written into it in the same tick may have no event of their own. */
  readonly folder: (folderPath: string) => void;
  readonly error: (error: Error) => void;
}

export interface FolderWatcher {
  /** Starts watching one root; resolves when the watcher is ready. */
  watchRoot(root: string, options: WatchRootOptions, handlers: WatchHandlers): Promise<RootWatch>;
}

export interface ChokidarWatcherOptions {
  /** Subfolder depth below each root. */
  readonly depth: number;
}

export class ChokidarFolderWatcher implements FolderWatcher {
  constructor(private readonly options: ChokidarWatcherOptions) {}

  async watchRoot(
    root: string,
    options: WatchRootOptions,
    handlers: WatchHandlers,
  ): Promise<RootWatch> {
    const watcher = watch(root, {
      ignoreInitial: true,
      depth: this.options.depth,
      // Symbolic links are not followed: nothing escapes the root and loops cannot recurse.
      followSymlinks: false,
      usePolling: options.polling,
      interval: options.pollingIntervalMs,
      binaryInterval: options.pollingIntervalMs,
      // Our gate decides when a file is finished; chokidar's timer cannot (it fired at 4/7 of a file).
      awaitWriteFinish: false,
      // Temp-then-rename writers are the norm here; chokidar's atomic mode would delay the final name.
      atomic: false,
      // A folder we may not read is reported through the reconcile scan, not as an endless error stream.
      ignorePermissionErrors: true,
      ignored: (filePath: string, stats?: { isFile(): boolean }) => {
        if (filePath === root) return false;
        const name = path.basename(filePath);
        if (isIgnoredName(name)) return true;
        return stats?.isFile() === true && !isCandidateName(name);
      },
    });
    const hint = (filePath: string) => {
      if (isCandidateName(path.basename(filePath))) handlers.file(filePath);
    };
    watcher.on('add', hint).on('change', hint).on('unlink', hint);
    // A folder created with its file in the same tick: chokidar may see the folder before the file.
    watcher.on('addDir', (dirPath: string) => {
      if (dirPath !== root) handlers.folder(dirPath);
    });
    watcher.on('unlinkDir', (dirPath: string) => {
      if (dirPath === root)
        handlers.error(Object.assign(new Error('the folder was removed'), { code: 'ENOENT' }));
    });
    watcher.on('error', (error: unknown) =>
      handlers.error(error instanceof Error ? error : new Error(String(error))),
    );
    await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
    return { close: () => watcher.close() };
  }
}
