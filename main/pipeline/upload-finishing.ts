/**
 * Finishing an upload (clip-lifecycle.md section 4, after the commit): the thumbnails, the
 * metadata update (and every later edit, debounced and retried until the service has it), then
 * following the clip until Published or a terminal state.
 */
import {
  clipPublished,
  metadataAccepted,
  serviceMetadata,
  thumbnailsSettled,
  uploadProcessing,
  type ClipRecord,
  type ServiceLinks,
} from '../../app/clip/clip';
import { SERVICE_FAILURE_STATES, mustTransition } from '../../app/clip/lifecycle';
import { classifyFailure, describeFailure as describe } from '../../app/gameclips/failure';
import { validateUpdateMetadataRequest } from '../../app/gameclips/validate';
import type { GameClip } from '../../app/gameclips/wire';
import { WAIT_CLAMPS, clampWaitMs } from '../../app/retry';
import { metadataUpdate } from '../../app/upload/metadata';
import type { CallFailure } from '../gameclips/gameclips-client';
import type { ReservationUris } from './reservation-guard';
import { abortableSleep } from './sleep';
import { now, withRetries } from './upload-helpers';
import { JOB_RETRY_MS, METADATA_DEBOUNCE_MS, type UploadServiceDeps } from './upload-types';

/** What the finisher needs from the service that owns it. */
export interface FinisherHost {
  /** Aborted by the service's stop(): every wait ends at once. */
  readonly signal: AbortSignal;
  stopped(): boolean;
  /** Keeps background work for stop() to await. */
  track(work: Promise<unknown>): void;
}

export class UploadFinisher {
  private readonly following = new Set<string>();
  private readonly metadataTimers = new Map<string, NodeJS.Timeout>();
  private readonly metadataRunning = new Set<string>();

  constructor(
    private readonly deps: UploadServiceDeps,
    private readonly host: FinisherHost,
  ) {}

  /** Clears the pending metadata timers (the service's stop). */
  stop(): void {
    for (const timer of this.metadataTimers.values()) clearTimeout(timer);
    this.metadataTimers.clear();
  }

  async sendThumbnails(
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
        this.host.signal,
      );
      const small = large.ok
        ? await withRetries(
            () => this.deps.client.putThumbnail(reservation.smallThumbnailUri!, pair.small),
            this.host.signal,
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

  scheduleMetadata(id: string, delayMs = METADATA_DEBOUNCE_MS): void {
    if (this.host.stopped()) return;
    const previous = this.metadataTimers.get(id);
    if (previous) clearTimeout(previous);
    const timer = setTimeout(() => {
      this.metadataTimers.delete(id);
      this.host.track(this.syncMetadata(id));
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
  async sendMetadata(id: string): Promise<'done' | 'later'> {
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
        this.host.signal,
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

  follow(id: string): void {
    if (this.following.has(id) || this.host.stopped()) return;
    this.following.add(id);
    this.host.track(
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
      await abortableSleep(delayMs, this.host.signal);
      if (this.host.stopped()) return;
      const record = this.deps.ledger.get(id);
      const reservation = record?.reservation;
      if (!record || !reservation || record.state !== 'processing') return;
      const result = await this.deps.client.getClip(reservation.scid, reservation.gameClipId);
      const random = (this.deps.random ?? Math.random)();
      delayMs = Math.min(schedule.maxMs, WAIT_CLAMPS.followMaxMs, delayMs * (1.5 + random));
      if (result.ok) {
        if (await this.seen(record, result.value)) return;
      } else {
        const wait = await this.pollFailed(record, result.failure, delayMs);
        if (wait === 'settled') return;
        delayMs = wait;
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

  /** The service's view of a processing clip; true when it settled (published or failed). */
  private async seen(record: ClipRecord, clip: GameClip): Promise<boolean> {
    const id = record.id;
    const state = clip.state;
    if (state === 'Published') {
      const latest = this.deps.ledger.get(id) ?? record;
      const published = clipPublished(latest, linksOf(clip), now());
      await this.deps.ledger.put(published);
      this.deps.events.published?.(published);
      await this.sendMetadata(id).then((sent) => {
        if (sent === 'later') this.scheduleMetadata(id, JOB_RETRY_MS);
      });
      return true;
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
      return true;
    }
    if (state !== record.upload?.serviceState)
      await this.deps.ledger.put(uploadProcessing(record, state, now()));
    return false;
  }

  /** A poll that failed: the clip is lost (settled), or the next delay, stretched by Retry-After. */
  private async pollFailed(
    record: ClipRecord,
    failure: CallFailure,
    delayMs: number,
  ): Promise<number | 'settled'> {
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
      return 'settled';
    }
    // At least 1 s, at most 10 minutes, whatever the header said (item 7).
    if (failure.kind === 'http' && failure.retryAfterSeconds !== undefined)
      return Math.max(
        delayMs,
        clampWaitMs(failure.retryAfterSeconds * 1000, WAIT_CLAMPS.followMaxMs),
      );
    return delayMs;
  }
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
