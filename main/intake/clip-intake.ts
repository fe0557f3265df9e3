/**
 * The intake: turns hints (watcher events, the reconcile scan, dropped files, CLI arguments) into
 * decided clips, through one gate for every source.
 *
 * Each path is checked by at most one gate run at a time; a hint that arrives during a run makes
 * it run again. A file that is still being written is re-checked on every change and on a
 * back-off timer, so a missed final event cannot strand it.
 */
import { randomUUID } from 'node:crypto';
import { lstat } from 'node:fs/promises';
import path from 'node:path';
import {
  newClipRecord,
  rejectedClipRecord,
  type ClipDraft,
  type ClipOrigin,
  type ClipRecord,
} from '../../app/clip/clip';
import { baseName } from '../../app/clip/display-name';
import { errorView, type AppErrorCode } from '../../app/errors';
import type { IntakeStatus } from '../../app/ipc/contract';
import type { Logger } from '../core/logger';
import type { ClipLedger } from '../ledger/clip-ledger';
import { checkCompletion, type GateResult } from './completion-gate';
import type { FolderWatcher } from './folder-watcher';
import { scanRoots } from './reconcile-scan';

export interface IntakeEvents {
  detected(record: ClipRecord): void;
  rejected(record: ClipRecord): void;
  statusChanged(status: IntakeStatus): void;
}

export interface ClipIntakeDeps {
  readonly ledger: ClipLedger;
  readonly watcher: FolderWatcher;
  readonly logger: Logger;
  readonly events: IntakeEvents;
  /** Called once for every new clip that passed the gate; the pipeline reserves it. */
  readonly onClipReady: (record: ClipRecord) => void;
  /** The draft a new clip starts with (caption template, default visibility). */
  readonly initialDraft: (filePath: string) => ClipDraft;
  readonly depth?: number;
  readonly stabilityMs?: number;
  readonly debounceMs?: number;
  readonly reconcileIntervalMs?: number;
}

interface PathState {
  timer?: NodeJS.Timeout;
  running: boolean;
  rerun: boolean;
  waits: number;
  origin: ClipOrigin;
}

const MAX_RECHECK_MS = 30_000;
/** Gate runs at once; the scan of a large folder must not open thousands of files together. */
const MAX_CONCURRENT_CHECKS = 8;

