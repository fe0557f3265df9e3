/**
 * Reservation: POST each finished clip at once, durably and exactly once (clip-lifecycle.md 2).
 *
 * The intent (the request as sent, state `reserving`) is on disk before the POST and the answer
 * right after it. The reserve call is not idempotent, so only failures that certainly did not
 * apply are retried; an ambiguous one (timeout after sending, reset, 5xx, a crash mid-call) is
 * reconciled by listing the user's clips and deleting every reservation carrying this clip's
 * correlation id before reserving again, so there is never more than one live reservation.
 *
 * Why delete rather than adopt: the read model (GET and list, spec 3.4) never carries the upload
 * URIs, so a reservation whose 200 was lost can never be uploaded to. Keeping it would hold quota
 * and leave a `PendingUpload` ghost in the user's list; deleting it and reserving once more
 * leaves exactly one live reservation that the app can use.
 *
 * Calls are paced (app/pacing.ts): a few in flight, a steady rate, and a service-wide pause after
 * a `Retry-After`, so a thousand dropped clips never trip the service's rate limits.
 */
import {
  clipStopped,
  reservationAttempted,
  reservationDeferred,
  reservationSucceeded,
  type ClipRecord,
} from '../../app/clip/clip';
import { mustTransition } from '../../app/clip/lifecycle';
import { errorView, type AppErrorCode } from '../../app/errors';
import { classifyFailure, outcomeOf } from '../../app/gameclips/failure';
import { CLIENT_BLOCK_BYTES } from '../../app/gameclips/limits';
import { buildInitialUploadRequest } from '../../app/gameclips/request';
import { describeProblems, validateInitialUploadRequest } from '../../app/gameclips/validate';
import {
  RESERVE_PACE,
  initialPace,
  pauseUntil,
  takeSlot,
  type PaceConfig,
  type PaceState,
} from '../../app/pacing';
import { WAIT_CLAMPS, clampWaitMs, decideRetry } from '../../app/retry';
import type { ThumbnailSource } from '../../app/gameclips/enums';
import { untrustedUploadAddress, type InitialUploadRequest } from '../../app/gameclips/wire';
import { bindReservation, type ServiceBinding } from '../../app/service/reservation-binding';
import type { Logger } from '../util/logger';
import type { AccountProvider, CallFailure, GameClipsClient } from '../gameclips/gameclips-client';
import type { ClipLedger } from '../ledger/clip-ledger';
import { contentIdOfRecord, contentProperty } from './content-id';
import type { DeleteQueue } from './delete-queue';
import { markPipelineUsed } from './lost-ledger';
import { ReservationReconciler } from './reservation-reconciler';
import type { InventoryOptions } from './service-inventory';

export interface ReservationEvents {
  reserved(record: ClipRecord): void;
  blocked(record: ClipRecord): void;
  rejected(record: ClipRecord): void;
  retrying(record: ClipRecord, delayMs: number): void;
  /**
   * A clip whose record was lost was found on the service and adopted (published, or committed
   * and still processing): nothing is reserved or uploaded again.
   */
  adopted?(record: ClipRecord): void;
}

export interface ReservationServiceDeps {
  readonly ledger: ClipLedger;
  readonly client: GameClipsClient;
  /**
   * Unused: the clients refresh the account after a 401 (app/gameclips/failure.ts). Optional so
   * callers still compile; it goes with the pipeline split.
   */
  readonly account?: AccountProvider;
  readonly scid: string;
  readonly logger: Logger;
  readonly events: ReservationEvents;
  /** `Upload` in the app, `Offset` in headless mode (clip-lifecycle.md section 2). */
  readonly thumbnailSource: ThumbnailSource;
  readonly savedByUser: () => boolean;
  /** Reservations in flight at once: a thousand dropped files must not trip rate limits. */
  readonly concurrency?: number;
  /** Calls started per second and burst; defaults to RESERVE_PACE. */
  readonly pace?: PaceConfig;
  readonly random?: () => number;
  /**
   * The service and account in use (issue 14): each reservation records them, and one whose
   * upload or thumbnail URIs are outside the token's scope is refused, never stored.
   */
  readonly binding?: () => Promise<ServiceBinding>;
  /** Abandoned reservations (orphans found while reconciling) are deleted through it. */
  readonly deleteQueue?: DeleteQueue;
  /** Paging of the consistent inventory (tests use small pages). */
  readonly inventory?: InventoryOptions;
  /** Written after the first reservation: a data folder that was used (see lost-ledger.ts). */
  readonly usedMarkerFile?: string;
}

