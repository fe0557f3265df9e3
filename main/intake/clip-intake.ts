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
import { lstat } from 'node:fs/promises';
import { checkCommand } from '../../app/clip/commands';
import { clipStopped, newClipRecord, type ClipOrigin, type ClipRecord } from '../../app/clip/clip';
import { errorView, type AppErrorCode } from '../../app/errors';
import type { IntakeStatus } from '../../app/ipc/contract';
import {
  isDuplicateOf,
  isReusableOutcome,
  isWatchedForMissing,
  needsDecision,
} from '../../app/intake/known-path';
import type { IntakeDecision } from '../../app/intake/register-outcome';
import { intakeStatus, rootStatus } from '../../app/intake/root-status';
import { checkCompletion, type GateResult } from './completion-gate';
import { expandHandedPaths } from './hand-over';
import { IntakeDecider } from './intake-decide';
import { IntakeRoots, SCAN_DEPTH } from './intake-roots';
import type { ClipIntakeDeps } from './intake-types';
import {
  locateMissingClip,
  removeMissingClip,
  type LocateResult,
  type RemoveResult,
} from './missing-clips';
import { PathIndex } from './path-index';

export type { ClipIntakeDeps, IntakeEvents } from './intake-types';

interface PathState {
  timer?: NodeJS.Timeout;
  running: boolean;
  rerun: boolean;
  waits: number;
  firstWaitAt?: number;
  origin: ClipOrigin;
  readonly waiters: Array<(decision: IntakeDecision) => void>;
}

const MAX_RECHECK_MS = 30_000;
/** Files open at once; the stability window holds none open, so many files can wait in it. */
const MAX_OPEN_FILES = 8;

export class ClipIntake {
  private readonly paths = new Map<string, PathState>();
  private readonly index = new PathIndex((id) => this.deps.ledger.get(id));
  private openFiles = 0;
  private readonly openQueue: Array<() => void> = [];
  private reconcileTimer: NodeJS.Timeout | undefined;
  /** Gate runs past the gate, writing their decision: idle() waits for them too. */
  private deciding = 0;
  private starting = true;
  private lastStatus: string | undefined;
  private stopped = false;
  private unsubscribe: (() => void) | undefined;

  /** What each gate result becomes in the ledger. */
  private readonly decider: IntakeDecider;
  /** The watched folders, their watchers, scans and status. */
  private readonly roots: IntakeRoots;

  constructor(private readonly deps: ClipIntakeDeps) {
    this.decider = new IntakeDecider(deps, this.index);
    this.roots = new IntakeRoots(deps, {
      stopped: () => this.stopped,
      hint: (filePath, origin, delayMs) => this.hint(filePath, origin, delayMs),
      isScheduled: (filePath) => this.paths.has(filePath),
      needsHint: async (filePath, info) => {
        // Content identity, not the path: a new file where a published clip was is a new clip.
        const records = this.index.recordsAt(filePath);
        return needsDecision(records, info) || (await this.isOrphanedDuplicate(records));
      },
      fileGone: (filePath) => this.fileGone(filePath),
      forgetPathsUnder: (prefix) => this.forgetPathsUnder(prefix),
      emitStatus: () => this.emitStatus(),
    });
  }

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
    this.roots.startChecks();
    this.starting = false;
    this.emitStatus();
  }

  /**
   * Makes the watched roots exactly `folders` (the settings service calls this when the user adds
   * or removes a folder). New roots are watched and scanned before this resolves.
   */
  setRoots(folders: readonly string[]): Promise<void> {
    return this.roots.setRoots(folders);
  }

  /** The status of every root, as last emitted. */
  status(): IntakeStatus {
    return intakeStatus(
      this.roots.entries().map((entry) =>
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
    this.roots.stopTimers();
    for (const [filePath, state] of this.paths) {
      if (state.timer) clearTimeout(state.timer);
      for (const waiter of state.waiters) waiter({ kind: 'gone', path: filePath });
    }
    this.paths.clear();
    this.unsubscribe?.();
    await this.roots.close();
  }

  /** Scans every root and hints each file the ledger does not know as it is now. */
  reconcile(): Promise<void> {
    return this.roots.reconcile();
  }

  private forgetPathsUnder(prefix: string): void {
    for (const [filePath, state] of this.paths) {
      if (state.origin !== 'watch' || !filePath.startsWith(prefix)) continue;
      if (state.running) continue;
      if (state.timer) clearTimeout(state.timer);
      for (const waiter of state.waiters) waiter({ kind: 'gone', path: filePath });
      this.paths.delete(filePath);
    }
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

  private async runGate(filePath: string): Promise<void> {
    const state = this.paths.get(filePath);
    if (!state || this.stopped) return;
    state.running = true;
    state.rerun = false;
    let result: GateResult;
    let outside = false;
    try {
      if (state.origin === 'watch' && !(await this.roots.isInsideRoots(filePath))) {
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
        const decision = await this.decider.flagIncomplete(filePath, state.origin, result.reason);
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
          : await this.decider.decide(filePath, result, state.origin);
      for (const waiter of state.waiters) waiter(decision);
    } finally {
      this.deciding--;
    }
  }

  private incompleteAfterMs(): number {
    return this.deps.incompleteAfterMs ?? 10 * 60_000;
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
}
