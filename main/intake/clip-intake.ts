/**
 * The intake: turns hints (watcher events, the reconcile scan, dropped files, CLI arguments) into
 * decided clips, through one gate for every source.
 *
 * Each path is checked by at most one gate run at a time; a hint that arrives during a run makes
 * it run again. A file that is still being written is re-checked on every change and on a
 * back-off timer, so a missed final event cannot strand it; one that stays unfinished past a
 * timeout is flagged `incomplete` (never reserved) and comes back when it changes.
 *
 * Roots are added and removed at run time (`setRoots`); each has its own watcher and its own
 * status, so one unplugged drive does not silence the others.
 */
import { randomUUID } from 'node:crypto';
import { lstat, realpath, stat, statfs } from 'node:fs/promises';
import path from 'node:path';
import { checkCommand } from '../../app/clip/commands';
import {
  incompleteClipRecord,
  clipFileReturned,
  clipStopped,
  newClipRecord,
  rejectedClipRecord,
  type ClipDraft,
  type ClipOrigin,
  type ClipProbe,
  type ClipRecord,
} from '../../app/clip/clip';
import { baseName } from '../../app/clip/display-name';
import { errorView, type AppErrorCode } from '../../app/errors';
import type { IntakeRootStatus, IntakeStatus } from '../../app/ipc/contract';
import { codecFamily } from '../../app/intake/codec';
import {
  isDuplicateOf,
  isPipelineOwned,
  isRestorable,
  isReusableOutcome,
  isWatchedForMissing,
  needsDecision,
  sameContent,
} from '../../app/intake/known-path';
import type { IntakeDecision } from '../../app/intake/register-outcome';
import {
  eventlessFileSystemName,
  intakeStatus,
  isFolderGone,
  pollingMessage,
  POLLING_INTERVAL_MS,
  ROOT_CHECK_INTERVAL_MS,
  rootStatus,
  watcherErrorMessage,
} from '../../app/intake/root-status';
import type { Logger } from '../core/logger';
import type { ClipLedger } from '../ledger/clip-ledger';
import { checkCompletion, type GateResult } from './completion-gate';
import type { FolderWatcher, RootWatch } from './folder-watcher';
import { expandHandedPaths } from './hand-over';
import {
  locateMissingClip,
  removeMissingClip,
  type LocateResult,
  type RemoveResult,
} from './missing-clips';
import { PathIndex } from './path-index';
import { scanFolder } from './reconcile-scan';

export interface IntakeEvents {
  detected(record: ClipRecord): void;
  /** Refused before any POST; for a duplicate, `duplicateOf` is the clip it repeats. */
  rejected(record: ClipRecord, duplicateOf?: ClipRecord): void;
  /** A file stayed structurally unfinished past the timeout; it is not reserved. */
  incomplete?(record: ClipRecord): void;
  /** A reserved clip's file was deleted or moved out of the roots; it keeps its reservation. */
  missing?(record: ClipRecord): void;
  statusChanged(status: IntakeStatus): void;
}

export interface ClipIntakeDeps {
  readonly ledger: ClipLedger;
  readonly watcher: FolderWatcher;
  readonly logger: Logger;
  readonly events: IntakeEvents;
  /** Called once for every new clip that passed the gate; the pipeline reserves it. */
  readonly onClipReady: (record: ClipRecord) => void;
  /** The draft a new clip starts with (app/clip/draft.ts), given the probe once it is known. */
  readonly initialDraft: (filePath: string, probe?: ClipProbe) => ClipDraft;
  readonly stabilityMs?: number;
  readonly debounceMs?: number;
  readonly reconcileIntervalMs?: number;
  /** How long a file may stay structurally unfinished before it is flagged `incomplete`. */
  readonly incompleteAfterMs?: number;
  readonly fragmentQuietMs?: number;
  readonly pollingIntervalMs?: number;
  /** How soon a root in error is tried again (a drive plugged back in). */
  readonly errorRetryMs?: number;
  /** How often each root's own identity is checked (deleted, re-created, replaced). */
  readonly rootCheckMs?: number;
  /** The name of the root's file system when it delivers no change events (NFS, SMB, FUSE...). */
  readonly eventlessFileSystem?: (root: string) => Promise<string | undefined>;
}

