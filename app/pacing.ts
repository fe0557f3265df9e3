/**
 * Pacing of calls to one service, as pure decisions: a token bucket (a steady rate with a small
 * burst) and a service-wide pause after a `Retry-After`.
 *
 * A thousand dropped clips must not trip the service's rate limits (spec 5.3: burst and sustain
 * windows per user and title), and once the service has said "not before T", no call to it
 * should leave before T: XSAPI fails such calls locally until then (spec 5.4). Pausing only the
 * clip that got the 429 would let its siblings keep hammering the service.
 */

export interface PaceConfig {
  /** Calls started per second, sustained. */
  readonly ratePerSecond: number;
  /** Calls that may start at once after a quiet period. */
  readonly burst: number;
}

/** Reservations: well under any plausible per-user write limit, still 600 clips a minute. */
export const RESERVE_PACE: PaceConfig = { ratePerSecond: 10, burst: 15 };

export interface PaceState {
  readonly tokens: number;
  readonly updatedMs: number;
  /** No call before this monotonic time (a `Retry-After` from the service). */
  readonly pausedUntilMs: number;
}

export function initialPace(config: PaceConfig, nowMs: number): PaceState {
  return { tokens: config.burst, updatedMs: nowMs, pausedUntilMs: 0 };
}

/**
 * Whether a call may start at `nowMs`. When it may, the returned state has spent one token;
 * otherwise `waitMs` says how long until it may (the state is only refilled).
 */
export function takeSlot(
  state: PaceState,
  config: PaceConfig,
  nowMs: number,
): { readonly state: PaceState; readonly waitMs: number } {
  const elapsed = Math.max(0, nowMs - state.updatedMs);
  const tokens = Math.min(config.burst, state.tokens + (elapsed * config.ratePerSecond) / 1000);
  const refilled: PaceState = { ...state, tokens, updatedMs: nowMs };
  if (nowMs < state.pausedUntilMs) return { state: refilled, waitMs: state.pausedUntilMs - nowMs };
  if (tokens >= 1) return { state: { ...refilled, tokens: tokens - 1 }, waitMs: 0 };
  return { state: refilled, waitMs: Math.ceil(((1 - tokens) * 1000) / config.ratePerSecond) };
}

/** The service asked for a pause: no call before `untilMs` (a later pause never shortens one). */
export function pauseUntil(state: PaceState, untilMs: number): PaceState {
  return untilMs > state.pausedUntilMs ? { ...state, pausedUntilMs: untilMs } : state;
}
