/**
 * Reservation: POST each finished clip at once, durably and exactly once (clip-lifecycle.md 2).
 *
 * The intent (the request as sent, state `reserving`) is on disk before the POST and the answer
 * right after it. The reserve call is not idempotent, so only failures that certainly did not
 * apply are retried; an ambiguous one (timeout after sending, reset, 5xx, a crash mid-call) is
 * reconciled by listing the user's clips and deleting every reservation carrying this clip's
 * correlation id before reserving again, so there is never more than one live reservation.
 */
import {
  clipStopped,
  reservationAttempted,
  reservationDeferred,
  reservationSucceeded,
  type ClipRecord,
} from '../../app/clip/clip';
import { errorView, type AppErrorCode } from '../../app/errors';
import { CLIENT_BLOCK_BYTES } from '../../app/gameclips/limits';
import { buildInitialUploadRequest, correlationIdOf } from '../../app/gameclips/request';
import { describeProblems, validateInitialUploadRequest } from '../../app/gameclips/validate';
import { decideRetry, type Outcome } from '../../app/retry';
import type { ThumbnailSource } from '../../app/gameclips/enums';
import type { Logger } from '../core/logger';
import type { AccountProvider, CallFailure, GameClipsClient } from '../gameclips/gameclips-client';
import type { ClipLedger } from '../ledger/clip-ledger';

export interface ReservationEvents {
  reserved(record: ClipRecord): void;
  blocked(record: ClipRecord): void;
  rejected(record: ClipRecord): void;
  retrying(record: ClipRecord, delayMs: number): void;
}

export interface ReservationServiceDeps {
  readonly ledger: ClipLedger;
  readonly client: GameClipsClient;
  readonly account: AccountProvider;
  readonly scid: string;
  readonly logger: Logger;
  readonly events: ReservationEvents;
  /** `Upload` in the app, `Offset` in headless mode (clip-lifecycle.md section 2). */
  readonly thumbnailSource: ThumbnailSource;
  readonly savedByUser: () => boolean;
  /** Reservations in flight at once: a thousand dropped files must not trip rate limits. */
  readonly concurrency?: number;
  readonly random?: () => number;
}

