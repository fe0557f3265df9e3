/**
 * The watched roots: each has its own watcher and its own status, so one unplugged drive does not
 * silence the others. A root is attached (watched, then scanned), checked by one stat every few
 * seconds (deleted, re-created, replaced), and retried after an error; its scans hint the files
 * the ledger does not know as they are now to the scheduler (clip-intake.ts).
 */
import type { Stats } from 'node:fs';
import { lstat, realpath, stat, statfs } from 'node:fs/promises';
import path from 'node:path';
import type { ClipOrigin } from '../../app/clip/clip';
import type { IntakeRootStatus } from '../../app/ipc/contract';
import { isWatchedForMissing } from '../../app/intake/known-path';
import {
  eventlessFileSystemName,
  isFolderGone,
  pollingMessage,
  POLLING_INTERVAL_MS,
  ROOT_CHECK_INTERVAL_MS,
  watcherErrorMessage,
} from '../../app/intake/root-status';
import type { RootWatch } from './folder-watcher';
import type { ClipIntakeDeps } from './intake-types';
import { scanFolder } from './reconcile-scan';

export interface RootEntry {
  /** The folder as configured (resolved), the key the settings and the window know it by. */
  readonly configured: string;
  /** Its real path: every file the intake takes from this root must lie inside it. */
  real?: string;
  watch?: RootWatch;
  polling?: string;
  state: IntakeRootStatus['state'];
  message?: string;
  removed: boolean;
  /** The folder's inode when it was attached: another one at the same path is a replacement. */
  identity?: { readonly dev: number; readonly ino: number };
  attaching?: boolean;
}

/** Folder levels a scan descends, the same depth the watcher is given (main/core/companion.ts). */
export const SCAN_DEPTH = 8;
/** Files stat-ed at once by the reconcile scan: one at a time, 10,000 clips took 0.2 s (P3). */
const SCAN_BATCH = 64;

async function statfsEventless(root: string): Promise<string | undefined> {
  const info = await statfs(root).catch(() => undefined);
  return info ? eventlessFileSystemName(info.type) : undefined;
}

/** What the roots need from the scheduler that owns them. */
export interface RootsHost {
  stopped(): boolean;
  hint(filePath: string, origin: ClipOrigin, delayMs?: number): void;
  /** A gate run is scheduled or running for this path. */
  isScheduled(filePath: string): boolean;
  /** Whether a listed file the ledger may not know as it is now should go through the gate. */
  needsHint(filePath: string, info: Stats): Promise<boolean>;
  fileGone(filePath: string): Promise<void>;
  /** A removed root: its watched paths waiting for the gate are dropped. */
  forgetPathsUnder(prefix: string): void;
  emitStatus(): void;
}

export class IntakeRoots {
  private readonly roots = new Map<string, RootEntry>();
  private rootsChange: Promise<void> = Promise.resolve();
  private errorRetryTimer: NodeJS.Timeout | undefined;
  private rootCheckTimer: NodeJS.Timeout | undefined;
  private checkingRoots = false;

  constructor(
    private readonly deps: ClipIntakeDeps,
    private readonly host: RootsHost,
  ) {}

  /** The roots as configured, in the order they were added. */
  entries(): RootEntry[] {
    return [...this.roots.values()];
  }

  /** One stat per root: a deleted, re-created or replaced folder is watched again within seconds. */
  startChecks(): void {
    this.rootCheckTimer = setInterval(
      () => void this.checkRoots(),
      this.deps.rootCheckMs ?? ROOT_CHECK_INTERVAL_MS,
    );
    this.rootCheckTimer.unref();
  }

  /**
   * Makes the watched roots exactly `folders` (the settings service calls this when the user adds
   * or removes a folder). New roots are watched and scanned before this resolves.
   */
  setRoots(folders: readonly string[]): Promise<void> {
    const wanted = [...new Set(folders.map((folder) => path.resolve(folder)))];
    const change = this.rootsChange.then(async () => {
      for (const [key, entry] of this.roots) {
        if (wanted.includes(key)) continue;
        entry.removed = true;
        this.roots.delete(key);
        await entry.watch?.close();
        this.host.forgetPathsUnder((entry.real ?? entry.configured) + path.sep);
      }
      const added = wanted.filter((key) => !this.roots.has(key));
      for (const key of added)
        this.roots.set(key, { configured: key, state: 'scanning', removed: false });
      this.host.emitStatus();
      await Promise.all(added.map((key) => this.attachRoot(this.roots.get(key) as RootEntry)));
      this.host.emitStatus();
    });
    this.rootsChange = change.catch(() => undefined);
    return change;
  }

