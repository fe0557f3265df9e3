/**
 * The pipeline assembled: ledger, GameClips client, reservation and intake, for a data folder and
 * a service. Both composition roots use it, the Electron main process and the headless CLI, so
 * they run the same pipeline with the same guarantees.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { decideProxy, type ProxyDecision } from '../../app/gameclips/proxy';
import type { ClipDraft, ClipProbe, ClipRecord } from '../../app/clip/clip';
import type { IntakeStatus, StorageTrimmed } from '../../app/ipc/contract';
import type { ThumbnailSource } from '../../app/gameclips/enums';
import type { TokenScope } from '../../app/gameclips/token-scope';
import { serviceKeyOf, type ServiceBinding } from '../../app/service/reservation-binding';
import { accountIdentity } from '../gameclips/account-identity';
import {
  sharedRefresh,
  type AccountProvider,
  type GameClipsClient,
} from '../gameclips/gameclips-client';
import { AxiosGameClipsClient } from '../gameclips/axios-gameclips-client';
import { FsDirectoryWatcher } from '../intake/directory-watcher';
import { ClipIntake, type ClipIntakeDeps } from '../intake/clip-intake';
import { FileClipLedger } from '../ledger/file-clip-ledger';
import { StorageHealth, type StorageStatus } from '../ledger/storage-health';
import { UploadJournal } from '../pipeline/upload-journal';
import { reconcileLostRecords } from '../pipeline/lost-record-reconcile';
import { ReservationService } from '../pipeline/reservation-service';
import { migrateBuiltInReservations } from '../pipeline/reservation-migration';
import { DeleteQueue, deleteQueueFileOf } from '../pipeline/delete-queue';
import { ledgerLooksLost, usedMarkerFileOf } from '../pipeline/lost-ledger';
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
import { shutdown, type ShutdownPart } from './shutdown';
import { builtInStorageCap } from '../pipeline/storage-cap';
import { claimDataFolder } from '../instance/data-folder';
import type { HeldFolderLock } from '../util/folder-lock';
import { startHandOverServer } from '../instance/hand-over';
import { registerAndReport } from '../instance/register-report';
import type { Logger } from '../util/logger';

export type ServiceChoice =
  | { readonly kind: 'sandbox' }
  | {
      readonly kind: 'custom';
      readonly baseUrl: string;
      readonly scid: string;
      /** The stored token (app) or GAMECLIPS_AUTHORIZATION (headless); never logged. */
      readonly account: AccountProvider;
      /** Upload origins besides the service's own that the token may reach (issue 14). */
      readonly uploadHosts?: readonly string[];
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
  /**
   * The ledger or upload journal cannot be written (disk full, read-only...): intake and uploads
   * wait, and resume by themselves; `ok` when they do (issue 13 item 5).
   */
  storageStatusChanged(status: StorageStatus): void;
  /** Upload and follow-through (issue 6). */
  uploadProgress: UploadEvents['progress'];
  uploadCompleted: UploadEvents['completed'];
  published: UploadEvents['published'];
  failed: UploadEvents['failed'];
  missing: UploadEvents['missing'];
  fileChanged: UploadEvents['changed'];
  thumbnailsWanted: UploadEvents['thumbnailsWanted'];
  /** The built-in service was trimmed to the stored cap: the user is told (issue 16, item 5). */
  serviceStorageTrimmed(notice: StorageTrimmed): void;
}

