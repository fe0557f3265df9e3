/**
 * The local clip record: what the ledger stores for each clip, and its state machine.
 *
 * One record per file the app has decided about. The ledger is the only source of truth for the
 * window, the tray and the CLI (clip-lifecycle.md section 5), so the record carries everything
 * needed to resume after a crash: the request as sent (the intent), the reservation, upload
 * progress and the last error.
 */
import type { ErrorView } from '../errors';
import type { UserVisibility } from '../gameclips/enums';
import type { InitialUploadRequest, InitialUploadResponse } from '../gameclips/wire';

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
}

export interface UploadProgress {
  readonly expectedBlocks: number;
  /** Block numbers the service acknowledged (202 or 201). */
  readonly ackedBlocks: readonly number[];
  readonly committed: boolean;
  readonly serviceState?: string;
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
}

interface RecordInputs {
  readonly id: string;
  readonly origin: ClipOrigin;
  readonly file: FileIdentity;
  readonly draft: ClipDraft;
  readonly now: string;
}

function baseRecord(input: RecordInputs, state: ClipState): ClipRecord {
  return {
    schemaVersion: CLIP_RECORD_SCHEMA_VERSION,
    id: input.id,
    origin: input.origin,
    file: input.file,
    state,
    draft: input.draft,
    reserveAttempts: 0,
    createdAt: input.now,
    updatedAt: input.now,
  };
}

/** A new record for a file that passed the gate and the probe. */
export function newClipRecord(input: RecordInputs & { readonly probe: ClipProbe }): ClipRecord {
  return { ...baseRecord(input, 'reserving'), probe: input.probe };
}

/** A record for a file refused at intake: kept so the reason is shown and the file never retried. */
export function rejectedClipRecord(
  input: RecordInputs & { readonly probe?: ClipProbe; readonly error: ErrorView },
): ClipRecord {
  return {
    ...baseRecord(input, 'rejected'),
    ...(input.probe ? { probe: input.probe } : {}),
    error: input.error,
  };
}

/** The reserve POST is about to be sent: persist the intent first (clip-lifecycle.md section 2). */
export function reservationAttempted(
  record: ClipRecord,
  request: InitialUploadRequest,
  now: string,
): ClipRecord {
  const { error: _error, retryAt: _retryAt, ...rest } = record;
  return {
    ...rest,
    state: 'reserving',
    request,
    reserveAttempts: record.reserveAttempts + 1,
    updatedAt: now,
  };
}

/** The service answered 200 (or a lost reservation was adopted). */
export function reservationSucceeded(
  record: ClipRecord,
  response: InitialUploadResponse,
  where: { serviceUrl: string; scid: string },
  now: string,
): ClipRecord {
  const { error: _error, retryAt: _retryAt, ...rest } = record;
  const uploadId = response.uploadId ?? response.uploadID;
  return {
    ...rest,
    state: 'reserved',
    reservation: {
      gameClipId: response.gameClipId,
      uploadUri: response.uploadUri,
      ...(response.largeThumbnailUri ? { largeThumbnailUri: response.largeThumbnailUri } : {}),
      ...(response.smallThumbnailUri ? { smallThumbnailUri: response.smallThumbnailUri } : {}),
      ...(uploadId ? { uploadId } : {}),
      serviceUrl: where.serviceUrl,
      scid: where.scid,
      reservedAt: now,
    },
    updatedAt: now,
  };
}

/** The service said "not now", or the request never left: try again at `retryAt`. */
export function reservationDeferred(
  record: ClipRecord,
  error: ErrorView,
  retryAt: string,
  now: string,
): ClipRecord {
  return { ...record, state: 'waiting-retry', error, retryAt, updatedAt: now };
}

/** Needs the user, or is refused for good. */
export function clipStopped(
  record: ClipRecord,
  state: 'blocked' | 'rejected' | 'failed' | 'missing',
  error: ErrorView,
  now: string,
): ClipRecord {
  const { retryAt: _retryAt, ...rest } = record;
  return { ...rest, state, error, updatedAt: now };
}

/** The user edited the draft; drafts never change the state. */
export function draftEdited(
  record: ClipRecord,
  patch: Partial<ClipDraft>,
  now: string,
): ClipRecord {
  return { ...record, draft: { ...record.draft, ...patch }, updatedAt: now };
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
