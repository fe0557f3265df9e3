/**
 * The local clip record: what the ledger stores for each clip.
 *
 * Its state machine is app/clip/lifecycle.ts (`transition`, the only code that assigns `state`);
 * the helpers below are thin wrappers over it, kept so their callers read as before.
 *
 * One record per file the app has decided about. The ledger is the only source of truth for the
 * window, the tray and the CLI (clip-lifecycle.md section 5), so the record carries everything
 * needed to resume after a crash: the request as sent (the intent), the reservation, upload
 * progress and the last error.
 */
import type { ErrorView } from '../errors';
import type { UserVisibility } from '../gameclips/enums';
import type { InitialUploadRequest, InitialUploadResponse } from '../gameclips/wire';
import type { SentMetadata } from '../upload/metadata';
import { firstRecord, mustTransition, transition, type LifecycleEvent } from './lifecycle';

export const CLIP_RECORD_SCHEMA_VERSION = 1;

/**
 * States of a clip (clip-lifecycle.md, the diagram):
 * - reserving: the intent is persisted and the POST may be in flight; after a crash it is ambiguous
 * - waiting-retry: the service said "not now" (429/503) or the request never left
 * - reserved: pending, the user's part (caption, visibility, thumbnail)
 * - uploading / processing / published / failed: after Send
 * - paused: the user paused its upload; acknowledged blocks are kept
 * - blocked: needs the user (signed out, over quota, forbidden, wrong service)
 * - rejected: terminal, explained, never POSTed again
 * - cancelled: the user cancelled; the reservation is deleted, never the file
 * - incomplete: the file stayed structurally unfinished past the gate's timeout; re-checked on change
 * - missing: the file was deleted or changed underneath
 */
export const CLIP_STATES = [
  'reserving',
  'waiting-retry',
  'reserved',
  'uploading',
  'paused',
  'processing',
  'published',
  'blocked',
  'rejected',
  'failed',
  'missing',
  'cancelled',
  'incomplete',
] as const;
export type ClipState = (typeof CLIP_STATES)[number];

/** Where a clip came from; one pipeline for all of them. */
export type ClipOrigin = 'watch' | 'drop' | 'cli';

/** What the probe learned about the file. */
export interface ClipProbe {
  readonly container: 'mp4' | 'mov' | 'matroska' | 'webm';
  readonly durationSeconds: number;
  /** ISO 8601 UTC: when recording started (container creation time where plausible). */
  readonly recordedAt: string;
  readonly width?: number;
  readonly height?: number;
  /** The video track's codec as the container names it (avc1, hvc1, av01, V_VP9, ...). */
  readonly videoCodec?: string;
}

/** The identity of the file as it was when decided about (size + mtime + content fingerprint). */
export interface FileIdentity {
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly fingerprint: string;
}

/** The user's part, saved as it is typed. */
export interface ClipDraft {
  readonly caption: string;
  readonly visibility: UserVisibility;
  /** The chosen thumbnail frame, in ms from the start; absent means the settings' default. */
  readonly thumbnailOffsetMs?: number;
  /** The game it is from: derived from where it came from (app/clip/game-label.ts), editable. */
  readonly game?: string;
}

/** The service's answer to the reserve call, plus where and when. */
export interface Reservation {
  readonly gameClipId: string;
  readonly uploadUri: string;
  readonly largeThumbnailUri?: string;
  readonly smallThumbnailUri?: string;
  readonly uploadId?: string;
  readonly serviceUrl: string;
  readonly scid: string;
  readonly reservedAt: string;
  /**
   * Which service made it: `builtin` for the embedded sandbox (whatever its port), else the
   * service's origin. Absent on records written before issue 14 (app/service/reservation-binding.ts).
   */
  readonly serviceKey?: string;
  /** Which account made it: a hash of the token's subject, never the token itself. */
  readonly account?: string;
}

export interface UploadProgress {
  readonly expectedBlocks: number;
  /** Block numbers the service acknowledged (202 or 201). */
  readonly ackedBlocks: readonly number[];
  readonly committed: boolean;
  readonly serviceState?: string;
}

/** What the service gave back once the clip was Published, for the history. */
export interface ServiceLinks {
  readonly largeThumbnailUri?: string;
  readonly smallThumbnailUri?: string;
  readonly downloadUri?: string;
  /** Download links expire; a GET of the clip issues fresh ones (spec 3.7). */
  readonly downloadUriExpires?: string;
  readonly recordedAt: string;
}

