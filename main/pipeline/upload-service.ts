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
import { lstat, open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import {
  blocksAcked,
  clipPublished,
  clipStopped,
  metadataAccepted,
  serviceMetadata,
  thumbnailsSettled,
  uploadCancelled,
  uploadPaused,
  uploadProcessing,
  uploadRetrying,
  uploadStarted,
  type ClipRecord,
  type ServiceLinks,
} from '../../app/clip/clip';
import { checkCommand } from '../../app/clip/commands';
import { SERVICE_FAILURE_STATES, mustTransition } from '../../app/clip/lifecycle';
import { errorView, type AppErrorCode } from '../../app/errors';
import { blockSpan } from '../../app/gameclips/blocks';
import type { ThumbnailSource } from '../../app/gameclips/enums';
import { CLIENT_BLOCK_BYTES } from '../../app/gameclips/limits';
import { validateUpdateMetadataRequest } from '../../app/gameclips/validate';
import type { GameClip } from '../../app/gameclips/wire';
import {
  classifyFailure,
  describeFailure as describe,
  outcomeOf,
} from '../../app/gameclips/failure';
import { WAIT_CLAMPS, clampWaitMs, decideRetry, type RetryPolicy } from '../../app/retry';
import type { SendPolicy } from '../../app/settings';
import { fullBucket, takeTokens, type Bucket } from '../../app/upload/bandwidth';
import { ackedBytes, blocksOf, pendingBlocks } from '../../app/upload/blocks';
import { metadataUpdate } from '../../app/upload/metadata';
import { decideSend } from '../../app/upload/send-policy';
import type { ServiceBinding } from '../../app/service/reservation-binding';
import type { Logger } from '../core/logger';
import type { BlockTransport } from '../gameclips/block-transport';
import type {
  AccountProvider,
  CallFailure,
  CallResult,
  GameClipsClient,
} from '../gameclips/gameclips-client';
import { quickFingerprint } from '../intake/fingerprint';
import type { ClipLedger } from '../ledger/clip-ledger';
import { guardReservation, type ReservationUris } from './reservation-guard';
import { BlockVerifier, sweepBlockReferences } from './block-verifier';
import type { DeleteQueue } from './delete-queue';
import { abortableSleep } from './sleep';
import type { ThumbnailStore } from './thumbnail-store';
import { UploadJournal } from './upload-journal';

/** What a progress reading holds besides the bytes sent (app/upload/progress.ts shows these). */
export interface ProgressDetail {
  /** Bytes the service acknowledged: what the window shows, never less than before. */
  readonly ackedBytes: number;
  /** This run of the upload just started (send, resume, restart, retry): the rate starts afresh. */
  readonly restarted?: boolean;
}

export interface UploadEvents {
  /** Bytes sent so far (acknowledged plus in flight); called often, consumers throttle. */
  progress(clipId: string, sentBytes: number, totalBytes: number, detail?: ProgressDetail): void;
  /** Blocks committed, thumbnails and metadata sent: the service is processing it. */
  completed(record: ClipRecord): void;
  published(record: ClipRecord): void;
  failed(record: ClipRecord): void;
  /** The file is gone: shown as missing, never dropped. */
  missing(record: ClipRecord): void;
  /** The file changed under a reservation: it was deleted and the clip goes through the gate again. */
  changed(record: ClipRecord): void;
  /** Needs the user (signed out, forbidden). */
  blocked(record: ClipRecord): void;
  /** An `Upload` clip has no thumbnails yet: the window should render them. */
  thumbnailsWanted(clipId: string, offsetMs: number): void;
}

export interface UploadSettings {
  readonly sendPolicy: SendPolicy;
  readonly parallelBlocks: number;
  /** 0: no cap. */
  readonly bandwidthCapBytesPerSecond: number;
  /**
   * Which clips the send policy may release; all when absent. `watch --upload` releases only
   * clips from its own folders, never one made in the window or found in another folder.
   */
  readonly releases?: (record: ClipRecord) => boolean;
}

export interface UploadServiceDeps {
  /**
   * Retry for a clip stopped before it had a reservation (blocked as signed out, over quota,
   * wrong address, or waiting on a back-off): the reservation service owns those.
   */
  readonly retryReservation?: (id: string) => boolean;
  readonly ledger: ClipLedger;
  readonly client: GameClipsClient;
  readonly transport: BlockTransport;
  /**
   * Unused: the clients refresh the account after a 401 (app/gameclips/failure.ts). Optional so
   * callers still compile; it goes with the pipeline split.
   */
  readonly account?: AccountProvider;
  readonly logger: Logger;
  readonly events: Partial<UploadEvents>;
  readonly settings: () => UploadSettings;
  readonly thumbnailSource: ThumbnailSource;
  readonly thumbnails: ThumbnailStore;
  /** Where the acknowledged-block journals live. */
  readonly journalFolder: string;
  /** Reserve the record again (after a 410, or a changed file that passed the gate). */
  readonly reserveAgain: (clipId: string) => void;
  /** Takes a changed file through the gate again; resolves with the record it leaves. */
  readonly reintake: (record: ClipRecord) => Promise<void>;
  readonly noProgressTimeoutMs?: number;
  /** How long to wait for the window's thumbnails before going without. */
  readonly thumbnailWaitMs?: number;
  readonly follow?: { firstMs: number; maxMs: number; giveUpMs: number };
  readonly blockPolicy?: RetryPolicy;
  /** Clips uploading at once; each sends `parallelBlocks` blocks at a time. */
  readonly activeClips?: number;
  readonly random?: () => number;
  /**
   * The service and account in use now (issue 14): a reservation of another, or with an address
   * outside the token's scope, is never uploaded to. Without it, URIs are used as stored.
   */
  readonly binding?: () => Promise<ServiceBinding>;
  /** Abandoned reservations are deleted through it until the service confirms (item 10). */
  readonly deleteQueue?: DeleteQueue;
}

/** Spec 5.4: from 2 s, doubling, with jitter; Retry-After always wins. */
export const BLOCK_RETRY_POLICY: RetryPolicy = {
  baseDelayMs: 2000,
  maxDelayMs: 30_000,
  maxAttempts: 10,
  maxWaitMs: WAIT_CLAMPS.followMaxMs,
};
const ACK_BATCH_MS = 1000;
const JOB_RETRY_MS = 60_000;
const METADATA_DEBOUNCE_MS = 1500;

type BlocksOutcome =
  | { kind: 'committed' }
  | { kind: 'aborted' }
  | { kind: 'expired'; detail?: string }
  /** Needs the user (signed out after the client's refresh, forbidden). */
  | { kind: 'blocked'; code: AppErrorCode; detail?: string }
  | { kind: 'failed'; code: AppErrorCode; detail?: string }
  | { kind: 'retry-later'; code: AppErrorCode; detail?: string; delayMs: number }
  | { kind: 'changed' }
  | { kind: 'gone' };

interface Job {
  readonly controller: AbortController;
  readonly done: Promise<void>;
}

export class UploadService {
  private readonly queue: string[] = [];
  private readonly jobs = new Map<string, Job>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly following = new Set<string>();
  private readonly metadataTimers = new Map<string, NodeJS.Timeout>();
  private readonly metadataRunning = new Set<string>();
  private readonly background = new Set<Promise<unknown>>();
  private bucket: Bucket | undefined;
  private pausedAll = false;
  private stopped = false;
  private policyTimer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  /** Aborted by stop(): every wait ends at once, whatever Retry-After said (item 7). */
  private readonly stopController = new AbortController();

  constructor(private readonly deps: UploadServiceDeps) {}

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
      else if (record.state === 'processing') this.follow(record.id);
      else if (record.state === 'published') this.scheduleMetadata(record.id, 0);
    }
    this.unsubscribe = this.deps.ledger.subscribe(({ upserted }) => {
      if (!upserted) return;
      if (upserted.state === 'published' || upserted.state === 'processing') {
        const sent = serviceMetadata(upserted);
        if (sent && metadataUpdate(upserted.draft, sent)) this.scheduleMetadata(upserted.id);
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
      if (latest.reservation) await this.deleteReservation(latest);
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
        this.follow(id);
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
    for (const timer of [...this.timers.values(), ...this.metadataTimers.values()])
      clearTimeout(timer);
    this.timers.clear();
    this.metadataTimers.clear();
    for (const job of this.jobs.values()) job.controller.abort();
    await Promise.allSettled([...[...this.jobs.values()].map((job) => job.done)]);
    await Promise.allSettled([...this.background]);
  }

  /** A clip adopted from the service while still processing: follow it to Published. */
  followCommitted(id: string): void {
    if (this.deps.ledger.get(id)?.state === 'processing') this.follow(id);
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
      const guarded = await this.guard(record);
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
      if (identity === 'gone') return this.fileGone(record);
      if (identity === 'changed') return this.fileChanged(record);
      if (identity !== 'same') {
        record = mustTransition(record, { type: 'file-changed', identity }, now());
        await this.deps.ledger.put(record);
      }
      const outcome = await this.sendBlocks(
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
          return this.fileGone(record);
        case 'changed':
          return this.fileChanged(record);
        case 'expired':
          return this.expired(record, outcome.detail);
        case 'blocked':
          return this.stopWith(record, 'blocked', outcome.code, outcome.detail);
        case 'failed':
          return this.stopWith(record, 'failed', outcome.code, outcome.detail);
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
    await this.sendThumbnails(id, signal, uris);
    if (signal.aborted) return;
    await this.sendMetadata(id);
    const latest = this.deps.ledger.get(id);
    if (!latest || latest.state !== 'uploading') return;
    const processing = uploadProcessing(latest, 'Uploaded', now());
    await this.deps.ledger.put(processing);
    this.deps.events.completed?.(processing);
    this.follow(id);
  }

  private async sendBlocks(record: ClipRecord, signal: AbortSignal): Promise<BlocksOutcome> {
    const reservation = record.reservation!;
    const { ledger, transport, logger } = this.deps;
    const size = record.file.size;
    const expected =
      record.upload?.expectedBlocks ?? blocksOf(size, record.request?.expectedBlocks);
    const journal = await UploadJournal.open(
      this.deps.journalFolder,
      sanitize(reservation.gameClipId),
    );
    const acked = new Set<number>([
      ...(record.upload?.ackedBlocks ?? []),
      ...(await journal.read()),
    ]);
    let pending = pendingBlocks(expected, acked);
    // Every block acknowledged but no commit recorded (a crash right after the 201): a replay of
    // the last block answers 201 again and changes nothing (spec section 6).
    if (pending.length === 0) pending = [expected - 1];

    let handle: FileHandle;
    try {
      handle = await open(record.file.path, 'r');
    } catch {
      await journal.close();
      return { kind: 'gone' };
    }
    // The reference of the version being uploaded: every block sent is checked against it.
    const verifierName = sanitize(reservation.gameClipId);
    const verifier = await BlockVerifier.open(
      this.deps.journalFolder,
      verifierName,
      record.file,
      handle,
      expected,
    ).catch(() => 'changed' as const);
    if (verifier === 'changed') {
      await handle.close().catch(() => undefined);
      await journal.close();
      return { kind: 'changed' };
    }
    const inFlight = new Map<number, number>();
    const sentBytes = () => {
      let total = ackedBytes(size, acked);
      for (const bytes of inFlight.values()) total += bytes;
      return Math.min(size, total);
    };
    const report = (restarted = false) =>
      this.deps.events.progress?.(record.id, sentBytes(), size, {
        ackedBytes: ackedBytes(size, acked),
        ...(restarted ? { restarted } : {}),
      });
    report(true);
    let committed = false;
    let outcome: BlocksOutcome | undefined;
    let unsaved = 0;
    let batchTimer: NodeJS.Timeout | undefined;
    const saveBatch = async () => {
      if (batchTimer) clearTimeout(batchTimer);
      batchTimer = undefined;
      if (unsaved === 0 && !committed) return;
      unsaved = 0;
      const latest = ledger.get(record.id);
      if (!latest) return;
      await ledger.put(blocksAcked(latest, acked, committed, now()));
    };
    const scheduleBatch = () => {
      unsaved++;
      batchTimer ??= setTimeout(() => void saveBatch(), ACK_BATCH_MS);
    };
    const stop = (value: BlocksOutcome) => {
      outcome ??= value;
    };
    const settings = this.deps.settings();
    // Size and mtime before each block, and each block's bytes against the reference after it is
    // read: a file rewritten mid-upload is caught before a block of the new version leaves.
    // The path (replaced by a rename?) at most every 200 ms: an lstat per 2 MB block was a tenth
    // of the client's CPU per GiB (P4). The open file is checked after every read (below).
    let pathCheckedAtMs = 0;
    const checkPath = async (): Promise<BlocksOutcome | undefined> => {
      if (Date.now() - pathCheckedAtMs < 200) return undefined;
      pathCheckedAtMs = Date.now();
      const check = await verifier.pathCheck();
      return check === 'same' ? undefined : { kind: check };
    };
    const checkOpenFile = async (): Promise<BlocksOutcome | undefined> => {
      const check = await verifier.check(handle);
      return check === 'same' ? undefined : { kind: check };
    };
    let next = 0;
    const worker = async () => {
      // One zeroed buffer per worker, reused for every block it reads.
      const buffer = Buffer.alloc(CLIENT_BLOCK_BYTES);
      for (;;) {
        if (outcome || signal.aborted) return;
        const blockNum = pending[next++];
        if (blockNum === undefined) return;
        const span = blockSpan(size, blockNum);
        const length = span.end - span.start;
        for (let attempt = 1; ; attempt++) {
          if (outcome || signal.aborted) return;
          const problem = await checkPath();
          if (problem) return stop(problem);
          const { bytesRead } = await handle.read(buffer, 0, length, span.start);
          if (bytesRead !== length) return stop({ kind: 'changed' });
          // Read before any change to the file, and its bytes the ones first read for this block.
          const changedDuringRead = await checkOpenFile();
          if (changedDuringRead) return stop(changedDuringRead);
          if (!verifier.matches(blockNum, buffer.subarray(0, length)))
            return stop({ kind: 'changed' });
          inFlight.set(blockNum, 0);
          const result = await transport.putBlock(
            reservation.uploadUri,
            blockNum,
            buffer.subarray(0, length),
            reservation.uploadId,
            {
              noProgressTimeoutMs: this.deps.noProgressTimeoutMs ?? 30_000,
              signal,
              onSent: (bytes) => {
                inFlight.set(blockNum, (inFlight.get(blockNum) ?? 0) + bytes);
                report();
              },
              ...(settings.bandwidthCapBytesPerSecond > 0
                ? { pace: (bytes: number) => this.pace(bytes, settings.bandwidthCapBytesPerSecond) }
                : {}),
            },
          );
          inFlight.delete(blockNum);
          if (result.ok) {
            acked.add(blockNum);
            if (result.status === 201) committed = true;
            // The ack is on disk before this worker takes its next block (the journal's promise).
            await journal.append(blockNum);
            if (committed) stop({ kind: 'committed' });
            else scheduleBatch();
            report();
            break;
          }
          if (signal.aborted) return;
          const failure = result.failure;
          // Never sent: the token may not go there (issue 14); trying again changes nothing.
          if (failure.kind === 'network' && failure.refused)
            return stop({
              kind: 'failed',
              code: 'gameclips/untrusted-address',
              ...detailOf(failure),
            });
          if (failure.kind === 'http' && failure.status >= 300 && failure.status < 400)
            return stop({
              kind: 'failed',
              code: 'gameclips/redirect-refused',
              ...detailOf(failure),
            });
          // One classification for every call; a 401 here already had the client's refresh.
          const verdict = classifyFailure('block', failure);
          if (verdict.kind === 'expired') return stop({ kind: 'expired', ...detailOf(failure) });
          if (verdict.kind === 'stop')
            return stop({
              kind: verdict.state === 'blocked' ? 'blocked' : 'failed',
              code: verdict.code,
              ...detailOf(failure),
            });
          const decision = decideRetry(outcomeOf(failure), attempt, {
            idempotent: true,
            policy: this.deps.blockPolicy ?? BLOCK_RETRY_POLICY,
            random: (this.deps.random ?? Math.random)(),
          });
          logger.debug('upload: block failed', {
            id: record.id,
            blockNum,
            attempt,
            failure: describe(failure),
          });
          if (!decision.retry)
            return stop({
              kind: 'retry-later',
              code: verdict.kind === 'retry' ? verdict.code : 'gameclips/unavailable',
              detail: describe(failure),
              delayMs: JOB_RETRY_MS,
            });
          await sleep(decision.delayMs, signal);
        }
      }
    };
    try {
      const workers = Math.max(1, Math.min(settings.parallelBlocks, pending.length));
      await Promise.all(Array.from({ length: workers }, worker));
    } finally {
      await handle.close().catch(() => undefined);
      await saveBatch();
      await verifier.saveIfChanged();
    }
    if (outcome?.kind === 'committed' || committed) {
      await journal.remove();
      // After the last block: a file changed since is re-decided (the reservation is dropped).
      const after = await verifier.pathCheck();
      await verifier.remove();
      if (after !== 'same') return { kind: after };
      return { kind: 'committed' };
    }
    await journal.close();
    if (signal.aborted) return { kind: 'aborted' };
    if (outcome) return outcome;
    // All pending blocks were acknowledged with 202 but none answered 201: the set is incomplete
    // on the service side (it lost blocks). Forget the acks so the next run sends everything.
    logger.warn('upload: every block acknowledged without a commit; sending again', {
      id: record.id,
    });
    const latest = ledger.get(record.id);
    if (latest?.upload) await ledger.put(mustTransition(latest, { type: 'acks-forgotten' }, now()));
    await journal.remove();
    return {
      kind: 'retry-later',
      code: 'gameclips/unavailable',
      detail: 'The service did not confirm the upload.',
      delayMs: 1000,
    };
  }

  private async pace(bytes: number, cap: number): Promise<void> {
    const result = takeTokens(this.bucket ?? fullBucket(cap, Date.now()), bytes, cap, Date.now());
    this.bucket = result.bucket;
    if (result.waitMs > 0) await abortableSleep(result.waitMs, this.stopController.signal);
  }

  private async fileGone(record: ClipRecord): Promise<void> {
    const missing = clipStopped(record, 'missing', errorView('intake/missing'), now());
    await this.deps.ledger.put(missing);
    this.deps.logger.warn('upload: the file is gone', { id: record.id });
    this.deps.events.missing?.(missing);
  }

  private async fileChanged(record: ClipRecord): Promise<void> {
    this.deps.logger.warn('upload: the file changed under its reservation', { id: record.id });
    await this.deleteReservation(record);
    const changed = mustTransition(record, { type: 'file-changed' }, now());
    await this.deps.ledger.put(changed);
    this.deps.events.changed?.(changed);
    await this.deps.reintake(changed);
  }

  private async expired(record: ClipRecord, detail?: string): Promise<void> {
    const next = mustTransition(record, { type: 'expired', ...(detail ? { detail } : {}) }, now());
    if (next.state === 'failed') {
      await this.deps.ledger.put(next);
      this.deps.events.failed?.(next);
      return;
    }
    this.deps.logger.warn('upload: the reservation expired; reserving once more', {
      id: record.id,
    });
    await this.deleteReservation(record);
    // `uploading` on the new reservation: the user already said Send.
    await this.deps.ledger.put(next);
    this.deps.reserveAgain(record.id);
  }

  private guard(record: ClipRecord) {
    return guardReservation(
      {
        binding: this.deps.binding!,
        client: this.deps.client,
        ledger: this.deps.ledger,
        logger: this.deps.logger,
        deleteReservation: (stale) => this.deleteReservation(stale),
        abandonReservation: async (stale) => {
          if (!stale.reservation) return;
          const journal = await UploadJournal.open(
            this.deps.journalFolder,
            sanitize(stale.reservation.gameClipId),
          );
          await journal.remove();
        },
        reserveAgain: this.deps.reserveAgain,
        blocked: (stopped) => this.deps.events.blocked?.(stopped),
      },
      record,
    );
  }

  private async stopWith(
    record: ClipRecord,
    state: 'failed' | 'blocked',
    code: AppErrorCode,
    detail?: string,
  ): Promise<void> {
    const stopped = clipStopped(record, state, errorView(code, detail), now());
    await this.deps.ledger.put(stopped);
    if (state === 'blocked') this.deps.events.blocked?.(stopped);
    else this.deps.events.failed?.(stopped);
  }

  private async deleteReservation(record: ClipRecord): Promise<void> {
    const reservation = record.reservation;
    if (!reservation) return;
    await BlockVerifier.remove(this.deps.journalFolder, sanitize(reservation.gameClipId));
    if (this.deps.deleteQueue) {
      // Durable and retried until the service confirms: never left holding quota (item 10).
      await this.deps.deleteQueue.add({
        scid: reservation.scid,
        gameClipId: reservation.gameClipId,
        clipId: record.id,
        reason: record.state === 'uploading' ? 'abandoned' : record.state,
      });
    } else {
      const result = await withRetries(
        () => this.deps.client.deleteClip(reservation.scid, reservation.gameClipId),
        this.stopController.signal,
      );
      if (!result.ok && !(result.failure.kind === 'http' && result.failure.status === 404))
        this.deps.logger.warn('upload: could not delete a reservation; it will expire by itself', {
          id: record.id,
          failure: describe(result.failure),
        });
    }
    const journal = await UploadJournal.open(
      this.deps.journalFolder,
      sanitize(reservation.gameClipId),
    );
    await journal.remove();
  }

  // ---- thumbnails and metadata ----

  private async sendThumbnails(
    id: string,
    signal: AbortSignal,
    uris: ReservationUris | undefined,
  ): Promise<void> {
    const record = this.deps.ledger.get(id);
    // The URIs as the guard resolved them (absolute, inside the token's scope); none: send none.
    const reservation =
      record?.reservation && uris ? { ...record.reservation, ...uris } : undefined;
    if (!record || !reservation || record.thumbnails !== undefined) return;
    if (this.deps.thumbnailSource !== 'Upload') return;
    if (!reservation.largeThumbnailUri || !reservation.smallThumbnailUri) return;
    let pair = await this.deps.thumbnails.load(id);
    if (!pair) {
      this.deps.events.thumbnailsWanted?.(id, record.draft.thumbnailOffsetMs ?? 0);
      pair = await this.deps.thumbnails.waitFor(id, this.deps.thumbnailWaitMs ?? 20_000);
    }
    if (signal.aborted) return;
    let outcome: 'sent' | 'unavailable' = 'unavailable';
    if (pair) {
      const large = await withRetries(
        () => this.deps.client.putThumbnail(reservation.largeThumbnailUri!, pair.large),
        this.stopController.signal,
      );
      const small = large.ok
        ? await withRetries(
            () => this.deps.client.putThumbnail(reservation.smallThumbnailUri!, pair.small),
            this.stopController.signal,
          )
        : large;
      if (large.ok && small.ok) outcome = 'sent';
      else
        this.deps.logger.warn('upload: thumbnails not accepted; publishing without them', {
          id,
          failure: small.ok ? '' : describe(small.failure),
        });
    } else {
      this.deps.logger.warn('upload: no thumbnails came from the window; publishing without', {
        id,
      });
    }
    const latest = this.deps.ledger.get(id);
    if (latest) await this.deps.ledger.put(thumbnailsSettled(latest, outcome, now()));
    if (outcome === 'sent') await this.deps.thumbnails.remove(id);
  }

  private scheduleMetadata(id: string, delayMs = METADATA_DEBOUNCE_MS): void {
    if (this.stopped) return;
    const previous = this.metadataTimers.get(id);
    if (previous) clearTimeout(previous);
    const timer = setTimeout(() => {
      this.metadataTimers.delete(id);
      this.track(this.syncMetadata(id));
    }, delayMs);
    timer.unref();
    this.metadataTimers.set(id, timer);
  }

  /** Edits after the commit (processing or published): queued, retried until the service has them. */
  private async syncMetadata(id: string): Promise<void> {
    if (this.metadataRunning.has(id)) return this.scheduleMetadata(id);
    this.metadataRunning.add(id);
    try {
      const state = this.deps.ledger.get(id)?.state;
      if (state !== 'published' && state !== 'processing') return;
      const sent = await this.sendMetadata(id);
      if (sent === 'later') this.scheduleMetadata(id, JOB_RETRY_MS);
    } finally {
      this.metadataRunning.delete(id);
    }
  }

  /** Sends caption/visibility when they differ from what the service has. */
  private async sendMetadata(id: string): Promise<'done' | 'later'> {
    for (let round = 0; round < 3; round++) {
      const record = this.deps.ledger.get(id);
      const reservation = record?.reservation;
      const sent = record && serviceMetadata(record);
      if (!record || !reservation || !sent) return 'done';
      const draft = { caption: record.draft.caption, visibility: record.draft.visibility };
      const update = metadataUpdate(draft, sent);
      if (!update) return 'done';
      const valid = validateUpdateMetadataRequest(update);
      if (!valid.ok) {
        this.deps.logger.warn('upload: the edited details are not valid; not sent', { id });
        return 'done';
      }
      const result = await withRetries(
        () =>
          this.deps.client.updateMetadata(reservation.scid, reservation.gameClipId, valid.value),
        this.stopController.signal,
      );
      if (!result.ok) {
        this.deps.logger.warn('upload: metadata update not sent; will try again', {
          id,
          failure: describe(result.failure),
        });
        const verdict = classifyFailure('metadata', result.failure);
        const permanent = verdict.kind === 'stop' && verdict.code !== 'gameclips/unauthorized';
        return permanent ? 'done' : 'later';
      }
      const latest = this.deps.ledger.get(id);
      if (latest) await this.deps.ledger.put(metadataAccepted(latest, draft, now()));
    }
    return 'later';
  }

  // ---- following through ----

  private follow(id: string): void {
    if (this.following.has(id) || this.stopped) return;
    this.following.add(id);
    this.track(
      this.pollUntilSettled(id).finally(() => {
        this.following.delete(id);
      }),
    );
  }

  private async pollUntilSettled(id: string): Promise<void> {
    const schedule = this.deps.follow ?? { firstMs: 2000, maxMs: 60_000, giveUpMs: 15 * 60_000 };
    const startedMs = Date.now();
    let delayMs = schedule.firstMs;
    for (;;) {
      await abortableSleep(delayMs, this.stopController.signal);
      if (this.stopped) return;
      const record = this.deps.ledger.get(id);
      const reservation = record?.reservation;
      if (!record || !reservation || record.state !== 'processing') return;
      const result = await this.deps.client.getClip(reservation.scid, reservation.gameClipId);
      const random = (this.deps.random ?? Math.random)();
      delayMs = Math.min(schedule.maxMs, WAIT_CLAMPS.followMaxMs, delayMs * (1.5 + random));
      if (result.ok) {
        const clip = result.value;
        const state = clip.state;
        if (state === 'Published') {
          const latest = this.deps.ledger.get(id) ?? record;
          const published = clipPublished(latest, linksOf(clip), now());
          await this.deps.ledger.put(published);
          this.deps.events.published?.(published);
          await this.sendMetadata(id).then((sent) => {
            if (sent === 'later') this.scheduleMetadata(id, JOB_RETRY_MS);
          });
          return;
        }
        if ((SERVICE_FAILURE_STATES as readonly string[]).includes(state)) {
          const latest = this.deps.ledger.get(id) ?? record;
          const failed = mustTransition(
            latest,
            { type: 'service-state-seen', serviceState: state },
            now(),
          );
          await this.deps.ledger.put(failed);
          this.deps.events.failed?.(failed);
          return;
        }
        if (state !== record.upload?.serviceState)
          await this.deps.ledger.put(uploadProcessing(record, state, now()));
      } else {
        const failure = result.failure;
        const verdict = classifyFailure('poll', failure);
        if (verdict.kind === 'stop' && verdict.code === 'gameclips/processing-failed') {
          // 404 also covers "flagged for enforcement" and privacy refusals (spec step 4).
          const failed = mustTransition(
            record,
            { type: 'service-lost', ...(failure.message ? { detail: failure.message } : {}) },
            now(),
          );
          await this.deps.ledger.put(failed);
          this.deps.events.failed?.(failed);
          return;
        }
        // At least 1 s, at most 10 minutes, whatever the header said (item 7).
        if (failure.kind === 'http' && failure.retryAfterSeconds !== undefined)
          delayMs = Math.max(
            delayMs,
            clampWaitMs(failure.retryAfterSeconds * 1000, WAIT_CLAMPS.followMaxMs),
          );
      }
      if (Date.now() - startedMs > schedule.giveUpMs) {
        // Left `processing`: the next start follows it again.
        this.deps.logger.warn('upload: still processing; will check again at the next start', {
          id,
        });
        return;
      }
    }
  }
}

async function checkIdentity(
  record: ClipRecord,
): Promise<'same' | 'gone' | 'changed' | ClipRecord['file']> {
  const file = record.file;
  const info = await lstat(file.path).catch(() => undefined);
  if (!info?.isFile()) return 'gone';
  if (info.size !== file.size) return 'changed';
  let fingerprint: string;
  try {
    const handle = await open(file.path, 'r');
    try {
      fingerprint = await quickFingerprint(handle, info.size);
    } finally {
      await handle.close();
    }
  } catch {
    return 'gone';
  }
  if (fingerprint !== file.fingerprint) return 'changed';
  // Touched or copied over itself with the same bytes: the same clip, with its new times.
  return info.mtimeMs === file.mtimeMs ? 'same' : { ...file, mtimeMs: info.mtimeMs };
}

function linksOf(clip: GameClip): ServiceLinks {
  const large = clip.thumbnails?.find((thumb) => thumb.thumbnailType === 'Large');
  const small = clip.thumbnails?.find((thumb) => thumb.thumbnailType === 'Small');
  const download =
    clip.gameClipUris?.find((uri) => uri.uriType === 'Download') ??
    clip.gameClipUris?.find((uri) => uri.uriType === 'Original');
  return {
    ...(large ? { largeThumbnailUri: large.uri } : {}),
    ...(small ? { smallThumbnailUri: small.uri } : {}),
    ...(download ? { downloadUri: download.uri } : {}),
    ...(download?.expiration ? { downloadUriExpires: download.expiration } : {}),
    recordedAt: now(),
  };
}

function detailOf(failure: CallFailure): { detail?: string } {
  return { detail: describe(failure) };
}

/** Idempotent calls (thumbnail PUT, update POST, DELETE, GET) with a short retry window. */
async function withRetries<T>(
  call: () => Promise<CallResult<T>>,
  signal?: AbortSignal,
): Promise<CallResult<T>> {
  const policy: RetryPolicy = {
    baseDelayMs: 1000,
    maxDelayMs: 8000,
    maxAttempts: 4,
    maxWaitMs: WAIT_CLAMPS.followMaxMs,
  };
  for (let attempt = 1; ; attempt++) {
    const result = await call();
    if (result.ok) return result;
    if (result.failure.kind === 'network' && result.failure.refused) return result;
    const decision = decideRetry(outcomeOf(result.failure), attempt, {
      idempotent: true,
      policy,
      random: Math.random(),
    });
    if (!decision.retry || signal?.aborted) return result;
    await abortableSleep(decision.delayMs, signal);
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done);
  });
}

function sanitize(gameClipId: string): string {
  return gameClipId.replace(/[^0-9A-Za-z-]/gu, '_').slice(0, 80);
}

function now(): string {
  return new Date().toISOString();
}

/** Where the journals live inside a data folder. */
export function journalFolderOf(dataDir: string): string {
  return path.join(dataDir, 'upload-journal');
}
