/**
 * Upload rate and ETA for the window: a smoothed rate over recent samples, so one slow block does
 * not make the ETA jump about.
 */

export interface RateState {
  readonly lastBytes: number;
  readonly lastMs: number;
  /** Bytes per second, smoothed; undefined until two samples exist. */
  readonly bytesPerSecond?: number;
}

/** Weight of the newest sample; about the last two seconds at 10 Hz dominate. */
const SMOOTHING = 0.2;

export function startRate(bytes: number, nowMs: number): RateState {
  return { lastBytes: bytes, lastMs: nowMs };
}

/** Folds in a new reading of total sent bytes at `nowMs`. */
export function updateRate(state: RateState, bytes: number, nowMs: number): RateState {
  const elapsedMs = nowMs - state.lastMs;
  if (elapsedMs <= 0) return state;
  const instant = (Math.max(0, bytes - state.lastBytes) * 1000) / elapsedMs;
  const bytesPerSecond =
    state.bytesPerSecond === undefined
      ? instant
      : state.bytesPerSecond + SMOOTHING * (instant - state.bytesPerSecond);
  return { lastBytes: bytes, lastMs: nowMs, bytesPerSecond };
}

/** Seconds left at the current rate; undefined while no rate is known or nothing moves. */
export function etaSeconds(
  sentBytes: number,
  totalBytes: number,
  bytesPerSecond: number | undefined,
): number | undefined {
  if (sentBytes >= totalBytes) return 0;
  if (bytesPerSecond === undefined || bytesPerSecond < 1) return undefined;
  return Math.ceil((totalBytes - sentBytes) / bytesPerSecond);
}
