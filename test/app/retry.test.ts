import { describe, expect, it } from 'vitest';
import { decideRetry, parseRetryAfter } from '../../app/retry';

describe('decideRetry for the non-idempotent reserve call', () => {
  const reserve = (outcome: Parameters<typeof decideRetry>[0], attempt = 1, random = 0) =>
    decideRetry(outcome, attempt, { idempotent: false, random });

  it('retries only what was certainly not applied: 429, 503, not sent', () => {
    expect(reserve({ kind: 'status', status: 429 })).toEqual({ retry: true, delayMs: 2000 });
    expect(reserve({ kind: 'status', status: 503 }).retry).toBe(true);
    expect(reserve({ kind: 'not-sent' }).retry).toBe(true);
  });
  it('sends ambiguous failures to reconciliation instead', () => {
    for (const status of [500, 502, 504, 408])
      expect(reserve({ kind: 'status', status })).toEqual({ retry: false, reason: 'ambiguous' });
    expect(reserve({ kind: 'ambiguous' })).toEqual({ retry: false, reason: 'ambiguous' });
  });
  it('never retries 400, 401, 403, 404, 406', () => {
    for (const status of [400, 401, 403, 404, 406])
      expect(reserve({ kind: 'status', status })).toEqual({
        retry: false,
        reason: 'not-retryable',
      });
  });
  it('backs off exponentially from 2 s with jitter between steps, and honours Retry-After', () => {
    expect(
      reserve({ kind: 'status', status: 503 }, 3, 0).retry &&
        reserve({ kind: 'status', status: 503 }, 3, 0),
    ).toEqual({ retry: true, delayMs: 8000 });
    expect(reserve({ kind: 'status', status: 503 }, 3, 0.5)).toEqual({
      retry: true,
      delayMs: 12_000,
    });
    expect(reserve({ kind: 'status', status: 503, retryAfterSeconds: 30 }, 1, 0)).toEqual({
      retry: true,
      delayMs: 30_000,
    });
  });
  it('stops after the last attempt', () => {
    expect(reserve({ kind: 'status', status: 503 }, 12)).toEqual({
      retry: false,
      reason: 'attempts-exhausted',
    });
  });
});

describe('decideRetry for idempotent calls', () => {
  it('retries 5xx, 408 and 429', () => {
    for (const status of [408, 429, 500, 502, 503, 504])
      expect(
        decideRetry({ kind: 'status', status }, 1, { idempotent: true, random: 0 }).retry,
      ).toBe(true);
    expect(decideRetry({ kind: 'ambiguous' }, 1, { idempotent: true, random: 0 }).retry).toBe(true);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('5', 0)).toBe(5);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 0)).toBe(10);
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
    expect(parseRetryAfter(undefined, 0)).toBeUndefined();
  });
});
