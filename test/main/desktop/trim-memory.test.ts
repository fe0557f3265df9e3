import { getHeapSpaceStatistics } from 'node:v8';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createMemoryTrimmer,
  memoryPressureCollector,
  TRIM_DELAY_MS,
} from '../../../main/desktop/trim-memory';
import type { Logger } from '../../../main/util/logger';

function createMemoryLogger(): Logger & { entries: string[] } {
  const entries: string[] = [];
  const write = (message: string) => void entries.push(message);
  return { entries, debug: write, info: write, warn: write, error: write };
}

afterEach(() => vi.useRealTimers());

const newSpaceBytes = () =>
  getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.space_size ?? 0;

describe('memory trim with the window closed to the tray', () => {
  it('gives back the young generation V8 grew during a burst (the real collector)', () => {
    // A burst of short-lived objects, as start-up or a window's life makes: V8 grows new space.
    let burst: object[] = [];
    for (let i = 0; i < 2_000_000; i++) {
      burst.push({ i, text: `clip ${i}` });
      if (burst.length > 50_000) burst = [];
    }
    burst = [];
    const grown = newSpaceBytes();
    memoryPressureCollector()();
    expect(newSpaceBytes()).toBeLessThan(grown);
  });

  it('trims once, a while after the window closed, and never under a window built again', () => {
    vi.useFakeTimers();
    const collect = vi.fn();
    const logger = createMemoryLogger();
    const trimmer = createMemoryTrimmer({ logger, collect });
    trimmer.windowGone();
    vi.advanceTimersByTime(TRIM_DELAY_MS - 1);
    expect(collect).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(collect).toHaveBeenCalledTimes(1);

    trimmer.windowGone();
    trimmer.windowBack();
    vi.advanceTimersByTime(TRIM_DELAY_MS * 2);
    expect(collect).toHaveBeenCalledTimes(1);

    trimmer.windowGone();
    trimmer.stop();
    vi.advanceTimersByTime(TRIM_DELAY_MS * 2);
    expect(collect).toHaveBeenCalledTimes(1);
  });

  it('once stopped (the app quits), a window destroyed by the quit arms no trim', () => {
    vi.useFakeTimers();
    const collect = vi.fn();
    const logger = createMemoryLogger();
    const trimmer = createMemoryTrimmer({ logger, collect });
    trimmer.stop();
    trimmer.windowGone();
    vi.advanceTimersByTime(TRIM_DELAY_MS * 2);
    expect(collect).not.toHaveBeenCalled();
    expect(logger.entries).toEqual([]);
  });

  it('a collector that fails is logged, not thrown', () => {
    vi.useFakeTimers();
    const logger = createMemoryLogger();
    const trimmer = createMemoryTrimmer({
      logger,
      collect: () => {
        throw new Error('no gc here');
      },
    });
    trimmer.windowGone();
    expect(() => vi.advanceTimersByTime(TRIM_DELAY_MS)).not.toThrow();
    expect(JSON.stringify(logger.entries)).toContain('memory: trim failed');
  });
});
