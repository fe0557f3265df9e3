/**
 * The check before an upload starts or resumes (issue 14 item 2, issue 13 item 8): the
 * reservation must belong to the service and account in use now, its URIs must be inside the
 * token's scope, and a reservation whose address changed (the built-in service on a new port, or
 * a record from before reservations were bound) must still be known by the service answering now.
 * The decision is app/service/reservation-binding.ts; this file carries out its effects.
 */
import {
  clipStopped,
  reservationRenewing,
  type ClipRecord,
  type Reservation,
} from '../../app/clip/clip';
import { errorView, type AppErrorCode } from '../../app/errors';
import { decideReservationUse, type ServiceBinding } from '../../app/service/reservation-binding';
import type { Logger } from '../util/logger';
import type { GameClipsClient } from '../gameclips/gameclips-client';
import type { ClipLedger } from '../ledger/clip-ledger';

export type ReservationUris = Pick<
  Reservation,
  'uploadUri' | 'largeThumbnailUri' | 'smallThumbnailUri'
>;

export interface ReservationGuardDeps {
  readonly binding: () => Promise<ServiceBinding>;
  readonly client: GameClipsClient;
  readonly ledger: ClipLedger;
  readonly logger: Logger;
  /** DELETE on the current service and forget the acknowledged blocks. */
  readonly deleteReservation: (record: ClipRecord) => Promise<void>;
  /** Forget the acknowledged blocks only: the reservation is another service's to expire. */
  readonly abandonReservation: (record: ClipRecord) => Promise<void>;
  readonly reserveAgain: (clipId: string) => void;
  /** The clip was stopped with a reason (blocked: the user must look at the service). */
  readonly blocked: (record: ClipRecord) => void;
}

export type GuardOutcome =
  /** Go on with these absolute URIs (the record may have been rebound and stored). */
  | { readonly kind: 'go'; readonly record: ClipRecord; readonly uris: ReservationUris | undefined }
  /** Handled here: re-reserved or stopped. */
  | { readonly kind: 'done' }
  /** The service could not say whether it knows the reservation: try again later. */
  | { readonly kind: 'later'; readonly code: AppErrorCode; readonly detail: string };

export async function guardReservation(
  deps: ReservationGuardDeps,
  record: ClipRecord,
): Promise<GuardOutcome> {
  const reservation = record.reservation;
  if (!reservation) return { kind: 'done' };
  const binding = await deps.binding();
  const use = decideReservationUse(reservation, binding);
  const committed = record.upload?.committed === true;
  if (use.kind !== 'use' && committed) {
    // The bytes are on the service that made it; nothing more goes to its URIs (no thumbnails).
    deps.logger.warn('upload: a committed clip of another service or with a refused address', {
      id: record.id,
      decision: use.kind,
    });
    return { kind: 'go', record, uris: undefined };
  }
  if (use.kind === 'refuse') {
    deps.logger.warn('upload: refused an upload address outside the token scope', {
      id: record.id,
      detail: use.detail,
    });
    // The reservation is this service's and account's: the service itself may take it back.
    await deps.deleteReservation(record);
    const stopped = clipStopped(record, 'blocked', errorView(use.code, use.detail), now());
    await deps.ledger.put(stopped);
    deps.blocked(stopped);
    return { kind: 'done' };
  }
  if (use.kind === 're-reserve') return reReserve(deps, record, use.code);
  let current = record;
  if (use.verify) {
    const known = await deps.client.getClip(reservation.scid, reservation.gameClipId);
    if (!known.ok) {
      const failure = known.failure;
      if (failure.kind === 'http' && (failure.status === 404 || failure.status === 403))
        return reReserve(deps, record, 'gameclips/reservation-unknown');
      return {
        kind: 'later',
        code: 'gameclips/unavailable',
        detail:
          failure.kind === 'http'
            ? `Checking the reservation failed: HTTP ${failure.status}.`
            : failure.message,
      };
    }
  }
  if (JSON.stringify(use.rebound) !== JSON.stringify(reservation)) {
    const latest = deps.ledger.get(record.id) ?? record;
    current = { ...latest, reservation: use.rebound, updatedAt: now() };
    await deps.ledger.put(current);
  }
  return { kind: 'go', record: current, uris: use.uris };
}

/** Another service's or account's reservation: abandoned there, reserved here, said why. */
async function reReserve(
  deps: ReservationGuardDeps,
  record: ClipRecord,
  code: AppErrorCode,
): Promise<GuardOutcome> {
  deps.logger.warn(
    'upload: the reservation is not the current service and account; reserving again',
    {
      id: record.id,
      code,
    },
  );
  await deps.abandonReservation(record);
  const renewing: ClipRecord = {
    ...reservationRenewing(record, now()),
    // Not an expiry: it does not count against the one renewal a 410 allows.
    renewals: record.renewals ?? 0,
    error: errorView(code),
    // The error goes at the next reservation attempt; the notice stays, so the user sees why.
    notice: errorView(code),
  };
  await deps.ledger.put(renewing);
  deps.reserveAgain(record.id);
  return { kind: 'done' };
}

function now(): string {
  return new Date().toISOString();
}
