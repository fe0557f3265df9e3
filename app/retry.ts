/**
 * The retry policy (spec 5.4) as a pure function: given what happened, wait how long, or stop.
 *
 * Exponential back-off from 2 s with jitter (a delay between the current and the next step, as
 * XSAPI does), never earlier than `Retry-After`, capped per step. Whether a failure may be
 * retried at all depends on the call: a non-idempotent call (reserve) is retried only when the
 * request was certainly not applied; anything ambiguous is reconciled instead.
 */

export type Outcome =
  /** The request never left this machine (refused connection, DNS, offline). */
  | { readonly kind: 'not-sent' }
  /** It may have been applied: timeout after sending, reset, 500/502/504. */
  | { readonly kind: 'ambiguous' }
  /** The service answered with a status. */
  | { readonly kind: 'status'; readonly status: number; readonly retryAfterSeconds?: number };

export type RetryDecision =
  | { readonly retry: true; readonly delayMs: number }
  | {
      readonly retry: false;
      readonly reason: 'success' | 'not-retryable' | 'ambiguous' | 'attempts-exhausted';
    };

export interface RetryPolicy {
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly maxAttempts: number;
  /** The longest any wait may be, `Retry-After` included (default: WAIT_CLAMPS.reserveMaxMs). */
  readonly maxWaitMs?: number;
}

/**
 * Bounds for every wait (issue 13 item 7): a `Retry-After` or back-off is never below 1 s, never
 * above 1 hour before a reserve, never above 10 minutes while following a clip to Published. A
 * huge or malformed value (2147484 s overflows setTimeout; 99999999999999 s makes an invalid
 * Date) becomes the bound, so no timer fires early and no date throws a RangeError.
 */
export const WAIT_CLAMPS = {
  minMs: 1000,
  reserveMaxMs: 60 * 60_000,
  followMaxMs: 10 * 60_000,
} as const;

/** `ms` within [minMs, maxMs]; NaN, negative and infinite values become a bound, never a throw. */
export function clampWaitMs(ms: number, maxMs: number, minMs: number = WAIT_CLAMPS.minMs): number {
  if (Number.isNaN(ms)) return maxMs;
  return Math.round(Math.min(maxMs, Math.max(minMs, ms)));
}

/** Reservation defaults: a background uploader may keep trying for a long window (5.4). */
export const RESERVE_POLICY: RetryPolicy = {
  baseDelayMs: 2000,
  maxDelayMs: 60_000,
  maxAttempts: 12,
};

const RETRYABLE_STATUSES = new Set([408, 429, 500, 502, 503, 504]);
/** For a non-idempotent call only these say for certain that nothing was applied. */
const NOT_APPLIED_STATUSES = new Set([429, 503]);

/**
 * Decides the next step after attempt number `attempt` (1-based) ended with `outcome`.
 * `random` is a number in [0, 1) supplied by the caller so the function stays pure.
 */
export function decideRetry(
  outcome: Outcome,
  attempt: number,
  options: { idempotent: boolean; policy?: RetryPolicy; random: number },
): RetryDecision {
  const policy = options.policy ?? RESERVE_POLICY;
  if (outcome.kind === 'status' && outcome.status >= 200 && outcome.status < 300)
    return { retry: false, reason: 'success' };
  if (outcome.kind === 'ambiguous' && !options.idempotent)
    return { retry: false, reason: 'ambiguous' };
  if (outcome.kind === 'status') {
    const retryable = options.idempotent
      ? RETRYABLE_STATUSES.has(outcome.status)
      : NOT_APPLIED_STATUSES.has(outcome.status);
    if (!retryable)
      return {
        retry: false,
        reason:
          !options.idempotent && RETRYABLE_STATUSES.has(outcome.status)
            ? 'ambiguous'
            : 'not-retryable',
      };
  }
  if (attempt >= policy.maxAttempts) return { retry: false, reason: 'attempts-exhausted' };
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const next = Math.min(policy.maxDelayMs, step * 2);
  const backoff = step + (next - step) * options.random;
  const maxWaitMs = policy.maxWaitMs ?? WAIT_CLAMPS.reserveMaxMs;
  const retryAfterMs =
    outcome.kind === 'status' && outcome.retryAfterSeconds !== undefined
      ? clampWaitMs(outcome.retryAfterSeconds * 1000, maxWaitMs)
      : 0;
  return { retry: true, delayMs: Math.round(Math.min(maxWaitMs, Math.max(backoff, retryAfterMs))) };
}

/** Parses a `Retry-After` header: delta seconds or an HTTP date, relative to `nowMs`. */
export function parseRetryAfter(
  value: string | undefined | null,
  nowMs: number,
): number | undefined {
  if (value === undefined || value === null || value.trim() === '') return undefined;
  const trimmed = value.trim();
  // Delta seconds of any length: the caller clamps (clampWaitMs); Number() never throws.
  if (/^\d+$/u.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - nowMs) / 1000));
}
