/**
 * Issue 13, item 7, as pure decisions: every Retry-After and back-off is clamped (at least 1 s,
 * at most 1 hour before a reserve, at most 10 minutes while following), and values that overflow
 * a timer or a Date become the bound instead of throwing.
 */
import { describe, expect, it } from 'vitest';
import { WAIT_CLAMPS, clampWaitMs, decideRetry, parseRetryAfter } from '../../../app/retry';
import { BLOCK_RETRY_POLICY } from '../../../main/pipeline/upload-service';

const hour = WAIT_CLAMPS.reserveMaxMs;
const tenMinutes = WAIT_CLAMPS.followMaxMs;

describe('clampWaitMs', () => {
  it.each([
    [0, 1000],
    [999, 1000],
    [1000, 1000],
    [hour, hour],
    [hour + 1, hour],
    [2_147_484_000, hour],
    [99_999_999_999_999_000, hour],
    [Number.POSITIVE_INFINITY, hour],
    [Number.NaN, hour],
    [-5, 1000],
  ])('%d ms -> %d ms before a reserve', (ms, expected) => {
    expect(clampWaitMs(ms, hour)).toBe(expected);
  });

  it('follows to Published wait at most 10 minutes', () => {
    expect(clampWaitMs(600_000, tenMinutes)).toBe(600_000);
    expect(clampWaitMs(601_000, tenMinutes)).toBe(600_000);
  });
});

describe('decideRetry honours Retry-After within the clamps', () => {
  const after = (seconds: number, policy?: Parameters<typeof decideRetry>[2]['policy']) =>
    decideRetry({ kind: 'status', status: 503, retryAfterSeconds: seconds }, 1, {
      idempotent: false,
      random: 0,
      ...(policy ? { policy } : {}),
    });

  it.each([
    [3600, hour],
    [3601, hour],
    [2_147_484, hour],
    [Number(parseRetryAfter('99999999999999', 0)), hour],
  ])('reserve, Retry-After %d s -> %d ms, a valid Date', (seconds, expected) => {
    const decision = after(seconds);
    expect(decision).toEqual({ retry: true, delayMs: expected });
    if (decision.retry)
      expect(() => new Date(Date.now() + decision.delayMs).toISOString()).not.toThrow();
  });

  it('never below the back-off nor 1 s', () => {
    const decision = after(0);
    expect(decision.retry && decision.delayMs).toBeGreaterThanOrEqual(1000);
  });

  it('block PUTs are held at most 10 minutes by a Retry-After', () => {
    expect(after(86_400, BLOCK_RETRY_POLICY)).toEqual({ retry: true, delayMs: tenMinutes });
  });
});
