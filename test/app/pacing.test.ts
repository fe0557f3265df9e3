import { describe, expect, it } from 'vitest';
import { initialPace, pauseUntil, takeSlot, type PaceConfig } from '../../app/pacing';

const config: PaceConfig = { ratePerSecond: 10, burst: 3 };

/** Starts calls as fast as the pacer allows for `durationMs`; returns their start times. */
function simulate(durationMs: number, pause?: { atMs: number; untilMs: number }): number[] {
  let state = initialPace(config, 0);
  const starts: number[] = [];
  let now = 0;
  let paused = false;
  while (now <= durationMs) {
    if (pause && !paused && now >= pause.atMs) {
      state = pauseUntil(state, pause.untilMs);
      paused = true;
    }
    const slot = takeSlot(state, config, now);
    state = slot.state;
    if (slot.waitMs === 0) starts.push(now);
    else now += slot.waitMs;
  }
  return starts;
}

describe('takeSlot', () => {
  it('lets a burst through, then holds to the sustained rate', () => {
    const starts = simulate(10_000);
    expect(starts.slice(0, 3)).toEqual([0, 0, 0]);
    // 3 at once, then 10 a second for 10 s.
    expect(starts.length).toBeGreaterThanOrEqual(100);
    expect(starts.length).toBeLessThanOrEqual(104);
    for (let i = 13; i < starts.length; i++) {
      const inLastSecond = starts.filter((t) => t > starts[i]! - 1000 && t <= starts[i]!);
      expect(inLastSecond.length).toBeLessThanOrEqual(config.ratePerSecond + 1);
    }
  });

  it('starts nothing while the service asked for a pause', () => {
    const starts = simulate(6000, { atMs: 1000, untilMs: 4000 });
    expect(starts.some((t) => t > 1000 && t < 4000)).toBe(false);
    expect(starts.some((t) => t >= 4000)).toBe(true);
  });

  it('refills no more than the burst after a quiet period', () => {
    let state = initialPace(config, 0);
    for (let i = 0; i < 3; i++) state = takeSlot(state, config, 0).state;
    const after = takeSlot(state, config, 60_000);
    expect(after.waitMs).toBe(0);
    expect(after.state.tokens).toBe(config.burst - 1);
  });

  it('says how long to wait when the bucket is empty', () => {
    let state = initialPace(config, 0);
    for (let i = 0; i < 3; i++) state = takeSlot(state, config, 0).state;
    expect(takeSlot(state, config, 0).waitMs).toBe(100);
    expect(takeSlot(state, config, 50).waitMs).toBe(50);
  });
});

describe('pauseUntil', () => {
  it('never shortens a pause already in force', () => {
    const state = pauseUntil(initialPace(config, 0), 5000);
    expect(pauseUntil(state, 2000).pausedUntilMs).toBe(5000);
    expect(pauseUntil(state, 9000).pausedUntilMs).toBe(9000);
  });
});
