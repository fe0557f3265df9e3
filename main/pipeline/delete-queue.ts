/**
 * Deletes that finish (issue 13 item 10): every reservation the app abandons (a changed file, a
 * 410, a cancel, an orphan found while reconciling) is written to a durable queue before the
 * first DELETE is tried, and retried with back-off until the service confirms it (2xx) or says it
 * is gone (404). A failed DELETE no longer leaves a reservation holding quota for a day.
 *
 * The queue is one JSON file in the data folder, replaced atomically (main/util/atomic-file.ts)
 * on every change, so `kill -9` at any instant leaves the old or the new queue, and a restart
 * carries on with what is left. Diagnostics read it through `pending()` / `count()`.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { clampWaitMs, decideRetry, type RetryPolicy } from '../../app/retry';
import type { Logger } from '../util/logger';
import type { CallFailure, GameClipsClient } from '../gameclips/gameclips-client';
import { writeFileAtomic } from '../util/atomic-file';

export interface DeleteEntry {
  readonly scid: string;
  readonly gameClipId: string;
  /** The local clip it belonged to, if any (for the log and diagnostics). */
  readonly clipId?: string;
  /** Why it was abandoned, in a few words ("file changed", "expired", "orphan", "cancelled"). */
  readonly reason: string;
  readonly queuedAt: string;
  readonly attempts: number;
  /** Wall time of the next try (ISO); absent: now. */
  readonly nextAt?: string;
  /** The last failure, as shown in diagnostics. */
  readonly lastError?: string;
}

export interface DeleteQueueDeps {
  readonly file: string;
  readonly client: Pick<GameClipsClient, 'deleteClip'>;
  readonly logger: Logger;
  /** Back-off between tries of one DELETE; never gives up, the wait only grows to its cap. */
  readonly policy?: RetryPolicy;
  /** Called after a DELETE is confirmed (journal clean-up, tests). */
  readonly onDeleted?: (entry: DeleteEntry) => void | Promise<void>;
  readonly random?: () => number;
}

/** From 1 s to 5 min between tries, forever: the service will come back. */
export const DELETE_POLICY: RetryPolicy = {
  baseDelayMs: 1000,
  maxDelayMs: 5 * 60_000,
  maxAttempts: Number.MAX_SAFE_INTEGER,
  maxWaitMs: 60 * 60_000,
};

export function deleteQueueFileOf(dataDir: string): string {
  return path.join(dataDir, 'delete-queue.json');
}

export class DeleteQueue {
  private entries: DeleteEntry[] = [];
  private writing: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private rerun = false;
  private stopped = false;
  private readonly idleWaiters = new Set<() => void>();

  private constructor(private readonly deps: DeleteQueueDeps) {}

  /** Loads what a previous run left and starts working on it. */
  static async open(deps: DeleteQueueDeps): Promise<DeleteQueue> {
    const queue = new DeleteQueue(deps);
    try {
      const parsed = JSON.parse(await readFile(deps.file, 'utf8')) as { entries?: DeleteEntry[] };
      if (Array.isArray(parsed.entries))
        queue.entries = parsed.entries.filter(
          (entry) => typeof entry?.gameClipId === 'string' && typeof entry.scid === 'string',
        );
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
        deps.logger.warn('delete queue: unreadable; starting empty', { error: String(error) });
    }
    queue.kick();
    return queue;
  }

  /** Reservations waiting to be deleted, oldest first (diagnostics). */
  pending(): readonly DeleteEntry[] {
    return [...this.entries];
  }

  count(): number {
    return this.entries.length;
  }

  /** Whether this reservation is waiting to be deleted. */
  has(gameClipId: string): boolean {
    return this.entries.some((entry) => entry.gameClipId === gameClipId);
  }

  /**
   * Queues a DELETE durably (resolves once it is on disk) and tries it at once. Abandoning a
   * reservation never waits for the service: the queue owns it from here.
   */
  async add(entry: { scid: string; gameClipId: string; clipId?: string; reason: string }) {
    if (!this.has(entry.gameClipId)) {
      this.entries.push({
        scid: entry.scid,
        gameClipId: entry.gameClipId,
        ...(entry.clipId ? { clipId: entry.clipId } : {}),
        reason: entry.reason,
        queuedAt: new Date().toISOString(),
        attempts: 0,
      });
      await this.save();
    }
    this.kick();
  }