/** Monotonic milliseconds: wall-clock jumps must not stretch or skip a back-off (spec 5.4). */
function monotonicMs(): number {
  return performance.now();
}

export class ReservationService {
  private readonly queue: string[] = [];
  private readonly queued = new Set<string>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private active = 0;
  private stopped = false;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly pace: PaceConfig;
  private paceState: PaceState;
  private paceTimer: NodeJS.Timeout | undefined;
  /** Set by reconcileLost(): records were lost, so new ones are looked up on the service first. */
  private lostRecords = false;
  /** Orphans of earlier attempts, and clips already on the service after lost records. */
  private readonly reconciler: ReservationReconciler;
  private markedUsed = false;

  constructor(private readonly deps: ReservationServiceDeps) {
    this.pace = deps.pace ?? RESERVE_PACE;
    this.paceState = initialPace(this.pace, monotonicMs());
    this.reconciler = new ReservationReconciler(deps, (record, detail) =>
      this.reconcileOrBlock(record, detail),
    );
  }

  /** Picks up what a previous run left: ambiguous `reserving` records and scheduled retries. */
  resume(): void {
    for (const record of this.deps.ledger.all()) {
      if (record.state === 'reserving') this.enqueue(record.id);
      else if (record.state === 'waiting-retry')
        this.schedule(record.id, Math.max(0, Date.parse(record.retryAt ?? '') - Date.now()) || 0);
    }
  }

  /**
   * The ledger lost records (its folder vanished, or records were damaged and set aside): before
   * any clip that was never reserved is reserved, the service's clips are read once, consistently,
   * and a clip found there by its content id is adopted (Published: published, nothing sent
   * again) or, if only reserved, its reservation deleted through the delete queue and the clip
   * reserved once (issue 13 items 5-6).
   */
  reconcileLost(): void {
    this.lostRecords = true;
    this.reconciler.forgetInventory();
  }

  /** Whether new clips are being checked against the service first (diagnostics, tests). */
  get reconcilingLost(): boolean {
    return this.lostRecords;
  }

  enqueue(id: string): void {
    if (this.stopped || this.queued.has(id)) return;
    this.queued.add(id);
    this.queue.push(id);
    this.pump();
  }

  /**
   * The user asked to try again (after signing in, freeing space, fixing the service address):
   * a blocked or waiting clip goes back to the queue at once. Answers whether it was queued.
   */
  retry(id: string): boolean {
    const record = this.deps.ledger.get(id);
    if (!record || (record.state !== 'blocked' && record.state !== 'waiting-retry')) return false;
    const timer = this.timers.get(id);
    if (timer) clearTimeout(timer);
    this.timers.delete(id);
    this.enqueue(id);
    return true;
  }

  /** Stops taking work and waits for calls in flight, so the ledger holds their answers. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    if (this.paceTimer) clearTimeout(this.paceTimer);
    await Promise.allSettled([...this.inFlight]);
  }

  /** Resolves when nothing is queued or in flight (tests and shutdown). */
  async idle(): Promise<void> {
    while (this.queue.length > 0 || this.active > 0)
      await Promise.allSettled([
        ...this.inFlight,
        new Promise((resolve) => setTimeout(resolve, 10)),
      ]);
  }

  private pump(): void {
    const limit = this.deps.concurrency ?? 3;
    while (!this.stopped && this.active < limit && this.queue.length > 0) {
      if (this.paceTimer) return;
      const slot = takeSlot(this.paceState, this.pace, monotonicMs());
      this.paceState = slot.state;
      if (slot.waitMs > 0) {
        this.paceTimer = setTimeout(() => {
          this.paceTimer = undefined;
          this.pump();
        }, slot.waitMs);
        return;
      }
      const id = this.queue.shift() as string;
      this.queued.delete(id);
      this.active++;
      const task = this.reserve(id)
        .catch((error: unknown) =>
          this.deps.logger.error('reservation: unexpected failure', { id, error: String(error) }),
        )
        .finally(() => {
          this.active--;
          this.inFlight.delete(task);
          this.pump();
        });
      this.inFlight.add(task);
    }
  }

