/**
 * The one companion test harness: the real pipeline (ledger, intake, reservation, upload) on a
 * temporary data folder, talking over loopback HTTP to the built-in sandbox or to a sandbox
 * account used as a custom service. Every test that starts a companion starts it here, with the
 * same defaults (headless, quiet, empty private drafts, a short stability window); the flavours
 * below only add what their tests read back.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ClipRecord } from '../../app/clip/clip';
import type { IntakeStatus } from '../../app/ipc/contract';
import type { SendPolicy } from '../../app/settings';
import {
  startCompanion,
  type Companion,
  type CompanionOptions,
  type IntakeTuning,
} from '../../main/core/companion';
import type { AccountProvider } from '../../main/gameclips/gameclips-client';
import { adminHeaders } from '../../main/sandbox/index';
import { createStreamLogger } from '../../main/util/logger';

/** Silent unless GC_DEBUG is set, so a failing run can be read without editing the test. */
export const quietLogger = createStreamLogger({
  level: process.env.GC_DEBUG ? 'debug' : 'error',
  write: (text) => (process.env.GC_DEBUG ? process.stderr.write(text) : undefined),
});

/** A sandbox account used as a custom service (see CompanionOnOptions.custom). */
export interface CustomService {
  readonly baseUrl: string;
  readonly account: { readonly scid: string; readonly authorization: string };
  /** What a refresh after a 401 answers; true unless given. */
  readonly refresh?: boolean;
  /** Replaces the account provider altogether (a real token store, say). */
  readonly provider?: AccountProvider;
  /** Upload origins the service may name besides its own (a proxy in front of the sandbox). */
  readonly uploadHosts?: readonly string[];
}

export interface CompanionOnOptions extends Partial<
  Omit<CompanionOptions, 'dataDir' | 'watchedFolders' | 'service'>
> {
  readonly dataDir: string;
  readonly watchedFolders: readonly string[];
  /** Without it, the built-in sandbox. */
  readonly custom?: CustomService;
}

/** A companion on `dataDir` with the shared defaults; any CompanionOptions given replace them. */
export async function startCompanionOn(
  options: CompanionOnOptions,
): Promise<{ companion: Companion; refreshes: () => number }> {
  const { dataDir, watchedFolders, custom, ...overrides } = options;
  let refreshes = 0;
  const companion = await startCompanion({
    dataDir,
    service: custom
      ? {
          kind: 'custom',
          baseUrl: custom.baseUrl,
          scid: custom.account.scid,
          ...(custom.uploadHosts ? { uploadHosts: custom.uploadHosts } : {}),
          account: custom.provider ?? {
            authorization: () => Promise.resolve(custom.account.authorization),
            refresh: () => {
              refreshes++;
              return Promise.resolve(custom.refresh ?? true);
            },
          },
        }
      : { kind: 'sandbox' },
    watchedFolders,
    mode: 'headless',
    logger: quietLogger,
    initialDraft: () => ({ caption: '', visibility: 'Owner' }),
    savedByUser: () => false,
    stabilityMs: 150,
    ...overrides,
  });
  return { companion, refreshes: () => refreshes };
}

// ---- the upload tests' flavour ----

/** Polls fast so a clip reaches Published within a test's time. */
const FAST_FOLLOW = { firstMs: 100, maxMs: 500, giveUpMs: 60_000 } as const;

/** Retries failed blocks soon and often, for the tests that make the service refuse them. */
export const QUICK_BLOCK_RETRY = { baseDelayMs: 200, maxDelayMs: 2000, maxAttempts: 10 } as const;

export interface UploadCompanionOptions extends Partial<
  Omit<CompanionOptions, 'dataDir' | 'watchedFolders' | 'service'>
> {
  /** The companion watches `root/Captures` and keeps its data in `root/data`. */
  readonly root: string;
  /** A sandbox account used as a custom service; without it the built-in sandbox. */
  readonly custom?: CustomService;
  /** Sent as the send policy, with 4 parallel blocks and no bandwidth cap; immediate by default. */
  readonly sendPolicy?: SendPolicy;
}