interface PathState {
  timer?: NodeJS.Timeout;
  running: boolean;
  rerun: boolean;
  waits: number;
  firstWaitAt?: number;
  origin: ClipOrigin;
  readonly waiters: Array<(decision: IntakeDecision) => void>;
}

interface RootEntry {
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
const SCAN_DEPTH = 8;
const MAX_RECHECK_MS = 30_000;
/** Files stat-ed at once by the reconcile scan: one at a time, 10,000 clips took 0.2 s (P3). */
const SCAN_BATCH = 64;
/** Files open at once; the stability window holds none open, so many files can wait in it. */
const MAX_OPEN_FILES = 8;

async function statfsEventless(root: string): Promise<string | undefined> {
  const info = await statfs(root).catch(() => undefined);
  return info ? eventlessFileSystemName(info.type) : undefined;
}

export class ClipIntake {
  private readonly paths = new Map<string, PathState>();
  private readonly index = new PathIndex((id) => this.deps.ledger.get(id));
  private readonly roots = new Map<string, RootEntry>();
  private rootsChange: Promise<void> = Promise.resolve();
  private openFiles = 0;
  private readonly openQueue: Array<() => void> = [];
  private reconcileTimer: NodeJS.Timeout | undefined;
  private errorRetryTimer: NodeJS.Timeout | undefined;
  private rootCheckTimer: NodeJS.Timeout | undefined;
  private checkingRoots = false;
  /** Gate runs past the gate, writing their decision: idle() waits for them too. */
  private deciding = 0;
  private starting = true;
  private lastStatus: string | undefined;
  private stopped = false;
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly deps: ClipIntakeDeps) {}