  private schedule(id: string, delayMs: number): void {
    const previous = this.timers.get(id);
    if (previous) clearTimeout(previous);
    // A date far in the future (or a corrupt one) waits at most an hour, never overflowing.
    const timer = setTimeout(
      () => {
        this.timers.delete(id);
        this.enqueue(id);
      },
      clampWaitMs(delayMs, WAIT_CLAMPS.reserveMaxMs, 0),
    );
    timer.unref();
    this.timers.set(id, timer);
  }

  private async reserve(id: string): Promise<void> {
    let record = this.deps.ledger.get(id);
    if (!record || !record.probe) return;
    if (
      record.state !== 'reserving' &&
      record.state !== 'waiting-retry' &&
      record.state !== 'blocked'
    )
      return;
    const { ledger } = this.deps;

    // An earlier attempt that may have reached the service (a crash mid-call, an ambiguous
    // failure, or one that ended blocked) may have left a reservation behind: remove it first.
    // `waiting-retry` means the service said 429/503, so nothing was applied.
    if (record.state !== 'waiting-retry' && record.request !== undefined) {
      const cleared = await this.reconciler.removeOrphans(record);
      if (!cleared) return;
    }
    // Records were lost: a clip never reserved by this record may be on the service already.
    if (this.lostRecords && record.request === undefined && !record.sendOnReserve) {
      const found = await this.reconciler.reconcileWithService(record);
      if (found !== 'reserve') return;
      record = ledger.get(id) ?? record;
    }
    if (!record.probe) return;
    const attempted = await this.attempt(record);
    if (attempted) await this.call(attempted.record, attempted.request);
  }

  /** Builds and checks the request and records the intent; undefined when it was rejected. */
  private async attempt(
    record: ClipRecord,
  ): Promise<{ record: ClipRecord; request: InitialUploadRequest } | undefined> {
    const { ledger } = this.deps;
    const request = buildInitialUploadRequest({
      correlationId: record.id,
      probe: record.probe!,
      fileSize: record.file.size,
      draft: record.draft,
      thumbnailSource: this.deps.thumbnailSource,
      savedByUser: this.deps.savedByUser(),
    });
    // The content id rides along, so the clip is found again if this record is ever lost.
    const contentId = contentIdOfRecord(record, ledger.all());
    const validation = validateInitialUploadRequest(
      {
        ...request,
        systemProperties: `${request.systemProperties ?? ''}${contentProperty(contentId)}`,
      },
      { maxBlockBytes: CLIENT_BLOCK_BYTES },
    );
    if (!validation.ok) {
      await this.stop_(
        record,
        'rejected',
        'gameclips/invalid-request',
        describeProblems(validation.problems),
      );
      return undefined;
    }
    const attempted = reservationAttempted(record, validation.value, now());
    await ledger.put(attempted);
    return { record: attempted, request: validation.value };
  }

  /** The reserve call itself, for a record whose intent is on disk. */
  private async call(record: ClipRecord, request: InitialUploadRequest): Promise<void> {
    const { ledger, client, scid } = this.deps;
    // A 401 was already met by the client's one account refresh (app/gameclips/failure.ts).
    const binding = await this.deps.binding?.();
    const result = await client.reserve(scid, request);
    if (result.ok) {
      const refused = binding && untrustedUploadAddress(result.value, binding.scope);
      if (refused) return this.refuseAddresses(record, result.value.gameClipId, refused);
      let reserved = reservationSucceeded(
        record,
        result.value,
        { serviceUrl: client.baseUrl, scid },
        now(),
      );
      if (binding && reserved.reservation)
        reserved = { ...reserved, reservation: bindReservation(reserved.reservation, binding) };
      await ledger.put(reserved);
      this.markUsed();
      this.deps.events.reserved(reserved);
      return;
    }
    await this.handleFailure(record, result.failure);
  }

  /**
   * The service named an upload or thumbnail URI the token may not reach: nothing goes there.
   * The reservation is deleted on the service itself (its own origin may have the token); the
   * record keeps its intent, so a retry removes anything left before reserving again.
   */
  private async refuseAddresses(
    record: ClipRecord,
    gameClipId: string,
    detail: string,
  ): Promise<void> {
    this.deps.logger.warn('reservation: refused upload addresses outside the token scope', {
      id: record.id,
      detail,
    });
    const deleted = await this.deps.client.deleteClip(this.deps.scid, gameClipId);
    if (!deleted.ok)
      this.deps.logger.warn('reservation: could not delete the refused reservation', {
        id: record.id,
      });
    await this.stop_(record, 'blocked', 'gameclips/untrusted-address', detail);
  }