export interface ClipRecord {
  readonly schemaVersion: typeof CLIP_RECORD_SCHEMA_VERSION;
  /** Local id; also the correlation id sent in `systemProperties`. */
  readonly id: string;
  readonly origin: ClipOrigin;
  readonly file: FileIdentity;
  readonly probe?: ClipProbe;
  readonly state: ClipState;
  readonly draft: ClipDraft;
  /** The InitialUploadRequest exactly as sent: the intent log entry. */
  readonly request?: InitialUploadRequest;
  readonly reservation?: Reservation;
  readonly upload?: UploadProgress;
  readonly reserveAttempts: number;
  /** Monotonic deadlines do not survive restarts; wall time is enough to order a retry after one. */
  readonly retryAt?: string;
  readonly error?: ErrorView;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** The last draft edit: an edit within the last ~30 s means the user is still at it. */
  readonly draftEditedAt?: string;
  /** Caption and visibility the service has now (the request's, then each accepted update). */
  readonly metadataSent?: SentMetadata;
  /** `sent`, or `unavailable` when no frame came from the window in time (recorded, not fatal). */
  readonly thumbnails?: 'sent' | 'unavailable';
  /** Times the reservation was renewed after a 410; renewed at most once. */
  readonly renewals?: number;
  /** Re-reserved after the user already sent it (410, changed file): upload once reserved. */
  readonly sendOnReserve?: boolean;
  readonly links?: ServiceLinks;
  /**
   * Something the user should know happened to the clip although it went on, e.g. it was
   * reserved again because its reservation belonged to another service or account (issue 14).
   */
  readonly notice?: ErrorView;
  /** When the user removed the published clip from the service (issue 16); the file stays. */
  readonly removedFromServiceAt?: string;
}

interface RecordInputs {
  readonly id: string;
  readonly origin: ClipOrigin;
  readonly file: FileIdentity;
  readonly draft: ClipDraft;
  readonly now: string;
}

/** A new record for a file that passed the gate and the probe. */
export function newClipRecord(input: RecordInputs & { readonly probe: ClipProbe }): ClipRecord {
  return firstRecord(input, { type: 'detected', probe: input.probe });
}

/** A record for a file refused at intake: kept so the reason is shown and the file never retried. */
export function rejectedClipRecord(
  input: RecordInputs & { readonly probe?: ClipProbe; readonly error: ErrorView },
): ClipRecord {
  return firstRecord(input, {
    type: 'refused',
    error: input.error,
    ...(input.probe ? { probe: input.probe } : {}),
  });
}

/** A file that stayed structurally unfinished past the gate's timeout: shown, never reserved. */
export function incompleteClipRecord(
  input: RecordInputs & { readonly error: ErrorView },
): ClipRecord {
  return firstRecord(input, { type: 'refused', error: input.error, incomplete: true });
}

/** The reserve POST is about to be sent: persist the intent first (clip-lifecycle.md section 2). */
export function reservationAttempted(
  record: ClipRecord,
  request: InitialUploadRequest,
  now: string,
): ClipRecord {
  return mustTransition(record, { type: 'reserve-sent', request }, now);
}

/** The service answered 200 (or a lost reservation was adopted). */
export function reservationSucceeded(
  record: ClipRecord,
  response: InitialUploadResponse,
  where: { serviceUrl: string; scid: string },
  now: string,
): ClipRecord {
  return mustTransition(record, { type: 'reserve-succeeded', response, where }, now);
}

/** The service said "not now", or the request never left: try again at `retryAt`. */
export function reservationDeferred(
  record: ClipRecord,
  error: ErrorView,
  retryAt: string,
  now: string,
): ClipRecord {
  return mustTransition(
    record,
    { type: 'reserve-failed', outcome: 'deferred', error, retryAt },
    now,
  );
}

/** Needs the user, or is refused for good (a thin wrapper over the lifecycle's events). */
export function clipStopped(
  record: ClipRecord,
  state: 'blocked' | 'rejected' | 'failed' | 'missing',
  error: ErrorView,
  now: string,
): ClipRecord {
  if (state === 'missing') {
    const missing = mustTransition(record, { type: 'file-gone' }, now);
    return missing.error?.code === error.code && missing.error.detail === error.detail
      ? missing
      : { ...missing, error };
  }
  const reserving = !record.reservation && record.state !== 'processing';
  if (state === 'rejected' || (reserving && state === 'blocked'))
    return mustTransition(
      record,
      { type: 'reserve-failed', outcome: 'stopped', state, error },
      now,
    );
  return mustTransition(record, { type: 'upload-stopped', state, error }, now);
}

