/**
 * Upload and follow-through (clip-lifecycle.md section 4): blocks, thumbnails, the metadata
 * update, then polling until Published or a terminal state.
 *
 * Every step starts from the ledger record and writes its outcome back, so a restart picks up
 * where the last run stopped: acknowledged blocks are never sent again (the journal, then the
 * record), a committed clip is only followed, and caption edits the service has not seen are sent
 * when it can be reached. The file is checked (size, mtime, fingerprint) before any block goes,
 * and its size and mtime before each block: a changed file drops the reservation and goes back
 * through the gate; a deleted one shows as missing.
 */
import path from 'node:path';
import {
  serviceMetadata,
  uploadCancelled,
  uploadPaused,
  uploadProcessing,
  uploadRetrying,
  uploadStarted,
  type ClipRecord,
} from '../../app/clip/clip';
import { checkCommand } from '../../app/clip/commands';
import { mustTransition } from '../../app/clip/lifecycle';
import { errorView } from '../../app/errors';
import { fullBucket, takeTokens, type Bucket } from '../../app/upload/bandwidth';
import { blocksOf } from '../../app/upload/blocks';
import { metadataUpdate } from '../../app/upload/metadata';
import { decideSend } from '../../app/upload/send-policy';
import { sendBlocks } from './block-sender';
import { sweepBlockReferences } from './block-verifier';
import type { ReservationUris } from './reservation-guard';
import { abortableSleep } from './sleep';
import { UploadFinisher } from './upload-finishing';
import { checkIdentity, now, sanitize } from './upload-helpers';
import { UploadJournal } from './upload-journal';
import { UploadOutcomes } from './upload-outcomes';
import { JOB_RETRY_MS, type UploadServiceDeps } from './upload-types';

export {
  BLOCK_RETRY_POLICY,
  type ProgressDetail,
  type UploadEvents,
  type UploadServiceDeps,
  type UploadSettings,
} from './upload-types';

interface Job {
  readonly controller: AbortController;
  readonly done: Promise<void>;
}

export class UploadService {
  private readonly queue: string[] = [];
  private readonly jobs = new Map<string, Job>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly background = new Set<Promise<unknown>>();
  private bucket: Bucket | undefined;
  private pausedAll = false;
  private stopped = false;
  private policyTimer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  /** Aborted by stop(): every wait ends at once, whatever Retry-After said (item 7). */
  private readonly stopController = new AbortController();
  /** Thumbnails, metadata and following to Published, after the commit. */
  private readonly finisher: UploadFinisher;
  /** Gone, changed, expired, stopped: where a run ends short of finishing. */
  private readonly outcomes: UploadOutcomes;

  constructor(private readonly deps: UploadServiceDeps) {
    this.finisher = new UploadFinisher(deps, {
      signal: this.stopController.signal,
      stopped: () => this.stopped,
      track: (work) => this.track(work),
    });
    this.outcomes = new UploadOutcomes(deps, this.stopController.signal);
  }

  get allPaused(): boolean {
    return this.pausedAll;
  }

  /** Picks up what a previous run left, and starts watching for edits and due auto-sends. */
  async start(): Promise<void> {
    const live = new Set<string>();
    for (const record of this.deps.ledger.all())
      if (record.reservation) live.add(sanitize(record.reservation.gameClipId));
    await UploadJournal.sweep(this.deps.journalFolder, live);
    await sweepBlockReferences(this.deps.journalFolder, live);
    for (const record of this.deps.ledger.all()) {
      if (record.state === 'uploading') this.enqueue(record.id);
      else if (record.state === 'processing') this.finisher.follow(record.id);
      else if (record.state === 'published') this.finisher.scheduleMetadata(record.id, 0);
    }
    this.unsubscribe = this.deps.ledger.subscribe(({ upserted }) => {
      if (!upserted) return;
      if (upserted.state === 'published' || upserted.state === 'processing') {
        const sent = serviceMetadata(upserted);
        if (sent && metadataUpdate(upserted.draft, sent))
          this.finisher.scheduleMetadata(upserted.id);
      }
    });
    this.evaluatePolicy();
    this.policyTimer = setInterval(() => this.evaluatePolicy(), 10_000);
    this.policyTimer.unref();
  }

  /** A clip was reserved: the send policy decides whether it goes now. */
  reserved(record: ClipRecord): void {
    this.evaluateOne(record, Date.now());
  }

  /** Sends reserved clips whose time has come (after-delay and immediate policies). */
  evaluatePolicy(): void {
    const nowMs = Date.now();
    for (const record of this.deps.ledger.all()) this.evaluateOne(record, nowMs);
  }

  /** The user pressed Send (or Send all). */
  async send(ids: readonly string[]): Promise<ClipRecord[]> {
    const changed: ClipRecord[] = [];
    for (const id of ids) {
      const record = this.deps.ledger.get(id);
      if (!record || record.state !== 'reserved' || !record.reservation) continue;
      changed.push(await this.startUpload(record));
    }
    return changed;
  }

