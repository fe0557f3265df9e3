/**
 * The one shutdown owner (architecture.md section 8): the app and the headless CLI hand it their
 * parts in the order they must stop (the window's helpers first: tray, notifier, window state,
 * login item; then the pipeline; the ledger last) and it awaits each in turn. Every part has a
 * bound: one that hangs is logged and left behind so the ones after it (the ledger's flush, the
 * folder lock) still run. A part that throws is logged the same way; shutdown itself never throws.
 */
import type { Logger } from '../util/logger';

export interface ShutdownPart {
  /** Said in the log when the part fails or overruns its bound. */
  readonly name: string;
  readonly stop: () => unknown;
  /** How long it may take; DEFAULT_PART_BOUND_MS when absent. */
  readonly boundMs?: number;
}

export interface ShutdownStep {
  readonly name: string;
  readonly outcome: 'stopped' | 'failed' | 'overran';
  readonly ms: number;
}

/** Generous: uploads and reservations wait for their calls in flight, whose timeouts are 30 s. */
export const DEFAULT_PART_BOUND_MS = 60_000;

/** Stops each part in order, each within its bound; answers what happened to each. */
export async function shutdown(
  parts: readonly ShutdownPart[],
  logger: Logger,
): Promise<ShutdownStep[]> {
  const steps: ShutdownStep[] = [];
  for (const part of parts) steps.push(await stopPart(part, logger));
  return steps;
}

async function stopPart(part: ShutdownPart, logger: Logger): Promise<ShutdownStep> {
  const startedMs = Date.now();
  const boundMs = part.boundMs ?? DEFAULT_PART_BOUND_MS;
  let timer: NodeJS.Timeout | undefined;
  const overran = new Promise<'overran'>((resolve) => {
    timer = setTimeout(() => resolve('overran'), boundMs);
    timer.unref();
  });
  const stopped = Promise.resolve()
    .then(part.stop)
    .then(
      () => 'stopped' as const,
      (error: unknown) => {
        logger.error('shutdown: a part failed to stop', { part: part.name, error: String(error) });
        return 'failed' as const;
      },
    );
  const outcome = await Promise.race([stopped, overran]);
  clearTimeout(timer);
  if (outcome === 'overran')
    logger.warn('shutdown: a part did not stop in time; going on without it', {
      part: part.name,
      boundMs,
    });
  return { name: part.name, outcome, ms: Date.now() - startedMs };
}
