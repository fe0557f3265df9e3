/**
 * The pipeline assembled: ledger, GameClips client, reservation and intake, for a data folder and
 * a service. Both composition roots use it, the Electron main process and the headless CLI, so
 * they run the same pipeline with the same guarantees.
 */
import path from 'node:path';
import { decideProxy, type ProxyDecision } from '../../app/gameclips/proxy';
import type { ClipDraft, ClipRecord } from '../../app/clip/clip';
import type { IntakeStatus } from '../../app/ipc/contract';
import type { ThumbnailSource } from '../../app/gameclips/enums';
import type { AccountProvider } from '../gameclips/gameclips-client';
import { AxiosGameClipsClient } from '../gameclips/axios-gameclips-client';
import { FsDirectoryWatcher } from '../intake/directory-watcher';
import { ClipIntake, type ClipIntakeDeps } from '../intake/clip-intake';
import { FileClipLedger } from '../ledger/file-clip-ledger';
import { ReservationService } from '../pipeline/reservation-service';
import { BlockTransport } from '../gameclips/block-transport';
import { ThumbnailStore } from '../pipeline/thumbnail-store';
import { createReintake } from '../pipeline/upload-reintake';
import {
  journalFolderOf,
  UploadService,
  type UploadEvents,
  type UploadServiceDeps,
  type UploadSettings,
} from '../pipeline/upload-service';
import type { RunningSandbox } from '../sandbox/index';
import { startEmbeddedSandbox } from './embedded-sandbox';
import type { Logger } from './logger';

export type ServiceChoice =
  | { readonly kind: 'sandbox' }
  | {
      readonly kind: 'custom';
      readonly baseUrl: string;
      readonly scid: string;
      /** The stored token (app) or GAMECLIPS_AUTHORIZATION (headless); never logged. */
      readonly account: AccountProvider;
    };

/** Everything that happens to a clip, for the CLI's lines and the window's notifications. */
export interface CompanionEvents {
  detected(record: ClipRecord): void;
  reserved(record: ClipRecord): void;
  /** Refused; for an intake duplicate, `duplicateOf` is the clip it repeats. */
  rejected(record: ClipRecord, duplicateOf?: ClipRecord): void;
  blocked(record: ClipRecord): void;
  retrying(record: ClipRecord, delayMs: number): void;
  intakeStatusChanged(status: IntakeStatus): void;
  /** A file stayed structurally unfinished past the intake's timeout; it is not reserved. */
  incomplete(record: ClipRecord): void;
  /** Upload and follow-through (issue 6). */
  uploadProgress: UploadEvents['progress'];
  uploadCompleted: UploadEvents['completed'];
  published: UploadEvents['published'];
  failed: UploadEvents['failed'];
  missing: UploadEvents['missing'];
  fileChanged: UploadEvents['changed'];
  thumbnailsWanted: UploadEvents['thumbnailsWanted'];
}

export interface CompanionOptions {
  readonly dataDir: string;
  readonly service: ServiceChoice;
  readonly watchedFolders: readonly string[];
  readonly mode: 'app' | 'headless';
  readonly logger: Logger;
  readonly events?: Partial<CompanionEvents>;
  readonly initialDraft: (filePath: string) => ClipDraft;
  readonly savedByUser: () => boolean;
  /** Test seams: the gate's stability window and the reconcile period. */
  readonly stabilityMs?: number;
  readonly reconcileIntervalMs?: number;
  /** Intake tuning for tests and benchmarks (timeouts, file-system detection). */
  readonly intakeTuning?: IntakeTuning;
  /** Send policy, parallel blocks and bandwidth cap, read when each decision is made. */
  readonly uploadSettings?: () => UploadSettings;
  /** Test seams for the uploader (no-progress timeout, poll schedule, retry policy). */
  readonly uploadTuning?: Pick<
    UploadServiceDeps,
    'noProgressTimeoutMs' | 'thumbnailWaitMs' | 'follow' | 'blockPolicy'
  >;
  /** The proxy for block PUTs (the app adds the system's answer); the environment's by default. */
  readonly proxy?: (target: URL) => ProxyDecision;
}

export type IntakeTuning = Partial<
  Pick<
    ClipIntakeDeps,
    | 'incompleteAfterMs'
    | 'fragmentQuietMs'
    | 'pollingIntervalMs'
    | 'eventlessFileSystem'
    | 'debounceMs'
    | 'errorRetryMs'
  >
>;

export interface Companion {
  readonly ledger: FileClipLedger;
  readonly intake: ClipIntake;
  readonly reservations: ReservationService;
  readonly uploads: UploadService;
  readonly thumbnails: ThumbnailStore;
  readonly service: {
    readonly kind: 'sandbox' | 'custom';
    readonly baseUrl: string;
    readonly scid: string;
  };
  /**
   * The user stored a new token: every clip blocked as signed out, reserved or not, is tried
   * again with it at once. Answers how many were.
   */
  accountChanged(): Promise<number>;
  /** Stops intake and reservation, waits for calls in flight, flushes the ledger, closes the sandbox. */
  stop(): Promise<void>;
}