  async pause(ids: readonly string[]): Promise<ClipRecord[]> {
    const changed: ClipRecord[] = [];
    for (const id of ids) {
      const record = this.deps.ledger.get(id);
      if (!record || !checkCommand(record, 'pause').ok) continue;
      const paused = uploadPaused(record, now());
      await this.deps.ledger.put(paused);
      this.dequeue(id);
      await this.abort(id);
      changed.push(this.deps.ledger.get(id) ?? paused);
    }
    return changed;
  }

  async resume(ids: readonly string[]): Promise<ClipRecord[]> {
    const changed: ClipRecord[] = [];
    for (const id of ids) {
      const record = this.deps.ledger.get(id);
      if (!record || record.state !== 'paused' || !record.reservation) continue;
      changed.push(await this.startUpload(record));
    }
    return changed;
  }

  /** Deletes the reservation (never the file); the clip moves to the history. */
  async cancel(ids: readonly string[]): Promise<ClipRecord[]> {
    const changed: ClipRecord[] = [];
    for (const id of ids) {
      const record = this.deps.ledger.get(id);
      if (!record || !checkCommand(record, 'cancel').ok) continue;
      this.dequeue(id);
      await this.abort(id);
      const latest = this.deps.ledger.get(id) ?? record;
      if (latest.reservation) await this.outcomes.deleteReservation(latest);
      const cancelled = uploadCancelled(latest, now());
      await this.deps.ledger.put(cancelled);
      await this.deps.thumbnails.remove(id);
      changed.push(cancelled);
    }
    return changed;
  }

  /** Tries again a clip that failed, went missing or needs the user. */
  async retry(ids: readonly string[]): Promise<ClipRecord[]> {
    const changed: ClipRecord[] = [];
    for (const id of ids) {
      const record = this.deps.ledger.get(id);
      if (!record) continue;
      if (!record.reservation) {
        if (this.deps.retryReservation?.(id)) changed.push(this.deps.ledger.get(id) ?? record);
        continue;
      }
      if (!checkCommand(record, 'retry').ok) continue;
      if (record.upload?.committed) {
        if (record.state === 'failed' && record.upload.serviceState !== undefined) {
          // The service refused it after processing: nothing the app can redo with this reservation.
          continue;
        }
        const next = uploadProcessing(record, record.upload.serviceState ?? 'Uploaded', now());
        await this.deps.ledger.put(next);
        this.finisher.follow(id);
        changed.push(next);
        continue;
      }
      changed.push(await this.startUpload(record));
    }
    return changed;
  }

  async pauseAll(): Promise<void> {
    this.pausedAll = true;
    await Promise.all([...this.jobs.keys()].map((id) => this.abort(id, true)));
  }

  resumeAll(): void {
    this.pausedAll = false;
    this.pump();
  }

  /** Resolves when no upload is queued or running (tests, orderly shutdown). */
  async idle(): Promise<void> {
    while (this.jobs.size > 0 || (this.queue.length > 0 && !this.pausedAll))
      await Promise.race([
        ...[...this.jobs.values()].map((job) => job.done),
        new Promise((resolve) => setTimeout(resolve, 20)),
      ]);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopController.abort();
    this.unsubscribe?.();
    if (this.policyTimer) clearInterval(this.policyTimer);
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.finisher.stop();
    for (const job of this.jobs.values()) job.controller.abort();
    await Promise.allSettled([...[...this.jobs.values()].map((job) => job.done)]);
    await Promise.allSettled([...this.background]);
  }

  /** A clip adopted from the service while still processing: follow it to Published. */
  followCommitted(id: string): void {
    if (this.deps.ledger.get(id)?.state === 'processing') this.finisher.follow(id);
  }

  // ---- scheduling ----

  private evaluateOne(record: ClipRecord, nowMs: number): void {
    if (this.stopped || record.state !== 'reserved' || !record.reservation) return;
    // Re-reserved after a 410 or a changed file: the user had already sent it.
    if (record.sendOnReserve) {
      this.track(this.send([record.id]));
      return;
    }
    const settings = this.deps.settings();
    // Consent: a clip uploads when the user sent it or the policy released it, and the policy
    // only speaks for the clips it covers.
    if (settings.releases && !settings.releases(record)) return;
    const decision = decideSend(
      settings.sendPolicy,
      {
        reservedAtMs: Date.parse(record.reservation.reservedAt),
        ...(record.draftEditedAt ? { draftEditedAtMs: Date.parse(record.draftEditedAt) } : {}),
      },
      nowMs,
    );
    if (decision.kind === 'send') this.track(this.send([record.id]));
  }

  private async startUpload(record: ClipRecord): Promise<ClipRecord> {
    const expected = blocksOf(record.file.size, record.request?.expectedBlocks);
    const started = uploadStarted(record, expected, now());
    await this.deps.ledger.put(started);
    this.enqueue(record.id);
    return started;
  }

  private enqueue(id: string): void {
    if (this.stopped || this.jobs.has(id) || this.queue.includes(id)) return;
    const timer = this.timers.get(id);
    if (timer) clearTimeout(timer);
    this.timers.delete(id);
    this.queue.push(id);
    this.pump();
  }