  private async handleFailure(record: ClipRecord, failure: CallFailure): Promise<void> {
    // Refused before it left: the service address is not one the token may go to (plain http
    // to another machine, say). Trying again changes nothing; the address must change.
    if (failure.kind === 'network' && failure.refused)
      return this.stop_(record, 'blocked', 'settings/insecure-service', failure.message);
    const verdict = classifyFailure('reserve', failure);
    if (verdict.kind === 'stop')
      return this.stop_(
        record,
        verdict.state === 'rejected' ? 'rejected' : 'blocked',
        verdict.code,
        failure.kind === 'http' ? failure.message : verdict.detail,
      );
    const outcome = outcomeOf(failure);
    if (failure.kind === 'http' && failure.retryAfterSeconds !== undefined)
      this.paceState = pauseUntil(
        this.paceState,
        monotonicMs() + clampWaitMs(failure.retryAfterSeconds * 1000, WAIT_CLAMPS.reserveMaxMs),
      );
    const decision = decideRetry(outcome, record.reserveAttempts, {
      idempotent: false,
      random: (this.deps.random ?? Math.random)(),
    });
    const code: AppErrorCode =
      verdict.kind === 'retry' || verdict.kind === 'ambiguous'
        ? verdict.code
        : 'gameclips/unavailable';
    const detail =
      failure.kind === 'http' ? (failure.message ?? `HTTP ${failure.status}`) : failure.message;
    if (decision.retry) {
      const deferred = reservationDeferred(
        record,
        errorView(code, detail),
        new Date(Date.now() + decision.delayMs).toISOString(),
        now(),
      );
      await this.deps.ledger.put(deferred);
      this.deps.events.retrying(deferred, decision.delayMs);
      this.schedule(record.id, decision.delayMs);
      return;
    }
    if (decision.reason === 'ambiguous' && (await this.reconcileLater(record, code, detail)))
      return;
    return this.stop_(record, 'blocked', code, detail);
  }

  /**
   * The reservation may exist now. The record stays `reserving` with its request (the intent), so
   * the next attempt lists and removes what this one may have created before reserving again.
   * The wait before it follows the same back-off as a request that never left.
   */
  private async reconcileLater(
    record: ClipRecord,
    code: AppErrorCode,
    detail: string | undefined,
  ): Promise<boolean> {
    this.deps.logger.warn('reservation: ambiguous failure, reconciling before retrying', {
      id: record.id,
      detail,
    });
    const backoff = decideRetry({ kind: 'not-sent' }, record.reserveAttempts, {
      idempotent: false,
      random: (this.deps.random ?? Math.random)(),
    });
    if (!backoff.retry) return false;
    const waiting = mustTransition(
      record,
      { type: 'reserve-failed', outcome: 'ambiguous', error: errorView(code, detail) },
      now(),
    );
    await this.deps.ledger.put(waiting);
    this.deps.events.retrying(waiting, backoff.delayMs);
    this.schedule(record.id, backoff.delayMs);
    return true;
  }

  private markUsed(): void {
    if (this.markedUsed || !this.deps.usedMarkerFile) return;
    this.markedUsed = true;
    void markPipelineUsed(this.deps.usedMarkerFile).catch((error: unknown) =>
      this.deps.logger.warn('reservation: could not write the data folder marker', {
        error: String(error),
      }),
    );
  }

  private async reconcileOrBlock(record: ClipRecord, detail: string): Promise<void> {
    if (!(await this.reconcileLater(record, 'gameclips/unavailable', detail)))
      await this.stop_(record, 'blocked', 'gameclips/unavailable', detail);
  }

  private async stop_(
    record: ClipRecord,
    state: 'blocked' | 'rejected',
    code: AppErrorCode,
    detail?: string,
  ): Promise<void> {
    const stopped = clipStopped(record, state, errorView(code, detail), now());
    await this.deps.ledger.put(stopped);
    if (state === 'blocked') this.deps.events.blocked(stopped);
    else this.deps.events.rejected(stopped);
  }
}

function now(): string {
  return new Date().toISOString();
}