  /** Resolves when the queue is empty (tests, diagnostics); the queue keeps running after. */
  async drained(): Promise<void> {
    while (this.entries.length > 0 && !this.stopped)
      await new Promise<void>((resolve) => {
        this.idleWaiters.add(resolve);
      });
  }

  /** Stops trying (the entries stay on disk for the next start); waits for a DELETE in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
    await this.writing;
    for (const resolve of this.idleWaiters) resolve();
    this.idleWaiters.clear();
  }

  /** Runs every due entry now, and schedules the next due one. */
  private kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.rerun = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.running = this.runDue().finally(() => {
      this.running = undefined;
      if (this.rerun) {
        this.rerun = false;
        this.kick();
      } else this.scheduleNext();
    });
  }

  private scheduleNext(): void {
    if (this.stopped) return;
    if (this.entries.length === 0) {
      for (const resolve of this.idleWaiters) resolve();
      this.idleWaiters.clear();
      return;
    }
    const nowMs = Date.now();
    const next = Math.min(
      ...this.entries.map((entry) => (entry.nextAt ? Date.parse(entry.nextAt) : nowMs) || nowMs),
    );
    const waitMs = clampWaitMs(next - nowMs, DELETE_POLICY.maxWaitMs ?? 3_600_000, 0);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.kick();
    }, waitMs);
    this.timer.unref();
  }

  private async runDue(): Promise<void> {
    const nowMs = Date.now();
    for (const entry of [...this.entries]) {
      if (this.stopped) return;
      if (entry.nextAt && Date.parse(entry.nextAt) > nowMs) continue;
      const result = await this.deps.client.deleteClip(entry.scid, entry.gameClipId);
      const gone = result.ok || (result.failure.kind === 'http' && result.failure.status === 404);
      if (gone) {
        this.entries = this.entries.filter((other) => other.gameClipId !== entry.gameClipId);
        await this.save();
        this.deps.logger.info('delete queue: reservation deleted', {
          gameClipId: entry.gameClipId,
          clipId: entry.clipId,
          reason: entry.reason,
        });
        await this.deps.onDeleted?.(entry);
        continue;
      }
      const attempts = entry.attempts + 1;
      const failure = result.failure;
      const decision = decideRetry(outcomeOf(failure), Math.min(attempts, 30), {
        idempotent: true,
        policy: this.deps.policy ?? DELETE_POLICY,
        random: (this.deps.random ?? Math.random)(),
      });
      // A DELETE is retried whatever the answer (a 403 today may be a token fixed tomorrow),
      // at the slowest pace when the policy would not retry it.
      const delayMs = decision.retry
        ? decision.delayMs
        : (this.deps.policy ?? DELETE_POLICY).maxDelayMs;
      const updated: DeleteEntry = {
        ...entry,
        attempts,
        nextAt: new Date(Date.now() + delayMs).toISOString(),
        lastError: describe(failure),
      };
      this.entries = this.entries.map((other) =>
        other.gameClipId === entry.gameClipId ? updated : other,
      );
      await this.save();
      this.deps.logger.warn('delete queue: DELETE not confirmed; will try again', {
        gameClipId: entry.gameClipId,
        attempts,
        delayMs,
        failure: describe(failure),
      });
    }
  }

  private save(): Promise<void> {
    const snapshot = `${JSON.stringify({ version: 1, entries: this.entries }, null, 2)}\n`;
    this.writing = this.writing
      .catch(() => undefined)
      .then(() => writeFileAtomic(this.deps.file, snapshot))
      .catch((error: unknown) =>
        this.deps.logger.error('delete queue: could not be saved', { error: String(error) }),
      );
    return this.writing;
  }
}

function outcomeOf(failure: CallFailure) {
  if (failure.kind === 'network')
    return failure.sent ? ({ kind: 'ambiguous' } as const) : ({ kind: 'not-sent' } as const);
  if (failure.kind === 'malformed') return { kind: 'ambiguous' } as const;
  return {
    kind: 'status' as const,
    status: failure.status,
    ...(failure.retryAfterSeconds !== undefined
      ? { retryAfterSeconds: failure.retryAfterSeconds }
      : {}),
  };
}

function describe(failure: CallFailure): string {
  return failure.kind === 'http'
    ? `HTTP ${failure.status}${failure.message ? `: ${failure.message}` : ''}`
    : failure.message;
}