export class ReservationService {
  private readonly queue: string[] = [];
  private readonly queued = new Set<string>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private active = 0;
  private stopped = false;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly deps: ReservationServiceDeps) {}

  /** Picks up what a previous run left: ambiguous `reserving` records and scheduled retries. */
  resume(): void {
    for (const record of this.deps.ledger.all()) {
      if (record.state === 'reserving') this.enqueue(record.id);
      else if (record.state === 'waiting-retry')
        this.schedule(record.id, Math.max(0, Date.parse(record.retryAt ?? '') - Date.now()) || 0);
    }
  }

  enqueue(id: string): void {
    if (this.stopped || this.queued.has(id)) return;
    this.queued.add(id);
    this.queue.push(id);
    this.pump();
  }

  /** Stops taking work and waits for calls in flight, so the ledger holds their answers. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
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
    const timer = setTimeout(() => {
      this.timers.delete(id);
      this.enqueue(id);
    }, delayMs);
    timer.unref();
    this.timers.set(id, timer);
  }

  private async reserve(id: string): Promise<void> {
    let record = this.deps.ledger.get(id);
    if (!record || !record.probe) return;
    if (record.state !== 'reserving' && record.state !== 'waiting-retry') return;
    const { ledger, client, scid } = this.deps;

    // A record left in `reserving` with a request may have reached the service before a crash.
    if (record.state === 'reserving' && record.request !== undefined) {
      const cleared = await this.removeOrphans(record);
      if (!cleared) return;
    }

    const request = buildInitialUploadRequest({
      correlationId: record.id,
      probe: record.probe,
      fileSize: record.file.size,
      draft: record.draft,
      thumbnailSource: this.deps.thumbnailSource,
      savedByUser: this.deps.savedByUser(),
    });
    const validation = validateInitialUploadRequest(request, { maxBlockBytes: CLIENT_BLOCK_BYTES });
    if (!validation.ok) {
      await this.stop_(
        record,
        'rejected',
        'gameclips/invalid-request',
        describeProblems(validation.problems),
      );
      return;
    }
    record = reservationAttempted(record, validation.value, now());
    await ledger.put(record);

    let refreshed = false;
    for (;;) {
      const result = await client.reserve(scid, validation.value);
      if (result.ok) {
        const reserved = reservationSucceeded(
          record,
          result.value,
          { serviceUrl: client.baseUrl, scid },
          now(),
        );
        await ledger.put(reserved);
        this.deps.events.reserved(reserved);
        return;
      }
      const failure = result.failure;
      if (failure.kind === 'http' && failure.status === 401 && !refreshed) {
        refreshed = true;
        if (await this.deps.account.refresh()) continue;
      }
      await this.handleFailure(record, failure);
      return;
    }
  }

  private async handleFailure(record: ClipRecord, failure: CallFailure): Promise<void> {
    if (failure.kind === 'http') {
      const detail = failure.message;
      switch (failure.status) {
        case 400:
          if (/quota/iu.test(detail ?? ''))
            return this.stop_(record, 'blocked', 'gameclips/over-quota', detail);
          return this.stop_(record, 'rejected', 'gameclips/rejected', detail);
        case 401:
          return this.stop_(record, 'blocked', 'gameclips/unauthorized', detail);
        case 403:
          return this.stop_(record, 'blocked', 'gameclips/forbidden', detail);
        case 404:
          return this.stop_(record, 'blocked', 'gameclips/not-found', detail);
        case 406:
          return this.stop_(record, 'blocked', 'gameclips/version-not-supported', detail);
        default:
          break;
      }
    }
    const outcome: Outcome =
      failure.kind === 'network'
        ? failure.sent
          ? { kind: 'ambiguous' }
          : { kind: 'not-sent' }
        : failure.kind === 'malformed'
          ? { kind: 'ambiguous' }
          : {
              kind: 'status',
              status: failure.status,
              ...(failure.retryAfterSeconds !== undefined
                ? { retryAfterSeconds: failure.retryAfterSeconds }
                : {}),
            };
    const decision = decideRetry(outcome, record.reserveAttempts, {
      idempotent: false,
      random: (this.deps.random ?? Math.random)(),
    });
    const code: AppErrorCode =
      failure.kind === 'network'
        ? 'gameclips/network'
        : failure.kind === 'http' && failure.status === 429
          ? 'gameclips/rate-limited'
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
    if (decision.reason === 'ambiguous') {
      // It may exist now: keep `reserving` with the request, so the next attempt reconciles first.
      this.deps.logger.warn('reservation: ambiguous failure, reconciling before retrying', {
        id: record.id,
        detail,
      });
      const delayMs = decideRetry({ kind: 'not-sent' }, record.reserveAttempts, {
        idempotent: false,
        random: (this.deps.random ?? Math.random)(),
      });
      if (delayMs.retry) {
        await this.deps.ledger.put({ ...record, error: errorView(code, detail), updatedAt: now() });
        this.deps.events.retrying(record, delayMs.delayMs);
        this.schedule(record.id, delayMs.delayMs);
        return;
      }
    }
    return this.stop_(record, 'blocked', code, detail);
  }

  /**
   * Deletes every reservation that carries this clip's correlation id. Its upload URIs were
   * never received, so it cannot be adopted; deleting it keeps quota and the user's list clean.
   * Returns false when the service cannot be asked right now (the clip is rescheduled).
   */
  private async removeOrphans(record: ClipRecord): Promise<boolean> {
    const { client, scid, logger } = this.deps;
    let continuationToken: string | undefined;
    const ours: string[] = [];
    do {
      const page = await client.listClips(scid, {
        ...(continuationToken ? { continuationToken } : {}),
        maxItems: 100,
      });
      if (!page.ok) {
        logger.warn('reservation: cannot list clips to reconcile; will retry', { id: record.id });
        const deferred = reservationDeferred(
          record,
          errorView('gameclips/unavailable', 'Checking for an earlier reservation failed.'),
          new Date(Date.now() + 5000).toISOString(),
          now(),
        );
        await this.deps.ledger.put({ ...deferred, state: 'reserving' });
        this.schedule(record.id, 5000);
        return false;
      }
      for (const clip of page.value.gameClips)
        if (correlationIdOf(clip.systemProperties) === record.id) ours.push(clip.gameClipId);
      continuationToken = page.value.pagingInfo?.continuationToken ?? undefined;
    } while (continuationToken);
    for (const gameClipId of ours) {
      const deleted = await client.deleteClip(scid, gameClipId);
      if (!deleted.ok && !(deleted.failure.kind === 'http' && deleted.failure.status === 404)) {
        this.schedule(record.id, 5000);
        return false;
      }
      logger.info('reservation: removed an orphaned reservation', { id: record.id, gameClipId });
    }
    return true;
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
