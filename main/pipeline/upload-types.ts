/**
 * The upload's shared vocabulary: what it tells the window, what it reads from the settings, what
 * the composition root gives it, and how sending the blocks can end.
 */
import type { ClipRecord } from '../../app/clip/clip';
import type { AppErrorCode } from '../../app/errors';
import type { ThumbnailSource } from '../../app/gameclips/enums';
import { WAIT_CLAMPS, type RetryPolicy } from '../../app/retry';
import type { SendPolicy } from '../../app/settings';
import type { ServiceBinding } from '../../app/service/reservation-binding';
import type { Logger } from '../util/logger';
import type { BlockTransport } from '../gameclips/block-transport';
import type { AccountProvider, GameClipsClient } from '../gameclips/gameclips-client';
import type { ClipLedger } from '../ledger/clip-ledger';
import type { DeleteQueue } from './delete-queue';
import type { ThumbnailStore } from './thumbnail-store';

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
export const ACK_BATCH_MS = 1000;
export const JOB_RETRY_MS = 60_000;
export const METADATA_DEBOUNCE_MS = 1500;

export type BlocksOutcome =
  | { kind: 'committed' }
  | { kind: 'aborted' }
  | { kind: 'expired'; detail?: string }
  /** Needs the user (signed out after the client's refresh, forbidden). */
  | { kind: 'blocked'; code: AppErrorCode; detail?: string }
  | { kind: 'failed'; code: AppErrorCode; detail?: string }
  | { kind: 'retry-later'; code: AppErrorCode; detail?: string; delayMs: number }
  | { kind: 'changed' }
  | { kind: 'gone' };
