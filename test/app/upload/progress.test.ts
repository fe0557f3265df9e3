/**
 * The per-clip progress model (app/upload/progress.ts): monotonic acknowledged bytes, a moving
 * window rate, and time left close to the truth under a bandwidth cap.
 */
import { describe, expect, it } from 'vitest';
import {
  progressAcked,
  progressEta,
  progressRate,
  progressRestarted,
  startProgress,
} from '../../../app/upload/progress';

const MB = 1_000_000;

describe('the progress model', () => {
  it('never goes back across pause and resume (the 27 % -> 16 % report)', () => {
    let model = startProgress(11.3 * MB, 0, 0);
    model = progressAcked(model, 3 * MB, 3000);
    // Resumed: the uploader reports what the ledger held, a block less than was in flight.
    model = progressRestarted(model, 2 * MB, 60_000);
    expect(model.ackedBytes).toBe(3 * MB);
    model = progressAcked(model, 1.8 * MB, 61_000);
    expect(model.ackedBytes).toBe(3 * MB);
  });

  it('shows no rate and no time left until acknowledged bytes span a second', () => {
    let model = startProgress(10 * MB, 0, 0);
    expect(progressRate(model)).toBeUndefined();
    expect(progressEta(model, 500)).toBeUndefined();
    model = progressAcked(model, 2 * MB, 400);
    expect(progressRate(model)).toBeUndefined();
    model = progressAcked(model, 4 * MB, 2000);
    expect(progressRate(model)).toBe(2 * MB);
  });

  it('does not count a pause as slow time: the rate starts afresh at resume', () => {
    let model = startProgress(10 * MB, 0, 0);
    model = progressAcked(model, 2 * MB, 2000);
    model = progressRestarted(model, 2 * MB, 600_000);
    model = progressAcked(model, 4 * MB, 602_000);
    expect(progressRate(model)).toBe(1 * MB);
  });

  it('keeps time left within 30 % of the truth after the first 20 % of a capped upload', () => {
    // 11.3 MB at 1 MB/s in 2 MB blocks, acknowledged one after another; the window asks often.
    const total = 11.3 * MB;
    const cap = 1 * MB;
    const finishMs = (total / cap) * 1000;
    let model = startProgress(total, 0, 0);
    const errors: number[] = [];
    for (let nowMs = 0; nowMs <= finishMs; nowMs += 100) {
      const acked = Math.min(total, Math.floor(((nowMs / 1000) * cap) / (2 * MB)) * 2 * MB);
      model = progressAcked(model, nowMs >= finishMs ? total : acked, nowMs);
      const truth = (finishMs - nowMs) / 1000;
      const eta = progressEta(model, nowMs);
      if (model.ackedBytes < 0.2 * total || truth < 2) continue;
      expect(eta).toBeDefined();
      errors.push(Math.abs((eta ?? 0) - truth) / truth);
    }
    expect(errors.length).toBeGreaterThan(20);
    expect(Math.max(...errors)).toBeLessThanOrEqual(0.3);
  });
});