export interface CompanionOptions {
  readonly dataDir: string;
  readonly service: ServiceChoice;
  readonly watchedFolders: readonly string[];
  readonly mode: 'app' | 'headless';
  readonly logger: Logger;
  readonly events?: Partial<CompanionEvents>;
  /** The draft a new clip starts with; the probe is passed once it is known (app/clip/draft.ts). */
  readonly initialDraft: (filePath: string, probe?: ClipProbe) => ClipDraft;
  readonly savedByUser: () => boolean;
  /** Test seam: how often paused storage writes are tried again (default 3 s). */
  readonly storageProbeMs?: number;
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
  /** The built-in service's storage cap in bytes, read at each publish; undefined: none. */
  readonly storageCapBytes?: () => number | undefined;
  /** Where the built-in service keeps its data (main/util/paths.ts); `<dataDir>/sandbox` if not given. */
  readonly serviceDataDir?: string;
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
    | 'rootCheckMs'
  >
>;

export interface Companion {
  readonly ledger: FileClipLedger;
  readonly intake: ClipIntake;
  readonly reservations: ReservationService;
  readonly uploads: UploadService;
  readonly thumbnails: ThumbnailStore;
  /** Abandoned reservations waiting for a confirmed DELETE (diagnostics: count() and pending()). */
  readonly deletes: DeleteQueue;
  readonly service: {
    readonly kind: 'sandbox' | 'custom';
    readonly baseUrl: string;
    readonly scid: string;
  };
  /** The GameClips client and account, for reads of published clips (issue 16). */
  readonly client: GameClipsClient;
  readonly account: AccountProvider;
  /** The built-in service while it is the one in use ("Share on my network", issue 16). */
  readonly sandbox?: RunningSandbox;
  /**
   * The user stored a new token: every clip blocked as signed out, reserved or not, is tried
   * again with it at once. Answers how many were.
   */
  accountChanged(): Promise<number>;
  /** Stops intake and reservation, waits for calls in flight, flushes the ledger, closes the sandbox. */
  stop(): Promise<void>;
  /** What stop() stops, in order, for a caller that stops more around it (main/core/shutdown.ts). */
  shutdownParts(): ShutdownPart[];
}

/**
 * Takes the data folder first (one writer per ledger), before anything is read or decided; a
 * folder held by another live process throws DataFolderHeldError with the sentence to show.
 */
export async function startCompanion(options: CompanionOptions): Promise<Companion> {
  await mkdir(options.dataDir, { recursive: true });
  const lock = await claimDataFolder(options.dataDir, {
    onLost: (error) =>
      options.logger.error('data folder: the owner lock was lost', { error: String(error) }),
  });
  try {
    return await startCompanionHolding(options, lock);
  } catch (error) {
    await lock.release();
    throw error;
  }
}

async function startCompanionHolding(
  options: CompanionOptions,
  lock: HeldFolderLock,
): Promise<Companion> {
  const { logger } = options;
  const events = options.events ?? {};
  // One storage health for the ledger and the upload journals: a full disk pauses both, shows
  // one reason, and both resume when a write goes through again.
  const health = new StorageHealth(
    options.storageProbeMs !== undefined ? { probeIntervalMs: options.storageProbeMs } : {},
  );
  const ledger = await FileClipLedger.open(path.join(options.dataDir, 'ledger'), logger, {
    health,
    journalFile: path.join(options.dataDir, 'ledger-intents.jsonl'),
    ...(options.storageProbeMs !== undefined ? { folderCheckMs: options.storageProbeMs } : {}),
  });
  const forgetJournalHealth = UploadJournal.useHealth(journalFolderOf(options.dataDir), health);
  let lastIntakeStatus: IntakeStatus = { state: 'starting' };
  // While storage is paused the intake status says why, so the window shows it where it looks.
  const intakeStatus = (status: IntakeStatus): IntakeStatus => {
    const storage = health.status();
    return storage.state === 'paused'
      ? { ...status, state: 'error', message: storage.message }
      : status;
  };
  health.subscribe((status) => {
    if (status.state === 'paused') logger.error('storage: writes paused', { ...status });
    else logger.info('storage: writes resumed');
    events.storageStatusChanged?.(status);
    events.intakeStatusChanged?.(intakeStatus(lastIntakeStatus));
  });
  // An empty ledger in a used data folder: its records were lost, the service still has the clips
  // (read before the built-in sandbox writes its account file).
  const ledgerLost = await ledgerLooksLost(options.dataDir, ledger);

  let sandbox: RunningSandbox | undefined;
  let baseUrl: string;
  let scid: string;
  let account: AccountProvider;
  if (options.service.kind === 'sandbox') {
    const embedded = await startEmbeddedSandbox(options.dataDir, logger, options.serviceDataDir);
    await migrateBuiltInReservations(ledger, logger);
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
  // One refresh at a time for every call that meets a 401 (the clients refresh, not the services).
  account = sharedRefresh(account);
  // The token goes only to the service's origin and the upload origins its profile allows, and
  // each reservation is bound to this service and account (issue 14).
  const tokenScope: TokenScope = {
    serviceOrigin: baseUrl,
    ...(options.service.kind === 'custom' && options.service.uploadHosts
      ? { uploadHosts: options.service.uploadHosts }
      : {}),
  };
  const serviceKey = serviceKeyOf(options.service.kind, baseUrl);
  const binding = async (): Promise<ServiceBinding> => ({
    serviceKey,
    account: await accountIdentity(account),
    baseUrl,
    scope: tokenScope,
  });
  const client = new AxiosGameClipsClient({ baseUrl, account, tokenScope });
  const deletes = await DeleteQueue.open({
    file: deleteQueueFileOf(options.dataDir),
    client,
    logger,
  });
  const thumbnailSource: ThumbnailSource = options.mode === 'app' ? 'Upload' : 'Offset';
  // The built-in service is kept under the stored cap after each publish and at start-up.
  const storageCap =
    options.service.kind === 'sandbox'
      ? builtInStorageCap({
          ledger,
          service: { kind: 'sandbox', baseUrl, client, account },
          capBytes: options.storageCapBytes,
          trimmed: (notice) => events.serviceStorageTrimmed?.(notice),
          logger,
        })
      : undefined;

  const reservations = new ReservationService({
    ledger,
    client,
    scid,
    logger,
    thumbnailSource,
    savedByUser: options.savedByUser,
    binding,
    deleteQueue: deletes,
    usedMarkerFile: usedMarkerFileOf(options.dataDir),
    events: {
      adopted: (record) =>
        record.state === 'published'
          ? events.published?.(record)
          : uploads.followCommitted(record.id),
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
    tokenScope,
    proxy: options.proxy ?? ((target) => decideProxy(target, process.env)),
  });
  const reserveAgain = (id: string) => reservations.enqueue(id);
  const uploads: UploadService = new UploadService({
    ledger,
    client,
    transport,
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
    binding,
    deleteQueue: deletes,
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
      progress: (id, sent, total, detail) => events.uploadProgress?.(id, sent, total, detail),
      completed: (record) => events.uploadCompleted?.(record),
      published: (record) => {
        events.published?.(record);
        void storageCap?.apply();
      },
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
      statusChanged: (status) => {
        lastIntakeStatus = status;
        events.intakeStatusChanged?.(intakeStatus(status));
      },
      incomplete: (record) => events.incomplete?.(record),
      missing: (record) => events.missing?.(record),
    },
    ...options.intakeTuning,
    ...(options.stabilityMs !== undefined ? { stabilityMs: options.stabilityMs } : {}),
    ...(options.reconcileIntervalMs !== undefined
      ? { reconcileIntervalMs: options.reconcileIntervalMs }
      : {}),
  });

  // Damaged records the intent journal could not rebuild: ask the service by correlation id.
  const lost = ledger.recovery().unrecoverable;
  const lostReconciled =
    lost.length === 0
      ? Promise.resolve()
      : reconcileLostRecords(lost, { client, scid, logger }).then(
          () => undefined,
          (error: unknown) =>
            logger.error('ledger: reconciling lost records failed', { error: String(error) }),
        );
  if (ledgerLost) reservations.reconcileLost();
  reservations.resume();
  await uploads.start();
  void storageCap?.apply();
  await intake.start(options.watchedFolders);
  // Other processes on this data folder (the CLI's `register`) hand their files to us.
  const handOver = await startHandOverServer(
    options.dataDir,
    { register: (paths) => registerAndReport({ intake, ledger }, paths) },
    (message, fields) => logger.info(message, fields),
  );

  // In order: the pipeline first, the ledger's flush after it, the folder lock last.
  const shutdownParts = (): ShutdownPart[] => [
    // Writes waiting for storage give up: what they held is rebuilt at the next start.
    { name: 'storage health', stop: () => health.close() },
    { name: 'hand-over server', stop: () => handOver.close() },
    { name: 'intake', stop: () => intake.stop() },
    { name: 'reservations', stop: () => reservations.stop() },
    { name: 'uploads', stop: () => uploads.stop() },
    { name: 'delete queue', stop: () => deletes.stop() },
    { name: 'lost-record reconcile', stop: () => lostReconciled },
    { name: 'storage cap', stop: () => storageCap?.stop() },
    { name: 'ledger', stop: () => ledger.close() },
    {
      name: 'block transport',
      stop: () => {
        forgetJournalHealth();
        transport.close();
      },
    },
    { name: 'sandbox', stop: () => sandbox?.close() },
    { name: 'folder lock', stop: () => lock.release() },
  ];

  return {
    ledger,
    intake,
    reservations,
    uploads,
    thumbnails,
    deletes,
    service: { kind: options.service.kind, baseUrl, scid },
    client,
    account,
    ...(sandbox ? { sandbox } : {}),
    async accountChanged() {
      const signedOut = ledger
        .all()
        .filter((r) => r.state === 'blocked' && r.error?.code === 'gameclips/unauthorized')
        .map((r) => r.id);
      return signedOut.length === 0 ? 0 : (await uploads.retry(signedOut)).length;
    },
    shutdownParts,
    async stop() {
      await shutdown(shutdownParts(), logger);
    },
  };
}
