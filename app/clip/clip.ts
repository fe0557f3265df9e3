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
import type { SentMetadata } from '../upload/metadata';

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
  return { ...record, draft: { ...record.draft, ...patch }, updatedAt: now, draftEditedAt: now };
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
  const { error: _error, retryAt: _retryAt, sendOnReserve: _sendOnReserve, ...rest } = record;
  return {
    ...rest,
    state: 'uploading',
    upload: record.upload ?? { expectedBlocks, ackedBlocks: [], committed: false },
    updatedAt: now,
  };
}

/** Acknowledged blocks, merged into what the record already holds. */
export function blocksAcked(
  record: ClipRecord,
  acked: Iterable<number>,
  committed: boolean,
  now: string,
): ClipRecord {
  const upload = record.upload ?? { expectedBlocks: 0, ackedBlocks: [], committed: false };
  const all = [...new Set([...upload.ackedBlocks, ...acked])].sort((a, b) => a - b);
  return {
    ...record,
    upload: { ...upload, ackedBlocks: all, committed: upload.committed || committed },
    updatedAt: now,
  };
}

/** An upload problem the app will retry by itself: the state stays, the reason is shown. */
export function uploadRetrying(record: ClipRecord, error: ErrorView, retryAt: string, now: string) {
  return { ...record, error, retryAt, updatedAt: now };
}

export function uploadPaused(record: ClipRecord, now: string): ClipRecord {
  const { retryAt: _retryAt, ...rest } = record;
  return { ...rest, state: 'paused', updatedAt: now };
}

/** The reservation is deleted (never the file); the clip moves to the history. */
export function uploadCancelled(record: ClipRecord, now: string): ClipRecord {
  const { retryAt: _retryAt, error: _error, ...rest } = record;
  return { ...rest, state: 'cancelled', updatedAt: now };
}

export function thumbnailsSettled(
  record: ClipRecord,
  outcome: 'sent' | 'unavailable',
  now: string,
): ClipRecord {
  return { ...record, thumbnails: outcome, updatedAt: now };
}

export function metadataAccepted(record: ClipRecord, sent: SentMetadata, now: string): ClipRecord {
  return { ...record, metadataSent: sent, updatedAt: now };
}

/** Committed: the service processes it now; the app follows it to Published. */
export function uploadProcessing(record: ClipRecord, serviceState: string, now: string) {
  const { error: _error, retryAt: _retryAt, ...rest } = record;
  const upload = record.upload ?? { expectedBlocks: 0, ackedBlocks: [], committed: true };
  return {
    ...rest,
    state: 'processing' as const,
    upload: { ...upload, committed: true, serviceState },
    updatedAt: now,
  };
}

export function clipPublished(record: ClipRecord, links: ServiceLinks, now: string): ClipRecord {
  const { error: _error, retryAt: _retryAt, ...rest } = record;
  const upload = record.upload ?? { expectedBlocks: 0, ackedBlocks: [], committed: true };
  return {
    ...rest,
    state: 'published',
    upload: { ...upload, committed: true, serviceState: 'Published' },
    links,
    updatedAt: now,
  };
}

/**
 * The reservation expired (410) or the file changed: back to `reserving` with no request, so the
 * reservation service reserves it afresh. The draft (what the user typed) is kept.
 */
export function reservationRenewing(
  record: ClipRecord,
  now: string,
  file?: { readonly identity: FileIdentity; readonly probe: ClipProbe },
): ClipRecord {
  const {
    request: _request,
    reservation: _reservation,
    upload: _upload,
    retryAt: _retryAt,
    metadataSent: _metadataSent,
    thumbnails: _thumbnails,
    ...rest
  } = record;
  return {
    ...rest,
    state: 'reserving',
    ...(file ? { file: file.identity, probe: file.probe } : {}),
    renewals: (record.renewals ?? 0) + (file ? 0 : 1),
    sendOnReserve: true,
    updatedAt: now,
  };
}
