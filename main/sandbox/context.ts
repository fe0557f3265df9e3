/**
 * What every route handler gets: the sandbox's services and the request being answered, plus the
 * clip operations several routes share (ending a clip, lazy reservation expiry, owner segments).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from './accounts';
import type { Claims } from './auth';
import { SANDBOX_ERROR_CODES, badRequest, serviceError, type ServiceError } from './errors';
import type { FaultInjector } from './faults';
import type { Lifecycle } from './lifecycle';
import type { ResolvedOptions } from './options';
import type { RateLimiter } from './rate-limit';
import type { ShareBook } from './shares';
import type { Signer } from './signing';
import type { Stats } from './stats';
import type { ServiceClip, ClipStore, EndReason } from './store';
import type { ThumbnailRenderer } from './thumbnails';

export interface Sandbox {
  readonly options: ResolvedOptions;
  readonly store: ClipStore;
  readonly registry: Registry;
  readonly signer: Signer;
  readonly lifecycle: Lifecycle;
  readonly faults: FaultInjector;
  readonly stats: Stats;
  readonly limiter: RateLimiter | undefined;
  readonly thumbnails: ThumbnailRenderer;
  /** Share pages (issue 16). */
  readonly shares: ShareBook;
  readonly startedAt: number;
  /** Aborted when the sandbox closes, so waits (fault delays) end with it. */
  readonly closed: AbortSignal;
}

export interface RequestContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly pathname: string;
  /** `http://host:port` as the client reached us, for URIs we hand out. */
  readonly origin: string;
  /** The caller's claims; empty on routes without authentication. */
  readonly claims: Claims;
  /** First language of Accept-Language, for `gameClipLocale`. */
  readonly locale: string;
}

/** The xuid an `ownerId` path segment names: `me` or `xuid(<up to 20 digits>)` (1.5, A14). */
export function parseOwner(segment: string, claims: Claims): string | ServiceError {
  if (segment === 'me') {
    if (claims.Xuid === undefined)
      return serviceError(
        403,
        SANDBOX_ERROR_CODES.missingClaims,
        'The token lacks the Xuid claim this call needs.',
      );
    return claims.Xuid;
  }
  const match = /^xuid\((\d{1,20})\)$/i.exec(segment);
  if (!match) return badRequest(`The owner "${segment}" must be "me" or "xuid(<digits>)".`);
  return match[1] as string;
}

/** Whether a clip is over: deleted (or queued for it) or failed; it takes no more bytes. */
export function isEnded(record: ServiceClip): boolean {
  return record.state === 'Deleted' || record.state === 'PendingDelete' || record.state === 'Error';
}

/** The 403 the documentation shows (8377) when a URI names another user's XUID. */
export function xuidMismatch(): ServiceError {
  return serviceError(
    403,
    SANDBOX_ERROR_CODES.xuidMismatch,
    'XUID specified in the claim does not match URI XUID.',
  );
}

/**
 * The clip's current record, first retiring it if its reservation has expired: an expired
 * reservation is removed as if deleted, and its PUTs then answer 410.
 */
export function currentClip(sandbox: Sandbox, id: string): ServiceClip | undefined {
  const record = sandbox.store.get(id);
  if (record?.state === 'PendingUpload' && Date.parse(record.reservationExpiresAt) <= Date.now()) {
    const ended = endedRecord(
      record,
      'Deleted',
      'expired',
      `The reservation expired at ${record.reservationExpiresAt}.`,
    );
    inBackground(
      sandbox,
      endClip(sandbox, record.gameClipId, 'Deleted', 'expired', ended.endMessage ?? ''),
      `retiring expired reservation ${record.gameClipId}`,
    );
    return ended;
  }
  return record;
}

/** Lets work finish on its own; a failure is logged, never left as an unhandled rejection. */
export function inBackground(sandbox: Sandbox, work: Promise<unknown>, what: string): void {
  work.catch((error: unknown) => sandbox.options.log(`sandbox: ${what} failed: ${String(error)}`));
}

function endedRecord(
  record: ServiceClip,
  state: 'Deleted' | 'Error',
  reason: EndReason,
  message: string,
): ServiceClip {
  return {
    ...record,
    state,
    endReason: reason,
    endMessage: message,
    lastModified: new Date().toISOString(),
  };
}

/**
 * Moves a clip to Deleted or Error and frees its bytes; the record stays as a tombstone so later
 * PUTs can answer 410 rather than 404.
 */
export function endClip(
  sandbox: Sandbox,
  id: string,
  state: 'Deleted' | 'Error',
  reason: EndReason,
  message: string,
): Promise<void> {
  const record = sandbox.store.get(id);
  // A deleted clip stays deleted; nothing can move it to Error afterwards.
  if (!record || record.state === 'Deleted') return Promise.resolve();
  // Decide at once, so requests racing this one already see the end state.
  const ended = endedRecord(record, state, reason, message);
  const saved = sandbox.store.put(ended);
  return sandbox.store.withLock(id, async () => {
    await saved;
    await sandbox.store.removeBlobs(id);
  });
}

/** The sentence a 410 carries for a clip that can no longer take bytes. */
export function goneMessage(record: ServiceClip): string {
  switch (record.endReason) {
    case 'expired':
      return `${record.endMessage ?? 'The reservation expired.'} Reserve the clip again.`;
    case 'evicted':
      return 'The clip was evicted from FIFO storage to make room for newer clips. Reserve it again.';
    case 'size-mismatch':
      return `The upload failed: ${record.endMessage ?? 'the blocks did not add up to fileSize'}. Reserve the clip again.`;
    case 'deleted':
      return 'The clip was deleted. Reserve it again to upload.';
    default:
      return `The clip is in state ${record.state} and takes no more uploads. Reserve it again.`;
  }
}
