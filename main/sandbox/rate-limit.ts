/**
 * Fine-grained rate limiting as Xbox Live applies it (5.3): per (xuid, titleId), reads and writes
 * counted apart, a burst and a sustain window at once. Once either trips, every request is refused
 * until that window rolls over; refused requests still count.
 */
import { SANDBOX_ERROR_CODES, serviceError, type ServiceError } from './errors';
import type { RateLimitOptions } from './options';

interface Window {
  start: number;
  count: number;
}

interface Counter {
  burst: Window;
  sustain: Window;
}

export type RateKind = 'read' | 'write';

export class RateLimiter {
  private readonly counters = new Map<string, Counter>();

  constructor(private readonly limits: Required<RateLimitOptions>) {}

  /** Counts one request; returns the 429 to answer when a window is over its limit. */
  check(xuid: string, titleId: string, kind: RateKind, now: number): ServiceError | undefined {
    const key = `${xuid}|${titleId}|${kind}`;
    let counter = this.counters.get(key);
    if (!counter) {
      counter = { burst: { start: now, count: 0 }, sustain: { start: now, count: 0 } };
      this.counters.set(key, counter);
    }
    const windows = [
      { window: counter.burst, seconds: this.limits.burstSeconds, max: this.limits.burst },
      { window: counter.sustain, seconds: this.limits.sustainSeconds, max: this.limits.sustain },
    ];
    for (const { window, seconds } of windows) {
      if (now >= window.start + seconds * 1000) {
        window.start = now;
        window.count = 0;
      }
      window.count += 1;
    }
    const tripped = windows.filter(({ window, max }) => window.count > max);
    if (tripped.length === 0) return undefined;
    // The longest wait decides when a request can pass again.
    const worst = tripped.reduce((a, b) =>
      a.window.start + a.seconds * 1000 >= b.window.start + b.seconds * 1000 ? a : b,
    );
    const retryAfter = Math.max(
      1,
      Math.ceil((worst.window.start + worst.seconds * 1000 - now) / 1000),
    );
    return serviceError(
      429,
      SANDBOX_ERROR_CODES.rateLimited,
      `Too many ${kind} requests: ${worst.window.count} in ${worst.seconds} s, the limit is ${worst.max}. Try again in ${retryAfter} s.`,
      {
        headers: { 'Retry-After': String(retryAfter) },
        extraBody: {
          version: 1,
          currentRequests: worst.window.count,
          maxRequests: worst.max,
          periodInSeconds: worst.seconds,
          limitType: 'Rate',
        },
      },
    );
  }
}