export class ClipIntake {
  private readonly paths = new Map<string, PathState>();
  private readonly byPath = new Map<string, string>();
  private roots: readonly string[] = [];
  private running = 0;
  private readonly queue: Array<() => void> = [];
  private reconcileTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly deps: ClipIntakeDeps) {}

  /** Starts watching `roots`; resolves once the watcher is ready and the first reconcile scan is done. */
  async start(roots: readonly string[]): Promise<void> {
    this.roots = roots.map((root) => path.resolve(root));
    for (const record of this.deps.ledger.all()) this.byPath.set(record.file.path, record.id);
    this.unsubscribe = this.deps.ledger.subscribe(({ upserted }) => {
      if (upserted) this.byPath.set(upserted.file.path, upserted.id);
    });
    this.deps.events.statusChanged({ state: 'starting' });
    await this.deps.watcher.start(
      this.roots,
      (filePath) => this.hint(filePath, 'watch'),
      (error) => this.onWatcherError(error),
    );
    await this.reconcile();
    const interval = this.deps.reconcileIntervalMs ?? 5 * 60_000;
    this.reconcileTimer = setInterval(() => void this.reconcile(), interval);
    this.reconcileTimer.unref();
    this.deps.events.statusChanged({ state: 'watching' });
  }

  /** Files dropped on the window or named on the command line: the same gate as watched ones. */
  register(filePaths: readonly string[], origin: ClipOrigin): void {
    for (const filePath of filePaths) this.hint(path.resolve(filePath), origin, 0);
  }

  /** Waits until no gate run is scheduled or running (tests and orderly shutdown). */
  async idle(): Promise<void> {
    while (
      [...this.paths.values()].some((state) => state.running || state.timer !== undefined) ||
      this.running > 0
    ) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.reconcileTimer) clearInterval(this.reconcileTimer);
    for (const state of this.paths.values()) if (state.timer) clearTimeout(state.timer);
    this.paths.clear();
    this.unsubscribe?.();
    await this.deps.watcher.close();
  }

  /** Lists the roots and hints every file the ledger does not know as it is now. */
  async reconcile(): Promise<void> {
    const depth = this.deps.depth ?? 8;
    for await (const filePath of scanRoots(this.roots, depth, (folder, error) =>
      this.deps.logger.warn('intake: cannot list folder', { folder, error: error.message }),
    )) {
      if (this.stopped) return;
      const known = this.recordAt(filePath);
      if (known && known.state !== 'rejected') continue;
      const stat = await lstat(filePath).catch(() => undefined);
      if (!stat) continue;
      if (known && known.file.size === stat.size && known.file.mtimeMs === stat.mtimeMs) continue;
      this.hint(filePath, 'watch', 0);
    }
  }

  private recordAt(filePath: string): ClipRecord | undefined {
    const id = this.byPath.get(filePath);
    return id === undefined ? undefined : this.deps.ledger.get(id);
  }

  private onWatcherError(error: Error): void {
    const code = (error as NodeJS.ErrnoException).code;
    const advice =
      code === 'ENOSPC'
        ? 'The system ran out of file watches: raise fs.inotify.max_user_watches, or watch fewer folders.'
        : code === 'EMFILE'
          ? 'Too many open files: raise the open-file limit, or watch fewer folders.'
          : error.message;
    this.deps.logger.error('intake: watcher error; running a reconcile scan', {
      code,
      error: error.message,
    });
    this.deps.events.statusChanged({ state: 'error', message: advice });
    void this.reconcile();
  }

  private hint(filePath: string, origin: ClipOrigin, delayMs = this.deps.debounceMs ?? 100): void {
    if (this.stopped) return;
    let state = this.paths.get(filePath);
    if (!state) {
      state = { running: false, rerun: false, waits: 0, origin };
      this.paths.set(filePath, state);
    }
    if (origin !== 'watch') state.origin = origin;
    if (state.running) {
      state.rerun = true;
      return;
    }
    if (state.timer) clearTimeout(state.timer);
    state.timer = setTimeout(() => {
      if (state) state.timer = undefined;
      void this.runGate(filePath);
    }, delayMs);
  }

  private async withSlot<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= MAX_CONCURRENT_CHECKS)
      await new Promise<void>((resolve) => this.queue.push(resolve));
    this.running++;
    try {
      return await task();
    } finally {
      this.running--;
      this.queue.shift()?.();
    }
  }

  private async runGate(filePath: string): Promise<void> {
    const state = this.paths.get(filePath);
    if (!state || this.stopped) return;
    state.running = true;
    state.rerun = false;
    let result: GateResult;
    try {
      result = await this.withSlot(() =>
        checkCompletion(filePath, {
          stabilityMs: this.deps.stabilityMs ?? 300,
          sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
          nowMs: () => Date.now(),
        }),
      );
    } catch (error) {
      this.deps.logger.error('intake: gate failed', { path: filePath, error: String(error) });
      result = { kind: 'wait', reason: String(error) };
    }
    state.running = false;
    if (this.stopped) return;
    if (result.kind === 'wait') {
      state.waits++;
      this.deps.logger.debug('intake: not finished yet', { path: filePath, reason: result.reason });
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
    if (result.kind === 'gone') return;
    await this.decide(filePath, result, state.origin);
  }

  private async decide(
    filePath: string,
    result: Exclude<GateResult, { kind: 'wait' | 'gone' }>,
    origin: ClipOrigin,
  ): Promise<void> {
    const { ledger, events } = this.deps;
    const now = new Date().toISOString();
    const existing = this.recordAt(filePath);
    if (result.kind === 'reject') {
      await this.reject(
        existing?.state === 'rejected' ? existing.id : randomUUID(),
        filePath,
        origin,
        result.identity,
        result.code,
        result.detail,
        now,
      );
      return;
    }
    const { identity, probe } = result;
    if (existing && existing.state !== 'rejected') {
      // The same path with new times but the same content (touched, copied over itself).
      if (existing.file.fingerprint === identity.fingerprint)
        await ledger.put({ ...existing, file: identity, updatedAt: now });
      return;
    }
    const twin = ledger
      .all()
      .find(
        (record) =>
          record.state !== 'rejected' &&
          record.file.fingerprint === identity.fingerprint &&
          record.file.size === identity.size,
      );
    if (twin) {
      const twinStillThere = await lstat(twin.file.path).then(
        () => true,
        () => false,
      );
      if (!twinStillThere) {
        // A rename or a move inside the roots (or a remux twin replacing its original): the same clip.
        this.byPath.delete(twin.file.path);
        await ledger.put({ ...twin, file: identity, updatedAt: now });
        this.deps.logger.info('intake: clip moved', { from: twin.file.path, to: filePath });
        return;
      }
      await this.reject(
        existing?.id ?? randomUUID(),
        filePath,
        origin,
        identity,
        'intake/duplicate',
        `Same content as ${baseName(twin.file.path)}.`,
        now,
      );
      return;
    }
    const record = newClipRecord({
      id: existing?.id ?? randomUUID(),
      origin,
      file: identity,
      probe,
      draft: this.deps.initialDraft(filePath),
      now,
    });
    await ledger.put(record);
    events.detected(record);
    this.deps.onClipReady(record);
  }

  private async reject(
    id: string,
    filePath: string,
    origin: ClipOrigin,
    identity: ClipRecord['file'],
    code: AppErrorCode,
    detail: string,
    now: string,
  ): Promise<void> {
    const record = rejectedClipRecord({
      id,
      origin,
      file: { ...identity, path: filePath },
      error: errorView(code, detail),
      draft: this.deps.initialDraft(filePath),
      now,
    });
    await this.deps.ledger.put(record);
    this.deps.events.rejected(record);
  }
}
