/**
 * A token bucket for the optional bandwidth cap: how long to wait before sending `bytes`.
 * Pure: the caller keeps the state and supplies the clock.
 */

export interface Bucket {
  /** Bytes that may go now without waiting. */
  readonly tokens: number;
  readonly atMs: number;
}

/** One second of burst: a cap is an average, not a per-packet limit. */
export function fullBucket(capBytesPerSecond: number, nowMs: number): Bucket {
  return { tokens: capBytesPerSecond, atMs: nowMs };
}

/** Takes `bytes` from the bucket; answers the new state and the wait before they may go. */
export function takeTokens(
  bucket: Bucket,
  bytes: number,
  capBytesPerSecond: number,
  nowMs: number,
): { readonly bucket: Bucket; readonly waitMs: number } {
  const refilled = Math.min(
    capBytesPerSecond,
    bucket.tokens + ((nowMs - bucket.atMs) * capBytesPerSecond) / 1000,
  );
  const left = refilled - bytes;
  return {
    bucket: { tokens: left, atMs: nowMs },
    waitMs: left >= 0 ? 0 : Math.ceil((-left * 1000) / capBytesPerSecond),
  };
}