export interface UploadCompanion {
  readonly companion: Companion;
  readonly watched: string;
  /** How many times the service asked the custom account for a fresh token. */
  readonly refreshes: () => number;
}

/**
 * A companion as the upload tests run it: fast Published polling, and clips sent as soon as they
 * are reserved. Any CompanionOptions given replace these; `uploadTuning` is merged over the fast
 * polling.
 */
export async function startUploadCompanion(
  options: UploadCompanionOptions,
): Promise<UploadCompanion> {
  const { root, sendPolicy = { kind: 'immediate' }, uploadTuning, ...overrides } = options;
  const watched = path.join(root, 'Captures');
  await mkdir(watched, { recursive: true });
  const { companion, refreshes } = await startCompanionOn({
    dataDir: path.join(root, 'data'),
    watchedFolders: [watched],
    uploadSettings: () => ({ sendPolicy, parallelBlocks: 4, bandwidthCapBytesPerSecond: 0 }),
    uploadTuning: { follow: FAST_FOLLOW, ...uploadTuning },
    ...overrides,
  });
  return { companion, watched, refreshes };
}

// ---- the intake tests' flavour: every event recorded ----

export interface RecordedEvents {
  readonly detected: ClipRecord[];
  readonly reserved: ClipRecord[];
  readonly rejected: Array<{ record: ClipRecord; duplicateOf?: ClipRecord }>;
  readonly incomplete: ClipRecord[];
  readonly statuses: IntakeStatus[];
  /** performance.now() when each path passed the gate. */
  readonly detectedAt: Map<string, number>;
}

export interface RecordingCompanion {
  readonly companion: Companion;
  readonly events: RecordedEvents;
  /** Reservations the sandbox holds, whatever the app believes. */
  sandboxClipCount(): Promise<number>;
  reservedNames(): string[];
  rejectionOf(name: string): string | undefined;
}

/**
 * The built-in sandbox, nothing sent without a send, intake tuned for tests, and every event it
 * reports recorded along with the sandbox's own count of reservations.
 */
export async function startRecordingCompanion(
  dataDir: string,
  watchedFolders: readonly string[],
  tuning: IntakeTuning = {},
): Promise<RecordingCompanion> {
  const events: RecordedEvents = {
    detected: [],
    reserved: [],
    rejected: [],
    incomplete: [],
    statuses: [],
    detectedAt: new Map(),
  };
  const { companion } = await startCompanionOn({
    dataDir,
    watchedFolders,
    reconcileIntervalMs: 60_000,
    intakeTuning: { incompleteAfterMs: 4_000, debounceMs: 50, ...tuning },
    events: {
      detected: (record) => {
        events.detected.push(record);
        events.detectedAt.set(record.file.path, performance.now());
      },
      reserved: (record) => events.reserved.push(record),
      rejected: (record, duplicateOf) =>
        events.rejected.push({ record, ...(duplicateOf ? { duplicateOf } : {}) }),
      incomplete: (record) => events.incomplete.push(record),
      intakeStatusChanged: (status) => events.statuses.push(status),
    },
  });
  return {
    companion,
    events,
    async sandboxClipCount() {
      // The built-in service's admin routes want its per-run secret (kept in this process).
      const response = await fetch(`${companion.service.baseUrl}/sandbox/stats`, {
        headers: adminHeaders(companion.service.baseUrl),
      });
      const stats = (await response.json()) as { clipsByState: Record<string, number> };
      return Object.values(stats.clipsByState).reduce((sum, count) => sum + count, 0);
    },
    reservedNames: () => events.reserved.map((record) => path.basename(record.file.path)).sort(),
    rejectionOf: (name) =>
      events.rejected.findLast((entry) => path.basename(entry.record.file.path) === name)?.record
        .error?.code,
  };
}