/** The user edited the draft; drafts never change the state. */
export function draftEdited(
  record: ClipRecord,
  patch: Partial<ClipDraft>,
  now: string,
): ClipRecord {
  return mustTransition(record, { type: 'draft-edited', patch }, now);
}

/** Whether the clip is still the user's to edit and send (the pending list). */
export function isPending(state: ClipState): boolean {
  return (
    state === 'reserving' ||
    state === 'waiting-retry' ||
    state === 'reserved' ||
    state === 'uploading' ||
    state === 'paused' ||
    state === 'processing' ||
    state === 'blocked'
  );
}

/** Whether the clip is finished with and belongs to the history (published, failed, ...). */
export function isInHistory(state: ClipState): boolean {
  return (
    state === 'published' ||
    state === 'failed' ||
    state === 'cancelled' ||
    state === 'rejected' ||
    state === 'missing' ||
    state === 'incomplete'
  );
}

/** Caption and visibility the service holds for a reserved clip. */
export function serviceMetadata(record: ClipRecord): SentMetadata | undefined {
  if (record.metadataSent) return record.metadataSent;
  if (!record.request) return undefined;
  return {
    caption: record.request.userCaption ?? '',
    visibility: (record.request.visibility ?? 'Default') as SentMetadata['visibility'],
  };
}

/** Send (or resume): the clip is uploading; blocks already acknowledged are kept. */
export function uploadStarted(record: ClipRecord, expectedBlocks: number, now: string): ClipRecord {
  const event: LifecycleEvent =
    record.state === 'paused'
      ? { type: 'resumed', expectedBlocks }
      : record.state === 'reserved'
        ? { type: 'send-requested', by: 'user', expectedBlocks }
        : { type: 'retry-requested', expectedBlocks };
  return mustTransition(record, event, now);
}

/** Acknowledged blocks, merged into what the record already holds. */
export function blocksAcked(
  record: ClipRecord,
  acked: Iterable<number>,
  committed: boolean,
  now: string,
): ClipRecord {
  // Acks that arrive after the upload was dropped (renewed, restored) have nowhere to go.
  const next = transition(record, { type: 'blocks-acked', acked, committed }, now);
  return next.ok ? next.record : record;
}

/** An upload problem the app will retry by itself: the state stays, the reason is shown. */
export function uploadRetrying(record: ClipRecord, error: ErrorView, retryAt: string, now: string) {
  return mustTransition(record, { type: 'upload-retrying', error, retryAt }, now);
}

export function uploadPaused(record: ClipRecord, now: string): ClipRecord {
  return mustTransition(record, { type: 'paused' }, now);
}

/** The reservation is deleted (never the file); the clip moves to the history. */
export function uploadCancelled(record: ClipRecord, now: string): ClipRecord {
  return mustTransition(record, { type: 'cancelled' }, now);
}

export function thumbnailsSettled(
  record: ClipRecord,
  outcome: 'sent' | 'unavailable',
  now: string,
): ClipRecord {
  return mustTransition(record, { type: 'thumbnails-settled', outcome }, now);
}

export function metadataAccepted(record: ClipRecord, sent: SentMetadata, now: string): ClipRecord {
  return mustTransition(record, { type: 'metadata-accepted', sent }, now);
}

/** Committed: the service processes it now; the app follows it to Published. */
export function uploadProcessing(record: ClipRecord, serviceState: string, now: string) {
  return mustTransition(
    record,
    record.state === 'processing'
      ? { type: 'service-state-seen', serviceState }
      : { type: 'committed', serviceState },
    now,
  );
}

export function clipPublished(record: ClipRecord, links: ServiceLinks, now: string): ClipRecord {
  return mustTransition(
    record,
    { type: 'service-state-seen', serviceState: 'Published', links },
    now,
  );
}

/**
 * The reservation expired (410): back to `reserving` with no request, so the reservation service
 * reserves it afresh (once). The draft (what the user typed) is kept.
 */
export function reservationRenewing(record: ClipRecord, now: string): ClipRecord {
  return mustTransition(record, { type: 'expired' }, now);
}

/**
 * A missing clip's file is back with the same content (at its path, moved inside the roots, or
 * located by the user): the clip returns to where it stood, keeping its reservation; paused when
 * blocks were already sent, so nothing uploads without the user's word.
 */
export function clipFileReturned(record: ClipRecord, file: FileIdentity, now: string): ClipRecord {
  // Intake found the clip again: at its path, moved inside the roots, or as its remux twin (other
  // bytes, the same clip). The identity it found is the clip's now, so the file-back event takes
  // the record as carrying it already.
  return mustTransition({ ...record, file }, { type: 'file-back', identity: file }, now);
}
