/**
 * The real pipeline (ledger, intake, reservation, embedded sandbox over loopback) in a temporary
 * folder, with every event it reports recorded, and the sandbox's own count of reservations.
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ClipRecord } from '../../../app/clip/clip';
import type { IntakeStatus } from '../../../app/ipc/contract';
import { startCompanion, type Companion, type IntakeTuning } from '../../../main/core/companion';
import { silentLogger } from '../../../main/util/logger';
import { adminHeaders } from '../../../main/sandbox/index';

export interface RecordedEvents {
  readonly detected: ClipRecord[];
  readonly reserved: ClipRecord[];
  readonly rejected: Array<{ record: ClipRecord; duplicateOf?: ClipRecord }>;
  readonly incomplete: ClipRecord[];
  readonly statuses: IntakeStatus[];
  /** performance.now() when each path passed the gate. */
  readonly detectedAt: Map<string, number>;
}

export interface TestCompanion {
  readonly companion: Companion;
  readonly events: RecordedEvents;
  /** Reservations the sandbox holds, whatever the app believes. */
  sandboxClipCount(): Promise<number>;
  reservedNames(): string[];
  rejectionOf(name: string): string | undefined;
}

export async function startTestCompanion(
  dataDir: string,
  watchedFolders: readonly string[],
  tuning: IntakeTuning = {},
): Promise<TestCompanion> {
  const events: RecordedEvents = {
    detected: [],
    reserved: [],
    rejected: [],
    incomplete: [],
    statuses: [],
    detectedAt: new Map(),
  };
  const companion = await startCompanion({
    dataDir,
    service: { kind: 'sandbox' },
    watchedFolders,
    mode: 'headless',
    logger: silentLogger,
    initialDraft: () => ({ caption: '', visibility: 'Owner' }),
    savedByUser: () => false,
    stabilityMs: 150,
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