  private dequeue(id: string): void {
    const index = this.queue.indexOf(id);
    if (index >= 0) this.queue.splice(index, 1);
    const timer = this.timers.get(id);
    if (timer) clearTimeout(timer);
    this.timers.delete(id);
  }

  private pump(): void {
    const limit = this.deps.activeClips ?? 2;
    while (!this.stopped && !this.pausedAll && this.jobs.size < limit && this.queue.length > 0) {
      const id = this.queue.shift() as string;
      const controller = new AbortController();
      const done = this.runUpload(id, controller.signal)
        .catch((error: unknown) =>
          this.deps.logger.error('upload: unexpected failure', { id, error: String(error) }),
        )
        .finally(() => {
          this.jobs.delete(id);
          this.pump();
        });
      this.jobs.set(id, { controller, done });
    }
  }

  /** Stops a running upload; with `requeue` it goes back to the front of the queue. */
  private async abort(id: string, requeue = false): Promise<void> {
    const job = this.jobs.get(id);
    if (!job) return;
    job.controller.abort();
    await job.done;
    if (requeue && this.deps.ledger.get(id)?.state === 'uploading') this.queue.unshift(id);
  }

  private retryLater(id: string, delayMs: number): void {
    const previous = this.timers.get(id);
    if (previous) clearTimeout(previous);
    const timer = setTimeout(() => {
      this.timers.delete(id);
      if (this.deps.ledger.get(id)?.state === 'uploading') this.enqueue(id);
    }, delayMs);
    timer.unref();
    this.timers.set(id, timer);
  }

  private track<T>(work: Promise<T>): void {
    const tracked = work.catch((error: unknown) =>
      this.deps.logger.error('upload: background task failed', { error: String(error) }),
    );
    this.background.add(tracked);
    void tracked.finally(() => this.background.delete(tracked));
  }

  // ---- one clip ----

  private async runUpload(id: string, signal: AbortSignal): Promise<void> {
    let record = this.deps.ledger.get(id);
    if (!record || record.state !== 'uploading' || !record.reservation) return;
    let uris: ReservationUris | undefined = record.reservation;
    if (this.deps.binding) {
      const guarded = await this.outcomes.guard(record);
      if (guarded.kind === 'done') return;
      if (guarded.kind === 'later') {
        const retryAt = new Date(Date.now() + JOB_RETRY_MS).toISOString();
        await this.deps.ledger.put(
          uploadRetrying(record, errorView(guarded.code, guarded.detail), retryAt, now()),
        );
        this.retryLater(id, JOB_RETRY_MS);
        return;
      }
      record = guarded.record;
      uris = guarded.uris;
    }

    if (!record.upload?.committed) {
      const identity = await checkIdentity(record);
      if (identity === 'gone') return this.outcomes.fileGone(record);
      if (identity === 'changed') return this.outcomes.fileChanged(record);
      if (identity !== 'same') {
        record = mustTransition(record, { type: 'file-changed', identity }, now());
        await this.deps.ledger.put(record);
      }
      const outcome = await sendBlocks(
        this.deps,
        (bytes, cap) => this.pace(bytes, cap),
        { ...record, reservation: { ...record.reservation!, ...(uris ?? {}) } },
        signal,
      );
      record = this.deps.ledger.get(id) ?? record;
      switch (outcome.kind) {
        case 'committed':
          break;
        case 'aborted':
          return;
        case 'gone':
          return this.outcomes.fileGone(record);
        case 'changed':
          return this.outcomes.fileChanged(record);
        case 'expired':
          return this.outcomes.expired(record, outcome.detail);
        case 'blocked':
          return this.outcomes.stopWith(record, 'blocked', outcome.code, outcome.detail);
        case 'failed':
          return this.outcomes.stopWith(record, 'failed', outcome.code, outcome.detail);
        case 'retry-later': {
          const retryAt = new Date(Date.now() + outcome.delayMs).toISOString();
          await this.deps.ledger.put(
            uploadRetrying(record, errorView(outcome.code, outcome.detail), retryAt, now()),
          );
          this.retryLater(id, outcome.delayMs);
          return;
        }
      }
    }
    if (signal.aborted) return;
    await this.finisher.sendThumbnails(id, signal, uris);
    if (signal.aborted) return;
    await this.finisher.sendMetadata(id);
    const latest = this.deps.ledger.get(id);
    if (!latest || latest.state !== 'uploading') return;
    const processing = uploadProcessing(latest, 'Uploaded', now());
    await this.deps.ledger.put(processing);
    this.deps.events.completed?.(processing);
    this.finisher.follow(id);
  }

  private async pace(bytes: number, cap: number): Promise<void> {
    const result = takeTokens(this.bucket ?? fullBucket(cap, Date.now()), bytes, cap, Date.now());
    this.bucket = result.bucket;
    if (result.waitMs > 0) await abortableSleep(result.waitMs, this.stopController.signal);
  }
}

/** Where the journals live inside a data folder. */
export function journalFolderOf(dataDir: string): string {
  return path.join(dataDir, 'upload-journal');
}
