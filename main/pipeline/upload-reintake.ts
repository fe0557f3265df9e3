/**
 * A file that changed under its reservation goes back through the completion gate (the same one
 * intake uses) as the same clip: the user's draft is kept, the new size, times and probe replace
 * the old, and it is reserved afresh. A file that disappeared meanwhile shows as missing, one the
 * gate refuses shows its reason: never silently dropped.
 */
import { clipStopped, type ClipRecord } from '../../app/clip/clip';
import { mustTransition } from '../../app/clip/lifecycle';
import { errorView } from '../../app/errors';
import type { Logger } from '../util/logger';
import { checkCompletion } from '../intake/completion-gate';
import type { ClipLedger } from '../ledger/clip-ledger';

export interface ReintakeDeps {
  readonly ledger: ClipLedger;
  readonly logger: Logger;
  readonly reserveAgain: (clipId: string) => void;
  readonly stabilityMs?: number;
  /** Called when the clip ends up missing or rejected. */
  readonly stopped?: (record: ClipRecord) => void;
}

const MAX_CHECKS = 40;

export function createReintake(deps: ReintakeDeps): (record: ClipRecord) => Promise<void> {
  return async (record) => {
    const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
    for (let check = 0; check < MAX_CHECKS; check++) {
      const result = await checkCompletion(record.file.path, {
        stabilityMs: deps.stabilityMs ?? 300,
        sleep,
        nowMs: () => Date.now(),
      });
      const latest = deps.ledger.get(record.id);
      // Cancelled or otherwise moved on meanwhile: nothing left to do.
      if (!latest || latest.state !== 'reserving' || latest.request) return;
      const now = new Date().toISOString();
      if (result.kind === 'wait') {
        await sleep(Math.min(30_000, 250 * 2 ** Math.min(check, 7)));
        continue;
      }
      if (result.kind === 'ready') {
        await deps.ledger.put(
          mustTransition(
            latest,
            { type: 'file-changed', identity: result.identity, probe: result.probe },
            now,
          ),
        );
        deps.reserveAgain(record.id);
        return;
      }
      const stopped =
        result.kind === 'gone'
          ? clipStopped(latest, 'missing', errorView('intake/missing'), now)
          : clipStopped(
              { ...latest, file: result.identity },
              'rejected',
              errorView(result.code, result.detail),
              now,
            );
      await deps.ledger.put(stopped);
      deps.stopped?.(stopped);
      return;
    }
    deps.logger.warn('upload: the changed file never settled; it stays waiting', { id: record.id });
  };
}
