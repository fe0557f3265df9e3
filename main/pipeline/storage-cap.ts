/**
 * Keeps the built-in service under the storage cap the user stored in Settings (issue 16, item 5).
 *
 * The app applies the cap itself, through the service's own trim route, after each clip is
 * published and once at start-up: the service removes its oldest clips not marked saved first
 * (its FIFO pool), the rows of those clips say they are no longer online, and the user is told how
 * many went. Only the service's copies go; the user's files are never touched.
 *
 * One trim at a time: asks that arrive while one runs are folded into one more run after it.
 */
import type { StorageTrimmed } from '../../app/ipc/contract';
import type { IpcResult } from '../../app/ipc/result';
import type { ClipLedger } from '../ledger/clip-ledger';
import { createStoragePort } from '../ipc/service-storage';
import type { PublishedService } from '../ipc/share-link';
import type { Logger } from '../util/logger';

export interface StorageCapDeps {
  /** The stored cap in bytes, read at each run; undefined: no cap. */
  readonly capBytes: () => number | undefined;
  /** The service's trim to `maxBytes`, marking the removed clips' rows (main/ipc/service-storage). */
  readonly trim: (rule: {
    maxBytes: number;
  }) => Promise<IpcResult<{ readonly removed: number; readonly clipIds: readonly string[] }>>;
  /** Told when clips were removed (not when there was nothing to remove). */
  readonly trimmed: (notice: StorageTrimmed) => void;
  readonly logger: Logger;
}

export interface StorageCapKeeper {
  /** Applies the cap now (or right after the run in progress); resolves when that run is done. */
  apply(): Promise<void>;
  /** Waits for the run in progress; later asks do nothing. */
  stop(): Promise<void>;
}

export function keepStorageCap(deps: StorageCapDeps): StorageCapKeeper {
  // The last run asked for, and the one not yet started (every ask made meanwhile shares it).
  let tail: Promise<void> = Promise.resolve();
  let waiting: Promise<void> | undefined;
  let stopped = false;

  async function runOnce(): Promise<void> {
    const capBytes = deps.capBytes();
    if (stopped || capBytes === undefined) return;
    const answer = await deps.trim({ maxBytes: capBytes }).catch((error: unknown) => ({
      ok: false as const,
      error: { code: 'ipc/invalid-arguments', message: String(error) },
    }));
    if (!answer.ok) {
      // Tried again after the next publish or start; the user's clips are safe either way.
      deps.logger.warn('storage cap: the service could not be trimmed', {
        message: answer.error.message,
      });
      return;
    }
    if (answer.value.removed === 0) return;
    deps.logger.info('storage cap: removed old clips from the built-in service', {
      removed: answer.value.removed,
      capBytes,
    });
    deps.trimmed({ removed: answer.value.removed, capBytes, clipIds: [...answer.value.clipIds] });
  }

  return {
    apply() {
      if (stopped) return Promise.resolve();
      if (waiting) return waiting;
      const next = tail.then(() => {
        waiting = undefined;
        return runOnce();
      });
      tail = next.catch((error: unknown) =>
        deps.logger.error('storage cap: failed', { error: String(error) }),
      );
      waiting = tail;
      return tail;
    },
    async stop() {
      stopped = true;
      await tail;
    },
  };
}

/** The keeper for the built-in service at `baseUrl`, trimming through its storage route. */
export function builtInStorageCap(deps: {
  readonly ledger: ClipLedger;
  readonly service: PublishedService;
  readonly capBytes: (() => number | undefined) | undefined;
  readonly trimmed: (notice: StorageTrimmed) => void;
  readonly logger: Logger;
}): StorageCapKeeper {
  const port = createStoragePort({
    ledger: () => Promise.resolve(deps.ledger),
    service: () => Promise.resolve(deps.service),
  });
  return keepStorageCap({
    capBytes: deps.capBytes ?? (() => undefined),
    trim: (rule) => port.trimmed(rule),
    trimmed: deps.trimmed,
    logger: deps.logger,
  });
}