export async function startCompanion(options: CompanionOptions): Promise<Companion> {
  const { logger } = options;
  const events = options.events ?? {};
  const ledger = await FileClipLedger.open(path.join(options.dataDir, 'ledger'), logger);

  let sandbox: RunningSandbox | undefined;
  let baseUrl: string;
  let scid: string;
  let account: AccountProvider;
  if (options.service.kind === 'sandbox') {
    const embedded = await startEmbeddedSandbox(options.dataDir, logger);
    sandbox = embedded.sandbox;
    baseUrl = embedded.sandbox.baseUrl;
    scid = embedded.scid;
    // The local account does not expire. A 401 is met by reading the provisioned account again
    // (the refresh the protocol asks for, spec 5.4) and retrying once; a second 401 means the
    // account is gone, and the clip is blocked for the user.
    let authorization = embedded.authorization;
    account = {
      authorization: () => Promise.resolve(authorization),
      refresh: async () => {
        const current = await embedded.readAccount();
        if (!current) return false;
        authorization = current.authorization;
        return true;
      },
    };
  } else {
    baseUrl = options.service.baseUrl;
    scid = options.service.scid;
    account = options.service.account;
  }
  const client = new AxiosGameClipsClient({ baseUrl, account });
  const thumbnailSource: ThumbnailSource = options.mode === 'app' ? 'Upload' : 'Offset';

  const reservations = new ReservationService({
    ledger,
    client,
    account,
    scid,
    logger,
    thumbnailSource,
    savedByUser: options.savedByUser,
    events: {
      reserved: (record) => {
        events.reserved?.(record);
        uploads.reserved(record);
      },
      blocked: (record) => events.blocked?.(record),
      rejected: (record) => events.rejected?.(record),
      retrying: (record, delayMs) => events.retrying?.(record, delayMs),
    },
  });
  const thumbnails = new ThumbnailStore(path.join(options.dataDir, 'thumbnails'));
  const transport = new BlockTransport({
    account,
    proxy: options.proxy ?? ((target) => decideProxy(target, process.env)),
  });
  const reserveAgain = (id: string) => reservations.enqueue(id);
  const uploads: UploadService = new UploadService({
    ledger,
    client,
    transport,
    account,
    logger,
    thumbnailSource,
    thumbnails,
    journalFolder: journalFolderOf(options.dataDir),
    settings:
      options.uploadSettings ??
      (() => ({
        sendPolicy: { kind: 'review' },
        parallelBlocks: 4,
        bandwidthCapBytesPerSecond: 0,
      })),
    reserveAgain,
    retryReservation: (id) => reservations.retry(id),
    reintake: createReintake({
      ledger,
      logger,
      reserveAgain,
      ...(options.stabilityMs !== undefined ? { stabilityMs: options.stabilityMs } : {}),
      stopped: (record) =>
        record.state === 'missing' ? events.missing?.(record) : events.rejected?.(record),
    }),
    events: {
      progress: (id, sent, total) => events.uploadProgress?.(id, sent, total),
      completed: (record) => events.uploadCompleted?.(record),
      published: (record) => events.published?.(record),
      failed: (record) => events.failed?.(record),
      missing: (record) => events.missing?.(record),
      changed: (record) => events.fileChanged?.(record),
      blocked: (record) => events.blocked?.(record),
      thumbnailsWanted: (id, offsetMs) => events.thumbnailsWanted?.(id, offsetMs),
    },
    ...options.uploadTuning,
  });
  const intake = new ClipIntake({
    ledger,
    watcher: new FsDirectoryWatcher({ depth: 8 }),
    logger,
    initialDraft: options.initialDraft,
    onClipReady: (record) => reservations.enqueue(record.id),
    events: {
      detected: (record) => events.detected?.(record),
      rejected: (record, duplicateOf) => events.rejected?.(record, duplicateOf),
      statusChanged: (status) => events.intakeStatusChanged?.(status),
      incomplete: (record) => events.incomplete?.(record),
    },
    ...options.intakeTuning,
    ...(options.stabilityMs !== undefined ? { stabilityMs: options.stabilityMs } : {}),
    ...(options.reconcileIntervalMs !== undefined
      ? { reconcileIntervalMs: options.reconcileIntervalMs }
      : {}),
  });

  reservations.resume();
  await uploads.start();
  await intake.start(options.watchedFolders);

  return {
    ledger,
    intake,
    reservations,
    uploads,
    thumbnails,
    service: { kind: options.service.kind, baseUrl, scid },
    async accountChanged() {
      const signedOut = ledger
        .all()
        .filter((r) => r.state === 'blocked' && r.error?.code === 'gameclips/unauthorized')
        .map((r) => r.id);
      return signedOut.length === 0 ? 0 : (await uploads.retry(signedOut)).length;
    },
    async stop() {
      await intake.stop();
      await reservations.stop();
      await uploads.stop();
      await ledger.flush();
      transport.close();
      await sandbox?.close();
    },
  };
}
