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

/**
 * One progress model per clip (issue 12, item 6): what the window and the CLI show.
 *
 * - Acknowledged bytes only, and never less than already shown: a pause, a resume, a restart or
 *   a retried block never moves the bar back (bytes in flight are lost on a pause; acks are not).
 * - The rate is a moving window over acknowledged bytes, from an anchor when this run of the
 *   upload started (a pause is not slow time), so a bandwidth cap shows as the rate it allows.
 * - Time left is derived from that rate, counting down between acks; none until there is a rate.
 */
export interface ClipProgress {
  readonly totalBytes: number;
  /** Monotonic: the most acknowledged bytes ever seen for this clip. */
  readonly ackedBytes: number;
  /** (time, acknowledged bytes) samples of this run, oldest first; the first is the anchor. */
  readonly samples: readonly { readonly ms: number; readonly bytes: number }[];
}

/** How far back the rate looks: long enough to span a few 2 MB blocks under a tight cap. */
export const RATE_WINDOW_MS = 30_000;
/** The least time the rate must span before it is shown. */
export const MIN_RATE_SPAN_MS = 1000;

export function startProgress(totalBytes: number, ackedBytes: number, nowMs: number): ClipProgress {
  const bytes = Math.min(totalBytes, Math.max(0, ackedBytes));
  return { totalBytes, ackedBytes: bytes, samples: [{ ms: nowMs, bytes }] };
}

/**
 * The upload (re)started now (resume, restart, retry after a wait): the rate starts afresh from
 * here, the acknowledged bytes stay where they were.
 */
export function progressRestarted(model: ClipProgress, ackedBytes: number, nowMs: number) {
  const bytes = Math.min(model.totalBytes, Math.max(model.ackedBytes, ackedBytes));
  return { ...model, ackedBytes: bytes, samples: [{ ms: nowMs, bytes }] };
}

/** Folds in a reading of acknowledged bytes; a lower reading never lowers what is shown. */
export function progressAcked(
  model: ClipProgress,
  ackedBytes: number,
  nowMs: number,
): ClipProgress {
  const bytes = Math.min(model.totalBytes, Math.max(model.ackedBytes, ackedBytes));
  const last = model.samples[model.samples.length - 1];
  if (last && bytes === last.bytes) return bytes === model.ackedBytes ? model : { ...model };
  let samples = [...model.samples, { ms: nowMs, bytes }];
  // Keep one sample at or before the window's start as the anchor.
  while (samples.length > 2 && (samples[1]?.ms ?? nowMs) <= nowMs - RATE_WINDOW_MS)
    samples = samples.slice(1);
  return { ...model, ackedBytes: bytes, samples };
}

/**
 * Acks of blocks sent in parallel arrive together: the first of a burst alone would halve the
 * rate. A sample counts once this long has passed without it being the newest burst.
 */
export const SETTLE_MS = 500;

/** The samples the rate is measured over at `nowMs`: the anchor and every settled one. */
function settledSamples(model: ClipProgress, nowMs: number | undefined) {
  if (nowMs === undefined) return model.samples;
  return model.samples.filter((sample, index) => index === 0 || sample.ms <= nowMs - SETTLE_MS);
}

/**
 * Bytes per second over the window; undefined until acks span at least MIN_RATE_SPAN_MS. With
 * `nowMs`, a burst of acks younger than SETTLE_MS waits until it is whole.
 */
export function progressRate(model: ClipProgress, nowMs?: number): number | undefined {
  const samples = settledSamples(model, nowMs);
  const first = samples[0];
  const last = samples[samples.length - 1];
  if (!first || !last || last.bytes <= first.bytes) return undefined;
  const spanMs = last.ms - first.ms;
  if (spanMs < MIN_RATE_SPAN_MS) return undefined;
  return ((last.bytes - first.bytes) * 1000) / spanMs;
}

/** Seconds left, counting down from the last settled ack at the window's rate; none without one. */
export function progressEta(model: ClipProgress, nowMs: number): number | undefined {
  if (model.ackedBytes >= model.totalBytes) return 0;
  const rate = progressRate(model, nowMs);
  if (rate === undefined || rate < 1) return undefined;
  const samples = settledSamples(model, nowMs);
  const last = samples[samples.length - 1];
  if (!last) return undefined;
  const left = (model.totalBytes - last.bytes) / rate - Math.max(0, nowMs - last.ms) / 1000;
  // Never "0 s" while bytes are owed: the next ack is what moves it.
  return Math.max(1, Math.round(left));
}
