/**
 * Where an upload run ends when it does not go on to finishing: the file is gone or changed, the
 * reservation expired, the clip stopped (failed, or blocked on the user); and the reservation
 * guard and the reservation's deletion those endings share.
 */
import { clipStopped, type ClipRecord } from '../../app/clip/clip';
import { mustTransition } from '../../app/clip/lifecycle';
import { errorView, type AppErrorCode } from '../../app/errors';
import { describeFailure as describe } from '../../app/gameclips/failure';
import { BlockVerifier } from './block-verifier';
import { guardReservation } from './reservation-guard';
import { now, sanitize, withRetries } from './upload-helpers';
import { UploadJournal } from './upload-journal';
import type { UploadServiceDeps } from './upload-types';

export class UploadOutcomes {
  constructor(
    private readonly deps: UploadServiceDeps,
    /** Aborted by the service's stop(). */
    private readonly signal: AbortSignal,
  ) {}

  async fileGone(record: ClipRecord): Promise<void> {
    const missing = clipStopped(record, 'missing', errorView('intake/missing'), now());
    await this.deps.ledger.put(missing);
    this.deps.logger.warn('upload: the file is gone', { id: record.id });
    this.deps.events.missing?.(missing);
  }

  async fileChanged(record: ClipRecord): Promise<void> {
    this.deps.logger.warn('upload: the file changed under its reservation', { id: record.id });
    await this.deleteReservation(record);
    const changed = mustTransition(record, { type: 'file-changed' }, now());
    await this.deps.ledger.put(changed);
    this.deps.events.changed?.(changed);
    await this.deps.reintake(changed);
  }

  async expired(record: ClipRecord, detail?: string): Promise<void> {
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

  guard(record: ClipRecord) {
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

  async stopWith(
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

  async deleteReservation(record: ClipRecord): Promise<void> {
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
        this.signal,
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
}
