/**
 * The folder watcher port and its chokidar adapter. Events are hints, not facts: the intake
 * re-checks every hinted file through the completion gate, and a reconcile scan covers whatever
 * the watcher missed (clip-lifecycle.md section 1).
 */
import { watch, type FSWatcher } from 'chokidar';
import path from 'node:path';
import { isCandidateName, isIgnoredName } from '../../app/clip/file-types';

export interface FolderWatcher {
  /** Starts watching; resolves when the watcher is ready. */
  start(
    roots: readonly string[],
    onHint: (filePath: string) => void,
    onError: (error: Error) => void,
  ): Promise<void>;
  close(): Promise<void>;
}

export interface ChokidarWatcherOptions {
  /** Subfolder depth below each root. */
  readonly depth: number;
  /** Poll instead of using OS events, for file systems that deliver none (network drives). */
  readonly usePolling?: boolean;
}

export class ChokidarFolderWatcher implements FolderWatcher {
  private watcher: FSWatcher | undefined;

  constructor(private readonly options: ChokidarWatcherOptions) {}

  async start(
    roots: readonly string[],
    onHint: (filePath: string) => void,
    onError: (error: Error) => void,
  ): Promise<void> {
    const watcher = watch([...roots], {
      ignoreInitial: true,
      depth: this.options.depth,
      followSymlinks: false,
      usePolling: this.options.usePolling ?? false,
      interval: 5000,
      binaryInterval: 5000,
      // Our gate decides when a file is finished; chokidar's timer cannot (it fired at 4/7 of a file).
      awaitWriteFinish: false,
      ignored: (filePath: string, stats?: { isFile(): boolean }) => {
        const name = path.basename(filePath);
        if (isIgnoredName(name) && !roots.includes(filePath)) return true;
        return stats?.isFile() === true && !isCandidateName(name);
      },
    });
    this.watcher = watcher;
    const hint = (filePath: string) => {
      if (isCandidateName(path.basename(filePath))) onHint(filePath);
    };
    watcher.on('add', hint).on('change', hint).on('unlink', hint);
    watcher.on('error', (error: unknown) =>
      onError(error instanceof Error ? error : new Error(String(error))),
    );
    await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  }

  async close(): Promise<void> {
    await this.watcher?.close();
    this.watcher = undefined;
  }
}