  /** Starts watching `roots`; resolves once each watcher is ready and the first reconcile scan is done. */
  async start(roots: readonly string[]): Promise<void> {
    for (const record of this.deps.ledger.all()) this.index.add(record.file.path, record.id);
    this.unsubscribe = this.deps.ledger.subscribe(({ upserted }) => {
      if (upserted) this.index.add(upserted.file.path, upserted.id);
    });
    this.emitStatus();
    await this.setRoots(roots);
    const interval = this.deps.reconcileIntervalMs ?? 5 * 60_000;
    this.reconcileTimer = setInterval(() => void this.reconcile(), interval);
    this.reconcileTimer.unref();
    // One stat per root: a deleted, re-created or replaced folder is watched again within seconds.
    this.rootCheckTimer = setInterval(
      () => void this.checkRoots(),
      this.deps.rootCheckMs ?? ROOT_CHECK_INTERVAL_MS,
    );
    this.rootCheckTimer.unref();
    this.starting = false;
    this.emitStatus();
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
        this.forgetPathsUnder(entry);
      }
      const added = wanted.filter((key) => !this.roots.has(key));
      for (const key of added)
        this.roots.set(key, { configured: key, state: 'scanning', removed: false });
      this.emitStatus();
      await Promise.all(added.map((key) => this.attachRoot(this.roots.get(key) as RootEntry)));
      this.emitStatus();
    });
    this.rootsChange = change.catch(() => undefined);
    return change;
  }

  /** The status of every root, as last emitted. */
  status(): IntakeStatus {
    return intakeStatus(
      [...this.roots.values()].map((entry) =>
        rootStatus({
          path: entry.configured,
          state: entry.state,
          ...(entry.message !== undefined ? { message: entry.message } : {}),
        }),
      ),
      this.starting,
    );
  }

  /**
   * Files and folders dropped on the window or named on the command line: the same gate, dedupe
   * and reasons as watched ones. A folder registers the clips inside it. Resolves with one
   * decision per file once each is decided.
   */
  async registerFiles(
    filePaths: readonly string[],
    origin: Exclude<ClipOrigin, 'watch'>,
  ): Promise<IntakeDecision[]> {
    // Bounded expansion and path checks before anything is stored (main/intake/hand-over.ts).
    const items = await expandHandedPaths(filePaths, {
      requireAbsolute: origin === 'drop',
      depth: SCAN_DEPTH,
      onListError: (folder, error) =>
        this.deps.logger.warn('intake: cannot list dropped folder', {
          folder,
          error: error.message,
        }),
    });
    return Promise.all(
      items.map((item) =>
        'decide' in item ? this.decideNow(item.decide, origin) : Promise.resolve(item.decision),
      ),
    );
  }

  /**
   * The user keeps a clip refused as a duplicate: it becomes a clip of its own and is reserved.
   * Answers the record, or an error code when the clip is not a duplicate or its file changed.
   */
  async forceDuplicate(
    clipId: string,
  ): Promise<{ ok: true; record: ClipRecord } | { ok: false; code: AppErrorCode }> {
    const record = this.deps.ledger.get(clipId);
    if (!record) return { ok: false, code: 'ipc/unknown-clip' };
    // The same table the window's "Keep anyway" is drawn from (app/clip/commands.ts).
    if (!checkCommand(record, 'keep-anyway').ok || !record.probe)
      return { ok: false, code: 'ipc/invalid-arguments' };
    const now = await lstat(record.file.path).catch(() => undefined);
    if (!now?.isFile() || now.size !== record.file.size || now.mtimeMs !== record.file.mtimeMs)
      return { ok: false, code: 'intake/missing' };
    const forced = newClipRecord({
      id: record.id,
      origin: record.origin,
      file: record.file,
      probe: record.probe,
      draft: record.draft,
      now: new Date().toISOString(),
    });
    await this.deps.ledger.put(forced);
    this.deps.events.detected(forced);
    this.deps.onClipReady(forced);
    return { ok: true, record: forced };
  }

  /** The user points at where a missing clip's file is now (see locateMissingClip). */
  locate(clipId: string, newPath: string): Promise<LocateResult> {
    return locateMissingClip(this.deps.ledger, clipId, newPath, {
      stabilityMs: this.deps.stabilityMs ?? 300,
      withOpenFile: (task) => this.withOpenFile(task),
    });
  }

  /** Removes a missing clip from the list (see removeMissingClip). */
  remove(clipId: string): Promise<RemoveResult> {
    return removeMissingClip(this.deps.ledger, clipId);
  }

  /** Waits until no gate run is scheduled or running (tests and orderly shutdown). */
  async idle(): Promise<void> {
    while (
      [...this.paths.values()].some((state) => state.running || state.timer !== undefined) ||
      this.openFiles > 0 ||
      this.deciding > 0
    ) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.reconcileTimer) clearInterval(this.reconcileTimer);
    if (this.errorRetryTimer) clearTimeout(this.errorRetryTimer);
    if (this.rootCheckTimer) clearInterval(this.rootCheckTimer);
    for (const [filePath, state] of this.paths) {
      if (state.timer) clearTimeout(state.timer);
      for (const waiter of state.waiters) waiter({ kind: 'gone', path: filePath });
    }
    this.paths.clear();
    this.unsubscribe?.();
    await this.rootsChange;
    await Promise.all([...this.roots.values()].map((entry) => entry.watch?.close()));
  }

  /** Scans every root and hints each file the ledger does not know as it is now. */
  async reconcile(): Promise<void> {
    await Promise.all(
      [...this.roots.values()].map((entry) =>
        // A root whose watcher failed (unplugged drive, folder deleted) is retried from scratch.
        entry.watch ? this.scanRoot(entry) : entry.attaching ? undefined : this.attachRoot(entry),
      ),
    );
    this.emitStatus();
  }

  private async attachRoot(entry: RootEntry): Promise<void> {
    if (this.stopped || entry.removed || entry.attaching) return;
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
          file: (filePath) => this.hint(filePath, 'watch'),
          folder: (folderPath) => void this.scanSubfolder(entry, folderPath),
          error: (error) => this.onWatcherError(entry, error),
        },
      );
      if (entry.removed || this.stopped) {
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
    this.emitStatus();
    await this.scanRoot(entry);
    if (entry.removed) return;
    if (!entry.watch) return;
    if (entry.state === 'scanning') this.settleRootState(entry, pollingIntervalMs);
    this.emitStatus();
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
    if (this.checkingRoots || this.stopped) return;
    this.checkingRoots = true;
    try {
      for (const entry of [...this.roots.values()]) {
        if (entry.removed || entry.attaching || this.stopped) continue;
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
    if (!this.stopped && !entry.removed) await this.sweepUnlisted(real, listed);
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
          !this.paths.has(record.file.path),
      );
    for (const record of unlisted) {
      const gone = await lstat(record.file.path).then(
        () => false,
        (error: NodeJS.ErrnoException) => error.code === 'ENOENT',
      );
      if (gone && !this.stopped) await this.fileGone(record.file.path);
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
      if (this.stopped) return;
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
        this.paths.has(filePath) ? undefined : lstat(filePath).catch(() => undefined),
      ),
    );
    for (const [i, filePath] of filePaths.entries()) {
      const info = infos[i];
      if (!info || this.stopped) continue;
      // Content identity, not the path: a new file where a published clip was is a new clip.
      const records = this.index.recordsAt(filePath);
      if (needsDecision(records, info) || (await this.isOrphanedDuplicate(records)))
        this.hint(filePath, 'watch', 0);
    }
  }

  private forgetPathsUnder(entry: RootEntry): void {
    const prefix = (entry.real ?? entry.configured) + path.sep;
    for (const [filePath, state] of this.paths) {
      if (state.origin !== 'watch' || !filePath.startsWith(prefix)) continue;
      if (state.running) continue;
      if (state.timer) clearTimeout(state.timer);
      for (const waiter of state.waiters) waiter({ kind: 'gone', path: filePath });
      this.paths.delete(filePath);
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
    this.emitStatus();
    // A reconnected drive or a re-created folder should not wait for the next periodic scan.
    if (!this.errorRetryTimer && !this.stopped && entry.state === 'error') {
      this.errorRetryTimer = setTimeout(() => {
        this.errorRetryTimer = undefined;
        void this.reconcile();
      }, this.deps.errorRetryMs ?? 30_000);
      this.errorRetryTimer.unref();
    }
  }

  private onWatcherError(entry: RootEntry, error: Error): void {
    if (entry.removed || this.stopped) return;
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

  private emitStatus(): void {
    if (this.stopped) return;
    const status = this.status();
    // A periodic scan that changes nothing tells the window nothing.
    const said = JSON.stringify(status);
    if (said === this.lastStatus) return;
    this.lastStatus = said;
    this.deps.events.statusChanged(status);
  }

  private decideNow(filePath: string, origin: ClipOrigin): Promise<IntakeDecision> {
    return new Promise((resolve) => {
      this.hint(filePath, origin, 0, resolve);
    });
  }

  private hint(
    filePath: string,
    origin: ClipOrigin,
    delayMs = this.deps.debounceMs ?? 100,
    waiter?: (decision: IntakeDecision) => void,
  ): void {
    if (this.stopped) {
      waiter?.({ kind: 'gone', path: filePath });
      return;
    }
    let state = this.paths.get(filePath);
    if (!state) {
      state = { running: false, rerun: false, waits: 0, origin, waiters: [] };
      this.paths.set(filePath, state);
    }
    if (waiter) state.waiters.push(waiter);
    if (origin !== 'watch') state.origin = origin;
    if (state.running) {
      state.rerun = true;
      return;
    }
    if (state.timer) clearTimeout(state.timer);
    const scheduled = state;
    scheduled.timer = setTimeout(() => {
      scheduled.timer = undefined;
      void this.runGate(filePath);
    }, delayMs);
  }

  private async withOpenFile<T>(task: () => Promise<T>): Promise<T> {
    if (this.openFiles >= MAX_OPEN_FILES)
      await new Promise<void>((resolve) => this.openQueue.push(resolve));
    this.openFiles++;
    try {
      return await task();
    } finally {
      this.openFiles--;
      this.openQueue.shift()?.();
    }
  }

  /** Whether a watched file really lies inside a root (no symlinked folder leads elsewhere). */
  private async isInsideRoots(filePath: string): Promise<boolean> {
    const real = await realpath(filePath).catch(() => undefined);
    if (!real) return true; // gone: the gate says so
    for (const entry of this.roots.values()) {
      if (entry.real && real.startsWith(entry.real + path.sep)) return true;
    }
    return false;
  }

  private async runGate(filePath: string): Promise<void> {
    const state = this.paths.get(filePath);
    if (!state || this.stopped) return;
    state.running = true;
    state.rerun = false;
    let result: GateResult;
    let outside = false;
    try {
      if (state.origin === 'watch' && !(await this.isInsideRoots(filePath))) {
        outside = true;
        this.deps.logger.warn('intake: path leads outside the watched folders', {
          path: filePath,
        });
        result = { kind: 'gone' };
      } else {
        result = await checkCompletion(filePath, {
          stabilityMs: this.deps.stabilityMs ?? 300,
          sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
          nowMs: () => Date.now(),
          ...(this.deps.fragmentQuietMs !== undefined
            ? { fragmentQuietMs: this.deps.fragmentQuietMs }
            : {}),
          withOpenFile: (task) => this.withOpenFile(task),
        });
      }
    } catch (error) {
      this.deps.logger.error('intake: gate failed', { path: filePath, error: String(error) });
      result = { kind: 'wait', reason: String(error) };
    }
    state.running = false;
    if (this.stopped) return;
    if (result.kind === 'wait') {
      state.waits++;
      state.firstWaitAt ??= Date.now();
      this.deps.logger.debug('intake: not finished yet', { path: filePath, reason: result.reason });
      if (!state.rerun && Date.now() - state.firstWaitAt >= this.incompleteAfterMs()) {
        this.paths.delete(filePath);
        const decision = await this.flagIncomplete(filePath, state.origin, result.reason);
        for (const waiter of state.waiters) waiter(decision);
        return;
      }
      // Re-check on a back-off even without events, in case the last write's event was missed.
      this.hint(
        filePath,
        state.origin,
        state.rerun ? 0 : Math.min(MAX_RECHECK_MS, 500 * 2 ** Math.min(state.waits, 6)),
      );
      return;
    }
    if (state.rerun) {
      this.hint(filePath, state.origin, 0);
      return;
    }
    this.paths.delete(filePath);
    this.deciding++;
    try {
      if (result.kind === 'gone' && !outside) await this.fileGone(filePath);
      const decision: IntakeDecision =
        result.kind === 'gone'
          ? { kind: 'gone', path: filePath }
          : await this.decide(filePath, result, state.origin);
      for (const waiter of state.waiters) waiter(decision);
    } finally {
      this.deciding--;
    }
  }

  private incompleteAfterMs(): number {
    return this.deps.incompleteAfterMs ?? 10 * 60_000;
  }

  private async flagIncomplete(
    filePath: string,
    origin: ClipOrigin,
    reason: string,
  ): Promise<IntakeDecision> {
    const records = this.index.recordsAt(filePath);
    const existing = records.find(isReusableOutcome);
    const info = await lstat(filePath).catch(() => undefined);
    if (!info) return { kind: 'gone', path: filePath };
    const owned = records.find(isPipelineOwned);
    if (owned) return { kind: 'known', record: owned };
    if (origin === 'drop')
      return { kind: 'refused', path: filePath, error: errorView('intake/incomplete', reason) };
    const now = new Date().toISOString();
    const record = incompleteClipRecord({
      id: existing?.id ?? randomUUID(),
      origin,
      file: { path: filePath, size: info.size, mtimeMs: info.mtimeMs, fingerprint: '' },
      error: errorView('intake/incomplete', reason),
      draft: existing?.draft ?? this.deps.initialDraft(filePath),
      now,
    });
    await this.deps.ledger.put(record);
    if (existing?.state !== 'incomplete') this.deps.events.incomplete?.(record);
    this.deps.logger.info('intake: file stays unfinished; flagged incomplete', {
      path: filePath,
      reason,
    });
    return { kind: 'incomplete', record };
  }

  /**
   * The gate found nothing at `filePath` (deleted, renamed, moved out): a reserved clip there is
   * missing now, not at upload time, unless a file with its size and mtime waits at another path
   * (a rename: that path's gate run follows the clip). Copies refused as duplicates of what was
   * there are decided again: one of them may now be the clip.
   */
  private async fileGone(filePath: string): Promise<void> {
    const originals: ClipRecord[] = [];
    for (const record of this.index.recordsAt(filePath)) {
      if (isReusableOutcome(record) || (await this.renamedElsewhere(record))) continue;
      originals.push(record);
      const latest = this.deps.ledger.get(record.id);
      if (!latest || latest.file.path !== filePath || !isWatchedForMissing(latest)) continue;
      const missing = clipStopped(
        latest,
        'missing',
        errorView('intake/missing', 'The file was deleted or moved out of the watched folders.'),
        new Date().toISOString(),
      );
      await this.deps.ledger.put(missing);
      this.deps.logger.info('intake: the file is gone; the clip is missing', { path: filePath });
      this.deps.events.missing?.(missing);
    }
    if (originals.length === 0) return;
    for (const candidate of this.deps.ledger.all())
      if (originals.some((original) => isDuplicateOf(candidate, original)))
        this.hint(candidate.file.path, candidate.origin, 0);
  }

  /** Whether a path waiting for its gate run holds a file with this clip's size and mtime. */
  private async renamedElsewhere(record: ClipRecord): Promise<boolean> {
    const others = [...this.paths.keys()].filter((other) => other !== record.file.path);
    const infos = await Promise.all(
      others.slice(0, 32).map((other) => lstat(other).catch(() => undefined)),
    );
    return infos.some(
      (info) =>
        info?.isFile() === true &&
        info.size === record.file.size &&
        info.mtimeMs === record.file.mtimeMs,
    );
  }

  /**
   * A duplicate whose original is no longer where it was (deleted while the app was closed): the
   * reconcile scan decides it again, as the watcher would have.
   */
  private async isOrphanedDuplicate(records: readonly ClipRecord[]): Promise<boolean> {
    const duplicate = records.find(
      (record) => record.state === 'rejected' && record.error?.code === 'intake/duplicate',
    );
    if (!duplicate) return false;
    const original = this.deps.ledger
      .all()
      .find((record) => !isReusableOutcome(record) && isDuplicateOf(duplicate, record));
    if (!original) return false;
    const info = await lstat(original.file.path).catch(() => undefined);
    return info?.size !== original.file.size || info.mtimeMs !== original.file.mtimeMs;
  }

  private async decide(
    filePath: string,
    result: Exclude<GateResult, { kind: 'wait' | 'gone' }>,
    origin: ClipOrigin,
  ): Promise<IntakeDecision> {
    const { ledger, events } = this.deps;
    const now = new Date().toISOString();
    const records = this.index.recordsAt(filePath);
    // Only an outcome's record is reused: a clip's id is its correlation id on the service.
    const existing = records.find(isReusableOutcome);
    const reusableId = existing?.id ?? randomUUID();
    // A file handed in from the window that fails the gate leaves no record (issue 14, item 4).
    if (result.kind === 'reject' && origin === 'drop')
      return { kind: 'refused', path: filePath, error: errorView(result.code, result.detail) };
    if (result.kind === 'reject') {
      const record = await this.reject(
        reusableId,
        filePath,
        origin,
        result.identity,
        undefined,
        result.code,
        result.detail,
        now,
      );
      return { kind: 'rejected', record };
    }
    const { identity, probe } = result;
    const same = sameContent(records, identity);
    if (same && isRestorable(same)) {
      // The missing clip's file is back where it was: the clip resumes with its reservation.
      const restored = clipFileReturned(same, identity, now);
      await ledger.put(restored);
      this.deps.logger.info('intake: the missing file is back', { path: filePath });
      return { kind: 'moved', record: restored };
    }
    if (same) {
      // The same path with new times but the same content (touched, copied over itself).
      if (same.file.mtimeMs === identity.mtimeMs) return { kind: 'known', record: same };
      const updated = { ...same, file: identity, updatedAt: now };
      await ledger.put(updated);
      return { kind: 'known', record: updated };
    }
    // Other content under a clip the pipeline owns: the uploader checks the file before it sends.
    const owned = records.find(isPipelineOwned);
    if (owned) return { kind: 'known', record: owned };
    // Nothing here yet, an outcome, or a finished clip's path holding a new file: decided afresh.
    const created = await lstat(filePath).then(
      (info) => (info.birthtimeMs > 0 ? info.birthtimeMs : undefined),
      () => undefined,
    );
    const twin = this.findTwin(filePath, identity, probe, created);
    if (twin) {
      const twinStillThere = await lstat(twin.record.file.path).then(
        (info) => info.size === twin.record.file.size && info.mtimeMs === twin.record.file.mtimeMs,
        () => false,
      );
      if (!twinStillThere) {
        // A rename or a move inside the roots (or a remux twin replacing its original): the same
        // clip; a missing one is back, and a copy whose original was deleted takes its place.
        const moved = isRestorable(twin.record)
          ? clipFileReturned({ ...twin.record, probe }, identity, now)
          : { ...twin.record, file: identity, probe, updatedAt: now };
        await ledger.put(moved);
        if (existing && existing.id !== twin.record.id) await ledger.remove(existing.id);
        this.deps.logger.info('intake: clip moved', {
          from: twin.record.file.path,
          to: filePath,
        });
        return { kind: 'moved', record: moved };
      }
      const record = await this.reject(
        reusableId,
        filePath,
        origin,
        identity,
        probe,
        'intake/duplicate',
        twin.remux
          ? `The same recording as ${baseName(twin.record.file.path)}, in another container (a remux).`
          : `Same content as ${baseName(twin.record.file.path)}.`,
        now,
        twin.record,
      );
      return { kind: 'duplicate', record, of: twin.record };
    }
    const record = newClipRecord({
      id: reusableId,
      origin,
      file: identity,
      probe,
      // A draft nobody edited was made before the probe (an incomplete file): make it again now.
      draft: existing?.draftEditedAt ? existing.draft : this.deps.initialDraft(filePath, probe),
      now,
    });
    await ledger.put(record);
    events.detected(record);
    this.deps.onClipReady(record);
    return { kind: 'accepted', record };
  }

  /**
   * A clip already in the ledger that this file repeats: the same bytes (fingerprint and size),
   * or a remux of it (OBS's MKV -> MP4 remux: same folder and name stem, another container, the
   * same video codec, picture size and duration; a remux copies the streams, so all of them agree).
   * A remux reads a finished file, so it is created after the original was last written: two
   * recorders writing side by side are not twins. Without a creation time, no remux is assumed.
   */
  private findTwin(
    filePath: string,
    identity: ClipRecord['file'],
    probe: ClipProbe,
    createdMs: number | undefined,
  ): { record: ClipRecord; remux: boolean } | undefined {
    const stem = (file: string) => path.join(path.dirname(file), path.parse(file).name);
    let remux: ClipRecord | undefined;
    for (const record of this.deps.ledger.all()) {
      if (isReusableOutcome(record) || record.file.path === filePath) continue;
      if (record.file.fingerprint === identity.fingerprint && record.file.size === identity.size)
        return { record, remux: false };
      if (
        !remux &&
        createdMs !== undefined &&
        createdMs >= record.file.mtimeMs &&
        record.probe &&
        stem(record.file.path) === stem(filePath) &&
        record.probe.container !== probe.container &&
        codecFamily(record.probe.videoCodec) === codecFamily(probe.videoCodec) &&
        record.probe.width === probe.width &&
        record.probe.height === probe.height &&
        Math.abs(record.probe.durationSeconds - probe.durationSeconds) < 0.25
      )
        remux = record;
    }
    return remux ? { record: remux, remux: true } : undefined;
  }

  private async reject(
    id: string,
    filePath: string,
    origin: ClipOrigin,
    identity: ClipRecord['file'],
    probe: ClipProbe | undefined,
    code: AppErrorCode,
    detail: string,
    now: string,
    duplicateOf?: ClipRecord,
  ): Promise<ClipRecord> {
    const record = rejectedClipRecord({
      id,
      origin,
      file: { ...identity, path: filePath },
      ...(probe ? { probe } : {}),
      error: errorView(code, detail),
      draft: this.deps.initialDraft(filePath, probe),
      now,
    });
    await this.deps.ledger.put(record);
    this.deps.events.rejected(record, duplicateOf);
    return record;
  }
}