  /** Scans every root and hints each file the ledger does not know as it is now. */
  async reconcile(): Promise<void> {
    await Promise.all(
      [...this.roots.values()].map((entry) =>
        // A root whose watcher failed (unplugged drive, folder deleted) is retried from scratch.
        entry.watch ? this.scanRoot(entry) : entry.attaching ? undefined : this.attachRoot(entry),
      ),
    );
    this.host.emitStatus();
  }

  /** Stops the timers (the first part of the intake's stop). */
  stopTimers(): void {
    if (this.errorRetryTimer) clearTimeout(this.errorRetryTimer);
    if (this.rootCheckTimer) clearInterval(this.rootCheckTimer);
  }

  /** Waits for a root change in progress, then closes every watcher. */
  async close(): Promise<void> {
    await this.rootsChange;
    await Promise.all([...this.roots.values()].map((entry) => entry.watch?.close()));
  }

  /** Whether a watched file really lies inside a root (no symlinked folder leads elsewhere). */
  async isInsideRoots(filePath: string): Promise<boolean> {
    const real = await realpath(filePath).catch(() => undefined);
    if (!real) return true; // gone: the gate says so
    for (const entry of this.roots.values()) {
      if (entry.real && real.startsWith(entry.real + path.sep)) return true;
    }
    return false;
  }

  private async attachRoot(entry: RootEntry): Promise<void> {
    if (this.host.stopped() || entry.removed || entry.attaching) return;
    entry.attaching = true;
    try {
      await this.attachRootOnce(entry);
    } finally {
      entry.attaching = false;
    }
  }

  private async attachRootOnce(entry: RootEntry): Promise<void> {
    try {
      const info = await stat(entry.configured);
      if (!info.isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
      entry.identity = { dev: info.dev, ino: info.ino };
      entry.real = await realpath(entry.configured);
    } catch (error) {
      this.setRootError(entry, error as NodeJS.ErrnoException);
      return;
    }
    const real = entry.real;
    const eventless = await (this.deps.eventlessFileSystem ?? statfsEventless)(real);
    const pollingIntervalMs = this.deps.pollingIntervalMs ?? POLLING_INTERVAL_MS;
    try {
      const watch = await this.deps.watcher.watchRoot(
        real,
        { polling: eventless !== undefined, pollingIntervalMs },
        {
          file: (filePath) => this.host.hint(filePath, 'watch'),
          folder: (folderPath) => void this.scanSubfolder(entry, folderPath),
          error: (error) => this.onWatcherError(entry, error),
        },
      );
      if (entry.removed || this.host.stopped()) {
        await watch.close();
        return;
      }
      entry.watch = watch;
    } catch (error) {
      this.setRootError(entry, error as NodeJS.ErrnoException);
      return;
    }
    if (eventless !== undefined) entry.polling = eventless;
    else delete entry.polling;
    entry.state = 'scanning';
    delete entry.message;
    this.host.emitStatus();
    await this.scanRoot(entry);
    if (entry.removed) return;
    if (!entry.watch) return;
    if (entry.state === 'scanning') this.settleRootState(entry, pollingIntervalMs);
    this.host.emitStatus();
  }

  private settleRootState(entry: RootEntry, pollingIntervalMs: number): void {
    if (entry.polling !== undefined) {
      entry.state = 'polling';
      entry.message = pollingMessage(entry.polling, pollingIntervalMs);
    } else {
      entry.state = 'watching';
      delete entry.message;
    }
  }

  /**
   * Looks at each root itself (one stat each): a deleted one shows as missing; one that is back
   * (re-created, drive plugged in) or replaced by another folder of the same name (`mv F F-old;
   * mkdir F`, where a directory watch follows the old inode) is watched and scanned again at once.
   */
  private async checkRoots(): Promise<void> {
    if (this.checkingRoots || this.host.stopped()) return;
    this.checkingRoots = true;
    try {
      for (const entry of [...this.roots.values()]) {
        if (entry.removed || entry.attaching || this.host.stopped()) continue;
        const info = await stat(entry.configured).catch((error: NodeJS.ErrnoException) => error);
        if (info instanceof Error || !info.isDirectory()) {
          const error =
            info instanceof Error
              ? info
              : Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
          if (isFolderGone(error.code) && entry.state !== 'missing') {
            await entry.watch?.close();
            delete entry.watch;
            this.setRootError(entry, error);
          }
          continue;
        }
        const replaced =
          entry.identity !== undefined &&
          (entry.identity.dev !== info.dev || entry.identity.ino !== info.ino);
        if (entry.state !== 'missing' && !replaced) continue;
        if (replaced)
          this.deps.logger.info('intake: the folder was replaced; watching the new one', {
            folder: entry.configured,
          });
        await entry.watch?.close();
        delete entry.watch;
        void this.attachRoot(entry);
      }
    } finally {
      this.checkingRoots = false;
    }
  }

  private async scanRoot(entry: RootEntry): Promise<void> {
    const real = entry.real;
    if (!real) return;
    const info = await stat(real).catch((error: NodeJS.ErrnoException) => error);
    if (info instanceof Error || !info.isDirectory()) {
      // The root went away under a live watcher: drop the watcher, the next reconcile re-attaches.
      await entry.watch?.close();
      delete entry.watch;
      this.setRootError(
        entry,
        info instanceof Error
          ? info
          : Object.assign(new Error('not a folder'), { code: 'ENOTDIR' }),
      );
      return;
    }
    const listed = new Set<string>();
    await this.scanTree(real, SCAN_DEPTH, listed);
    if (!this.host.stopped() && !entry.removed) await this.sweepUnlisted(real, listed);
  }

  /**
   * Reserved clips under `root` that the scan did not list and that are really gone (deleted
   * while the app was closed, or an event the watcher missed) are marked missing like a delete
   * event would, and their refused copies decided again.
   */
  private async sweepUnlisted(root: string, listed: ReadonlySet<string>): Promise<void> {
    const prefix = root + path.sep;
    const unlisted = this.deps.ledger
      .all()
      .filter(
        (record) =>
          record.file.path.startsWith(prefix) &&
          !listed.has(record.file.path) &&
          isWatchedForMissing(record) &&
          !this.host.isScheduled(record.file.path),
      );
    for (const record of unlisted) {
      const gone = await lstat(record.file.path).then(
        () => false,
        (error: NodeJS.ErrnoException) => error.code === 'ENOENT',
      );
      if (gone && !this.host.stopped()) await this.host.fileGone(record.file.path);
    }
  }

  /** A new subfolder: its files may have been written before the watcher saw the folder. */
  private async scanSubfolder(entry: RootEntry, folderPath: string): Promise<void> {
    if (!entry.real) return;
    const relative = path.relative(entry.real, folderPath);
    if (relative.startsWith('..') || path.isAbsolute(relative)) return;
    const level = relative.split(path.sep).length;
    const depthLeft = SCAN_DEPTH - level;
    if (depthLeft < 0) return;
    await this.scanTree(folderPath, depthLeft);
  }

  private async scanTree(folder: string, depth: number, listed?: Set<string>): Promise<void> {
    let batch: string[] = [];
    for await (const filePath of scanFolder(folder, depth, (where, error) =>
      this.deps.logger.warn('intake: cannot list folder', { folder: where, error: error.message }),
    )) {
      if (this.host.stopped()) return;
      listed?.add(filePath);
      batch.push(filePath);
      if (batch.length >= SCAN_BATCH) {
        await this.reconcileFiles(batch);
        batch = [];
      }
    }
    await this.reconcileFiles(batch);
  }

  /** Hints each listed file the ledger does not know as it is now; stats a batch at once. */
  private async reconcileFiles(filePaths: readonly string[]): Promise<void> {
    const infos = await Promise.all(
      filePaths.map((filePath) =>
        this.host.isScheduled(filePath) ? undefined : lstat(filePath).catch(() => undefined),
      ),
    );
    for (const [i, filePath] of filePaths.entries()) {
      const info = infos[i];
      if (!info || this.host.stopped()) continue;
      if (await this.host.needsHint(filePath, info)) this.host.hint(filePath, 'watch', 0);
    }
  }

  private setRootError(entry: RootEntry, error: NodeJS.ErrnoException): void {
    // A deleted folder is waited for (checkRoots re-watches it once back); other errors are retried.
    entry.state = isFolderGone(error.code) ? 'missing' : 'error';
    entry.message = watcherErrorMessage(error.code, error.message);
    this.deps.logger.warn('intake: folder problem', {
      folder: entry.configured,
      code: error.code,
      error: error.message,
    });
    this.host.emitStatus();
    // A reconnected drive or a re-created folder should not wait for the next periodic scan.
    if (!this.errorRetryTimer && !this.host.stopped() && entry.state === 'error') {
      this.errorRetryTimer = setTimeout(() => {
        this.errorRetryTimer = undefined;
        void this.reconcile();
      }, this.deps.errorRetryMs ?? 30_000);
      this.errorRetryTimer.unref();
    }
  }

  private onWatcherError(entry: RootEntry, error: Error): void {
    if (entry.removed || this.host.stopped()) return;
    const code = (error as NodeJS.ErrnoException).code;
    this.deps.logger.error('intake: watcher error; running a reconcile scan', {
      folder: entry.configured,
      code,
      error: error.message,
    });
    this.setRootError(entry, error);
    // Events may have been lost: scan now; a vanished root is noticed by the scan itself.
    void this.scanRoot(entry);
  }
}
